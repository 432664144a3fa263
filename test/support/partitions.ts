// Citus's shards stood in for by hash partitions on plain PostgreSQL: each distributed table of
// src/store/postgres/distribution.ts becomes PARTITION BY HASH on its column, and a statement is
// run to see which partitions it touches.
import type pg from "pg";
import { DISTRIBUTION_COLUMN, TABLES, type Table } from "../../src/store/postgres/distribution.ts";

const PARTITIONS = 8;

/** The distributed tables, and the partition `<table>_p<remainder>` of each. */
const DISTRIBUTED = (Object.keys(TABLES) as Table[]).filter((t) => TABLES[t] !== "reference");
const PARTITION_NAME = /^(.+)_p(\d+)$/;

/**
 * Turns each distributed table of `schema` into a table of the same columns, key and indexes
 * (under the same names), hash-partitioned on its distribution column, its rows kept.
 */
export async function partitionTables(client: pg.Client, schema: string): Promise<void> {
  await client.query("BEGIN");
  try {
    for (const table of DISTRIBUTED) {
      const name = `${schema}.${table}`;
      const keys = await client.query<{ conname: string; def: string }>(
        "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype IN ('p', 'u')",
        [name],
      );
      const indexes = await client.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2
           AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = $3::regclass)`,
        [schema, table, name],
      );
      const column = DISTRIBUTION_COLUMN[TABLES[table] as "point" | "tenant"];
      await client.query(`ALTER TABLE ${name} RENAME TO ${table}_whole`);
      // LIKE copies the columns, their types, collations (COLLATE "C") and NOT NULLs.
      await client.query(`CREATE TABLE ${name} (LIKE ${name}_whole) PARTITION BY HASH (${column})`);
      for (let i = 0; i < PARTITIONS; i++) {
        await client.query(
          `CREATE TABLE ${name}_p${i} PARTITION OF ${name} FOR VALUES WITH (MODULUS ${PARTITIONS}, REMAINDER ${i})`,
        );
      }
      await client.query(`INSERT INTO ${name} SELECT * FROM ${name}_whole`);
      await client.query(`DROP TABLE ${name}_whole`);
      for (const k of keys.rows)
        await client.query(`ALTER TABLE ${name} ADD CONSTRAINT ${k.conname} ${k.def}`);
      for (const i of indexes.rows) await client.query(i.indexdef);
    }
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK");
    throw e;
  }
}

/** Partitions of each distributed table, by remainder. */
export type Touched = Map<Table, Set<number>>;

/** The partitions one run of a statement touches, as a router would know them before running it. */
export interface Measure {
  /** Those its plan holds once pruned with the values given (plan-time pruning). */
  readonly planned: Touched;
  /**
   * Those an INSERT's rows went to, or were checked against (ON CONFLICT), for the tables its
   * plan does not show: a row is routed to its partition as it comes.
   */
  readonly rows: Touched;
}

function add(into: Touched, relation: string): void {
  const m = PARTITION_NAME.exec(relation);
  const table = m?.[1] as Table | undefined;
  if (m === null || table === undefined || !DISTRIBUTED.includes(table)) return;
  into.set(table, (into.get(table) ?? new Set()).add(Number(m[2])));
}

type Counts = Map<string, number>;

async function counts(client: pg.Client, schema: string): Promise<Counts> {
  const r = await client.query<{ relname: string; n: string }>(
    `SELECT relname, (seq_scan + coalesce(idx_scan, 0) + n_tup_ins + n_tup_upd + n_tup_del)::text AS n
     FROM pg_stat_xact_user_tables WHERE schemaname = $1`,
    [schema],
  );
  return new Map(r.rows.map((row) => [row.relname, Number(row.n)]));
}

interface PlanNode {
  readonly "Relation Name"?: string;
  readonly Plans?: readonly PlanNode[];
}

function planned(node: PlanNode, into: Touched): void {
  if (node["Relation Name"] !== undefined) add(into, node["Relation Name"]);
  for (const child of node.Plans ?? []) planned(child, into);
}

/**
 * Runs `text` with `values` under EXPLAIN ANALYZE on `client` (its search_path the partitioned
 * schema), in a transaction rolled back: the store is left as it was. The plan is a custom one,
 * pruned with the values given, as a router would prune it; partitions that PostgreSQL alone
 * prunes at run time (a key read from a join or a subquery) stay in it. An INSERT's rows are
 * counted by the statistics of the transaction, read before and after the run within it, where
 * the server does not report them meanwhile.
 */
export async function measure(
  client: pg.Client,
  schema: string,
  text: string,
  values: readonly unknown[],
): Promise<Measure> {
  await client.query("BEGIN");
  try {
    await client.query("SET LOCAL plan_cache_mode = force_custom_plan");
    const before = await counts(client, schema);
    const r = await client.query<{ "QUERY PLAN": { Plan: PlanNode }[] }>({
      text: `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
      values: [...values],
    });
    const after = await counts(client, schema);
    const plan: Touched = new Map();
    for (const p of r.rows[0]?.["QUERY PLAN"] ?? []) planned(p.Plan, plan);
    const touched: Touched = new Map();
    for (const [relation, n] of after) if (n > (before.get(relation) ?? 0)) add(touched, relation);
    for (const table of plan.keys()) touched.delete(table);
    return { planned: plan, rows: touched };
  } finally {
    await client.query("ROLLBACK");
  }
}

/** The partition each text holds, were it a distribution column's value (one hash for all tables). */
export async function partitionsOf(
  client: pg.Client,
  texts: readonly string[],
): Promise<Map<string, number>> {
  const r = await client.query<{ v: string; i: number }>(
    `SELECT v, i FROM unnest($1::text[]) AS v, generate_series(0, ${PARTITIONS - 1}) AS i
     WHERE satisfies_hash_partition('points'::regclass, ${PARTITIONS}, i, v)`,
    [[...new Set(texts)]],
  );
  return new Map(r.rows.map((row) => [row.v, row.i]));
}
