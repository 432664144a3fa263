// The append path. Appends from several connections (or processes) are serialized per tenant by
// locking the tenant's chain head row, so each chain stays one line with no gap. A batch is planned
// in memory (src/evidence/append-plan.ts) from the store as it is once that lock is held, then written
// (write-plan.ts), and the heads move to the batch's last events.
import {
  type AppendPlan,
  type AppendState,
  appendState,
  type HeldPoint,
  lookupsFor,
  type PlanCarry,
  planAppend,
} from "../../evidence/append-plan.ts";
import { eventIdOf, GENESIS_HASH, type NewEvent } from "../../evidence/events.ts";
import { bytes } from "../rows.ts";
import type { AppendResult, ChainHead, TreeNodeRow } from "../store.ts";
import { type Queryable, run } from "./pool.ts";
import type { Part } from "./row-kinds.ts";
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

/**
 * What a batch asks of the store once its heads are locked, in one statement a tenant: which of
 * its events the log holds — found by point key and event id, through the one index of a point's
 * events (schema 24) — and the value and erasure of the points it adds personal data to.
 * `events` is the SQL of the [point key, event id] pairs, `keys` what a point key is compared with.
 */
const heldSql = (events: string, keys: string): string =>
  `SELECT encode(e.event_id, 'hex') AS key, true AS event, NULL AS value, NULL::bigint AS erased_at
    FROM ${events}
  UNION ALL
  SELECT point_key, false, value, erased_at FROM points WHERE tenant = $1 AND point_key ${keys}`;

const HELD = heldSql(
  "unnest($2::text[], $3::bytea[]) AS u (point_key, event_id) JOIN events e ON e.tenant = $1 AND e.point_key = u.point_key AND e.event_id = u.event_id",
  "= ANY($4::text[])",
);

/**
 * The same for one event (a request's append), with scalar parameters: the prepared statement
 * keeps a generic plan, where an array has it planned again at every call.
 */
const HELD_ONE = heldSql(
  "events e WHERE e.tenant = $1 AND e.point_key = $2 AND e.event_id = $3::bytea",
  "= $4",
);

interface HeldRow {
  readonly key: string;
  readonly event: boolean;
  readonly value: string | null;
  readonly erased_at: string | number | null;
}

/** What the planner needs to know of the store, read once the heads are locked. */
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
  for (const [tenant, asking] of asked.events) {
    const keys = asked.pointKeys.get(tenant) ?? [];
    const [only] = asking;
    const r = await (asking.length === 1 && only !== undefined && keys.length <= 1
      ? run(c, "held_one", HELD_ONE, [tenant, only[0], bytes(only[1]), keys[0] ?? null])
      : run(c, "held", HELD, [tenant, asking.map((a) => a[0]), asking.map((a) => bytes(a[1])), keys]));
    const found = new Set<string>();
    const held = new Map<string, HeldPoint>();
    for (const row of r.rows as HeldRow[]) {
      if (row.event) found.add(row.key);
      else
        held.set(row.key, {
          value: row.value,
          erasedAt: row.erased_at === null ? null : Number(row.erased_at),
        });
    }
    existing.set(tenant, found);
    points.set(tenant, held);
  }
  return appendState(head, { existing, points });
}

/**
 * The statement storing tree nodes. Planned from the frontier: a conflict means the stored tree
 * and the head disagree, and the batch is refused.
 */
export function nodesPart(nodes: readonly (TreeNodeRow & { readonly tenant: string })[]): Part {
  return {
    name: "tree_nodes_insert",
    text: `INSERT INTO merkle_nodes (tenant, level, idx, hash)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bytea[])`,
    values: [
      nodes.map((n) => n.tenant),
      nodes.map((n) => n.level),
      nodes.map((n) => n.idx),
      nodes.map((n) => n.hash),
    ],
    tables: ["merkle_nodes"],
    planned: false,
  };
}

