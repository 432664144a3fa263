// The server store: PostgreSQL through a pg.Pool. Appends from several connections (or processes)
// are serialized per tenant by locking the tenant's chain head row, so each chain stays one line
// with no gap. A batch is planned in memory (src/store/append-plan.ts) from the store as it is
// once that lock is held, then written with multi-row statements: `INSERT … SELECT FROM unnest()`
// of one array per column, a few thousand rows a statement. Event data, proof and personal data
// stay TEXT, never jsonb: the hashes cover their JSON text, which must come back byte for byte.
import pg from "pg";
import { type AppendPlan, type AppendState, planAppend } from "../append-plan.ts";
import { eventIdOf, GENESIS_HASH, type NewEvent, type StoredEvent } from "../events.ts";
import { addsPersonalData } from "../projection.ts";
import {
  type EventRow,
  type EvidenceRows,
  eventFromRow,
  evidenceFromRows,
  type ImportRow,
  importFromRow,
  type RetentionRow,
  retentionFromRow,
} from "../rows.ts";
import { MIGRATIONS } from "../schema.ts";
import type {
  AppendResult,
  BulkWriter,
  ChainHead,
  Evidence,
  ImportRecord,
  RegistryEntry,
  RegistrySnapshot,
  RetentionCandidate,
  SnapshotRow,
  Store,
} from "../store.ts";

type Client = pg.PoolClient;

export interface PostgresStoreOptions {
  /**
   * The schema to keep the tables in, created if missing; by default the connection's
   * search_path (usually `public`). Lower-case letters, digits and `_`.
   */
  readonly schema?: string;
  /** Connections in the pool (default 10). */
  readonly max?: number;
}

/** Rows read per query by the streaming reads (`events`, `registryEntries`, `retentionCandidates`). */
const PAGE = 5000;
/** Rows written per statement. */
const CHUNK = 5000;
/** Registry rows written per statement (7 narrow columns; a snapshot can hold millions). */
const REGISTRY_CHUNK = 20_000;

// BIGINT (int8, OID 20) arrives as a string by default: every BIGINT here is an instant in epoch
// milliseconds or a sequence number, well inside the safe integers. Set on this pool's clients
// only, not on the global pg.types.
const INT8 = 20;
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${text} is outside JavaScript's safe integers`);
  return n;
}
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8 && format !== "binary"
      ? parseInt8
      : pg.types.getTypeParser(oid, format ?? "text")) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * The shared migrations in PostgreSQL's words. Text columns compare byte by byte (COLLATE "C"),
 * as SQLite's do, whatever the database's own collation: tenants, retention candidates and
 * registry rows come back in the same order from both adapters, and keys (ASCII) compare fast.
 */
function ddl(sql: string): string {
  return sql
    .replaceAll("{BIGINT}", "BIGINT")
    .replaceAll("{BOOL}", "BOOLEAN")
    .replace(/\bTEXT\b/g, 'TEXT COLLATE "C"');
}

/** Runs `body` in a transaction on a connection of its own; a broken connection is discarded. */
async function inTransaction<T>(pool: pg.Pool, body: (c: Client) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken = false;
  try {
    await c.query("BEGIN");
    const result = await body(c);
    await c.query("COMMIT");
    return result;
  } catch (e) {
    await c.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw e;
  } finally {
    c.release(broken);
  }
}

