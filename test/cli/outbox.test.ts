// `vigie outbox list|purge` over the file outbox vigie serve writes beside the store.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { vigie } from "./vigie.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-cli-outbox-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, "vigie.db");
const path = `${store}.outbox.jsonl`;
const env = { VIGIE_KEYRING: join(dir, "keyring.json") };
const run = (...args: string[]) => vigie([...args, "--store", store], undefined, env);

const messages = [
  {
    at: "2026-05-01T10:00:00.000Z",
    to: "claire.martin@example.fr",
    channel: "email",
    subject: "Confirmez",
    text: "https://x/c/SECRET-LINK",
  },
  { at: "2026-06-01T10:00:00.000Z", to: "+33612345678", channel: "sms", text: "Code 987650" },
];

describe("vigie outbox", () => {
  test("list masks addresses and shows no link or code; --json gives the addresses", () => {
    writeFileSync(path, `${messages.map((m) => JSON.stringify(m)).join("\n")}\n`, { mode: 0o600 });
    const r = run("outbox", "list");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2 message\(s\)/);
    assert.match(r.stdout, /c…@example\.fr/);
    assert.match(r.stdout, /\+33…78/);
    assert.doesNotMatch(r.stdout, /SECRET-LINK|987650|claire\.martin/);
    const json = run("outbox", "list", "--json")
      .stdout.trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(json[1], { at: messages[1]?.at, channel: "sms", to: "+33612345678" });
    assert.doesNotMatch(JSON.stringify(json), /SECRET-LINK|987650/);
  });

  test("purge --before keeps the newer messages; purge drops them all", () => {
    const r = run("outbox", "purge", "--before", "2026-05-15");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1 message\(s\) purged, 1 kept/);
    const left = readFileSync(path, "utf8").trim().split("\n");
    assert.equal(left.length, 1);
    assert.equal(JSON.parse(left[0] as string).to, "+33612345678");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.match(run("outbox", "purge").stdout, /1 message\(s\) purged, 0 kept/);
    assert.match(run("outbox", "list").stdout, /0 message\(s\)/);
    assert.match(run("outbox", "purge").stdout, /no outbox, nothing to purge/);
  });
});
