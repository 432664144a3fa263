// The SQLite adapter's prepared statements, shared by the store's connection and the import's
// writer thread (writer-thread.ts), which opens a connection of its own on the same file.
import Database from "better-sqlite3";
import type { StateKind } from "../../evidence/projection.ts";
import { CALLBACK_MERGE, CONSENT_MERGE, CONTACT_MERGE, OBJECTION_MERGE } from "../schema.ts";
import { columnsOf, STATE_TABLES, TENANTS_SQL } from "../state-tables.ts";
import { PERSON_HOPS } from "../store.ts";
import { EVENTS_WITH_PII, POINT_EVENTS_WITH_PII } from "./event-rows.ts";

type Db = Database.Database;

/**
 * A connection to the store's file as every connection of vigie's has it: WAL lets readers work
 * during an import; FULL makes every acknowledged commit durable.
 */
export function openConnection(path: string): Db {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 10000");
  // Deleted content is overwritten with zeros, not left in free pages: an erased person's data
  // must not be readable from the file afterwards.
  db.pragma("secure_delete = ON");
  // 64 MiB of page cache instead of 2: point keys and event ids are random, so a batch touches
  // index pages all over the file (bench/store.ts: statements ~30% faster).
  db.pragma("cache_size = -65536");
  return db;
}

/** A prepared statement, under a name the declaration of an export can write. */
export interface Prepared extends Database.Statement {}

export const bool = (b: boolean | null): number | null => (b === null ? null : b ? 1 : 0);

export type SqlValue = string | number | null;
/** SQLite has no booleans: 1 and 0. */
export const sqlValue = (v: unknown): SqlValue => (typeof v === "boolean" ? bool(v) : (v as SqlValue));

export function writers(s: ReturnType<typeof statements>): Record<StateKind, (row: SqlValue[]) => void> {
  return {
    point: (r) => s.point.run(r),
    source: (r) => s.source.run(r),
    consent: (r) => s.consent.run(r),
    withdraw: (r) => {
      const [tenant, key, controller, channel, at] = r;
      s.withdrawal.run(r);
      s.withdraw.run(at, tenant, key, controller, channel, at, at);
    },
    objection: (r) => s.objection.run(r),
    contact: (r) => s.contact.run(r),
    notice: (r) => s.notice.run(r),
    callback: (r) => s.callback.run(r),
    snapshot: (r) => s.snapshot.run(r),
    erase: (r) => {
      const [tenant, key] = r;
      s.erasePoint.run(r);
      s.erasePii.run(tenant, key);
      s.eraseSources.run(tenant, key);
      s.eraseConsents.run(tenant, key);
      s.eraseCallbacks.run(tenant, key);
      s.erasePending.run(tenant, key);
    },
    link: (r) => s.link.run(r),
  };
}

