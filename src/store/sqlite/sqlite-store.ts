// The embedded default store: one SQLite file (better-sqlite3, WAL). Writes are synchronous and
// serialized by SQLite itself, which also keeps the hash chain in one order.
import { closeSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import {
  type AppendState,
  appendState,
  type HeldPoint,
  lookupsFor,
  planAppend,
} from "../../evidence/append-plan.ts";
import { eventIdOf, type NewEvent, type StoredEvent } from "../../evidence/events.ts";
import { type StateKind, writeOf } from "../../evidence/projection.ts";
import { keepPrivate, PRIVATE_FILE } from "../../io/private-files.ts";
import {
  type EventRow,
  type EvidenceRows,
  eventFromRow,
  eventValues,
  evidenceFromRows,
  hex,
  type ImportRow,
  importFromRow,
  noEvidenceRows,
  noPersonRows,
  type PersonRows,
  type RetentionRow,
  retentionFromRow,
  sha256,
} from "../rows.ts";
import { CALLBACK_MERGE, CONSENT_MERGE, CONTACT_MERGE, MIGRATIONS, OBJECTION_MERGE } from "../schema.ts";
import { type SharedRow, type SharedStatement, type SharedValue, sharedSql } from "../shared-sql.ts";
import { columnsOf, STATE_TABLES, type StateRow, stateRowOf, TENANTS_SQL } from "../state-tables.ts";
import {
  type AppendResult,
  type BulkWriter,
  type ChainHead,
  type DeadLetter,
  type Evidence,
  type ImportRecord,
  PERSON_HOPS,
  type RegistryEntry,
  type RegistrySnapshot,
  type RetentionCandidate,
  type SnapshotRow,
  type Store,
  type StoredCampaignRow,
  StoreUpgradeError,
  type TreeNodeRow,
  type WebhookProgress,
  type WebhookSubscription,
} from "../store.ts";
import {
  type CampaignRow,
  campaignOf,
  type DeadLetterRow,
  deadLetterOf,
  moveValues,
  subscriptionOf,
  type WebhookRow,
  webhookSql,
} from "../webhooks-sql.ts";
import { coalescedReads } from "./coalesced-reads.ts";
import { EVENTS_WITH_PII, TextNumbers } from "./event-rows.ts";
import { type EvidenceRead, evidenceReader } from "./evidence-read.ts";
import { HeldParts } from "./held-parts.ts";

type Db = Database.Database;

const SHARED = sharedSql(() => "?");

interface PointRow {
  point_key: string;
  value: string | null;
  erased_at: number | null;
}

function migrate(db: Db): void {
  db.function("vigie_sha256", { deterministic: true }, (text) => sha256(String(text)));
  db.function("vigie_refuse", (why) => {
    // A migration's check failed: its transaction rolls back, the store is left as it was.
    throw new StoreUpgradeError(String(why));
  });
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const applied = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  let vacuum = false;
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    // A new store has nothing to give back.
    vacuum ||= m.vacuum === true && applied.size > 0;
    db.transaction(() => {
      for (const sql of m.postgresOnly ? [] : m.statements)
        db.exec(
          sql
            .replaceAll("{BIGINT}", "INTEGER")
            .replaceAll("{BOOL}", "INTEGER")
            .replaceAll("{BYTES}", "BLOB")
            .replaceAll("{WITHOUT_ROWID}", " WITHOUT ROWID")
            .replaceAll("{DATA_CHANNEL}", "json_extract(data, '$.channel')"),
        );
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        Date.now(),
      );
    })();
  }
  if (vacuum) {
    try {
      db.exec("VACUUM");
    } catch (e) {
      // Another connection is reading: the free pages stay in the file for later writes.
      if (!(e instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(e.code))) throw e;
    }
  }
}

const bool = (b: boolean | null): number | null => (b === null ? null : b ? 1 : 0);