async function migrate(pool: pg.Pool, schema: string | undefined): Promise<void> {
  await inTransaction(pool, async (c) => {
    // Two processes starting together: the second waits here, then finds the migrations applied.
    await c.query(
      "SELECT pg_advisory_xact_lock(hashtext('vigie migrations ' || current_setting('search_path')))",
    );
    if (schema !== undefined) await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await c.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    );
    const applied = new Set(
      (await c.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map(
        (r) => r.version,
      ),
    );
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      for (const sql of m.statements) await c.query(ddl(sql));
      await c.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
        m.version,
        m.name,
        Date.now(),
      ]);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Writing a planned batch. Rows of each kind gather in a buffer that becomes one statement (per
// chunk). Buffers that touch the same table are never pending together: before a row joins a
// buffer, the pending buffers sharing a table with it become statements first, so the statements
// keep the batch's order where order matters (a withdrawal after the consents it ends, an erasure
// after the personal data it deletes) and run grouped where it does not. An upsert buffer also
// closes before taking a second row with the same key (PostgreSQL refuses to update a row twice in
// one statement). The SQLite adapter runs the same operations one event at a time.

type Row = readonly unknown[];

interface Kind {
  readonly name: string;
  readonly tables: readonly string[];
  /** For upserts: the key of a row, unique within one statement. */
  readonly key?: (row: Row) => string;
  write(c: Client, columns: unknown[][]): Promise<void>;
}

/** Columns of a chunk of rows, one array per column (what `unnest` takes). */
function columnsOf(rows: readonly Row[], width: number): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  rows.forEach((row, i) => {
    for (let j = 0; j < width; j++) (columns[j] as unknown[])[i] = row[j];
  });
  return columns;
}

const run = (c: Client, name: string, text: string, values: unknown[]) =>
  c.query({ name: `vigie_${name}`, text, values });

/** `INSERT INTO table (columns) SELECT * FROM unnest($1::type[], …) suffix`, prepared once a connection. */
function insertKind(
  name: string,
  table: string,
  columns: readonly (readonly [string, "text" | "bigint" | "boolean"])[],
  suffix = "",
  key?: (row: Row) => string,
): Kind {
  const text = `INSERT INTO ${table} (${columns.map(([c]) => c).join(", ")})
    SELECT * FROM unnest(${columns.map(([, t], i) => `$${i + 1}::${t}[]`).join(", ")}) ${suffix}`;
  return {
    name,
    tables: [table],
    ...(key === undefined ? {} : { key }),
    write: async (c, values) => {
      await run(c, name, text, values);
    },
  };
}

const KINDS = {
  event: insertKind("event", "events", [
    ["tenant", "text"],
    ["seq", "bigint"],
    ["event_id", "text"],
    ["type", "text"],
    ["point_key", "text"],
    ["controller", "text"],
    ["occurred_at", "bigint"],
    ["recorded_at", "bigint"],
    ["data", "text"],
    ["proof", "text"],
    ["pii_hash", "text"],
    ["prev_hash", "text"],
    ["hash", "text"],
  ]),
  pii: insertKind("pii", "event_pii", [
    ["tenant", "text"],
    ["seq", "bigint"],
    ["point_key", "text"],
    ["pii", "text"],
  ]),
  point: insertKind(
    "point",
    "points",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["type", "text"],
      ["value", "text"],
    ],
    "ON CONFLICT (tenant, point_key) DO UPDATE SET value = excluded.value WHERE points.erased_at IS NULL",
    (r) => `${r[0]}\u0000${r[1]}`,
  ),
  source: insertKind(
    "source",
    "sources",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["controller", "text"],
      ["seq", "bigint"],
      ["kind", "text"],
      ["origin_type", "text"],
      ["collected_at", "bigint"],
      ["sender_named", "boolean"],
      ["opt_out_offered", "boolean"],
      ["publisher_refused", "boolean"],
      ["informed_at", "bigint"],
      ["relationship", "text"],
      ["customer_since", "bigint"],
      ["customer_until", "bigint"],
      ["last_inbound_at", "bigint"],
      ["department", "text"],
      ["time_zone", "text"],
      ["source_url", "text"],
    ],
    "ON CONFLICT DO NOTHING",
  ),
  consent: insertKind(
    "consent",
    "consents",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["controller", "text"],
      ["channel", "text"],
      ["given_at", "bigint"],
      ["method", "text"],
      ["scope", "text"],
      ["proof", "boolean"],
    ],
    `ON CONFLICT (tenant, point_key, controller, channel, given_at)
     DO UPDATE SET method = excluded.method, scope = excluded.scope, proof = excluded.proof`,
    (r) => `${r[0]}\u0000${r[1]}\u0000${r[2]}\u0000${r[3]}\u0000${r[4]}`,
  ),
  // One after the other, withdrawals leave each consent withdrawn at the earliest of them that
  // falls on or after it was given (and before an earlier withdrawal): their order does not
  // matter, so a run of them is one statement taking that minimum.
  withdraw: {
    name: "withdraw",
    tables: ["consents"],
    write: async (c, values) => {
      await run(
        c,
        "withdraw",
        `UPDATE consents c SET withdrawn_at = w.at
         FROM (SELECT c2.tenant, c2.point_key, c2.controller, c2.channel, c2.given_at, min(u.at) AS at
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
                 AS u(tenant, point_key, controller, channel, at)
               JOIN consents c2 ON c2.tenant = u.tenant AND c2.point_key = u.point_key
                 AND c2.controller = u.controller AND c2.channel = u.channel
                 AND c2.given_at <= u.at AND (c2.withdrawn_at IS NULL OR c2.withdrawn_at > u.at)
               GROUP BY c2.tenant, c2.point_key, c2.controller, c2.channel, c2.given_at) w
         WHERE c.tenant = w.tenant AND c.point_key = w.point_key AND c.controller = w.controller
           AND c.channel = w.channel AND c.given_at = w.given_at`,
        values,
      );
    },
  } satisfies Kind,
  objection: insertKind(
    "objection",
    "objections",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["controller", "text"],
      ["channel", "text"],
      ["at", "bigint"],
      ["via", "text"],
    ],
    "ON CONFLICT DO NOTHING",
  ),
  contact: insertKind(
    "contact",
    "contacts_made",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["controller", "text"],
      ["channel", "text"],
      ["at", "bigint"],
      ["outcome", "text"],
    ],
    "ON CONFLICT DO NOTHING",
  ),
  notice: insertKind(
    "notice",
    "notices",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["controller", "text"],
      ["at", "bigint"],
    ],
    "ON CONFLICT DO NOTHING",
  ),
  snapshot: insertKind("snapshot", "registry_snapshots", [
    ["tenant", "text"],
    ["seq", "bigint"],
    ["checked_at", "bigint"],
    ["complete", "boolean"],
  ]),
  erase: {
    name: "erase",
    tables: ["points", "event_pii", "sources"],
    key: (r) => `${r[0]}\u0000${r[1]}`,
    write: async (c, [tenants, keys, pointTypes, at]) => {
      await run(
        c,
        "erase_point",
        `INSERT INTO points (tenant, point_key, type, erased_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
         ON CONFLICT (tenant, point_key) DO UPDATE SET value = NULL, erased_at = excluded.erased_at`,
        [tenants, keys, pointTypes, at],
      );
      await run(
        c,
        "erase_pii",
        `DELETE FROM event_pii p USING unnest($1::text[], $2::text[]) AS u(tenant, point_key)
         WHERE p.tenant = u.tenant AND p.point_key = u.point_key`,
        [tenants, keys],
      );
      await run(
        c,
        "erase_urls",
        `UPDATE sources s SET source_url = NULL FROM unnest($1::text[], $2::text[]) AS u(tenant, point_key)
         WHERE s.tenant = u.tenant AND s.point_key = u.point_key`,
        [tenants, keys],
      );
    },
  } satisfies Kind,
} as const satisfies Record<string, Kind>;

