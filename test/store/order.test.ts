// Order does not matter: the same events appended in any order, in any batches (one by one, or in
// one bulk with some sent twice), leave the same state — what `evidence()` returns for every point and person, and the facts decided from it —
// on both adapters. Withdrawals before their consent, objections before the source, erasures before
// the events they suppress, links before the points they join.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import type { NewEvent } from "../../src/evidence/events.ts";
import { factsFromEvidence } from "../../src/evidence/facts-from-evidence.ts";
import { parseCampaign } from "../../src/facts/parse.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Evidence, Store } from "../../src/store/store.ts";
import { postgresReady, testSchema } from "../support/postgres.ts";
import { appendInBatches, appendInBulk, DAY, day0, KEYS, worldArb } from "./arbitraries.ts";

/** Evidence with nothing that depends on arrival (the seq of sources), each list in one order. */
function normal(e: Evidence): unknown {
  const sorted = <T>(rows: readonly T[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    point: e.point,
    sources: sorted(e.sources.map(({ seq, ...s }) => s)),
    consents: sorted(e.consents),
    objections: sorted(e.objections),
    contacts: sorted(e.contacts),
    notices: sorted(e.notices),
    registry: sorted(e.registry),
    person: { ...e.person, objections: sorted(e.person.objections), contacts: sorted(e.person.contacts) },
  };
}

const campaigns = ["sms", "email"].map((channel) => {
  const r = parseCampaign({ campaign: { controller: "Agence Dupont", channel } });
  if (!r.ok) throw new Error("campaign");
  return r;
});

function orderContract(name: string, open: () => Promise<Store>, close: () => Promise<void>): void {
  describe(`order does not matter: ${name}`, () => {
    let store: Store;
    after(async () => {
      await store?.close();
      await close();
    });

    test("the same events in any order and batches, one by one or in a bulk, give the same evidence and facts", async () => {
      store = await open();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(worldArb, async ({ events, order, cutsA, cutsB }) => {
          const a = `o${run}a`;
          const b = `o${run++}b`;
          await appendInBatches(
            store,
            events.map((e) => ({ ...e, tenant: a })),
            cutsA,
          );
          // In one bulk, as an import: each batch planned before the one before it is written
          // (PostgreSQL), the first events sent again at the end — duplicates, found in the batch
          // still held in memory or in the store.
          const inB = order.map((i) => ({ ...(events[i] as Omit<NewEvent, "tenant">), tenant: b }));
          await appendInBulk(store, [...inB, ...inB.slice(0, 3)], [...cutsB, true, false, true]);
          for (const keys of [...KEYS.map((k) => [k]), ["k0", "k1"]]) {
            const ea = await store.evidence(a, keys);
            const eb = await store.evidence(b, keys);
            assert.deepEqual(normal(ea), normal(eb), `evidence of ${keys.join("+")}`);
            assert.deepEqual(await store.personKeys(a, keys), await store.personKeys(b, keys));
            // One point alone is read by a statement of its own (SQLite: without the walk through
            // links when it has none): it must read what the statement for many points reads.
            const [inMany] = await store.evidenceMany(a, [keys, ["k-none"]]);
            assert.deepEqual(
              normal(inMany as typeof ea),
              normal(ea),
              `evidence of ${keys.join("+")} alone and among others`,
            );
            for (const c of campaigns) {
              for (const d of [1, 4, 9]) {
                const req = {
                  ...c,
                  at: day0 + d * DAY + 3_600_000,
                  point: { type: "email" as const, value: "x@example.fr" },
                };
                assert.deepEqual(
                  factsFromEvidence(ea, req),
                  factsFromEvidence(eb, req),
                  `facts of ${keys}, day ${d}`,
                );
              }
            }
          }
        }),
        { numRuns: 80 },
      );
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "vigie-order-"));
after(() => rmSync(dir, { recursive: true, force: true }));
orderContract(
  "sqlite",
  async () => new SqliteStore(join(dir, "order.db")),
  async () => {},
);

if (await postgresReady("order does not matter: postgres", "test/store/order.test.ts")) {
  const pgSchema = testSchema("vigie_order");
  orderContract("postgres", pgSchema.open, pgSchema.drop);
}
