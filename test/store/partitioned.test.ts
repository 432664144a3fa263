// Ready for Citus, proved on plain PostgreSQL (issue #17; docs/scale.md). The store contract runs
// on a schema whose distributed tables (src/store/postgres/distribution.ts) are each
// hash-partitioned in 8 on their column, standing in for shards: the point key, or the tenant for
// the log and what is keyed without the point key. Every statement the adapter sent meanwhile is
// then run again, with the values it was sent with, under EXPLAIN ANALYZE in a transaction rolled
// back, and the partitions of each table it touches are counted — its plan's once pruned with
// those values (a custom plan, as a router plans it), and for an INSERT the partitions its rows
// went to. A statement must touch only the partitions its values name (a batch of keys: those of
// its keys), unless it is a fan-out by nature or takes its keys from a join (the lists below).
//
// pending_consents cannot be partitioned by point key: its key is (tenant, id_sha256) — a link
// names its request by the hash of its secret, not by point — and PostgreSQL, as Citus, wants the
// partition column in every unique index. It is partitioned by tenant, as the log is.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import pg from "pg";
import type { EventData } from "../../src/evidence/events.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import { citusSql, TABLES } from "../../src/store/postgres/distribution.ts";
import { observeStatements } from "../../src/store/postgres/pool.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { PLANNED_FROM } from "../../src/store/postgres/row-kinds.ts";
import type { SharedStatement, SharedValue } from "../../src/store/shared-sql.ts";
import { STATE_TABLES } from "../../src/store/state-tables.ts";
import {
  type Measure,
  measure,
  partitionsOf as partitionsOfTexts,
  partitionTables,
  type Touched,
} from "../support/partitions.ts";
import { postgresReady, TEST_DATABASE_URL } from "../support/postgres.ts";
import { auditStateContract } from "./audit-contract.ts";
import { bulkRollbackContract, ev, storeContract } from "./contract.ts";

/** Statements that read a whole tenant over every partition, by nature: why each does. */
const FAN_OUTS: Readonly<Record<string, string>> = {
  tenants: "every tenant of the store, for the audit, sealing, signed heads and the keyring check",
  events_page:
    "a tenant's log in order (the audit, webhook deliveries, the dashboard): each event with its point's value, from the points of the events read",
  point_keys: "every key of a tenant: the suppression export and screening's index",
  registry_first: "one Bloctel snapshot's rows in key order: the audit recomputes its digest",
  registry_next: "one Bloctel snapshot's rows in key order: the audit recomputes its digest",
  registry_rows_first: "every Bloctel row of a tenant: screening's index",
  registry_rows_next: "every Bloctel row of a tenant: screening's index",
  retention_first: "every point of a tenant: the retention sweep",
  retention_next: "every point of a tenant: the retention sweep",
  ...Object.fromEntries(
    STATE_TABLES.filter((t) => TABLES[t.name] === "point").flatMap((t) => [
      [`state_${t.name}_first`, "every state row of a tenant: the audit's full check against the log"],
      [`state_${t.name}_next`, "every state row of a tenant: the audit's full check against the log"],
    ]),
  ),
};

/**
 * Statements whose keys come from a join or a subquery, not from a filter on the distribution
 * column: PostgreSQL prunes them row by row as it runs them, but their plan holds every partition,
 * as a router planning them would (Citus would send them to every shard). A statement whose keys
 * are all in its values filters on them beside its join (`point_key = ANY($n)`) and is routed;
 * these read keys their values do not hold, or join tables distributed on different columns.
 */
const JOINED: Readonly<Record<string, string>> = {
  events_of:
    "joins each event of the log, distributed by tenant, to its point in points, distributed by key: no one node holds both sides",
  evidence:
    "reads the person's other points too, whose keys it finds in subject_links as it runs (up to PERSON_HOPS links away)",
  evidence_one: "the same read for one key: the person's other points are found in subject_links as it runs",
  person_keys:
    "follows subject_links hop by hop: the keys of each hop after the first are the far ends of the one before",
};

interface Sent {
  readonly schema: string;
  readonly name: string;
  readonly text: string;
  readonly values: readonly unknown[];
}

test("docs/scale.md gives the calls that distribute the tables as declared", () => {
  const doc = readFileSync(new URL("../../docs/scale.md", import.meta.url), "utf8");
  assert.ok(doc.includes(citusSql().join("\n")), "docs/scale.md gives citusSql() as it is, in one block");
});