/** Kinds of rows that touch a table in common: they are never pending together. */
const CONFLICTS = new Map<Kind, Kind[]>(
  Object.values(KINDS).map((kind: Kind) => [
    kind,
    Object.values(KINDS).filter(
      (other: Kind) => other !== kind && other.tables.some((t) => kind.tables.includes(t)),
    ),
  ]),
);

interface Statement {
  readonly kind: Kind;
  readonly rows: readonly Row[];
}

/** The statements of a batch, in the order they must run: built without I/O, then run. */
class Schedule {
  readonly statements: Statement[] = [];
  private readonly pending = new Map<Kind, { rows: Row[]; keys: Set<string> }>();

  add(kind: Kind, row: Row): void {
    for (const other of CONFLICTS.get(kind) ?? []) this.emit(other);
    let b = this.pending.get(kind);
    if (b === undefined) {
      b = { rows: [], keys: new Set() };
      this.pending.set(kind, b);
    }
    const key = kind.key?.(row);
    if (key !== undefined) {
      if (b.keys.has(key)) this.emit(kind);
      b.keys.add(key);
    }
    b.rows.push(row);
    if (b.rows.length >= CHUNK) this.emit(kind);
  }

  /** The statements, with whatever is still pending at the end. */
  finish(): Statement[] {
    for (const kind of this.pending.keys()) this.emit(kind);
    return this.statements;
  }

  private emit(kind: Kind): void {
    const b = this.pending.get(kind);
    if (b === undefined || b.rows.length === 0) return;
    this.statements.push({ kind, rows: b.rows });
    b.rows = [];
    b.keys.clear();
  }
}

