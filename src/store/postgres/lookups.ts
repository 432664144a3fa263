// The reads of one query each: a point's events, a chain head, the tenants, an import, the
// registry snapshots of a tenant.
import type pg from "pg";
import type { StoredEvent } from "../../evidence/events.ts";
import { type EventRow, eventFromRow, hex, type ImportRow, importFromRow } from "../rows.ts";
import { TENANTS_SQL } from "../state-tables.ts";
import type { ChainHead, ImportRecord, RegistrySnapshot } from "../store.ts";
import { EVENTS_WITH_PII } from "./event-rows.ts";
import { run } from "./pool.ts";

export async function eventsOf(
  pool: pg.Pool,
  tenant: string,
  keys: readonly string[],
): Promise<StoredEvent[]> {
  const r = await run(
    pool,
    "events_of",
    `${EVENTS_WITH_PII} WHERE e.tenant = $1 AND e.point_key = ANY($2::text[]) ORDER BY e.seq`,
    [tenant, keys],
  );
  return (r.rows as EventRow[]).map((row) => eventFromRow(row));
}

export async function chainHead(pool: pg.Pool, tenant: string): Promise<ChainHead | null> {
  const r = await run(pool, "chain_head", "SELECT seq, hash, tree FROM chain_head WHERE tenant = $1", [
    tenant,
  ]);
  return (r.rows[0] as ChainHead | undefined) ?? null;
}

export async function eventHashes(
  pool: pg.Pool,
  tenant: string,
  fromSeq: number,
  toSeq: number,
): Promise<string[]> {
  const r = await run(
    pool,
    "event_hashes",
    "SELECT hash FROM events WHERE tenant = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq",
    [tenant, fromSeq, toSeq],
  );
  return (r.rows as { hash: Buffer }[]).map((row) => hex(row.hash));
}

export async function treeNodes(
  pool: pg.Pool,
  tenant: string,
  level: number,
  from: number,
  to: number,
): Promise<Uint8Array[]> {
  const r = await run(
    pool,
    "tree_nodes",
    "SELECT hash FROM merkle_nodes WHERE tenant = $1 AND level = $2 AND idx >= $3 AND idx < $4 ORDER BY idx",
    [tenant, level, from, to],
  );
  return (r.rows as { hash: Uint8Array }[]).map((row) => row.hash);
}

export async function treeNodeCount(pool: pg.Pool, tenant: string): Promise<number> {
  const r = await run(
    pool,
    "tree_node_count",
    "SELECT count(*)::int AS n FROM merkle_nodes WHERE tenant = $1",
    [tenant],
  );
  return (r.rows[0] as { n: number }).n;
}

export async function tenants(pool: pg.Pool): Promise<string[]> {
  const r = await run(pool, "tenants", TENANTS_SQL, []);
  return (r.rows as { tenant: string }[]).map((row) => row.tenant);
}

export async function findImport(
  pool: pg.Pool,
  tenant: string,
  kind: string,
  fileSha256: string,
): Promise<ImportRecord | null> {
  const r = await run(
    pool,
    "find_import",
    "SELECT kind, file_sha256, imported_at, summary FROM imports WHERE tenant = $1 AND kind = $2 AND file_sha256 = $3",
    [tenant, kind, fileSha256],
  );
  const row = r.rows[0] as ImportRow | undefined;
  return row === undefined ? null : importFromRow(row);
}

export async function registrySnapshots(pool: pg.Pool, tenant: string): Promise<RegistrySnapshot[]> {
  const r = await run(
    pool,
    "registry_snapshots",
    "SELECT seq, checked_at, complete FROM registry_snapshots WHERE tenant = $1 ORDER BY checked_at, seq",
    [tenant],
  );
  return (r.rows as { seq: number; checked_at: number; complete: boolean }[]).map((row) => ({
    seq: row.seq,
    checkedAt: row.checked_at,
    complete: row.complete,
  }));
}