export function statements(db: Db) {
  const prepare = (sql: string): Prepared => db.prepare(sql);
  return {
    head: prepare("SELECT seq, hash, tree FROM chain_head WHERE tenant = ?"),
    setHead: prepare(
      "INSERT INTO chain_head (tenant, seq, hash, tree) VALUES (?, ?, ?, ?) ON CONFLICT (tenant) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, tree = excluded.tree",
    ),
    // Planned from the frontier: a conflict means the stored tree and the head disagree.
    insertNode: prepare("INSERT INTO merkle_nodes (tenant, level, idx, hash) VALUES (?, ?, ?, ?)"),
    eventHashes: prepare(
      "SELECT hash FROM events WHERE tenant = ? AND seq >= ? AND seq <= ? ORDER BY seq",
    ).pluck(),
    treeNodes: prepare(
      "SELECT hash FROM merkle_nodes WHERE tenant = ? AND level = ? AND idx >= ? AND idx < ? ORDER BY idx",
    ).pluck(),
    treeNodeCount: prepare("SELECT count(*) FROM merkle_nodes WHERE tenant = ?").pluck(),
    seal: prepare(
      "UPDATE chain_head SET tree = ? WHERE tenant = ? AND seq = ? AND hash = ? AND tree IS NULL",
    ),
    // What a batch asks before it is planned, for all its events at once (append-plan.ts).
    // Events as their id in hexadecimal followed by their point key (batch-writes.ts `lookup`), each
    // found through the index of a point's events (CROSS JOIN: the events asked first, or the
    // planner may walk every event of the tenant).
    existingIds: prepare(
      `SELECT e.event_id FROM json_each(@events) j CROSS JOIN events e INDEXED BY events_point
         ON e.tenant = @tenant AND e.point_key = substr(j.value, 65) AND e.event_id = unhex(substr(j.value, 1, 64))`,
    ).pluck(),
    heldPoints: prepare(
      "SELECT point_key, value, erased_at FROM points WHERE tenant = ? AND point_key IN (SELECT value FROM json_each(?))",
    ),
    // Planned as new (src/evidence/append-plan.ts): a conflict means the log and its head disagree.
    insertEvent: prepare(
      `INSERT INTO events (tenant, seq, event_id, type, point_key, controller, occurred_at, recorded_at, data, proof, pii_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertPii: prepare("INSERT INTO event_pii (tenant, seq, point_key, pii) VALUES (?, ?, ?, ?)"),
    // A point keeps its first value (append-plan.ts piiBeside): events read theirs from it.
    point: prepare(
      `INSERT INTO points (tenant, point_key, type, value, erased_at) VALUES (?, ?, ?, ?, NULL)
       ON CONFLICT (tenant, point_key) DO NOTHING`,
    ),
    source: prepare(
      `INSERT OR IGNORE INTO sources (tenant, point_key, controller, seq, kind, origin_type, collected_at, sender_named,
         opt_out_offered, publisher_refused, informed_at, relationship, customer_since, customer_until,
         last_inbound_at, department, time_zone, source_url, obtained_at, transfers, free_account_of_paid_model)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // Withdrawn at the earliest withdrawal on or after it was given, were it recorded before it.
    consent: prepare(
      `INSERT INTO consents (tenant, point_key, controller, channel, given_at, method, scope, proof, withdrawn_at,
         collected_by, named_how)
       SELECT u.tenant, u.point_key, u.controller, u.channel, u.given_at, u.method, u.scope, u.proof,
         (SELECT MIN(w.at) FROM withdrawals w WHERE w.tenant = u.tenant AND w.point_key = u.point_key
           AND w.controller = u.controller AND w.channel = u.channel AND w.at >= u.given_at),
         u.collected_by, u.named_how
       FROM (SELECT ? AS tenant, ? AS point_key, ? AS controller, ? AS channel, ? AS given_at, ? AS method,
         ? AS scope, ? AS proof, ? AS collected_by, ? AS named_how) u WHERE true
       ON CONFLICT (tenant, point_key, controller, channel, given_at) DO UPDATE SET ${CONSENT_MERGE}`,
    ),
    withdrawal: prepare(
      "INSERT OR IGNORE INTO withdrawals (tenant, point_key, controller, channel, at) VALUES (?, ?, ?, ?, ?)",
    ),
    withdraw: prepare(
      `UPDATE consents SET withdrawn_at = ? WHERE tenant = ? AND point_key = ? AND controller = ? AND channel = ?
       AND given_at <= ? AND (withdrawn_at IS NULL OR withdrawn_at > ?)`,
    ),
    objection: prepare(
      `INSERT INTO objections (tenant, point_key, controller, channel, at, via) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, point_key, controller, channel, at) DO UPDATE SET ${OBJECTION_MERGE}`,
    ),
    contact: prepare(
      `INSERT INTO contacts_made (tenant, point_key, controller, channel, at, outcome, advertiser, sector)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, point_key, controller, channel, at) DO UPDATE SET ${CONTACT_MERGE}`,
    ),
    callback: prepare(
      `INSERT INTO callback_requests (tenant, point_key, controller, at, slot_from, slot_to, subject)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, point_key, controller, at) DO UPDATE SET ${CALLBACK_MERGE}`,
    ),
    notice: prepare("INSERT OR IGNORE INTO notices (tenant, point_key, controller, at) VALUES (?, ?, ?, ?)"),
    snapshot: prepare(
      "INSERT INTO registry_snapshots (tenant, seq, checked_at, complete) VALUES (?, ?, ?, ?)",
    ),
    entry: prepare(
      `INSERT OR REPLACE INTO registry_entries (tenant, point_key, snapshot_seq, checked_at, registered, registered_at, effective_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    // Erased since the earliest erasure, whatever order they were recorded in.
    erasePoint: prepare(
      `INSERT INTO points (tenant, point_key, type, value, erased_at) VALUES (?, ?, ?, NULL, ?)
       ON CONFLICT (tenant, point_key) DO UPDATE SET value = NULL,
         erased_at = min(coalesce(points.erased_at, excluded.erased_at), excluded.erased_at)`,
    ),
    link: prepare(
      `WITH u (tenant, a, b) AS (VALUES (?, ?, ?))
       INSERT OR IGNORE INTO subject_links (tenant, point_key, other_key)
       SELECT tenant, a, b FROM u UNION SELECT tenant, b, a FROM u`,
    ),
    erasePii: prepare("DELETE FROM event_pii WHERE tenant = ? AND point_key = ?"),
    // What an erased point held goes with it; the events stay, keyed. Sources, consents and callback
    // requests recorded after the erasure are refused: the same state in whichever order they came.
    eraseSources: prepare("DELETE FROM sources WHERE tenant = ? AND point_key = ?"),
    eraseConsents: prepare("DELETE FROM consents WHERE tenant = ? AND point_key = ?"),
    eraseCallbacks: prepare("DELETE FROM callback_requests WHERE tenant = ? AND point_key = ?"),
    // A double opt-in sent to the point can no longer be confirmed (schema 11).
    erasePending: prepare("DELETE FROM pending_consents WHERE tenant = ? AND point_key = ?"),
    recordImport: prepare(
      "INSERT INTO imports (tenant, kind, file_sha256, imported_at, summary) VALUES (?, ?, ?, ?, ?)",
    ),
    findImport: prepare(
      "SELECT kind, file_sha256, imported_at, summary FROM imports WHERE tenant = ? AND kind = ? AND file_sha256 = ?",
    ),
    // One statement per table for a whole batch of points: keys come as a JSON array.
    reach: reachStatement(db),
    events: prepare(`${EVENTS_WITH_PII} WHERE e.tenant = ? AND e.seq >= ? ORDER BY e.seq`),
    eventsOf: prepare(`${POINT_EVENTS_WITH_PII} WHERE e.tenant = ? AND e.point_key = ? ORDER BY e.seq`),
    registryEntries: prepare(
      `SELECT point_key, registered, registered_at, effective_at FROM registry_entries
       WHERE tenant = ? AND snapshot_seq = ? ORDER BY point_key`,
    ),
    pointKeys: prepare(
      // A point linked to another has evidence through it, events or not (Evidence.person).
      `SELECT point_key FROM events WHERE tenant = @tenant AND point_key <> ''
         UNION SELECT point_key FROM subject_links WHERE tenant = @tenant ORDER BY point_key`,
    ).pluck(),
    snapshots: prepare(
      "SELECT seq, checked_at, complete FROM registry_snapshots WHERE tenant = ? ORDER BY checked_at, seq",
    ),
    // In the table's own order: through an index, each row would cost a random read.
    registryRows: prepare(
      "SELECT point_key, snapshot_seq, registered, registered_at, effective_at FROM registry_entries NOT INDEXED WHERE tenant = ?",
    ).raw(true),
    tenants: prepare(TENANTS_SQL).pluck(),
    // Each state table in key order, through its primary key.
    state: STATE_TABLES.map((t) => ({
      table: t,
      rows: prepare(
        `SELECT ${t.distinct ? "DISTINCT " : ""}${columnsOf(t)
          .map(([c]) => c)
          .join(", ")} FROM ${t.name} WHERE tenant = ? ORDER BY ${t.key.map(([c]) => c).join(", ")}`,
      ).raw(true),
    })),
    meta: prepare("SELECT value FROM store_meta WHERE name = ?").pluck(),
    recordMeta: prepare("INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING"),
    retention: prepare(
      `SELECT p.point_key,
         (SELECT MAX(collected_at) FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key) AS last_collected_at,
         (SELECT MAX(last_inbound_at) FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key) AS last_inbound_at,
         (SELECT MAX(customer_until) FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key) AS customer_until,
         (SELECT relationship FROM sources s WHERE s.tenant = p.tenant AND s.point_key = p.point_key ORDER BY seq DESC LIMIT 1) AS relationship,
         (SELECT MAX(at) FROM objections o WHERE o.tenant = p.tenant AND o.point_key = p.point_key) AS last_objection_at
       FROM points p WHERE p.tenant = ? AND p.erased_at IS NULL ORDER BY p.point_key`,
    ),
  };
}

export type Statements = ReturnType<typeof statements>;

/**
 * The points reached from each key of a JSON array through the links (both directions are stored);
 * CROSS JOIN keeps the walk as the outer loop (evidence-read.ts says why).
 */
function reachStatement(db: Db): Prepared {
  return db.prepare(
    `WITH RECURSIVE reach(tenant, origin, key, hops) AS (
       SELECT @tenant, value, value, 0 FROM json_each(@keys)
       UNION
       SELECT r.tenant, r.origin, l.other_key, r.hops + 1 FROM reach r
         CROSS JOIN subject_links l ON l.tenant = r.tenant AND l.point_key = r.key
       WHERE r.hops < ${PERSON_HOPS}
     )
     SELECT DISTINCT origin, key FROM reach WHERE origin <> key`,
  );
}