async function writePlan(c: Client, plan: AppendPlan): Promise<void> {
  const w = new Schedule();
  for (const { event: e, ops } of plan.events) {
    w.add(KINDS.event, [
      e.tenant,
      e.seq,
      e.eventId,
      e.data.type,
      e.pointKey,
      e.controller,
      e.occurredAt,
      e.recordedAt,
      JSON.stringify(e.data),
      JSON.stringify(e.proof),
      e.piiHash,
      e.prevHash,
      e.hash,
    ]);
    if (e.pii !== null) w.add(KINDS.pii, [e.tenant, e.seq, e.pointKey, JSON.stringify(e.pii)]);
    const k = [e.tenant, e.pointKey] as const;
    for (const op of ops) {
      switch (op.op) {
        case "point":
          w.add(KINDS.point, [...k, op.pointType, op.value]);
          break;
        case "source": {
          const d = op.source;
          w.add(KINDS.source, [
            ...k,
            e.controller,
            e.seq,
            d.kind,
            d.originType,
            d.collectedAt,
            d.senderNamed,
            d.optOutOffered,
            d.publisherRefused,
            d.informedAt,
            d.relationship,
            d.customerSince,
            d.customerUntil,
            d.lastInboundAt,
            d.department,
            d.timeZone,
            op.sourceUrl,
          ]);
          break;
        }
        case "consent":
          w.add(KINDS.consent, [
            ...k,
            e.controller,
            op.consent.channel,
            e.occurredAt,
            op.consent.method,
            op.consent.scope,
            op.consent.proof,
          ]);
          break;
        case "withdraw":
          w.add(KINDS.withdraw, [...k, e.controller, op.channel, e.occurredAt]);
          break;
        case "objection":
          w.add(KINDS.objection, [...k, e.controller, op.channel, e.occurredAt, op.via]);
          break;
        case "contact":
          w.add(KINDS.contact, [...k, e.controller, op.channel, e.occurredAt, op.outcome]);
          break;
        case "notice":
          w.add(KINDS.notice, [...k, e.controller, e.occurredAt]);
          break;
        case "snapshot":
          w.add(KINDS.snapshot, [e.tenant, e.seq, e.occurredAt, op.complete]);
          break;
        case "erase":
          w.add(KINDS.erase, [...k, op.pointType, e.occurredAt]);
          break;
      }
    }
  }
  for (const { kind, rows } of w.finish()) await kind.write(c, columnsOf(rows, rows[0]?.length ?? 0));
}

/**
 * Rows of a registry snapshot, in chunks; a key given twice keeps its last row, as in SQLite.
 * Each chunk goes in point-key order: the two indexes of the table are by point key, and sorted
 * inserts touch their pages in turn (53k rows/s against 39k unsorted, measured on 500k rows).
 */
async function writeRegistry(
  c: Client,
  target: { readonly tenant: string; readonly snapshotSeq: number; readonly checkedAt: number },
  entries: readonly RegistryEntry[],
): Promise<void> {
  for (let start = 0; start < entries.length; start += REGISTRY_CHUNK) {
    const chunk = new Map<string, RegistryEntry>();
    for (let i = start; i < Math.min(entries.length, start + REGISTRY_CHUNK); i++) {
      const r = entries[i] as RegistryEntry;
      chunk.set(r.pointKey, r);
    }
    const rows = [...chunk.values()].sort((a, b) =>
      a.pointKey < b.pointKey ? -1 : a.pointKey > b.pointKey ? 1 : 0,
    );
    await run(
      c,
      "registry_entries",
      `INSERT INTO registry_entries (tenant, point_key, snapshot_seq, checked_at, registered, registered_at, effective_at)
       SELECT $1, u.point_key, $2, $3, u.registered, u.registered_at, u.effective_at
       FROM unnest($4::text[], $5::boolean[], $6::bigint[], $7::bigint[]) AS u(point_key, registered, registered_at, effective_at)
       ON CONFLICT (tenant, point_key, snapshot_seq) DO UPDATE SET checked_at = excluded.checked_at,
         registered = excluded.registered, registered_at = excluded.registered_at, effective_at = excluded.effective_at`,
      [
        target.tenant,
        target.snapshotSeq,
        target.checkedAt,
        rows.map((r) => r.pointKey),
        rows.map((r) => r.registered),
        rows.map((r) => r.registeredAt),
        rows.map((r) => r.effectiveAt),
      ],
    );
  }
}

