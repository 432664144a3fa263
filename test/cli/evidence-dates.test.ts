// Evidence dates fail closed on the command line (docs/evidence.md, "Dates"): exit 2 naming the
// option, or the row's line and column. The CLI reads the system clock, so "future" here is 2099.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { vigie } from "./vigie.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-cli-dates-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { VIGIE_KEYRING: join(dir, "keys", "keyring.json"), VIGIE_STORE: join(dir, "vigie.db") };
const run = (...args: string[]) => vigie(args, undefined, env);
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const consent = ["0612345678", "--controller", "Agence Dupont", "--channel", "voice_live"];

describe("evidence dates on the command line", () => {
  test("consent add, consent withdraw and object refuse a future, ancient or impossible --at: exit 2", () => {
    for (const [args, message] of [
      [["consent", "add", ...consent, "--at", "2099-01-01"], /--at 2099-01-01: in the future \(now is /],
      [["consent", "withdraw", ...consent, "--at", "0000-01-01"], /--at 0000-01-01: before 1990-01-01/],
      [["object", "0612345678", "--at", "2099-06-01T10:00:00Z"], /--at 2099-06-01T10:00:00Z: in the future/],
      [["object", "0612345678", "--at", "2025-02-30"], /--at 2025-02-30: not a date/],
    ] as const) {
      const r = run(...args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, "");
    }
    const old = run("consent", "add", ...consent, "--at", "2014-05-01");
    assert.equal(old.status, 0, `a consent from 2014 is real evidence: ${old.stderr}`);
  });

  test("import bloctel --date in the future: exit 2, nothing imported", () => {
    const r = run("import", "bloctel", file("check.csv", "phone\n0611223344\n"), "--date", "2099-01-01");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--date 2099-01-01: in the future/);
  });

  test("import: rows dated in the future or before the floor are rejected with line and column", () => {
    const text = [
      "phone,at,controller,channel,via",
      "0611223301,2026-01-05,,all,letter",
      "0611223302,2099-01-01,,all,letter",
      "0611223303,0000-01-01,,all,letter",
    ].join("\n");
    const r = run("import", "objections", file("objections.csv", `${text}\n`), "--json");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /line 3: at: "2099-01-01": in the future/);
    assert.match(r.stderr, /line 4: at: "0000-01-01": before 1990-01-01/);
    assert.equal(JSON.parse(r.stdout).accepted, 1);

    const contacts = [
      "phone,kind,origin,relationship,customer_since,customer_until",
      "0611223304,consumer,direct,active_contract,1965-03-01,2030-12-31",
      "0611223305,consumer,direct,active_contract,2099-03-01,",
      "0611223306,consumer,direct,past_customer,2001-01-01,9999-12-31",
    ].join("\n");
    const c = run("import", "contacts", file("contacts.csv", `${contacts}\n`), "--json");
    assert.equal(c.status, 2);
    assert.deepEqual(
      JSON.parse(c.stdout).rejected.map((x: { line: number; column: string }) => [x.line, x.column]),
      [
        [3, "customer_since"],
        [4, "customer_until"],
      ],
      "an old relationship and a planned end are real; a relationship from the future or until 9999 is not",
    );
  });

  test("retention sweep erases at --at: not in the future, except as a dry run", () => {
    assert.equal(run("retention", "sweep", "--at", "2099-01-01").status, 2);
    const dry = run("retention", "sweep", "--dry-run", "--at", "2099-01-01");
    assert.equal(dry.status, 0, dry.stderr);
  });

  test("check --facts: a year-0000 instant is exit 2 with its JSON path; a planned one is decided", () => {
    const facts = (at: string) =>
      JSON.stringify({
        at: "2026-03-10T11:00:00+01:00",
        campaign: { controller: "Agence Dupont", channel: "postal" },
        contact: { kind: "consumer", consents: [{ channel: "postal", controller: "x", givenAt: at }] },
      });
    const bad = vigie(["check", "--facts", "-"], facts("0000-01-01"), env);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /contact\.consents\[0\]\.givenAt: before 1990-01-01/);
    assert.equal(vigie(["check", "--facts", "-"], facts("2099-01-01"), env).status, 0);
  });
});
