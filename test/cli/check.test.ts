import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { vigie } from "./vigie.ts";

const good = {
  at: "2026-09-15T11:00:00+02:00",
  campaign: { controller: "Agence Dupont", channel: "email" },
  contact: { kind: "consumer" },
};

describe("vigie check", () => {
  test("--facts - decides one object from stdin and prints it as JSON", () => {
    const r = vigie(["check", "--facts", "-"], JSON.stringify(good));
    assert.equal(r.status, 0, r.stderr);
    const decision = JSON.parse(r.stdout);
    assert.equal(decision.verdict, "block");
    assert.equal(decision.rulebook, "2026-11-27");
    assert.ok(decision.reasons.some((x: { rule: string }) => x.rule === "cpce-l34-5/consent"));
  });

  test("--jsonl decides each line in order; a bad line gets an error line, the others go on, exit 2", () => {
    const lines = [
      JSON.stringify(good),
      "{not json",
      JSON.stringify({
        ...good,
        contact: { kind: "consumer", consents: [{ channel: "email", controller: "X", givenAt: "soon" }] },
      }),
      JSON.stringify({ ...good, campaign: { ...good.campaign, channel: "postal" } }),
      `${JSON.stringify(good).slice(0, -1)},"at":"2026-12-01T10:00:00Z"}`,
    ];
    const r = vigie(["check", "--jsonl"], `${lines.join("\n")}\n`);
    assert.equal(r.status, 2);
    const out = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.equal(out.length, 5);
    assert.equal(out[0].verdict, "block");
    assert.equal(out[1].error.line, 2);
    assert.match(out[1].error.message, /^invalid JSON/);
    assert.deepEqual(out[2].error, {
      line: 3,
      path: "contact.consents[0].givenAt",
      message: "not a date (ISO 8601 with an offset or Z, or a bare YYYY-MM-DD)",
    });
    assert.equal(out[3].verdict, "allow");
    assert.deepEqual(out[4].error, {
      line: 5,
      path: "at",
      message: "given twice in one object: which one counts is not said",
    });
    assert.match(r.stderr, /^line 3: contact\.consents\[0\]\.givenAt: not a date/m);
  });

  test("--jsonl with only valid lines exits 0; CRLF line ends are accepted", () => {
    const r = vigie(["check", "--jsonl", "-"], `${JSON.stringify(good)}\r\n${JSON.stringify(good)}\r\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split("\n").length, 2);
  });

  test("facts in UTF-16 with its mark are read, and a UTF-8 mark skipped; UTF-16 without it, or bytes no UTF-8, refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigie-check-"));
    try {
      const line = JSON.stringify({ ...good, campaign: { ...good.campaign, controller: "Agence Désirée" } });
      const file = (name: string, bytes: Buffer) => {
        writeFileSync(join(dir, name), bytes);
        return join(dir, name);
      };
      const expected = vigie(["check", "--jsonl"], `${line}\n${line}\n`).stdout;
      const encodings = (text: string): Buffer[] => {
        const le = Buffer.from(`\uFEFF${text}`, "utf16le");
        return [le, Buffer.from(le).swap16(), Buffer.from(`\uFEFF${text}`)];
      };
      for (const bytes of encodings(`${line}\r\n${line}\r\n`)) {
        const r = vigie(["check", "--jsonl", file("lines.jsonl", bytes)]);
        assert.deepEqual([r.status, r.stdout], [0, expected], r.stderr);
      }
      for (const bytes of encodings(line)) {
        const one = vigie(["check", "--facts", file("facts.json", bytes)]);
        assert.equal(one.status, 0, one.stderr);
      }
      const noMark = vigie(["check", "--jsonl", file("lines.jsonl", Buffer.from(`${line}\n`, "utf16le"))]);
      assert.equal(noMark.status, 2);
      assert.equal(noMark.stdout, "");
      assert.match(
        noMark.stderr,
        /lines\.jsonl: line 1: NUL bytes: the file looks like UTF-16 without its byte-order mark/,
      );
      // "é" in Windows-1252: the controller's name would have been read with U+FFFD in it.
      const latin1 = vigie(["check", "--facts", file("facts.json", Buffer.from(line, "latin1"))]);
      assert.equal(latin1.status, 2);
      assert.match(latin1.stderr, /facts\.json: line 1: not valid UTF-8/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an empty line is reported, not skipped silently", () => {
    const r = vigie(["check", "--jsonl"], `${JSON.stringify(good)}\n\n${JSON.stringify(good)}\n`);
    assert.equal(r.status, 2);
    const out = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(out[1], { error: { line: 2, path: "", message: "empty line" } });
    assert.equal(out.length, 3);
  });

  test("usage errors exit 2 with a message", () => {
    const neither = vigie(["check"]);
    assert.equal(neither.status, 2);
    assert.match(neither.stderr, /exactly one of --facts/);
    const missing = vigie(["check", "--facts", "/nonexistent/facts.json"]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read \/nonexistent\/facts\.json: ENOENT/);
    assert.equal(vigie(["frobnicate"]).status, 2);
  });
});

describe("vigie rules and explain", () => {
  test("rules --at lists the rules in force that day, with their article", () => {
    const before = JSON.parse(vigie(["rules", "--at", "2026-08-10", "--json"]).stdout);
    const after = JSON.parse(vigie(["rules", "--at", "2026-08-11", "--json"]).stdout);
    const ids = (x: { rules: { id: string }[] }) => x.rules.map((r) => r.id);
    assert.ok(ids(before).includes("conso-l223-1/bloctel"));
    assert.ok(!ids(before).includes("conso-l223-1/phone-consent"));
    assert.ok(ids(after).includes("conso-l223-1/phone-consent"));
    assert.ok(!ids(after).includes("conso-l223-1/bloctel"));
    const objection = before.rules.find((r: { id: string }) => r.id === "gdpr-21/objection");
    assert.equal(objection.article, "RGPD, art. 21(2)-(3)");
  });

  test("explain prints the version in force, its words and the parameter values of the date", () => {
    const r = vigie(["explain", "conso-d223-9/frequency", "--at", "2024-01-15"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /in force under C\. conso\., art\. D\.223-9/);
    assert.match(r.stdout, /d223-9\.max-attempts: \{"calls":4,"days":30\}/);
    assert.match(r.stdout, /quatre fois au cours d'une période de trente jours/);
    const early = vigie(["explain", "conso-d223-9/frequency", "--at", "2022-01-15"]);
    assert.match(early.stdout, /On 2022-01-15: not in force/);
  });

  test("explain of an unknown rule and a bad date exit 2", () => {
    const unknown = vigie(["explain", "no/such-rule"]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown rule no\/such-rule/);
    const badDate = vigie(["rules", "--at", "31/12/2025"]);
    assert.equal(badDate.status, 2);
    assert.match(badDate.stderr, /--at 31\/12\/2025: not a date/);
  });
});