/** Locks the chain head of each tenant, in one order (no deadlock between two batches). */
async function lockHeads(c: Client, tenants: readonly string[]): Promise<Map<string, ChainHead>> {
  const heads = new Map<string, ChainHead>();
  for (const tenant of [...tenants].sort()) {
    for (let attempt = 1; ; attempt++) {
      // A tenant's first batch creates its head row (seq 0) to have something to lock; a
      // concurrent first batch waits on that insert, then locks the row.
      await run(
        c,
        "head_create",
        "INSERT INTO chain_head (tenant, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (tenant) DO NOTHING",
        [tenant, GENESIS_HASH],
      );
      const r = await run(c, "head_lock", "SELECT seq, hash FROM chain_head WHERE tenant = $1 FOR UPDATE", [
        tenant,
      ]);
      const head = r.rows[0] as ChainHead | undefined;
      if (head !== undefined) {
        heads.set(tenant, head);
        break;
      }
      // Removed meanwhile by a first batch that appended nothing: create it again.
      if (attempt === 10) throw new Error(`could not lock the chain head of tenant ${tenant}`);
    }
  }
  return heads;
}

/** What the planner needs to know of the store, read once the heads are locked. */
async function stateFor(
  c: Client,
  events: readonly NewEvent[],
  eventIds: readonly string[],
  heads: ReadonlyMap<string, ChainHead>,
): Promise<AppendState> {
  const existing = new Set<string>();
  const erased = new Map<string, number>();
  const ids = new Map<string, string[]>();
  const personal = new Map<string, string[]>();
  events.forEach((e, i) => {
    if ((heads.get(e.tenant)?.seq ?? 0) === 0) return; // a new chain holds nothing yet
    let list = ids.get(e.tenant);
    if (list === undefined) {
      list = [];
      ids.set(e.tenant, list);
    }
    list.push(eventIds[i] as string);
    if (addsPersonalData(e)) {
      let keys = personal.get(e.tenant);
      if (keys === undefined) {
        keys = [];
        personal.set(e.tenant, keys);
      }
      keys.push(e.pointKey);
    }
  });
  for (const [tenant, list] of ids) {
    const r = await run(
      c,
      "existing_ids",
      "SELECT event_id FROM events WHERE tenant = $1 AND event_id = ANY($2::text[])",
      [tenant, list],
    );
    for (const row of r.rows as { event_id: string }[]) existing.add(`${tenant}\u0000${row.event_id}`);
  }
  for (const [tenant, keys] of personal) {
    const r = await run(
      c,
      "erased_points",
      "SELECT point_key, erased_at FROM points WHERE tenant = $1 AND point_key = ANY($2::text[]) AND erased_at IS NOT NULL",
      [tenant, [...new Set(keys)]],
    );
    for (const row of r.rows as { point_key: string; erased_at: number }[]) {
      erased.set(`${tenant}\u0000${row.point_key}`, row.erased_at);
    }
  }
  return {
    head: (tenant) => {
      const head = heads.get(tenant);
      return head === undefined || head.seq === 0 ? null : head;
    },
    erasedAt: (tenant, pointKey) => erased.get(`${tenant}\u0000${pointKey}`) ?? null,
    has: (tenant, eventId) => existing.has(`${tenant}\u0000${eventId}`),
  };
}

/** Appends a batch inside the transaction of `c` (null: an empty batch, which touches nothing). */
async function appendOn(c: Client | null, events: readonly NewEvent[]): Promise<AppendResult> {
  if (c === null || events.length === 0) return { appended: 0, seqs: [], duplicates: 0, suppressed: [] };
  const tenants = [...new Set(events.map((e) => e.tenant))];
  const locked = await lockHeads(c, tenants);
  const eventIds = events.map(eventIdOf);
  const state = await stateFor(c, events, eventIds, locked);
  const plan = planAppend(events, state, Date.now(), eventIds);
  await writePlan(c, plan);
  for (const tenant of tenants) {
    const head = plan.heads.get(tenant);
    if (head !== undefined) {
      await run(c, "head_set", "UPDATE chain_head SET seq = $2, hash = $3 WHERE tenant = $1", [
        tenant,
        head.seq,
        head.hash,
      ]);
    } else if (locked.get(tenant)?.seq === 0) {
      // Created to be locked, and nothing was appended: a tenant has a head once it has a log.
      await run(c, "head_drop", "DELETE FROM chain_head WHERE tenant = $1 AND seq = 0", [tenant]);
    }
  }
  return plan.result;
}

