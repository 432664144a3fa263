// Screening over a window that opens outside the calling hours, or holds none: the time rules
// (hours, holidays, frequency, pause) are reported only against rows they block throughout the
// window; any other row is decided at its first instant in the window they allow.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { importFile } from "../../src/services/import/run.ts";
import { type EvidenceSource, openEvidence } from "../../src/services/screen/evidence.ts";
import { openSession } from "../../src/services/session.ts";
import { parseInstant } from "../../src/time/zoned.ts";
import { CALL_2025, type Outputs, reconcile, screen, tempDir } from "./helpers.ts";

const dir = tempDir();
process.env.VIGIE_KEYRING = join(dir, "keyring.json");
const store = join(dir, "vigie.db");

const LIST = [
  "id,phone",
  "1,06 12 34 56 81", // objected in 2024
  "2,06 12 34 56 79", // collected directly, consented to calls, not on Bloctel
  "3,06 12 34 56 82", // refused an offer on 2025-01-03: no call before 2025-03-05
  "4,06 12 34 56 78", // on Bloctel
].join("\n");

async function imports(): Promise<void> {
  const session = await openSession({ store });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const base = { ignoreUnknown: false, recordedBy: "test", now: Date.now() };
  const controller = "Agence Dupont";
  try {
    await importFile(session, {
      ...base,
      kind: "bloctel",
      file: file("bloctel.csv", "phone,registered_at,effective_at\n06 12 34 56 78,2021-03-14,2021-04-13\n"),
      date: parseInstant("2025-03-01") as number,
      complete: true,
    });
    // A fresher check for the window on 1 May (one more number: a file of the same bytes would
    // count as imported already).
    await importFile(session, {
      ...base,
      kind: "bloctel",
      file: file(
        "bloctel-april.csv",
        "phone,registered_at,effective_at\n06 12 34 56 78,2021-03-14,2021-04-13\n06 12 34 56 99,2025-03-20,2025-04-19\n",
      ),
      date: parseInstant("2025-04-28") as number,
      complete: true,
    });
    await importFile(session, {
      ...base,
      kind: "contacts",
      file: file(
        "contacts.csv",
        [
          "phone,kind,origin,controller,collected_at",
          `06 12 34 56 79,consumer,direct,${controller},2025-02-20`,
          `06 12 34 56 82,consumer,direct,${controller},2024-12-01`,
        ].join("\n"),
      ),
    });
    await importFile(session, {
      ...base,
      kind: "consents",
      file: file(
        "consents.csv",
        `phone,controller,channel,given_at,method,proof_ref\n06 12 34 56 79,${controller},voice_live,2025-02-20,double_opt_in,r1\n`,
      ),
    });
    await importFile(session, {
      ...base,
      kind: "history",
      file: file(
        "history.csv",
        `phone,controller,channel,at,outcome\n06 12 34 56 82,${controller},voice_live,2025-01-03T11:00:00+01:00,refused_offer\n`,
      ),
    });
    await importFile(session, {
      ...base,
      kind: "objections",
      file: file("objections.csv", "phone,at,via\n06 12 34 56 81,2024-06-01,letter\n"),
    });
  } finally {
    await session.store.close();
  }
}

let evidence: EvidenceSource;
before(async () => {
  await imports();
  const opened = await openEvidence({ store });
  assert.ok(opened !== null);
  evidence = opened;
});
after(() => evidence.close());

const window = (from: string, to: string) => ({ ...CALL_2025, at: undefined, from, to });

/** A call session Monday 08:00 (before the hours open) to Friday 20:00. */
const WEEK = window("2025-03-03T08:00:00+01:00", "2025-03-07T20:00:00+01:00");

const cells = (o: Outputs, name: "allowed.csv" | "blocked.csv", columns: readonly number[]) =>
  o.rows(name).map((r) => columns.map((c) => r[c]));

