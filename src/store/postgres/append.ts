// The append path. Appends from several connections (or processes) are serialized per tenant by
// locking the tenant's chain head row, so each chain stays one line with no gap. A batch is planned
// in memory (src/evidence/append-plan.ts) from the store as it is once that lock is held, then written
// (write-plan.ts), and the heads move to the batch's last events.
import {
  type AppendState,
  appendState,
  type HeldPoint,
  lookupsFor,
  planAppend,
} from "../../evidence/append-plan.ts";
import { eventIdOf, GENESIS_HASH, type NewEvent } from "../../evidence/events.ts";
import type { AppendResult, ChainHead, TreeNodeRow } from "../store.ts";
import { type Queryable, run } from "./pool.ts";
import { StatementQueue } from "./statement-queue.ts";
import { writePlan } from "./write-plan.ts";

/** Locks the chain head of each tenant, in one order (no deadlock between two batches). */
async function lockHeads(c: Queryable, tenants: readonly string[]): Promise<Map<string, ChainHead>> {
  const heads = new Map<string, ChainHead>();
  for (const tenant of [...tenants].sort()) {
    for (let attempt = 1; ; attempt++) {
      const r = await run(
        c,
        "head_lock",
        "SELECT seq, hash, tree FROM chain_head WHERE tenant = $1 FOR UPDATE",
        [tenant],
      );
      const head = r.rows[0] as ChainHead | undefined;
      if (head !== undefined) {
        heads.set(tenant, head);
        break;
      }
      // A tenant's first batch creates its head row (seq 0) to have something to lock, then
      // locks it; a concurrent first batch waits on that insert. A head removed meanwhile, by a
      // first batch that appended nothing, is created again.
      if (attempt === 10) throw new Error(`could not lock the chain head of tenant ${tenant}`);
      await run(
        c,
        "head_create",
        "INSERT INTO chain_head (tenant, seq, hash, tree) VALUES ($1, 0, $2, ''::bytea) ON CONFLICT (tenant) DO NOTHING",
        [tenant, GENESIS_HASH],
      );
    }
  }
  return heads;
}

/** What the planner needs to know of the store, read once the heads are locked: one query per tenant and lookup. */
async function stateFor(
  c: Queryable,
  events: readonly NewEvent[],
  eventIds: readonly string[],
  heads: ReadonlyMap<string, ChainHead>,
): Promise<AppendState> {
  const head = (tenant: string): ChainHead | null => {
    const h = heads.get(tenant);
    return h === undefined || h.seq === 0 ? null : h;
  };
  const asked = lookupsFor(events, eventIds, (tenant) => head(tenant) !== null);
  const existing = new Map<string, Set<string>>();
  const points = new Map<string, Map<string, HeldPoint>>();
  for (const [tenant, list] of asked.eventIds) {
    const r = await run(
      c,
      "existing_ids",
      "SELECT event_id FROM events WHERE tenant = $1 AND event_id = ANY($2::text[])",
      [tenant, list],
    );
    existing.set(tenant, new Set((r.rows as { event_id: string }[]).map((row) => row.event_id)));
  }
  for (const [tenant, keys] of asked.pointKeys) {
    const r = await run(
      c,
      "held_points",
      "SELECT point_key, value, erased_at FROM points WHERE tenant = $1 AND point_key = ANY($2::text[])",
      [tenant, keys],
    );
    const rows = r.rows as { point_key: string; value: string | null; erased_at: string | number | null }[];
    points.set(
      tenant,
      new Map(
        rows.map((row) => [
          row.point_key,
          { value: row.value, erasedAt: row.erased_at === null ? null : Number(row.erased_at) },
        ]),
      ),
    );
  }
  return appendState(head, { existing, points });
}

/**
 * Stores tree nodes, one statement a tenant. Planned from the frontier: a conflict means the
 * stored tree and the head disagree, and the batch is refused.
 */
export async function insertNodes(
  c: Queryable,
  nodes: readonly (TreeNodeRow & { readonly tenant: string })[],
): Promise<void> {
  if (nodes.length === 0) return;
  await run(
    c,
    "tree_nodes_insert",
    `INSERT INTO merkle_nodes (tenant, level, idx, hash)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bytea[])`,
    [
      nodes.map((n) => n.tenant),
      nodes.map((n) => n.level),
      nodes.map((n) => n.idx),
      nodes.map((n) => n.hash),
    ],
  );
}

/** Appends a batch inside the transaction of `c` (null: an empty batch, which touches nothing). */
export async function appendOn(c: Queryable | null, events: readonly NewEvent[]): Promise<AppendResult> {
  if (c === null || events.length === 0) return { appended: 0, seqs: [], duplicates: 0, suppressed: [] };
  const { result, written } = await appendQueued(
    c instanceof StatementQueue ? c : new StatementQueue(c),
    events,
  );
  await written;
  return result;
}

/**
 * Plans a batch and queues its writes on `c` without waiting for them: `result` is known once
 * planned, `written` settles when PostgreSQL has run them. An import builds its next batch
 * meanwhile; its next statements on `c` queue behind these writes, so they read what they wrote.
 */
export async function appendQueued(
  c: StatementQueue,
  events: readonly NewEvent[],
): Promise<{ result: AppendResult; written: Promise<void> }> {
  const tenants = [...new Set(events.map((e) => e.tenant))];
  const locked = await lockHeads(c, tenants);
  const eventIds = events.map(eventIdOf);
  const state = await stateFor(c, events, eventIds, locked);
  const plan = planAppend(events, state, Date.now(), eventIds);
  const writes: Promise<unknown>[] = [writePlan(c, plan), insertNodes(c, plan.nodes)];
  for (const tenant of tenants) {
    const head = plan.heads.get(tenant);
    if (head !== undefined) {
      writes.push(
        run(c, "head_set", "UPDATE chain_head SET seq = $2, hash = $3, tree = $4 WHERE tenant = $1", [
          tenant,
          head.seq,
          head.hash,
          head.tree,
        ]),
      );
    } else if (locked.get(tenant)?.seq === 0) {
      // Created to be locked, and nothing was appended: a tenant has a head once it has a log.
      writes.push(run(c, "head_drop", "DELETE FROM chain_head WHERE tenant = $1 AND seq = 0", [tenant]));
    }
  }
  return { result: plan.result, written: Promise.all(writes).then(() => {}) };
}