const EVIDENCE_SQL = `
  WITH k AS (SELECT key, ord FROM unnest($2::text[]) WITH ORDINALITY AS k(key, ord))
  SELECT
    (SELECT json_agg(json_build_object('type', p.type, 'value', p.value, 'erased_at', p.erased_at) ORDER BY k.ord)
       FROM k JOIN points p ON p.tenant = $1 AND p.point_key = k.key) AS points,
    (SELECT json_agg(s ORDER BY k.ord, s.seq)
       FROM k JOIN sources s ON s.tenant = $1 AND s.point_key = k.key) AS sources,
    (SELECT json_agg(c ORDER BY k.ord, c.given_at, c.controller, c.channel)
       FROM k JOIN consents c ON c.tenant = $1 AND c.point_key = k.key) AS consents,
    (SELECT json_agg(o ORDER BY k.ord, o.at, o.controller, o.channel)
       FROM k JOIN objections o ON o.tenant = $1 AND o.point_key = k.key) AS objections,
    (SELECT json_agg(m ORDER BY k.ord, m.at, m.controller, m.channel)
       FROM k JOIN contacts_made m ON m.tenant = $1 AND m.point_key = k.key) AS contacts,
    (SELECT json_agg(n ORDER BY k.ord, n.at, n.controller)
       FROM k JOIN notices n ON n.tenant = $1 AND n.point_key = k.key) AS notices,
    (SELECT json_agg(json_build_object('checked_at', e.checked_at, 'registered', e.registered,
                     'registered_at', e.registered_at, 'effective_at', e.effective_at) ORDER BY k.ord, e.snapshot_seq)
       FROM k JOIN registry_entries e ON e.tenant = $1 AND e.point_key = k.key) AS registry,
    -- A complete snapshot that does not list the number says it was clean that day.
    (SELECT json_agg(s.checked_at ORDER BY s.checked_at, s.seq) FROM registry_snapshots s
       WHERE s.tenant = $1 AND s.complete AND NOT EXISTS (
         SELECT 1 FROM registry_entries e
         WHERE e.tenant = s.tenant AND e.snapshot_seq = s.seq AND e.point_key = ANY($2::text[]))) AS clean`;

const EVENT_COLUMNS = `e.tenant, e.seq, e.event_id, e.type, e.point_key, e.controller, e.occurred_at,
  e.recorded_at, e.data, e.proof, e.pii_hash, e.prev_hash, e.hash, p.pii`;

const RETENTION_SQL = `
  SELECT p.point_key,
    (SELECT MAX(collected_at) FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key) AS last_collected_at,
    (SELECT MAX(last_inbound_at) FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key) AS last_inbound_at,
    (SELECT MAX(customer_until) FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key) AS customer_until,
    (SELECT relationship FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key ORDER BY seq DESC LIMIT 1) AS relationship,
    (SELECT MAX(at) FROM objections o WHERE o.tenant = p.tenant AND o.point_key = p.point_key) AS last_objection_at
  FROM points p WHERE p.tenant = $1 AND p.erased_at IS NULL`;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

