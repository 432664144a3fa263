// The held-parts map (src/store/sqlite/held-parts.ts) changes what a serving process reads, never
// what it answers: random events — appended by the reading connection itself and by another one,
// Bloctel checks with their rows, links and erasures among them — and after each batch the reader
// with the map gives the same evidence as the one without, for every point, asked one at a time
// and all together, unknown points included. Small slices make the map build and catch up over
// several reads; the property also checks that it does become current, so that the map's own
// path is the one compared.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import fc from "fast-check";
import type { NewEvent } from "../../src/evidence/events.ts";
import { type EvidenceRead, evidenceReader } from "../../src/store/sqlite/evidence-read.ts";
import { HeldParts } from "../../src/store/sqlite/held-parts.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { appendInBatches, day0, eventArb, KEYS } from "./arbitraries.ts";

const ASKED = [...KEYS, "k-unknown"];

/** A read with each list in one order: the two paths may return a part's rows in another order. */
function normal(read: EvidenceRead): unknown {
  const sorted = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    own: Object.fromEntries(Object.entries(read.own).map(([part, rows]) => [part, sorted(rows)])),
    reached: sorted(read.reached),
    linked: Object.fromEntries(Object.entries(read.linked).map(([part, rows]) => [part, sorted(rows)])),
    completeSnapshots: read.completeSnapshots,
  };
}

/** A Bloctel check of some of the points, as `vigie import bloctel` records one. */
async function bloctelCheck(
  store: SqliteStore,
  tenant: string,
  keys: readonly string[],
  complete: boolean,
  day: number,
) {
  await store.bulk(async (w) => {
    const r = await w.append([
      {
        tenant,
        pointKey: "",
        controller: "",
        occurredAt: day0 + day * 86_400_000,
        data: {
          type: "registry.snapshot",
          registry: "bloctel",
          complete,
          fileSha256: `f${day}${keys.join("")}${complete}`,
          rows: keys.length,
          entriesDigest: "d",
        },
        proof: { recordedBy: "test" },
        pii: null,
      },
    ]);
    const seq = r.seqs[0];
    if (seq === null || seq === undefined) return;
    await w.registry(
      tenant,
      seq,
      day0 + day * 86_400_000,
      keys.map((pointKey) => ({ pointKey, registered: true, registeredAt: day0, effectiveAt: day0 })),
    );
  });
}

const stepArb = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("events" as const),
      events: fc.array(eventArb, { minLength: 1, maxLength: 8 }),
      cuts: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      /** Appended by the reading connection, or by another one. */
      byReader: fc.boolean(),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("bloctel" as const),
      keys: fc.subarray([...KEYS], { minLength: 1 }),
      complete: fc.boolean(),
      day: fc.integer({ min: 0, max: 8 }),
    }),
    weight: 1,
  },
);

describe("the held-parts map (SQLite, a serving process)", () => {
  const dir = mkdtempSync(join(tmpdir(), "vigie-held-"));
  const file = join(dir, "store.db");
  const reader = new SqliteStore(file);
  const writer = new SqliteStore(file);
  const db = new Database(file);
  after(async () => {
    db.close();
    await reader.close();
    await writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("reads only what the map says, and answers as the full statement does", async () => {
    let run = 0;
    let stepsRun = 0;
    let current = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
        const tenant = `t${run++}`;
        // A slice of 3 rows a read: the map is built and caught up over several reads.
        const held = new HeldParts(db, 3);
        const withMap = evidenceReader(db, held);
        const plain = evidenceReader(db);
        for (const step of steps) {
          if (step.kind === "events") {
            const events: NewEvent[] = step.events.map((e) => ({ ...e, tenant }));
            await appendInBatches(step.byReader ? reader : writer, events, step.cuts);
          } else await bloctelCheck(writer, tenant, step.keys, step.complete, step.day);
          // Enough reads for the map to catch up with this step (a few rows each).
          for (let i = 0; i < 40; i++) {
            for (const key of ASKED) {
              assert.deepEqual(normal(withMap(tenant, [key])), normal(plain(tenant, [key])), key);
            }
            assert.deepEqual(normal(withMap(tenant, ASKED)), normal(plain(tenant, ASKED)));
          }
          stepsRun++;
          const head = db.prepare("SELECT seq FROM chain_head WHERE tenant = ?").pluck().get(tenant) ?? 0;
          if (held.built(tenant)?.seq === head) current++;
        }
      }),
      { numRuns: 40 },
    );
    // The map's path was the one compared: it had caught up after every step.
    assert.equal(current, stepsRun);
  });

  test("a store opened for serving gives the same evidence as one that is not", async () => {
    const tenant = "serving";
    await appendInBatches(
      writer,
      fc.sample(eventArb, { numRuns: 60, seed: 7 }).map((e) => ({ ...e, tenant })),
      [],
    );
    await bloctelCheck(writer, tenant, ["k1", "k3"], true, 2);
    const serving = new SqliteStore(file, { heldParts: true });
    try {
      const points = ASKED.map((k) => [k]);
      // The first read starts the map; the later ones read through it.
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(
          await serving.evidenceMany(tenant, points),
          await reader.evidenceMany(tenant, points),
        );
        for (const key of ASKED)
          assert.deepEqual(await serving.evidence(tenant, [key]), await reader.evidence(tenant, [key]));
      }
    } finally {
      await serving.close();
    }
  });

  test("an import that rolls back on the serving connection leaves no trace in the map", async () => {
    const tenant = "rollback";
    const serving = new SqliteStore(file, { heldParts: true });
    const ev = (pointKey: string, data: NewEvent["data"], day: number): NewEvent => ({
      tenant,
      pointKey,
      controller: "agence dupont",
      occurredAt: day0 + day * 86_400_000,
      data,
      proof: { recordedBy: "test" },
      pii: { point: { type: "email", value: `${pointKey}@example.fr` } },
    });
    const points = ASKED.map((k) => [k]);
    try {
      await writer.append([ev("k0", { type: "notice.sent" }, 0)]);
      for (let i = 0; i < 3; i++) await serving.evidenceMany(tenant, points);
      // The map folds the import's events, seen uncommitted on its own connection; then it fails.
      await assert.rejects(
        serving.bulk(async (w) => {
          await w.append(
            [1, 2, 3].map((d) => ev("k1", { type: "objection.recorded", channel: "all", via: null }, d)),
          );
          assert.equal((await serving.evidenceMany(tenant, points))[1]?.objections.length, 3);
          throw new Error("the import fails");
        }),
        /the import fails/,
      );
      // Other events take the same numbers: the head is back at the one the map folded, another one.
      await writer.append(
        [1, 2, 3].map((d) =>
          ev(
            "k2",
            {
              type: "consent.given",
              consent: { channel: "sms", method: null, scope: "standard", proof: true },
            },
            d,
          ),
        ),
      );
      for (let i = 0; i < 3; i++) {
        const read = await serving.evidenceMany(tenant, points);
        assert.deepEqual(read, await reader.evidenceMany(tenant, points));
        assert.equal(read[2]?.consents.length, 3);
        assert.equal(read[1]?.objections.length, 0);
      }
    } finally {
      await serving.close();
    }
  });
});
