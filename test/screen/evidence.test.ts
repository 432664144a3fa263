// Screening against the evidence store, over a window: stored Bloctel checks and objections win
// over the list; each allowed contact gets its first lawful slot in the window, on its own clock.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { importFile } from "../../src/services/import/run.ts";
import { type EvidenceSource, openEvidence } from "../../src/services/screen/evidence.ts";
import { openSession } from "../../src/services/session.ts";
import { parseInstant } from "../../src/time/zoned.ts";
import { CALL_2025, reconcile, screen, tempDir } from "./helpers.ts";

const dir = tempDir();
process.env.VIGIE_KEYRING = join(dir, "keyring.json");
const store = join(dir, "vigie.db");

const LIST = [
  "id,phone,origin,department",
  "1,06 12 34 56 78,scraped_public,69", // on Bloctel
  "2,06 12 34 56 79,scraped_public,69", // the store holds a source for it: direct collection
  "3,0690 45 12 78,scraped_public,971", // Guadeloupe: 10:00 there is 15:00 in Paris
  "4,0692 66 10 23,scraped_public,974", // Réunion: 08:00 in Paris is 11:00 there
  "5,06 12 34 56 81,scraped_public,69", // objected
].join("\n");

/** A Tuesday morning call session, 08:00–12:00 in Paris. */
const MORNING = {
  ...CALL_2025,
  at: undefined,
  from: "2025-03-04T08:00:00+01:00",
  to: "2025-03-04T12:00:00+01:00",
};

async function imports(): Promise<void> {
  const session = await openSession({ store });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const base = { ignoreUnknown: false, recordedBy: "test", now: Date.now() };
  try {
    await importFile(session, {
      ...base,
      kind: "bloctel",
      file: file("bloctel.csv", "phone,registered_at,effective_at\n06 12 34 56 78,2021-03-14,2021-04-13\n"),
      date: parseInstant("2025-03-01") as number,
      complete: true,
    });
    await importFile(session, {
      ...base,
      kind: "contacts",
      file: file(
        "contacts.csv",
        "phone,kind,origin,controller,collected_at\n06 12 34 56 79,consumer,direct,Agence Dupont,2025-02-20\n",
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

test("a window campaign: next_slot on the person's clock, or blocked for want of a slot", async () => {
  const o = await screen({ list: LIST, campaign: MORNING, evidence });
  assert.deepEqual(reconcile(o), { in: 5, allowed: 2, blocked: 3, rejected: 0 });
  assert.equal(
    o.read("allowed.csv").split("\n")[0],
    "id,phone,origin,department,next_slot,duplicate_of,interpreted",
  );
  assert.deepEqual(
    o.rows("allowed.csv").map((r) => [r[0], r[4]]),
    [
      ["2", "2025-03-04T10:00:00+01:00"],
      ["4", "2025-03-04T11:00:00+04:00"],
    ],
  );
  assert.deepEqual(
    o.rows("blocked.csv").map((r) => [r[0], r[4]]),
    [
      ["1", "conso-l223-1/bloctel"],
      ["3", "conso-d223-9/hours"],
      ["5", "gdpr-21/objection"],
    ],
  );
  const guadeloupe = o.rows("blocked.csv")[1] ?? [];
  assert.match(
    guadeloupe[5] ?? "",
    /^no lawful slot between 2025-03-04T03:00:00-04:00 and 2025-03-04T07:00:00-04:00 \(next: 2025-03-04T10:00:00-04:00\)$/,
  );
  assert.equal(o.summary.outsideWindow, 1);
  assert.deepEqual(o.summary.byOrigin, {
    direct: { allowed: 1, blocked: 0 },
    scraped_public: { allowed: 1, blocked: 3 },
  });
  assert.equal(o.summary.evidence, `sqlite:${store}`);
  assert.equal(o.summary.evidenceLog?.tenant, "default");
  assert.match(o.summary.evidenceLog?.hash ?? "", /^[0-9a-f]{64}$/);
  // Signed as of when the head event was recorded, not of the screening: the summary stays a
  // function of its inputs.
  const signed = o.summary.signedHead;
  assert.deepEqual(
    [signed?.statement.size, signed?.statement.root],
    [o.summary.evidenceLog?.seq, o.summary.evidenceLog?.root],
  );
  assert.deepEqual((await screen({ list: LIST, campaign: MORNING, evidence })).summary.signedHead, signed);
});

test("a longer window reaches the overseas slot; --lang fr gives the reason in French", async () => {
  const o = await screen({
    list: LIST,
    campaign: { ...MORNING, to: "2025-03-04T18:00:00+01:00" },
    evidence,
    lang: "fr",
  });
  assert.deepEqual(reconcile(o), { in: 5, allowed: 3, blocked: 2, rejected: 0 });
  assert.deepEqual(o.rows("allowed.csv")[1], [
    "3",
    "0690 45 12 78",
    "scraped_public",
    "971",
    "2025-03-04T10:00:00-04:00",
    "",
    "",
  ]);
  assert.match(o.rows("blocked.csv")[0]?.[5] ?? "", /^Numéro inscrit sur Bloctel/);
});

test("decided at `at`, without a window, there is no next_slot column and hours block", async () => {
  const o = await screen({
    list: LIST,
    campaign: { ...CALL_2025, at: "2025-03-04T08:00:00+01:00" },
    evidence,
  });
  assert.equal(o.read("allowed.csv").split("\n")[0], "id,phone,origin,department,duplicate_of,interpreted");
  assert.deepEqual(
    o.rows("allowed.csv").map((r) => r[0]),
    ["4"],
  );
  assert.deepEqual(o.rows("blocked.csv")[1]?.slice(4, 5), ["conso-d223-9/hours"]);
});
