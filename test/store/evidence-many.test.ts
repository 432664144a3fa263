// A batch of points read at once gives each point the evidence it has alone, on both adapters, and
// both adapters give the same: random events over a few points (links, erasures, withdrawals),
// Bloctel checks complete or not, and batches where a point has two keys, where two points share a
// key, and where points are unknown.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { postgresReady, testSchema } from "../support/postgres.ts";
import { appendInBatches, bloctelCheck, eventArb, KEYS } from "./arbitraries.ts";

const POOL = [...KEYS, "k-unknown"];

// A point with no key (none in practice: every point has its current key) reads as unknown.
const batchArb = fc.array(fc.subarray(POOL, { minLength: 0, maxLength: 2 }), { minLength: 1, maxLength: 8 });

const worldArb = fc.record({
  events: fc.array(eventArb, { minLength: 1, maxLength: 25 }),
  checks: fc.array(
    fc.record({
      keys: fc.subarray([...KEYS], { minLength: 1 }),
      complete: fc.boolean(),
      day: fc.integer({ min: 0, max: 8 }),
    }),
    { maxLength: 3 },
  ),
  batches: fc.array(batchArb, { minLength: 1, maxLength: 4 }),
});

describe("evidence of a batch of points", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vigie-many-"));
  const sqlite = new SqliteStore(join(dir, "many.db"));
  const pgSchema = (await postgresReady("evidence of a batch: postgres", "test/store/evidence-many.test.ts"))
    ? testSchema("vigie_many")
    : null;
  const postgres = pgSchema === null ? null : await pgSchema.open();
  after(async () => {
    await sqlite.close();
    await postgres?.close();
    await pgSchema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("each point's evidence is its own, and both adapters agree", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ events, checks, batches }) => {
        const tenant = `m${run++}`;
        const stores: Store[] = postgres === null ? [sqlite] : [sqlite, postgres];
        for (const store of stores) {
          await appendInBatches(
            store,
            events.map((e) => ({ ...e, tenant })),
            events.map((_, i) => i % 5 === 4),
          );
          for (const c of checks) await bloctelCheck(store, tenant, c, null);
        }
        for (const points of batches) {
          const reads = [];
          for (const store of stores) {
            const many = await store.evidenceMany(tenant, points);
            assert.equal(many.length, points.length);
            for (const [i, keys] of points.entries()) {
              assert.deepEqual(
                many[i],
                await store.evidence(tenant, keys),
                `${store.dialect}: ${keys.join("+")}`,
              );
            }
            reads.push(many);
          }
          if (reads.length === 2) assert.deepEqual(reads[1], reads[0], "PostgreSQL reads what SQLite reads");
        }
      }),
      { numRuns: 60 },
    );
  });
});
