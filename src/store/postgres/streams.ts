// The streaming reads: the log, the point keys, the registry rows, the retention candidates and
// the state tables, read a page at a time (keyset paging), so memory stays flat whatever the tenant's size.
import type pg from "pg";
import type { StoredEvent } from "../../evidence/events.ts";
import { type EventRow, eventFromRow, type RetentionRow, retentionFromRow } from "../rows.ts";
import { type Cell, columnsOf, STATE_TABLES, type StateRow, stateRowOf } from "../state-tables.ts";
import type { RegistryEntry, RetentionCandidate, SnapshotRow } from "../store.ts";
import { EVENTS_WITH_PII } from "./event-rows.ts";
import { run } from "./pool.ts";

/** Rows read per query by the streaming reads. */
const PAGE = 5000;

/**
 * The rows of the pages `read(after)` returns, each mapped: the first page reads after `first`,
 * the next after the cursor of the last row read; a page of fewer than `PAGE` rows is the last.
 */
async function* paged<R, T, C>(query: {
  readonly first: C;
  readonly read: (after: C) => Promise<pg.QueryResult>;
  readonly next: (last: R) => C;
  readonly map: (row: R) => T;
}): AsyncGenerator<T> {
  let after = query.first;
  for (;;) {
    const rows = (await query.read(after)).rows as R[];
    for (const row of rows) yield query.map(row);
    if (rows.length < PAGE) return;
    after = query.next(rows[rows.length - 1] as R);
  }
}

/** Pages of the log by sequence number. */
export function events(pool: pg.Pool, tenant: string, fromSeq: number): AsyncGenerator<StoredEvent> {
  return paged({
    first: fromSeq,
    read: (next: number) =>
      run(
        pool,
        "events_page",
        `${EVENTS_WITH_PII} WHERE e.tenant = $1 AND e.seq >= $2 ORDER BY e.seq LIMIT $3`,
        [tenant, next, PAGE],
      ),
    next: (last: EventRow) => Number(last.seq) + 1,
    map: (row: EventRow) => eventFromRow(row),
  });
}

/** Pages of distinct keys, read from the index on (tenant, point_key). */
export function pointKeys(pool: pg.Pool, tenant: string): AsyncGenerator<string> {
  return paged({
    first: "", // the registry snapshots' events have the empty key
    read: (after: string) =>
      run(
        pool,
        "point_keys",
        // A point linked to another has evidence through it, events or not (Evidence.person).
        // Each side is limited on its own, so each reads its index in order and stops after a
        // page: a UNION limited as a whole scanned and sorted every key after the cursor, each
        // page (1.3 s a page of 1.3 M events, against 0.05 s).
        `SELECT point_key FROM (
           (SELECT DISTINCT point_key FROM events WHERE tenant = $1 AND point_key > $2
            ORDER BY point_key LIMIT $3)
           UNION ALL
           (SELECT DISTINCT point_key FROM subject_links WHERE tenant = $1 AND point_key > $2
            ORDER BY point_key LIMIT $3)
         ) k GROUP BY point_key ORDER BY point_key LIMIT $3`,
        [tenant, after, PAGE],
      ),
    next: (last: { point_key: string }) => last.point_key,
    map: (row: { point_key: string }) => row.point_key,
  });
}

/** A row of registry_entries, as both registry reads select it. */
interface EntryRow {
  point_key: string;
  registered: boolean;
  registered_at: number | null;
  effective_at: number | null;
}

const entryFromRow = (row: EntryRow): RegistryEntry => ({
  pointKey: row.point_key,
  registered: row.registered,
  registeredAt: row.registered_at,
  effectiveAt: row.effective_at,
});

/** Pages of the rows of one snapshot by point key (the order of their digest). */
export function registryEntries(
  pool: pg.Pool,
  tenant: string,
  snapshotSeq: number,
): AsyncGenerator<RegistryEntry> {
  const columns = "point_key, registered, registered_at, effective_at";
  return paged({
    first: null,
    read: (after: string | null) =>
      after === null
        ? run(
            pool,
            "registry_first",
            `SELECT ${columns} FROM registry_entries WHERE tenant = $1 AND snapshot_seq = $2
                     ORDER BY point_key LIMIT $3`,
            [tenant, snapshotSeq, PAGE],
          )
        : run(
            pool,
            "registry_next",
            `SELECT ${columns} FROM registry_entries WHERE tenant = $1 AND snapshot_seq = $2 AND point_key > $4
                     ORDER BY point_key LIMIT $3`,
            [tenant, snapshotSeq, PAGE, after],
          ),
    next: (last: EntryRow) => last.point_key,
    map: entryFromRow,
  });
}