test("a window opening before the hours: rows with a slot in it are never blocked by the hours", async () => {
  const o = await screen({ list: LIST, campaign: WEEK, evidence });
  assert.deepEqual(reconcile(o), { in: 4, allowed: 2, blocked: 2, rejected: 0 });
  assert.deepEqual(cells(o, "allowed.csv", [0, 2]), [
    ["2", "2025-03-03T10:00:00+01:00"],
    ["3", "2025-03-05T10:00:00+01:00"], // the 60-day pause, then the hours
  ]);
  // Decided at Monday 10:00, when the hours allow calls: only what blocks there.
  assert.deepEqual(cells(o, "blocked.csv", [0, 2, 5]), [
    ["1", "gdpr-21/objection", ""],
    ["4", "conso-l223-1/bloctel", ""],
  ]);
  assert.deepEqual(o.summary.byRule, { "gdpr-21/objection": 1, "conso-l223-1/bloctel": 1 });
  assert.deepEqual(o.summary.window, {
    allowedWithSlot: 2,
    allowedLater: 2,
    blockedLater: 2,
    noSlot: 0,
    outsideWindow: 0,
  });
  const html = o.read("report.html");
  assert.doesNotMatch(html, /conso-d223-9/);
  assert.match(html, /Screened over a window/);
  // The note quotes the time rules' values in force when the window opens (src/params/fr).
  assert.match(
    html,
    /at which the calling days and hours \(public holidays included\), the cap of 4 calls in 30 days and the 60-day pause after a refusal allow a call/,
  );
  assert.match(
    html,
    /2 allowed, each with its slot in the window \(<code>next_slot<\/code>\), 2 of them after it opens/,
  );
});

test("a window screening is byte-identical when run again", async () => {
  const dir = tempDir();
  const a = await screen({ list: LIST, campaign: WEEK, evidence, dir, out: "a" });
  const b = await screen({ list: LIST, campaign: WEEK, evidence, dir, out: "b" });
  for (const name of ["allowed.csv", "blocked.csv", "rejected.csv", "report.html", "summary.json"])
    assert.ok(readFileSync(join(a.dir, name)).equals(readFileSync(join(b.dir, name))), name);
});

for (const [day, from, to, next] of [
  ["a Sunday", "2025-03-09T08:00:00+01:00", "2025-03-09T20:00:00+01:00", "2025-03-10T10:00:00+01:00"],
  ["1 May", "2025-05-01T08:00:00+02:00", "2025-05-01T20:00:00+02:00", "2025-05-02T10:00:00+02:00"],
] as const) {
  test(`a window wholly on ${day}: the time rules block throughout, and say so`, async () => {
    const o = await screen({ list: LIST, campaign: window(from, to), evidence });
    assert.deepEqual(reconcile(o), { in: 4, allowed: 0, blocked: 4, rejected: 0 });
    assert.deepEqual(cells(o, "blocked.csv", [0, 2, 5]), [
      ["1", "gdpr-21/objection", "conso-d223-9/hours"],
      ["2", "conso-d223-9/hours", ""],
      ["3", "conso-d223-9/hours", ""],
      ["4", "conso-l223-1/bloctel", "conso-d223-9/hours"],
    ]);
    const reasons = o.rows("blocked.csv").map((r) => r[3]);
    assert.equal(reasons[1], `no lawful slot between ${from} and ${to} (next: ${next})`);
    assert.deepEqual(o.summary.byRule, {
      "conso-d223-9/hours": 2,
      "conso-l223-1/bloctel": 1,
      "gdpr-21/objection": 1,
    });
    assert.equal(o.summary.outsideWindow, 2);
    assert.deepEqual(o.summary.window, {
      allowedWithSlot: 0,
      allowedLater: 0,
      blockedLater: 0,
      noSlot: 4,
      outsideWindow: 2,
    });
    // The hours' words in the report are the window's, not those of its first instant.
    const html = o.read("report.html");
    assert.match(
      html,
      /4 with no slot allowed in the window: the time rules are counted against them, and 2 of them were blocked by those rules alone/,
    );
    assert.doesNotMatch(html, /outside the calling windows|public holiday \(/);
  });
}

test("a window before D.223-9 took effect: the note names no time rule of it", async () => {
  const o = await screen({
    list: LIST,
    campaign: window("2022-10-03T08:00:00+02:00", "2022-10-03T20:00:00+02:00"),
    evidence,
  });
  const html = o.read("report.html");
  assert.match(html, /No rule on calling days, hours or frequency was in force when it opens/);
  assert.doesNotMatch(html, /the cap of|pause after a refusal/);
  // As it says: every row was decided at the opening.
  assert.equal(o.summary.window?.allowedLater, 0);
  assert.equal(o.summary.window?.blockedLater, 0);
  assert.equal(o.summary.window?.noSlot, 0);
});
