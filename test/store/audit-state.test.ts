// The audit's rebuild agrees with the adapters: random events (erasures, withdrawals before their
// consent, links, merges of one fact recorded twice, Bloctel checks) appended in random batches
// always verify clean; and a random single-row change to any state table — a row deleted, a value
// altered, a row added — is always found, naming its table. On both adapters.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import type { ConsentData, NewEvent } from "../../src/evidence/events.ts";
import { RegistryDigest } from "../../src/evidence/registry-digest.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import {
  type Cell,
  columnsOf,
  compareKeys,
  STATE_TABLES,
  type StateRow,
} from "../../src/store/state-tables.ts";
import { postgresReady, testSchema } from "../support/postgres.ts";
import { sqlLiteral } from "../support/sql.ts";
import { appendInBatches, DAY, day0, eventArb } from "./arbitraries.ts";
import type { TestStore } from "./contract.ts";

const EMPTY_DIGEST = new RegistryDigest().digest();

/** A Bloctel check with no rows: the state's registry_snapshots, with no entries to digest. */
const snapshotArb: fc.Arbitrary<Omit<NewEvent, "tenant">> = fc
  .record({ complete: fc.boolean(), d: fc.integer({ min: 0, max: 8 }), file: fc.nat(3) })
  .map(({ complete, d, file }) => ({
    pointKey: "",
    controller: "",
    occurredAt: day0 + d * DAY,
    data: {
      type: "registry.snapshot",
      registry: "bloctel",
      complete,
      fileSha256: String(file).padStart(64, "0"),
      rows: 0,
      entriesDigest: EMPTY_DIGEST,
    },
    proof: { recordedBy: "audit-state" },
    pii: null,
  }));

const worldArb = fc
  .array(fc.oneof({ arbitrary: eventArb, weight: 9 }, { arbitrary: snapshotArb, weight: 1 }), {
    minLength: 1,
    maxLength: 40,
  })
  .chain((events) =>
    fc.record({
      events: fc.constant(events),
      cuts: fc.array(fc.boolean(), { minLength: events.length, maxLength: events.length }),
    }),
  );

/** One fact recorded twice with different readings, each way round: the three MERGE rules. */
const merges = (() => {
  const at = day0 + DAY;
  const base = {
    pointKey: "k0",
    controller: "agence dupont",
    occurredAt: at,
    proof: { recordedBy: "merge" },
    pii: null,
  };
  const consent = (
    scope: "standard" | "out_of_hours",
    method: "double_opt_in" | null,
    proof: boolean,
    collection: Pick<ConsentData, "collectedBy" | "namedHow"> = {},
  ) => ({
    ...base,
    data: {
      type: "consent.given" as const,
      consent: { channel: "sms" as const, method, scope, proof, ...collection },
    },
  });
  const objection = (via: "letter" | null) => ({
    ...base,
    data: { type: "objection.recorded" as const, channel: "all" as const, via },
  });
  const call = (outcome: "answered" | "no_answer" | "objected") => ({
    ...base,
    data: { type: "contact.made" as const, channel: "email" as const, outcome },
  });
  const events = [
    consent("standard", "double_opt_in", true),
    consent("out_of_hours", "double_opt_in", false),
    objection("letter"),
    objection(null),
    call("no_answer"),
    call("answered"),
    { ...base, pointKey: "k1", data: consent("out_of_hours", null, true).data },
    { ...base, pointKey: "k1", data: consent("standard", "double_opt_in", true).data },
    { ...base, pointKey: "k1", data: call("objected").data },
    { ...base, pointKey: "k1", data: call("no_answer").data },
    { ...base, pointKey: "k1", data: objection(null).data },
    { ...base, pointKey: "k1", data: objection("letter").data },
    // Who collected it: a partner's over the controller's, the weaker naming.
    { ...base, pointKey: "k2", data: consent("standard", null, true, { collectedBy: "self" }).data },
    {
      ...base,
      pointKey: "k2",
      data: consent("standard", null, true, { collectedBy: "partner", namedHow: "named" }).data,
    },
    {
      ...base,
      pointKey: "k2",
      data: consent("standard", null, true, { collectedBy: "broker", namedHow: "listed_with_link" }).data,
    },
    { ...base, pointKey: "k3", data: consent("standard", null, true).data },
    { ...base, pointKey: "k3", data: consent("standard", null, true, { collectedBy: "self" }).data },
  ];
  return { events, cuts: events.map(() => false) };
})();