export class PostgresStore implements Store {
  readonly dialect = "postgres" as const;
  private readonly pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  /** Connects, brings the schema up to date (one process at a time), and returns the store. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const { schema } = options;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new Error(`schema name "${schema}": use lower-case letters, digits and _`);
    }
    const pool = new pg.Pool({
      connectionString: url,
      types,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
      ...(options.max === undefined ? {} : { max: options.max }),
    });
    // An idle connection that breaks (server restart) is dropped by the pool; without a listener
    // its error would end the process. The next query opens a new one.
    pool.on("error", () => {});
    try {
      await migrate(pool, schema);
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new PostgresStore(pool);
  }

  async append(events: readonly NewEvent[]): Promise<AppendResult> {
    if (events.length === 0) return appendOn(null, events);
    return inTransaction(this.pool, (c) => appendOn(c, events));
  }

  /** One transaction on one connection; the writer's calls run one after the other. */
  async bulk<T>(body: (w: BulkWriter) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, (c) => {
      let last: Promise<unknown> = Promise.resolve();
      const serial = <R>(step: () => Promise<R>): Promise<R> => {
        const next = last.then(step, step);
        last = next.catch(() => {});
        return next;
      };
      return body({
        append: (events) => serial(() => appendOn(c, events)),
        registry: (tenant, snapshotSeq, checkedAt, entries) =>
          serial(() => writeRegistry(c, { tenant, snapshotSeq, checkedAt }, entries)),
        recordImport: (tenant, record) =>
          serial(async () => {
            await run(
              c,
              "import_record",
              "INSERT INTO imports (tenant, kind, file_sha256, imported_at, summary) VALUES ($1, $2, $3, $4, $5)",
              [tenant, record.kind, record.fileSha256, Date.now(), JSON.stringify(record.summary)],
            );
          }),
      });
    });
  }

  async evidence(tenant: string, keys: readonly string[]): Promise<Evidence> {
    // One statement: one snapshot of the point, whatever is being appended meanwhile.
    // A key given twice is one key.
    const unique = [...new Set(keys)];
    const r = await this.pool.query({ name: "vigie_evidence", text: EVIDENCE_SQL, values: [tenant, unique] });
    const row = r.rows[0] as { [K in keyof EvidenceRows]: EvidenceRows[K] | null } & {
      clean: number[] | null;
    };
    const rows: EvidenceRows = {
      points: row.points ?? [],
      sources: row.sources ?? [],
      consents: row.consents ?? [],
      objections: row.objections ?? [],
      contacts: row.contacts ?? [],
      notices: row.notices ?? [],
      registry: row.registry ?? [],
    };
    for (const checkedAt of row.clean ?? []) {
      rows.registry.push({
        checked_at: checkedAt,
        registered: false,
        registered_at: null,
        effective_at: null,
      });
    }
    return evidenceFromRows(rows);
  }

  /** One query per point, run side by side on the pool's connections. */
  async evidenceMany(tenant: string, points: readonly (readonly string[])[]): Promise<Evidence[]> {
    return Promise.all(points.map((keys) => this.evidence(tenant, keys)));
  }

  /** Pages of the log by sequence number: memory stays flat whatever the log's length. */
  async *events(tenant: string, fromSeq = 1): AsyncIterable<StoredEvent> {
    let next = fromSeq;
    for (;;) {
      const r = await this.pool.query({
        name: "vigie_events_page",
        text: `SELECT ${EVENT_COLUMNS} FROM events e LEFT JOIN event_pii p ON p.tenant = e.tenant AND p.seq = e.seq
               WHERE e.tenant = $1 AND e.seq >= $2 ORDER BY e.seq LIMIT $3`,
        values: [tenant, next, PAGE],
      });
      const rows = r.rows as EventRow[];
      for (const row of rows) yield eventFromRow(row);
      if (rows.length < PAGE) return;
      next = Number((rows[rows.length - 1] as EventRow).seq) + 1;
    }
  }

  async eventsOf(tenant: string, keys: readonly string[]): Promise<StoredEvent[]> {
    const r = await this.pool.query({
      name: "vigie_events_of",
      text: `SELECT ${EVENT_COLUMNS}
             FROM unnest($2::text[]) WITH ORDINALITY AS k(key, ord)
             JOIN events e ON e.tenant = $1 AND e.point_key = k.key
             LEFT JOIN event_pii p ON p.tenant = e.tenant AND p.seq = e.seq
             ORDER BY e.seq, k.ord`,
      values: [tenant, keys],
    });
    return (r.rows as EventRow[]).map((row) => eventFromRow(row));
  }

  async chainHead(tenant: string): Promise<ChainHead | null> {
    const r = await this.pool.query({
      name: "vigie_chain_head",
      text: "SELECT seq, hash FROM chain_head WHERE tenant = $1",
      values: [tenant],
    });
    return (r.rows[0] as ChainHead | undefined) ?? null;
  }

  async tenants(): Promise<string[]> {
    const r = await this.pool.query("SELECT tenant FROM chain_head ORDER BY tenant");
    return (r.rows as { tenant: string }[]).map((row) => row.tenant);
  }

  /** Pages of rows by point key (the order of their digest). */
  async *registryEntries(tenant: string, snapshotSeq: number): AsyncIterable<RegistryEntry> {
    let after: string | null = null;
    for (;;) {
      const columns = "point_key, registered, registered_at, effective_at";
      const r: pg.QueryResult =
        after === null
          ? await this.pool.query({
              name: "vigie_registry_first",
              text: `SELECT ${columns} FROM registry_entries WHERE tenant = $1 AND snapshot_seq = $2
                     ORDER BY point_key LIMIT $3`,
              values: [tenant, snapshotSeq, PAGE],
            })
          : await this.pool.query({
              name: "vigie_registry_next",
              text: `SELECT ${columns} FROM registry_entries WHERE tenant = $1 AND snapshot_seq = $2 AND point_key > $4
                     ORDER BY point_key LIMIT $3`,
              values: [tenant, snapshotSeq, PAGE, after],
            });
      const rows = r.rows as {
        point_key: string;
        registered: boolean;
        registered_at: number | null;
        effective_at: number | null;
      }[];
      for (const row of rows) {
        yield {
          pointKey: row.point_key,
          registered: row.registered,
          registeredAt: row.registered_at,
          effectiveAt: row.effective_at,
        };
      }
      if (rows.length < PAGE) return;
      after = (rows[rows.length - 1] as { point_key: string }).point_key;
    }
  }

  async findImport(tenant: string, kind: string, fileSha256: string): Promise<ImportRecord | null> {
    const r = await this.pool.query({
      name: "vigie_find_import",
      text: "SELECT kind, file_sha256, imported_at, summary FROM imports WHERE tenant = $1 AND kind = $2 AND file_sha256 = $3",
      values: [tenant, kind, fileSha256],
    });
    const row = r.rows[0] as ImportRow | undefined;
    return row === undefined ? null : importFromRow(row);
  }

  /** Pages of distinct keys, read from the index on (tenant, point_key). */
  async *pointKeys(tenant: string): AsyncIterable<string> {
    let after = ""; // the registry snapshots' events have the empty key
    for (;;) {
      const r = await this.pool.query({
        name: "vigie_point_keys",
        text: `SELECT DISTINCT point_key FROM events WHERE tenant = $1 AND point_key > $2
               ORDER BY point_key LIMIT $3`,
        values: [tenant, after, PAGE],
      });
      const rows = r.rows as { point_key: string }[];
      for (const row of rows) yield row.point_key;
      if (rows.length < PAGE) return;
      after = (rows[rows.length - 1] as { point_key: string }).point_key;
    }
  }

  async registrySnapshots(tenant: string): Promise<RegistrySnapshot[]> {
    const r = await this.pool.query({
      name: "vigie_registry_snapshots",
      text: "SELECT seq, checked_at, complete FROM registry_snapshots WHERE tenant = $1 ORDER BY checked_at, seq",
      values: [tenant],
    });
    return (r.rows as { seq: number; checked_at: number; complete: boolean }[]).map((row) => ({
      seq: row.seq,
      checkedAt: row.checked_at,
      complete: row.complete,
    }));
  }

  /** Pages of rows by primary key. */
  async *registryRows(tenant: string): AsyncIterable<SnapshotRow> {
    const columns = "point_key, snapshot_seq, registered, registered_at, effective_at";
    let after: { point_key: string; snapshot_seq: number } | null = null;
    for (;;) {
      const r: pg.QueryResult =
        after === null
          ? await this.pool.query({
              name: "vigie_registry_rows_first",
              text: `SELECT ${columns} FROM registry_entries WHERE tenant = $1
                     ORDER BY point_key, snapshot_seq LIMIT $2`,
              values: [tenant, PAGE],
            })
          : await this.pool.query({
              name: "vigie_registry_rows_next",
              text: `SELECT ${columns} FROM registry_entries WHERE tenant = $1 AND (point_key, snapshot_seq) > ($3, $4)
                     ORDER BY point_key, snapshot_seq LIMIT $2`,
              values: [tenant, PAGE, after.point_key, after.snapshot_seq],
            });
      const rows = r.rows as {
        point_key: string;
        snapshot_seq: number;
        registered: boolean;
        registered_at: number | null;
        effective_at: number | null;
      }[];
      for (const row of rows) {
        yield {
          pointKey: row.point_key,
          snapshotSeq: row.snapshot_seq,
          registered: row.registered,
          registeredAt: row.registered_at,
          effectiveAt: row.effective_at,
        };
      }
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1] as { point_key: string; snapshot_seq: number };
    }
  }

  /** Pages of points by key. */
  async *retentionCandidates(tenant: string): AsyncIterable<RetentionCandidate> {
    let after: string | null = null;
    for (;;) {
      const r: pg.QueryResult =
        after === null
          ? await this.pool.query({
              name: "vigie_retention_first",
              text: `${RETENTION_SQL} ORDER BY p.point_key LIMIT $2`,
              values: [tenant, PAGE],
            })
          : await this.pool.query({
              name: "vigie_retention_next",
              text: `${RETENTION_SQL} AND p.point_key > $3 ORDER BY p.point_key LIMIT $2`,
              values: [tenant, PAGE, after],
            });
      const rows = r.rows as RetentionRow[];
      for (const row of rows) yield retentionFromRow(row);
      if (rows.length < PAGE) return;
      after = (rows[rows.length - 1] as { point_key: string }).point_key;
    }
  }

  /** Runs raw SQL: for tests that tamper with the log to check that the audit notices. */
  async unsafeExec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