type SqlValue = string | number | null;
/** SQLite has no booleans: 1 and 0. */
const sqlValue = (v: unknown): SqlValue => (typeof v === "boolean" ? bool(v) : (v as SqlValue));

function writers(s: ReturnType<typeof statements>): Record<StateKind, (row: SqlValue[]) => void> {
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

function statements(db: Db) {
  return {
    head: db.prepare("SELECT seq, hash, tree FROM chain_head WHERE tenant = ?"),
    setHead: db.prepare(
      "INSERT INTO chain_head (tenant, seq, hash, tree) VALUES (?, ?, ?, ?) ON CONFLICT (tenant) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, tree = excluded.tree",
    ),
    // Planned from the frontier: a conflict means the stored tree and the head disagree.
    insertNode: db.prepare("INSERT INTO merkle_nodes (tenant, level, idx, hash) VALUES (?, ?, ?, ?)"),
    eventHashes: db
      .prepare("SELECT hash FROM events WHERE tenant = ? AND seq >= ? AND seq <= ? ORDER BY seq")
      .pluck(),
    treeNodes: db
      .prepare(
        "SELECT hash FROM merkle_nodes WHERE tenant = ? AND level = ? AND idx >= ? AND idx < ? ORDER BY idx",
      )
      .pluck(),
    treeNodeCount: db.prepare("SELECT count(*) FROM merkle_nodes WHERE tenant = ?").pluck(),
    seal: db.prepare(
      "UPDATE chain_head SET tree = ? WHERE tenant = ? AND seq = ? AND hash = ? AND tree IS NULL",
    ),
    // What a batch asks before it is planned, for all its events at once (append-plan.ts).
    existingIds: db
      .prepare(
        "SELECT event_id FROM events WHERE tenant = ? AND event_id IN (SELECT unhex(value) FROM json_each(?))",
      )
      .pluck(),
    heldPoints: db.prepare(
      "SELECT point_key, value, erased_at FROM points WHERE tenant = ? AND point_key IN (SELECT value FROM json_each(?))",
    ),
    // Planned as new (src/evidence/append-plan.ts): a conflict means the log and its head disagree.
    insertEvent: db.prepare(
      `INSERT INTO events (tenant, seq, event_id, type, point_key, controller, occurred_at, recorded_at, data, proof, pii_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertPii: db.prepare("INSERT INTO event_pii (tenant, seq, point_key, pii) VALUES (?, ?, ?, ?)"),
    // A point keeps its first value (append-plan.ts piiBeside): events read theirs from it.
    point: db.prepare(
      `INSERT INTO points (tenant, point_key, type, value, erased_at) VALUES (?, ?, ?, ?, NULL)
       ON CONFLICT (tenant, point_key) DO NOTHING`,
    ),
    source: db.prepare(
      `INSERT OR IGNORE INTO sources (tenant, point_key, controller, seq, kind, origin_type, collected_at, sender_named,
         opt_out_offered, publisher_refused, informed_at, relationship, customer_since, customer_until,
         last_inbound_at, department, time_zone, source_url, obtained_at, transfers, free_account_of_paid_model)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // Withdrawn at the earliest withdrawal on or after it was given, were it recorded before it.
    consent: db.prepare(
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
    withdrawal: db.prepare(
      "INSERT OR IGNORE INTO withdrawals (tenant, point_key, controller, channel, at) VALUES (?, ?, ?, ?, ?)",
    ),
    withdraw: db.prepare(
      `UPDATE consents SET withdrawn_at = ? WHERE tenant = ? AND point_key = ? AND controller = ? AND channel = ?
       AND given_at <= ? AND (withdrawn_at IS NULL OR withdrawn_at > ?)`,
    ),
    objection: db.prepare(
      `INSERT INTO objections (tenant, point_key, controller, channel, at, via) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, point_key, controller, channel, at) DO UPDATE SET ${OBJECTION_MERGE}`,
    ),
    contact: db.prepare(
      `INSERT INTO contacts_made (tenant, point_key, controller, channel, at, outcome, advertiser, sector)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, point_key, controller, channel, at) DO UPDATE SET ${CONTACT_MERGE}`,
    ),
    callback: db.prepare(
      `INSERT INTO callback_requests (tenant, point_key, controller, at, slot_from, slot_to, subject)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant, point_key, controller, at) DO UPDATE SET ${CALLBACK_MERGE}`,
    ),
    notice: db.prepare(
      "INSERT OR IGNORE INTO notices (tenant, point_key, controller, at) VALUES (?, ?, ?, ?)",
    ),
    snapshot: db.prepare(
      "INSERT INTO registry_snapshots (tenant, seq, checked_at, complete) VALUES (?, ?, ?, ?)",
    ),
    entry: db.prepare(
      `INSERT OR REPLACE INTO registry_entries (tenant, point_key, snapshot_seq, checked_at, registered, registered_at, effective_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    // Erased since the earliest erasure, whatever order they were recorded in.
    erasePoint: db.prepare(
      `INSERT INTO points (tenant, point_key, type, value, erased_at) VALUES (?, ?, ?, NULL, ?)
       ON CONFLICT (tenant, point_key) DO UPDATE SET value = NULL,
         erased_at = min(coalesce(points.erased_at, excluded.erased_at), excluded.erased_at)`,
    ),
    link: db.prepare(
      `WITH u (tenant, a, b) AS (VALUES (?, ?, ?))
       INSERT OR IGNORE INTO subject_links (tenant, point_key, other_key)
       SELECT tenant, a, b FROM u UNION SELECT tenant, b, a FROM u`,
    ),
    erasePii: db.prepare("DELETE FROM event_pii WHERE tenant = ? AND point_key = ?"),
    // What an erased point held goes with it; the events stay, keyed. Sources, consents and callback
    // requests recorded after the erasure are refused: the same state in whichever order they came.
    eraseSources: db.prepare("DELETE FROM sources WHERE tenant = ? AND point_key = ?"),
    eraseConsents: db.prepare("DELETE FROM consents WHERE tenant = ? AND point_key = ?"),
    eraseCallbacks: db.prepare("DELETE FROM callback_requests WHERE tenant = ? AND point_key = ?"),
    // A double opt-in sent to the point can no longer be confirmed (schema 11).
    erasePending: db.prepare("DELETE FROM pending_consents WHERE tenant = ? AND point_key = ?"),
    recordImport: db.prepare(
      "INSERT INTO imports (tenant, kind, file_sha256, imported_at, summary) VALUES (?, ?, ?, ?, ?)",
    ),
    findImport: db.prepare(
      "SELECT kind, file_sha256, imported_at, summary FROM imports WHERE tenant = ? AND kind = ? AND file_sha256 = ?",
    ),
    // One statement per table for a whole batch of points: keys come as a JSON array.
    reach: reachStatement(db),
    events: db.prepare(`${EVENTS_WITH_PII} WHERE e.tenant = ? AND e.seq >= ? ORDER BY e.seq`),
    eventsOf: db.prepare(`${EVENTS_WITH_PII} WHERE e.tenant = ? AND e.point_key = ? ORDER BY e.seq`),
    registryEntries: db.prepare(
      `SELECT point_key, registered, registered_at, effective_at FROM registry_entries
       WHERE tenant = ? AND snapshot_seq = ? ORDER BY point_key`,
    ),
    pointKeys: db
      .prepare(
        // A point linked to another has evidence through it, events or not (Evidence.person).
        `SELECT point_key FROM events WHERE tenant = @tenant AND point_key <> ''
         UNION SELECT point_key FROM subject_links WHERE tenant = @tenant ORDER BY point_key`,
      )
      .pluck(),
    snapshots: db.prepare(
      "SELECT seq, checked_at, complete FROM registry_snapshots WHERE tenant = ? ORDER BY checked_at, seq",
    ),
    // In the table's own order: through an index, each row would cost a random read.
    registryRows: db
      .prepare(
        "SELECT point_key, snapshot_seq, registered, registered_at, effective_at FROM registry_entries NOT INDEXED WHERE tenant = ?",
      )
      .raw(true),
    tenants: db.prepare(TENANTS_SQL).pluck(),
    // Each state table in key order, through its primary key.
    state: STATE_TABLES.map((t) => ({
      table: t,
      rows: db
        .prepare(
          `SELECT ${t.distinct ? "DISTINCT " : ""}${columnsOf(t)
            .map(([c]) => c)
            .join(", ")} FROM ${t.name} WHERE tenant = ? ORDER BY ${t.key.map(([c]) => c).join(", ")}`,
        )
        .raw(true),
    })),
    meta: db.prepare("SELECT value FROM store_meta WHERE name = ?").pluck(),
    recordMeta: db.prepare(
      "INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
    ),
    retention: db.prepare(
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

export class SqliteStore implements Store {
  readonly dialect = "sqlite" as const;
  private readonly db: Db;
  private readonly sql: ReturnType<typeof statements>;

  /** The data and proof texts of events, interned (event-rows.ts). */
  private readonly texts: TextNumbers;
  /** The webhook subscriptions' statements (webhooks-sql.ts). */
  private readonly hooks: Record<keyof ReturnType<typeof webhookSql>, Database.Statement>;
  /** Every evidence row a batch of points needs, in one statement (evidence-read.ts). */
  private readonly readEvidence: (tenant: string, keys: readonly string[]) => EvidenceRead;
  /** One point's evidence: with the held-parts map, joined to the other reads of its turn. */
  private readonly readOne: (tenant: string, keys: readonly string[]) => Promise<Evidence>;
  /** The projection's rows (projection.ts `writeOf`), each by the statements of its kind. */
  private readonly write: Record<StateKind, (row: SqlValue[]) => void>;

  /**
   * `heldParts`: keep in memory which evidence tables hold rows about each key (held-parts.ts),
   * for a long-lived process that reads evidence point by point — a server.
   */
  constructor(path: string, options: { readonly heldParts?: boolean } = {}) {
    // The store holds personal data: 0600 whatever the umask. SQLite creates a new file 0644 and
    // gives -wal and -shm the mode of the database file, so the file is created (or narrowed)
    // first; -wal and -shm left by an older version are narrowed once they exist.
    const onDisk = path !== "" && path !== ":memory:";
    if (onDisk) {
      closeSync(openSync(path, "a", PRIVATE_FILE));
      keepPrivate(path);
    }
    this.db = new Database(path);
    // WAL lets readers work during an import; FULL makes every acknowledged commit durable.
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("busy_timeout = 10000");
    // Deleted content is overwritten with zeros, not left in free pages: an erased person's data
    // must not be readable from the file afterwards.
    this.db.pragma("secure_delete = ON");
    // 64 MiB of page cache instead of 2: point keys and event ids are random, so a batch touches
    // index pages all over the file (bench/store.ts: statements ~30% faster).
    this.db.pragma("cache_size = -65536");
    migrate(this.db);
    if (onDisk) for (const suffix of ["-wal", "-shm"]) keepPrivate(`${path}${suffix}`);
    this.sql = statements(this.db);
    this.write = writers(this.sql);
    this.texts = new TextNumbers(this.db);
    this.readEvidence = evidenceReader(this.db, options.heldParts ? new HeldParts(this.db) : undefined);
    // Without the map a batch walks every table for every key: reads are joined only with it.
    const readMany = this.evidenceMany.bind(this);
    this.readOne = options.heldParts
      ? coalescedReads(readMany)
      : async (tenant, keys) => (await readMany(tenant, [keys]))[0] as Evidence;
    const sql = webhookSql(() => "?");
    this.hooks = {
      list: this.db.prepare(sql.list),
      add: this.db.prepare(sql.add),
      remove: this.db.prepare(sql.remove),
      removeDead: this.db.prepare(sql.removeDead),
      move: this.db.prepare(sql.move),
      deadLetter: this.db.prepare(sql.deadLetter),
      deadLetters: this.db.prepare(sql.deadLetters),
      campaigns: this.db.prepare(sql.campaigns),
      addCampaign: this.db.prepare(sql.addCampaign),
    };
  }

  /** The store as a batch starts, for the planner (read inside the write transaction). */
  private stateFor(events: readonly NewEvent[], eventIds: readonly string[]): AppendState {
    const s = this.sql;
    const heads = new Map<string, ChainHead | null>();
    const head = (tenant: string): ChainHead | null => {
      if (!heads.has(tenant)) heads.set(tenant, (s.head.get(tenant) as ChainHead | undefined) ?? null);
      return heads.get(tenant) ?? null;
    };
    const asked = lookupsFor(events, eventIds, (tenant) => head(tenant) !== null);
    const existing = new Map<string, Set<string>>();
    for (const [tenant, ids] of asked.eventIds) {
      const found = s.existingIds.all(tenant, JSON.stringify(ids)) as Buffer[];
      existing.set(tenant, new Set(found.map(hex)));
    }
    const points = new Map<string, Map<string, HeldPoint>>();
    for (const [tenant, keys] of asked.pointKeys) {
      const rows = s.heldPoints.all(tenant, JSON.stringify(keys)) as PointRow[];
      points.set(tenant, new Map(rows.map((r) => [r.point_key, { value: r.value, erasedAt: r.erased_at }])));
    }
    return appendState(head, { existing, points });
  }

  async append(events: readonly NewEvent[]): Promise<AppendResult> {
    return this.db
      .transaction(() => {
        this.texts.forget();
        return this.appendNow(events);
      })
      .immediate();
  }

  /**
   * better-sqlite3's transactions are synchronous, and an import reads its file asynchronously
   * between batches: the transaction is opened and closed by hand. Nothing else uses this
   * connection meanwhile (one store per process, and SQLite serializes writers across processes).
   */
  async bulk<T>(body: (w: BulkWriter) => Promise<T>): Promise<T> {
    const s = this.sql;
    this.db.exec("BEGIN IMMEDIATE");
    this.texts.forget();
    let ended = () => {};
    this.bulkEnded = new Promise<void>((resolve) => {
      ended = resolve;
    });
    try {
      const result = await body({
        append: async (events) => this.appendNow(events),
        registry: async (tenant, snapshotSeq, checkedAt, entries) => {
          for (const r of entries) {
            s.entry.run(
              tenant,
              r.pointKey,
              snapshotSeq,
              checkedAt,
              bool(r.registered),
              r.registeredAt,
              r.effectiveAt,
            );
          }
        },
        recordImport: async (tenant, record) => {
          s.recordImport.run(
            tenant,
            record.kind,
            record.fileSha256,
            Date.now(),
            JSON.stringify(record.summary),
          );
        },
      });
      this.db.exec("COMMIT");
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw e;
    } finally {
      this.bulkEnded = null;
      ended();
    }
  }

  private appendNow(events: readonly NewEvent[]): AppendResult {
    const s = this.sql;
    const eventIds = events.map(eventIdOf);
    const plan = planAppend(events, this.stateFor(events, eventIds), Date.now(), eventIds);
    for (const { event: e, ops, texts, piiText } of plan.events) {
      s.insertEvent.run(eventValues(e, texts, (text) => this.texts.idOf(text)));
      if (piiText !== null) s.insertPii.run(e.tenant, e.seq, e.pointKey, piiText);
      for (const op of ops) {
        const { kind, values } = writeOf(e, op);
        this.write[kind](values.map(sqlValue));
      }
    }
    for (const n of plan.nodes) s.insertNode.run(n.tenant, n.level, n.idx, n.hash);
    for (const [tenant, head] of plan.heads) s.setHead.run(tenant, head.seq, head.hash, head.tree);
    return plan.result;
  }

  evidence(tenant: string, keys: readonly string[]): Promise<Evidence> {
    return this.readOne(tenant, keys);
  }

  async evidenceMany(tenant: string, points: readonly (readonly string[])[]): Promise<Evidence[]> {
    // A point may be asked for twice in one batch (a list naming it on two rows): each gets it all.
    const owners = new Map<string, number[]>();
    points.forEach((keys, i) => {
      for (const key of new Set(keys)) {
        const list = owners.get(key);
        if (list === undefined) owners.set(key, [i]);
        else list.push(i);
      }
    });
    const read = this.readEvidence(tenant, [...owners.keys()]);
    const rows: EvidenceRows[] = points.map(noEvidenceRows);
    const into = <K extends keyof EvidenceRows>(table: K, found: readonly { point_key: string }[]) => {
      for (const row of found) {
        for (const i of owners.get(row.point_key) ?? []) (rows[i] as EvidenceRows)[table].push(row as never);
      }
    };
    const own = read.own;
    into("points", own.points);
    into("sources", own.sources);
    into("consents", own.consents);
    into("objections", own.objections);
    into("contacts", own.contacts);
    into("notices", own.notices);
    into("callbacks", own.callbacks);
    into("registry", own.entries);
    // A complete snapshot that does not list the number says it was clean that day.
    if (read.completeSnapshots.length > 0) {
      const listed = new Set<string>();
      for (const e of own.entries)
        for (const i of owners.get(e.point_key) ?? []) listed.add(`${i}:${e.snapshot_seq}`);
      rows.forEach((r, i) => {
        for (const snap of read.completeSnapshots) {
          if (!listed.has(`${i}:${snap.seq}`)) {
            r.registry.push({
              checked_at: snap.checked_at,
              registered: 0,
              registered_at: null,
              effective_at: null,
            });
          }
        }
      });
    }
    const persons = personsOf(points, read);
    return rows.map((r, i) => evidenceFromRows(r, persons[i]));
  }

  async personKeys(tenant: string, keys: readonly string[]): Promise<string[]> {
    const own = new Set(keys);
    const reached = this.sql.reach.all({ tenant, keys: JSON.stringify([...own]) }) as {
      key: string;
    }[];
    const others = new Set(reached.map((r) => r.key).filter((k) => !own.has(k)));
    return [...others].sort();
  }

  async *events(tenant: string, fromSeq = 1): AsyncIterable<StoredEvent> {
    for (const row of this.sql.events.iterate(tenant, fromSeq)) yield eventFromRow(row as EventRow);
  }

  async eventsOf(tenant: string, keys: readonly string[]): Promise<StoredEvent[]> {
    const out = [...new Set(keys)].flatMap((key) =>
      (this.sql.eventsOf.all(tenant, key) as EventRow[]).map(eventFromRow),
    );
    return out.sort((a, b) => a.seq - b.seq);
  }

  async chainHead(tenant: string): Promise<ChainHead | null> {
    return (this.sql.head.get(tenant) as ChainHead | undefined) ?? null;
  }

  async tenants(): Promise<string[]> {
    return this.sql.tenants.all() as string[];
  }

  async eventHashes(tenant: string, fromSeq: number, toSeq: number): Promise<string[]> {
    return (this.sql.eventHashes.all(tenant, fromSeq, toSeq) as Buffer[]).map(hex);
  }

  async treeNodes(tenant: string, level: number, from: number, to: number): Promise<Uint8Array[]> {
    return this.sql.treeNodes.all(tenant, level, from, to) as Uint8Array[];
  }

  async treeNodeCount(tenant: string): Promise<number> {
    return this.sql.treeNodeCount.get(tenant) as number;
  }

  async sealTree(
    tenant: string,
    head: ChainHead,
    tree: Uint8Array,
    nodes: readonly TreeNodeRow[],
  ): Promise<boolean> {
    const s = this.sql;
    return this.db
      .transaction(() => {
        if (s.seal.run(tree, tenant, head.seq, head.hash).changes === 0) return false;
        for (const n of nodes) s.insertNode.run(tenant, n.level, n.idx, n.hash);
        return true;
      })
      .immediate();
  }

  async *stateRows(tenant: string): AsyncIterable<StateRow> {
    for (const { table, rows } of this.sql.state) {
      for (const row of rows.iterate(tenant)) yield stateRowOf(table, row as unknown[]);
    }
  }

  async *registryEntries(tenant: string, snapshotSeq: number): AsyncIterable<RegistryEntry> {
    for (const row of this.sql.registryEntries.iterate(tenant, snapshotSeq)) {
      const r = row as {
        point_key: string;
        registered: number;
        registered_at: number | null;
        effective_at: number | null;
      };
      yield {
        pointKey: r.point_key,
        registered: r.registered === 1,
        registeredAt: r.registered_at,
        effectiveAt: r.effective_at,
      };
    }
  }

  async findImport(tenant: string, kind: string, fileSha256: string): Promise<ImportRecord | null> {
    const row = this.sql.findImport.get(tenant, kind, fileSha256) as ImportRow | undefined;
    return row === undefined ? null : importFromRow(row);
  }

  async *pointKeys(tenant: string): AsyncIterable<string> {
    for (const key of this.sql.pointKeys.iterate({ tenant })) yield key as string;
  }

  async registrySnapshots(tenant: string): Promise<RegistrySnapshot[]> {
    const rows = this.sql.snapshots.all(tenant) as { seq: number; checked_at: number; complete: number }[];
    return rows.map((r) => ({ seq: r.seq, checkedAt: r.checked_at, complete: r.complete === 1 }));
  }

  async *registryRows(tenant: string): AsyncIterable<SnapshotRow> {
    for (const row of this.sql.registryRows.iterate(tenant)) {
      const [pointKey, snapshotSeq, registered, registeredAt, effectiveAt] = row as [
        string,
        number,
        number,
        number | null,
        number | null,
      ];
      yield { pointKey, snapshotSeq, registered: registered === 1, registeredAt, effectiveAt };
    }
  }

  async *retentionCandidates(tenant: string): AsyncIterable<RetentionCandidate> {
    for (const row of this.sql.retention.iterate(tenant)) yield retentionFromRow(row as RetentionRow);
  }

  async scrub(): Promise<string[]> {
    // The WAL still holds the pages as they were before the erasure until it is checkpointed.
    const [r] = this.db.pragma("wal_checkpoint(TRUNCATE)") as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    return r === undefined || r.busy === 0
      ? []
      : [
          `${this.db.name}-wal: another connection was reading the store; the log is checkpointed when it closes (or at the next erasure)`,
        ];
  }

  async meta(name: string): Promise<string | null> {
    return (this.sql.meta.get(name) as string | undefined) ?? null;
  }

  async recordMeta(name: string, value: string): Promise<string> {
    this.sql.recordMeta.run(name, value);
    return this.sql.meta.get(name) as string;
  }

  async webhooks(tenant: string): Promise<WebhookSubscription[]> {
    return (this.hooks.list.all(tenant) as WebhookRow[]).map(subscriptionOf);
  }

  async addWebhook(
    tenant: string,
    w: Omit<WebhookSubscription, "progress"> & { readonly fromSeq: number },
  ): Promise<void> {
    this.hooks.add.run(
      tenant,
      w.id,
      w.url,
      JSON.stringify(w.events),
      bool(w.personalData),
      w.secret,
      w.createdAt,
      w.fromSeq,
    );
  }

  async removeWebhook(tenant: string, id: string): Promise<boolean> {
    return this.db
      .transaction(() => {
        this.hooks.removeDead.run(tenant, id);
        return this.hooks.remove.run(tenant, id).changes > 0;
      })
      .immediate();
  }

  async moveWebhook(
    tenant: string,
    id: string,
    fromSeq: number,
    to: WebhookProgress,
    dead?: DeadLetter,
  ): Promise<boolean> {
    return this.db
      .transaction(() => {
        if (this.hooks.move.run(moveValues(tenant, id, fromSeq, to)).changes === 0) return false;
        if (dead !== undefined) {
          this.hooks.deadLetter.run(tenant, id, dead.seq, dead.failedAt, dead.attempts, dead.error);
        }
        return true;
      })
      .immediate();
  }

  async deadLetters(tenant: string, id: string): Promise<DeadLetter[]> {
    return (this.hooks.deadLetters.all(tenant, id) as DeadLetterRow[]).map(deadLetterOf);
  }

  async clearDeadLetters(tenant: string, id: string): Promise<void> {
    this.hooks.removeDead.run(tenant, id);
  }

  async campaigns(tenant: string): Promise<StoredCampaignRow[]> {
    return (this.hooks.campaigns.all(tenant) as CampaignRow[]).map(campaignOf);
  }

  async addCampaign(tenant: string, c: StoredCampaignRow): Promise<void> {
    this.hooks.addCampaign.run(tenant, c.id, c.createdAt, JSON.stringify(c.body));
  }

  private readonly sharedStatements = new Map<SharedStatement, Database.Statement>();

  /**
   * Set while an import's transaction is open on this connection (`bulk`, which awaits between
   * batches): a shared write made meanwhile would land inside it, and vanish if the import rolled
   * back, so it waits for the import's end. Reads go on.
   */
  private bulkEnded: Promise<void> | null = null;

  async shared(statement: SharedStatement, values: readonly SharedValue[]): Promise<SharedRow[]> {
    let st = this.sharedStatements.get(statement);
    if (st === undefined) {
      st = this.db.prepare(SHARED[statement]);
      this.sharedStatements.set(statement, st);
    }
    if (!/^\s*SELECT\b/.test(SHARED[statement])) {
      while (this.bulkEnded !== null) await this.bulkEnded;
    }
    if (st.reader) return st.all(...values) as SharedRow[];
    st.run(...values);
    return [];
  }

  /** Runs raw SQL: for tests that tamper with the log to check that the audit notices. */
  unsafeExec(sql: string): void {
    this.db.exec(sql);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** The rows of the other points of each point's person (links followed from its keys). */
function personsOf(points: readonly (readonly string[])[], read: EvidenceRead): PersonRows[] {
  const persons: PersonRows[] = points.map(noPersonRows);
  if (read.reached.length === 0) return persons;
  const byKey = new Map<string, Set<number>>();
  points.forEach((keys, i) => {
    const own = new Set(keys);
    const others = new Set<string>();
    for (const r of read.reached) if (own.has(r.origin) && !own.has(r.key)) others.add(r.key);
    for (const key of [...others].sort()) {
      (persons[i] as PersonRows).keys.push(key);
      const set = byKey.get(key) ?? new Set<number>();
      set.add(i);
      byKey.set(key, set);
    }
  });
  const into = (table: "points" | "objections" | "contacts", found: readonly { point_key: string }[]) => {
    for (const row of found) {
      for (const i of byKey.get(row.point_key) ?? []) (persons[i] as PersonRows)[table].push(row as never);
    }
  };
  into("points", read.linked.points);
  into("objections", read.linked.objections);
  into("contacts", read.linked.contacts);
  return persons;
}

/**
 * The points reached from each key of a JSON array through the links (both directions are stored);
 * CROSS JOIN keeps the walk as the outer loop (evidence-read.ts says why).
 */
function reachStatement(db: Database.Database) {
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