/** Pages of a tenant's registry rows by primary key. */
export function registryRows(pool: pg.Pool, tenant: string): AsyncGenerator<SnapshotRow> {
  const columns = "point_key, snapshot_seq, registered, registered_at, effective_at";
  type Cursor = { point_key: string; snapshot_seq: number };
  return paged({
    first: null,
    read: (after: Cursor | null) =>
      after === null
        ? run(
            pool,
            "registry_rows_first",
            `SELECT ${columns} FROM registry_entries WHERE tenant = $1
                     ORDER BY point_key, snapshot_seq LIMIT $2`,
            [tenant, PAGE],
          )
        : run(
            pool,
            "registry_rows_next",
            `SELECT ${columns} FROM registry_entries WHERE tenant = $1 AND (point_key, snapshot_seq) > ($3, $4)
                     ORDER BY point_key, snapshot_seq LIMIT $2`,
            [tenant, PAGE, after.point_key, after.snapshot_seq],
          ),
    next: (last: EntryRow & Cursor): Cursor | null => last,
    // Not `{ ...entryFromRow(row), snapshotSeq }`: a second object a row (a tenant can hold
    // millions), and the fields would come in another order than SQLite's.
    map: (row: EntryRow & Cursor): SnapshotRow => ({
      pointKey: row.point_key,
      snapshotSeq: row.snapshot_seq,
      registered: row.registered,
      registeredAt: row.registered_at,
      effectiveAt: row.effective_at,
    }),
  });
}

const RETENTION_SQL = `
  SELECT p.point_key,
    (SELECT MAX(collected_at) FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key) AS last_collected_at,
    (SELECT MAX(last_inbound_at) FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key) AS last_inbound_at,
    (SELECT MAX(customer_until) FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key) AS customer_until,
    (SELECT relationship FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key ORDER BY seq DESC LIMIT 1) AS relationship,
    (SELECT MAX(at) FROM objections o WHERE o.tenant = p.tenant AND o.point_key = p.point_key) AS last_objection_at
  FROM points p WHERE p.tenant = $1 AND p.erased_at IS NULL`;

/** Pages of points by key. */
export function retentionCandidates(pool: pg.Pool, tenant: string): AsyncGenerator<RetentionCandidate> {
  return paged({
    first: null,
    read: (after: string | null) =>
      after === null
        ? run(pool, "retention_first", `${RETENTION_SQL} ORDER BY p.point_key LIMIT $2`, [tenant, PAGE])
        : run(pool, "retention_next", `${RETENTION_SQL} AND p.point_key > $3 ORDER BY p.point_key LIMIT $2`, [
            tenant,
            PAGE,
            after,
          ]),
    next: (last: RetentionRow) => last.point_key,
    map: (row: RetentionRow) => retentionFromRow(row),
  });
}

/** Each state table of a tenant in key order, paged by its primary key. */
export async function* stateRows(pool: pg.Pool, tenant: string): AsyncGenerator<StateRow> {
  for (const t of STATE_TABLES) {
    const columns = columnsOf(t).map(([c]) => c);
    const key = t.key.map(([c]) => c);
    const select = `SELECT ${t.distinct ? "DISTINCT " : ""}${columns.join(", ")} FROM ${t.name} WHERE tenant = $1`;
    const order = `ORDER BY ${key.join(", ")} LIMIT ${PAGE}`;
    const after = `(${key.join(", ")}) > (${key.map((_, i) => `$${i + 2}`).join(", ")})`;
    yield* paged({
      first: null,
      read: (last: readonly Cell[] | null) =>
        last === null
          ? run(pool, `state_${t.name}_first`, `${select} ${order}`, [tenant])
          : run(pool, `state_${t.name}_next`, `${select} AND ${after} ${order}`, [tenant, ...last]),
      next: (row: Record<string, unknown>): readonly Cell[] | null => key.map((c) => row[c] as Cell),
      map: (row: Record<string, unknown>) =>
        stateRowOf(
          t,
          columns.map((c) => row[c]),
        ),
    });
  }
}