/** Stores tree nodes, one statement for all tenants. */
export async function insertNodes(
  c: Queryable,
  nodes: readonly (TreeNodeRow & { readonly tenant: string })[],
): Promise<void> {
  if (nodes.length === 0) return;
  const { name, text, values } = nodesPart(nodes);
  await run(c, name, text, values);
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
async function appendQueued(
  c: StatementQueue,
  events: readonly NewEvent[],
): Promise<{ result: AppendResult; written: Promise<void> }> {
  const tenants = [...new Set(events.map((e) => e.tenant))];
  // Hashed before the lock is taken: every other writer of the tenant waits while it is held.
  const eventIds = events.map(eventIdOf);
  const locked = await lockHeads(c, tenants);
  const state = await stateFor(c, events, eventIds, locked);
  const plan = planAppend(events, state, Date.now(), eventIds);
  const after = afterParts(plan);
  for (const tenant of tenants) {
    if (!plan.heads.has(tenant) && locked.get(tenant)?.seq === 0) after.push(headDrop(tenant));
  }
  const written = writePlan(c, plan, after);
  return { result: plan.result, written };
}

/** What a batch writes after its events: the tree nodes it completes, and its tenants' heads. */
function afterParts(plan: AppendPlan): Part[] {
  const after: Part[] = plan.nodes.length === 0 ? [] : [nodesPart(plan.nodes)];
  for (const [tenant, head] of plan.heads) {
    after.push({
      name: "head_set",
      text: "UPDATE chain_head SET seq = $2, hash = $3, tree = $4 WHERE tenant = $1",
      values: [tenant, head.seq, head.hash, head.tree],
      tables: ["chain_head"],
      planned: false,
    });
  }
  return after;
}

/** A head created to be locked, when nothing was appended: a tenant has a head once it has a log. */
function headDrop(tenant: string): Part {
  return {
    name: "head_drop",
    text: "DELETE FROM chain_head WHERE tenant = $1 AND seq = 0",
    values: [tenant],
    tables: ["chain_head"],
    planned: false,
  };
}

/**
 * The appends of one bulk transaction, pipelined: each batch is planned while PostgreSQL writes
 * the one before. A planned batch's writes are held back until the next batch's lookups are
 * queued, so that those never wait for them; the next batch is then planned with the held batch's
 * rows in memory (append-plan.ts `PlanCarry`) and the heads it leaves. A tenant's head stays
 * locked from its first batch to the commit, so nobody else's rows come between.
 */
export class PipelinedAppends {
  readonly #c: StatementQueue;
  /** Heads as this transaction locked them. */
  readonly #locked = new Map<string, ChainHead>();
  /** Heads as the batches planned so far leave them. */
  readonly #planned = new Map<string, ChainHead>();
  #carry: PlanCarry | undefined;
  #held: { readonly plan: AppendPlan; readonly after: Part[] } | null = null;
  /** Called with each write sent (settling when PostgreSQL has run it). */
  readonly #sent: (written: Promise<void>) => void;

  constructor(c: StatementQueue, sent: (written: Promise<void>) => void) {
    this.#c = c;
    this.#sent = sent;
  }

  async append(events: readonly NewEvent[]): Promise<AppendResult> {
    if (events.length === 0) return appendOn(null, events);
    const tenants = [...new Set(events.map((e) => e.tenant))];
    // Hashed before the lock is taken: every other writer of the tenant waits while it is held.
    const eventIds = events.map(eventIdOf);
    const unlocked = tenants.filter((t) => !this.#locked.has(t));
    if (unlocked.length > 0) {
      // A tenant's first batch here: its head is locked after everything queued before.
      this.send();
      for (const [tenant, head] of await lockHeads(this.#c, unlocked)) this.#locked.set(tenant, head);
    }
    const heads = new Map(
      tenants.map((t) => [t, this.#planned.get(t) ?? (this.#locked.get(t) as ChainHead)]),
    );
    const lookups = stateFor(this.#c, events, eventIds, heads);
    this.send();
    const plan = planAppend(events, await lookups, Date.now(), eventIds, this.#carry);
    this.#carry = plan.carry;
    for (const [tenant, head] of plan.heads) this.#planned.set(tenant, head);
    this.#held = { plan, after: afterParts(plan) };
    return plan.result;
  }

  /** Sends the held batch's writes: before any other statement that follows it. */
  send(): void {
    if (this.#held === null) return;
    const { plan, after } = this.#held;
    this.#held = null;
    this.#sent(writePlan(this.#c, plan, after));
  }

  /** Sends what is held, and drops the heads created only to be locked. */
  finish(): void {
    this.send();
    for (const [tenant, head] of this.#locked) {
      if (head.seq === 0 && !this.#planned.has(tenant)) {
        const { name, text, values } = headDrop(tenant);
        this.#sent(run(this.#c, name, text, values).then(() => {}));
      }
    }
  }
}
