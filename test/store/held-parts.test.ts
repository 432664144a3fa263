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
import { appendInBatches, bloctelCheck, day0, eventArb, KEYS } from "./arbitraries.ts";

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
          } else await bloctelCheck(writer, tenant, step);
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
    await bloctelCheck(writer, tenant, { keys: ["k1", "k3"], complete: true, day: 2 });
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
        // Asked in one turn, as a server's checks are: read together (coalesced-reads.ts).
        assert.deepEqual(
          await Promise.all(ASKED.map((key) => serving.evidence(tenant, [key]))),
          await Promise.all(ASKED.map((key) => reader.evidence(tenant, [key]))),
        );
      }
    } finally {
      await serving.close();
    }
  });

  test("warmed before the first read, the map is whole and current: the first read goes through it", async () => {
    const tenant = "warmed";
    await appendInBatches(
      writer,
      fc.sample(eventArb, { numRuns: 40, seed: 11 }).map((e) => ({ ...e, tenant })),
      [],
    );
    await bloctelCheck(writer, tenant, { keys: ["k2"], complete: false, day: 1 });
    // A slice of 2 rows: built a read at a time, the map would take dozens of reads.
    const held = new HeldParts(db, 2);
    const keys = held.warm(tenant);
    assert.ok(keys !== null && keys > 0 && keys <= KEYS.length, `${keys} keys held`);
    const head = db.prepare("SELECT seq FROM chain_head WHERE tenant = ?").pluck().get(tenant);
    assert.equal(held.built(tenant)?.seq, head, "built and caught up with the head, before any read");
    const withMap = evidenceReader(db, held);
    const plain = evidenceReader(db);
    assert.deepEqual(normal(withMap(tenant, ASKED)), normal(plain(tenant, ASKED)));
    // Events appended afterwards, by another connection, are folded by warming again.
    await writer.append([consent(tenant, "k4", 3)]);
    held.warm(tenant);
    const moved = db.prepare("SELECT seq FROM chain_head WHERE tenant = ?").pluck().get(tenant);
    assert.equal(held.built(tenant)?.seq, moved);
    assert.equal(withMap(tenant, ["k4"]).own.consents.length > 0, true);
    // A tenant without events: an empty map, at seq 0.
    assert.equal(held.warm("nobody"), 0);
    assert.equal(held.built("nobody")?.seq, 0);
    assert.equal(held.built("nobody")?.bitsOf("k1"), 0);
  });

  const event = (tenant: string, pointKey: string, data: NewEvent["data"], day: number): NewEvent => ({
    tenant,
    pointKey,
    controller: "agence dupont",
    occurredAt: day0 + day * 86_400_000,
    data,
    proof: { recordedBy: "test" },
    pii: { point: { type: "email", value: `${pointKey}@example.fr` } },
  });
  const consent = (tenant: string, pointKey: string, day: number) =>
    event(
      tenant,
      pointKey,
      { type: "consent.given", consent: { channel: "sms", method: null, scope: "standard", proof: true } },
      day,
    );

  test("reads made during an import on the serving connection leave the map to committed states", async () => {
    const tenant = "importing";
    const serving = new SqliteStore(file, { heldParts: true });
    const points = ASKED.map((k) => [k]);
    try {
      await writer.append([consent(tenant, "k0", 0)]);
      for (let i = 0; i < 3; i++) await serving.evidenceMany(tenant, points);
      // A Bloctel import stores its rows in batches under one event: between two batches the
      // head does not move. The import writes on its own connection (the store's writer thread):
      // reads in between see the state before it, never its rows uncommitted.
      await serving.bulk(async (w) => {
        const r = await w.append([
          {
            tenant,
            pointKey: "",
            controller: "",
            occurredAt: day0,
            data: {
              type: "registry.snapshot",
              registry: "bloctel",
              complete: false,
              fileSha256: "f",
              rows: 2,
              entriesDigest: "d",
            },
            proof: { recordedBy: "test" },
            pii: null,
          },
        ]);
        const entry = (pointKey: string) => ({
          pointKey,
          registered: true,
          registeredAt: day0,
          effectiveAt: day0,
        });
        await w.registry(tenant, r.seqs[0] as number, day0, [entry("k1")]);
        assert.equal((await serving.evidenceMany(tenant, points))[1]?.registry.length, 0);
        await w.registry(tenant, r.seqs[0] as number, day0, [entry("k2")]);
        assert.equal((await serving.evidenceMany(tenant, points))[2]?.registry.length, 0);
      });
      for (let i = 0; i < 3; i++) {
        const read = await serving.evidenceMany(tenant, points);
        assert.deepEqual(read, await reader.evidenceMany(tenant, points));
        assert.equal(read[2]?.registry.length, 1);
      }
    } finally {
      await serving.close();
    }
  });

  test("a store restored from a backup under a running server is read as it is now", async () => {
    const tenant = "restored";
    const live = join(dir, "live.db");
    const backup = join(dir, "backup.db");
    // The backup: a log as long as the live one will be, of other events.
    const old = new SqliteStore(backup);
    await old.append([1, 2, 3].map((d) => consent(tenant, "k2", d)));
    await old.close();
    const serving = new SqliteStore(live, { heldParts: true });
    const plain = new SqliteStore(live);
    const points = ASKED.map((k) => [k]);
    try {
      await serving.append(
        [1, 2, 3].map((d) =>
          event(tenant, "k1", { type: "objection.recorded", channel: "all", via: null }, d),
        ),
      );
      for (let i = 0; i < 3; i++) await serving.evidenceMany(tenant, points);
      // Restored page by page onto the live file, as SQLite's backup API does it.
      const source = new Database(backup);
      await source.backup(live);
      source.close();
      for (let i = 0; i < 3; i++) {
        const read = await serving.evidenceMany(tenant, points);
        assert.deepEqual(read, await plain.evidenceMany(tenant, points));
        assert.equal(read[2]?.consents.length, 3);
        assert.equal(read[1]?.objections.length, 0);
      }
    } finally {
      await serving.close();
      await plain.close();
    }
  });
});