/** Which row to change and how: indexes are taken modulo what the tenant holds. */
const tamperArb = fc.record({
  row: fc.nat(),
  how: fc.constantFrom("delete" as const, "alter" as const, "insert" as const),
  column: fc.nat(),
});

/** Every table a tenant has rows in, so that a run can leave nothing behind. */
const TENANT_TABLES = ["events", "event_pii", "chain_head", ...STATE_TABLES.map((t) => t.name)];

function auditProperties(name: string, open: () => Promise<TestStore>, close: () => Promise<void>): void {
  describe(`the audit's rebuild agrees with the store: ${name}`, () => {
    let store: TestStore;
    let run = 0;
    after(async () => {
      await store?.close();
      await close();
    });
    const lit = (v: Cell): string => sqlLiteral(name === "postgres" ? "postgres" : "sqlite", v);
    const drop = async (tenant: string) => {
      for (const table of TENANT_TABLES)
        await store.unsafeExec(`DELETE FROM ${table} WHERE tenant = '${tenant}'`);
    };
    const world = async (events: readonly Omit<NewEvent, "tenant">[], cuts: readonly boolean[]) => {
      const tenant = `a${run++}`;
      await appendInBatches(
        store,
        events.map((e) => ({ ...e, tenant })),
        cuts,
      );
      return tenant;
    };

    test("random events in random batches always verify clean", async () => {
      store = await open();
      await fc.assert(
        fc.asyncProperty(worldArb, async ({ events, cuts }) => {
          const tenant = await world(events, cuts);
          const r = await verifyAudit(store);
          assert.equal(r.ok, true, r.broken?.problem);
          await drop(tenant);
        }),
        { numRuns: 60, examples: [[merges]] },
      );
    });

    test("a random single-row change of a state table is always found", async () => {
      await fc.assert(
        fc.asyncProperty(worldArb, tamperArb, async ({ events, cuts }, how) => {
          const tenant = await world(events, cuts);
          const rows: StateRow[] = [];
          for await (const r of store.stateRows(tenant)) rows.push(r);
          const row = rows[how.row % rows.length] as StateRow;
          const t = STATE_TABLES.find((x) => x.name === row.table);
          assert.ok(t !== undefined && t.distinct !== true, "no Bloctel rows in these worlds");
          const where = `WHERE tenant = '${tenant}' AND ${t.key.map(([c], i) => `${c} = ${lit(row.key[i] ?? null)}`).join(" AND ")}`;
          const changed = (v: Cell): Cell =>
            typeof v === "string"
              ? `${v}~`
              : typeof v === "number"
                ? v + 1
                : typeof v === "boolean"
                  ? !v
                  : "x";
          if (how.how === "alter" && t.values.length > 0) {
            const i = how.column % t.values.length;
            const [column, type] = t.values[i] as readonly [string, string];
            const before = row.values[i] ?? null;
            const after = before === null && type !== "text" ? (type === "bool" ? true : 1) : changed(before);
            await store.unsafeExec(`UPDATE ${t.name} SET ${column} = ${lit(after)} ${where}`);
          } else if (how.how === "insert") {
            // The same row under a key no row of the table has: the last key column moved on.
            const held = rows.filter((r) => r.table === t.name);
            const key = [...row.key];
            const last = key.length - 1;
            do key[last] = changed(key[last] ?? null);
            while (held.some((r) => compareKeys(r.key, key) === 0));
            const columns = columnsOf(t).map(([c]) => c);
            await store.unsafeExec(
              `INSERT INTO ${t.name} (tenant, ${columns.join(", ")}) VALUES ('${tenant}', ${[...key, ...row.values].map(lit).join(", ")})`,
            );
          } else await store.unsafeExec(`DELETE FROM ${t.name} ${where}`);
          const r = await verifyAudit(store);
          assert.equal(r.ok, false, `${how.how} ${t.name}`);
          assert.equal(r.broken?.tenant, tenant);
          assert.equal(r.broken?.table, t.name, r.broken?.problem);
          await drop(tenant);
        }),
        { numRuns: 60 },
      );
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "vigie-audit-state-"));
after(() => rmSync(dir, { recursive: true, force: true }));
auditProperties(
  "sqlite",
  async () => new SqliteStore(join(dir, "audit.db")),
  async () => {},
);

if (
  await postgresReady("the audit's rebuild agrees with the store: postgres", "test/store/audit-state.test.ts")
) {
  const pgSchema = testSchema("vigie_audit");
  auditProperties("postgres", pgSchema.open, pgSchema.drop);
}