if (await postgresReady("the store on hash partitions: postgres", "test/store/partitioned.test.ts")) {
  const url = TEST_DATABASE_URL;
  const base = `vigie_part_${randomBytes(6).toString("hex")}`;
  // The contract, the audit's contract (which tampers with its own tenant), and an empty copy to
  // run again a write that the rows the suite left would refuse (an event's seq taken).
  const schemas = { contract: base, audit: `${base}_a`, empty: `${base}_e` };
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const migrated = new Set<string>();
  for (const schema of Object.values(schemas)) {
    await (await PostgresStore.open(url, { schema })).close();
    if (migrated.size === 0) {
      const r = await admin.query<{ relname: string }>(
        "SELECT relname FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r'",
        [schema],
      );
      for (const row of r.rows) migrated.add(row.relname);
    }
    await partitionTables(admin, schema);
  }
  after(async () => {
    observeStatements(undefined);
    for (const schema of Object.values(schemas)) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  // Each declared once, in one class (TABLES is a record).
  test("every table the migrations create is declared, and none other", () => {
    assert.deepEqual([...migrated].sort(), Object.keys(TABLES).sort());
  });

  const sent: Sent[] = [];
  let current = schemas.contract;
  observeStatements((name, text, values) => {
    sent.push({ schema: current, name, text, values });
  });
  const open = (schema: string) => () => {
    current = schema;
    return PostgresStore.open(url, { schema });
  };
  storeContract("postgres", open(schemas.contract));
  bulkRollbackContract("postgres", open(schemas.contract));
  auditStateContract("postgres", open(schemas.audit));

  test("the statements the contract does not send, sent once each", async () => {
    const store = await open(schemas.contract)();
    try {
      await sendTheOthers(store);
      const audited = await verifyAudit(store);
      assert.equal(audited.ok, true, JSON.stringify(audited.broken));
    } finally {
      await store.close();
    }
  });

  describe("each statement touches the partitions of the values it is given", () => {
    const clients = new Map<string, pg.Client>();
    after(async () => {
      for (const c of clients.values()) await c.end();
    });
    const on = async (schema: string): Promise<pg.Client> => {
      let c = clients.get(schema);
      if (c === undefined) {
        c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
        await c.connect();
        clients.set(schema, c);
      }
      return c;
    };

    test("routed, or a fan-out by nature", async (t) => {
      observeStatements(undefined);
      const byName = new Map<string, Sent[]>();
      const seen = new Set<string>();
      for (const s of sent) {
        const id = `${s.schema}\u0000${s.name}\u0000${JSON.stringify(s.values)}`;
        if (seen.has(id)) continue;
        seen.add(id);
        byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
      }
      const problems: string[] = [];
      const lines: string[] = [];
      const classes = new Map<string, string[]>();
      for (const [name, runs] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const verdict = await judge(name, runs, on, schemas.empty);
        if (verdict.problem !== undefined) problems.push(`${name}: ${verdict.problem}`);
        classes.set(verdict.kind, [...(classes.get(verdict.kind) ?? []), name]);
        lines.push(`${name} [${verdict.kind}] ${verdict.shown}`);
      }
      for (const line of lines) t.diagnostic(line);
      for (const [kind, names] of classes) t.diagnostic(`${kind}: ${names.length}`);
      const unseen = Object.keys({ ...FAN_OUTS, ...JOINED }).filter((n) => !byName.has(n));
      t.diagnostic(`declared, not sent by this suite: ${unseen.join(", ") || "none"}`);
      assert.deepEqual(problems, []);
    });
  });
}

/** The partitions of each table a run touches: its plan's, and its rows' for an INSERT's table. */
function partitionsOf(m: Measure): Touched {
  return new Map([...m.planned, ...m.rows]);
}

const widest = (x: Touched) => Math.max(0, ...[...x.values()].map((s) => s.size));

/** Whether every partition touched is one the values name. */
const within = (x: Touched, allowed: ReadonlySet<number>) =>
  [...x.values()].every((s) => [...s].every((i) => allowed.has(i)));

/**
 * How a statement's runs stand against its class, shown as `table partitions` per table. Each run
 * must touch only partitions its values name; the run touching most is run again given its
 * first row alone (the first element of each array), which must touch only that row's — so a
 * batch whose keys happen to cover every partition is not taken for routed. A declared fan-out
 * or join must fail that, or be taken off its list.
 */
async function judge(
  name: string,
  runs: readonly Sent[],
  on: (schema: string) => Promise<pg.Client>,
  empty: string,
): Promise<{ kind: string; shown: string; problem?: string }> {
  const measured: { run: Sent; m: Measure; allowed: Set<number> }[] = [];
  for (const run of runs) {
    const m = await measureSomewhere(run, on, empty);
    measured.push({ run, m, allowed: await allowedFor(run, await on(run.schema)) });
  }
  const most = measured.reduce((a, b) => (widest(partitionsOf(b.m)) > widest(partitionsOf(a.m)) ? b : a));
  const outside = measured.find(({ m, allowed }) => !within(partitionsOf(m), allowed));
  const one: Sent = {
    ...most.run,
    values: most.run.values.map((v) => (Array.isArray(v) ? v.slice(0, 1) : v)),
  };
  const single = await measureSomewhere(one, on, empty);
  const routed =
    outside === undefined && within(partitionsOf(single), await allowedFor(one, await on(one.schema)));
  const shown =
    widest(partitionsOf(most.m)) > 1 ? `${show(most.m)}; given one row: ${show(single)}` : show(most.m);
  const declared = FAN_OUTS[name] ?? JOINED[name];
  if (declared !== undefined) {
    const kind = name in FAN_OUTS ? "fan-out" : "key from a join";
    return routed
      ? {
          kind,
          shown,
          problem: `declared ${kind}, but touches only the partitions of its values: take it off the list`,
        }
      : { kind, shown: `${show(most.m)} — ${declared}` };
  }
  if (measured.every(({ m }) => partitionsOf(m).size === 0)) return { kind: "reference tables only", shown };
  if (!routed) {
    const at = outside ?? { run: one, m: single };
    return {
      kind: "fans out",
      shown,
      problem: `touches partitions its values do not name (${show(at.m)}), with ${JSON.stringify(at.run.values).slice(0, 300)}`,
    };
  }
  return { kind: widest(partitionsOf(most.m)) > 1 ? "routed by key" : "one partition", shown };
}

/** Measured where the suite ran it; a write the rows left there refuse, on the empty copy. */
async function measureSomewhere(
  run: Sent,
  on: (schema: string) => Promise<pg.Client>,
  empty: string,
): Promise<Measure> {
  try {
    return await measure(await on(run.schema), run.schema, run.text, run.values);
  } catch (e) {
    if ((e as { code?: string }).code !== "23505") throw e;
    return measure(await on(empty), empty, run.text, run.values);
  }
}

/** The partitions the values of a run name: those of each text given (a key, a tenant; others widen it a little). */
async function allowedFor(run: Sent, client: pg.Client): Promise<Set<number>> {
  const texts = run.values.flatMap((v) =>
    typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [],
  );
  return new Set((await partitionsOfTexts(client, texts)).values());
}

function show(m: Measure): string {
  const all = partitionsOf(m);
  if (all.size === 0) return "-";
  return [...all]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([t, parts]) => `${t} ${parts.size}${m.rows.has(t) ? " (rows)" : ""}`)
    .join(", ");
}

/** Each statement outside the store contract: shared state, webhooks, campaigns, links, the tree. */
async function sendTheOthers(store: PostgresStore): Promise<void> {
  const t = "others";
  const now = Date.parse("2025-06-01T00:00:00Z");
  const day = 86_400_000;
  await store.append([
    ev("k:other-a", { type: "notice.sent" }, now, { tenant: t }),
    ev("k:other-b", { type: "subject.linked", with: "k:other-a" }, now, { tenant: t }),
  ]);
  // Personal data for keys the log holds: the points are looked up, all in one statement.
  const pii = { ip: "192.0.2.1" };
  await store.append(
    Array.from({ length: 16 }, (_, i) =>
      ev(`k:other-${i}`, { type: "notice.sent" }, now, { tenant: t, pii }),
    ),
  );
  assert.deepEqual(await store.personKeys(t, ["k:other-b"]), ["k:other-a"]);
  assert.equal((await store.evidenceMany(t, [["k:other-a"], ["k:other-b"]])).length, 2);
  // Consents, withdrawals and erasures of many points, a batch each: one statement a kind, filtered
  // on the batch's keys, which must touch their partitions only — planned for its values, from
  // PLANNED_FROM keys (the contract's batches of these are smaller, and prepared).
  const many = Array.from({ length: PLANNED_FROM }, (_, i) => `k:other-${i}`);
  const batch = (data: EventData, at: number) =>
    store.append(many.map((k) => ev(k, data, at, { tenant: t })));
  await batch(
    {
      type: "consent.given",
      consent: { channel: "sms", method: "double_opt_in", scope: "standard", proof: true },
    },
    now,
  );
  await batch({ type: "consent.withdrawn", channel: "sms" }, now + day);
  assert.equal((await store.evidence(t, [many[1] as string])).consents[0]?.withdrawnAt, now + day);
  await batch({ type: "subject.erased", pointType: "phone", reason: "request" }, now + 2 * day);
  const erased = await store.evidence(t, [many[1] as string]);
  assert.deepEqual([erased.point?.erasedAt, erased.consents], [now + 2 * day, []]);
  const head = await store.chainHead(t);
  assert.ok(head !== null);
  assert.equal(await store.sealTree(t, head, new Uint8Array(), []), false, "a head already sealed");
  await store.treeNodes(t, 0, 0, 4);
  await store.treeNodeCount(t);
  await store.scrub();

  await store.addWebhook(t, {
    id: "wh",
    url: "https://hooks.example/",
    events: ["objection.recorded"],
    personalData: false,
    secret: "whsec_x",
    createdAt: now,
    fromSeq: 0,
  });
  assert.equal((await store.webhooks(t)).length, 1);
  const dead = { seq: 1, failedAt: now, attempts: 5, error: "410" };
  const progress = { deliveredSeq: 1, attempts: 0, nextAttemptAt: null, lastError: null };
  assert.equal(await store.moveWebhook(t, "wh", 0, progress, dead), true);
  assert.equal((await store.deadLetters(t, "wh")).length, 1);
  await store.clearDeadLetters(t, "wh");
  assert.equal(await store.removeWebhook(t, "wh"), true);
  await store.addCampaign(t, { id: "c", createdAt: "2025-06-01T00:00:00.000Z", body: {} });
  assert.equal((await store.campaigns(t)).length, 1);

  const id = "a".repeat(64);
  const key = "k:other-a";
  // Typed over every shared statement: one added to src/store/shared-sql.ts must be sent here.
  const shared = {
    pendingAdd: [t, id, "sms", key, "+33600000000", "{}", now, now + day, "c".repeat(64)],
    pendingSweep: [t, now - day],
    pendingLink: [t, id, now],
    pendingCode: [t, key, now],
    pendingTake: [t, id, now],
    pendingDropCodes: [t, key],
    pendingRemove: [t, id],
    sessionOpen: [t, id, "dpo", "2025-06-01T00:00:00.000Z", "csrf", now + day],
    sessionGet: [t, id, now],
    sessionTouch: [now + 2 * day, t, id],
    sessionClose: [t, id],
    sessionSweep: [t, now],
    processSeen: [t, "p1", now],
    processesAlive: [t, now - 6000],
    processSweep: [t, now - day],
    processGone: [t, "p1"],
    keyAdd: [t, "key1", id, "2025-06-01T00:00:00.000Z", "{}"],
    keysAll: [t],
    keyUpdate: ["{}", t, "key1"],
    wrongCode: [t, key, now, 900_000],
    wrongCodeLock: [now + 900_000, t, key],
    wrongCodeLocked: [t, key],
    wrongCodesForget: [t, key],
    bucketTake: [t, "opt-in", key, 4_000_000, now, 1000, 5_000_000],
    bucketPeek: [t, "opt-in", key],
    bucketSweep: [t, "opt-in", now - day],
    signInFailed: [t, "dpo", "192.0.2.1", now, 3_600_000],
    signInLock: [now + 60_000, t, "dpo", "192.0.2.1"],
    signInPair: [t, "dpo", "192.0.2.1"],
    signInForget: [t, "dpo", "192.0.2.1"],
    signInSweep: [t, now - day],
    userAdd: [t, "dpo", "2025-06-01T00:00:00.000Z", "{}"],
    userGet: [t, "dpo"],
    usersAll: [t],
    userRemove: [t, "dpo"],
  } satisfies Record<SharedStatement, SharedValue[]>;
  for (const [statement, values] of Object.entries(shared)) {
    await store.shared(statement as SharedStatement, values);
  }
}
