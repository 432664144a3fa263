// The embedded default store: one SQLite file (better-sqlite3, WAL). Writes are synchronous and
// serialized by SQLite itself, which also keeps the hash chain in one order; an import's are made
// on a writer thread of the store's (writer-thread.ts), its other writes waiting for its end.
import { closeSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import type { NewEvent, StoredEvent } from "../../evidence/events.ts";
import { keepPrivate, PRIVATE_FILE } from "../../io/private-files.ts";
import {
  type EventRow,
  type EvidenceRows,
  eventFromRow,
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
import { MIGRATIONS, refuseNewerSchema } from "../schema.ts";
import {
  type SharedRow,
  type SharedStatement,
  type SharedValue,
  sharedSql,
  UNDURABLE,
} from "../shared-sql.ts";
import { type StateRow, stateRowOf } from "../state-tables.ts";
import {
  type AppendResult,
  type BulkWriter,
  type ChainHead,
  type DeadLetter,
  type Evidence,
  type ImportRecord,
  type RegistryEntry,
  type RegistrySnapshot,
  type RetentionCandidate,
  type SnapshotRow,
  type Store,
  type StoredCampaignRow,
  StoreOpenError,
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
import { BatchWrites, type BulkConnection, sameThread } from "./batch-writes.ts";
import { coalescedReads } from "./coalesced-reads.ts";
import { type EvidenceRead, evidenceReader } from "./evidence-read.ts";
import { FileMapping, type MappingOptions } from "./file-mapping.ts";
import { HeldParts } from "./held-parts.ts";
import { PipelinedAppends } from "./pipelined-appends.ts";
import { bool, openConnection, type Statements, statements } from "./statements.ts";
import { WriterThread } from "./writer-thread.ts";

type Db = Database.Database;

const SHARED = sharedSql(() => "?");

function migrate(db: Db): void {
  db.function("vigie_sha256", { deterministic: true }, (text) => sha256(String(text)));
  db.function("vigie_refuse", (why) => {
    // A migration's check failed: its transaction rolls back, the store is left as it was.
    throw new StoreUpgradeError(String(why));
  });
  refuseForeignDatabase(db);
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const applied = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  refuseNewerSchema(applied);
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

export class SqliteStore implements Store {
  readonly dialect = "sqlite" as const;
  private readonly db: Db;
  private readonly sql: Statements;

  /** The append statements on this connection (batch-writes.ts). */
  private readonly batch: BatchWrites;
  /** A bulk's transaction on this connection: for a store in memory, which no other connection sees. */
  private readonly own: BulkConnection;
  /** The store's file, whose bulks run on a writer thread (writer-thread.ts); null in memory. */
  private readonly file: string | null;
  /** Started at the first bulk, ended with the store. */
  private writer: WriterThread | null = null;
  /** The webhook subscriptions' statements (webhooks-sql.ts). */
  private readonly hooks: Record<keyof ReturnType<typeof webhookSql>, Database.Statement>;
  /** A server's mapping of the file, following other connections' commits; null elsewhere. */
  readonly mapping: FileMapping | null;
  /** Which tables hold rows about each key, for a server (held-parts.ts); null elsewhere. */
  private readonly held: HeldParts | null;
  /** Every evidence row a batch of points needs, in one statement (evidence-read.ts). */
  private readonly readEvidence: (tenant: string, keys: readonly string[]) => EvidenceRead;
  /** One point's evidence: with the held-parts map, joined to the other reads of its turn. */
  private readonly readOne: (tenant: string, keys: readonly string[]) => Promise<Evidence>;

  /**
   * `heldParts`: keep in memory which evidence tables hold rows about each key (held-parts.ts),
   * for a long-lived process that reads evidence point by point — a server, whose file is then
   * mapped as file-mapping.ts says (`mapping`: its polling, which tests make quick).
   */
  constructor(
    path: string,
    options: { readonly heldParts?: boolean; readonly mapping?: MappingOptions } = {},
  ) {
    // The store holds personal data: 0600 whatever the umask. SQLite creates a new file 0644 and
    // gives -wal and -shm the mode of the database file, so the file is created (or narrowed)
    // first; -wal and -shm left by an older version are narrowed once they exist.
    const onDisk = path !== "" && path !== ":memory:";
    if (onDisk) {
      closeSync(openSync(path, "a", PRIVATE_FILE));
      keepPrivate(path);
    }
    this.db = openFile(path);
    migrate(this.db);
    // A server's reads seek random points all over the file: mapped, a page already in the OS's
    // cache is read without a system call (a check's seek 3.1 → 1.4 µs, measured on a store of
    // 1 M points) — while other connections commit seldom (file-mapping.ts). Only there: a mapped
    // page counts in the process's resident memory.
    this.mapping = onDisk && options.heldParts ? new FileMapping(this.db, options.mapping) : null;
    if (onDisk) for (const suffix of ["-wal", "-shm"]) keepPrivate(`${path}${suffix}`);
    this.sql = statements(this.db);
    this.batch = new BatchWrites(this.db, this.sql);
    this.own = sameThread(this.db, this.batch);
    this.file = onDisk ? path : null;
    this.held = options.heldParts ? new HeldParts(this.db) : null;
    this.readEvidence = evidenceReader(this.db, this.held ?? undefined);
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

  async append(events: readonly NewEvent[]): Promise<AppendResult> {
    await this.writeTurn();
    return this.db
      .transaction(() => {
        this.batch.began();
        return this.batch.append(events);
      })
      .immediate();
  }

  /**
   * An import's transaction, open across the awaits of reading its file: on the writer thread for
   * a store in a file, its batches planned here while the thread writes the one before
   * (pipelined-appends.ts); on this connection for a store in memory. Bulks run one at a time.
   */
  async bulk<T>(body: (w: BulkWriter) => Promise<T>): Promise<T> {
    // Counted as it is called, so that a write asked for after it waits for it.
    this.bulksOpen++;
    const before = this.bulkTail;
    let ended = () => {};
    this.bulkTail = new Promise<void>((resolve) => {
      ended = resolve;
    });
    await before;
    try {
      if (this.writer?.broken === true) {
        await this.writer.close();
        this.writer = null;
      }
      if (this.file !== null) this.writer ??= new WriterThread(this.file);
      const c = this.writer?.connection ?? this.own;
      try {
        await c.begin();
        const appends = new PipelinedAppends(c);
        const result = await body(appends);
        await appends.finish();
        await c.commit();
        return result;
      } catch (e) {
        await c.rollback().catch(() => {});
        throw e;
      }
    } finally {
      this.bulksOpen--;
      ended();
    }
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
    await this.writeTurn();
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
    await this.writeTurn();
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
    await this.writeTurn();
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
    await this.writeTurn();
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
    await this.writeTurn();
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
    await this.writeTurn();
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
    await this.writeTurn();
    this.hooks.removeDead.run(tenant, id);
  }

  async campaigns(tenant: string): Promise<StoredCampaignRow[]> {
    return (this.hooks.campaigns.all(tenant) as CampaignRow[]).map(campaignOf);
  }

  async addCampaign(tenant: string, c: StoredCampaignRow): Promise<void> {
    await this.writeTurn();
    this.hooks.addCampaign.run(tenant, c.id, c.createdAt, JSON.stringify(c.body));
  }

  private readonly sharedStatements = new Map<SharedStatement, Database.Statement>();

  /**
   * Set while an import's transaction is open (`bulk`, which awaits between batches): on this
   * connection, a write made meanwhile would land inside it, and vanish if the import rolled back;
   * on the writer thread's, it would wait for the thread's lock, holding this thread — which the
   * import needs to go on. So every write waits for the import's end (`writeTurn`). Reads go on.
   */
  private bulksOpen = 0;
  /** Settles when the last bulk asked for ends (each waits for the one before). */
  private bulkTail: Promise<void> = Promise.resolve();

  private async writeTurn(): Promise<void> {
    while (this.bulksOpen > 0) await this.bulkTail;
  }

  async shared(statement: SharedStatement, values: readonly SharedValue[]): Promise<SharedRow[]> {
    let st = this.sharedStatements.get(statement);
    if (st === undefined) {
      st = this.db.prepare(SHARED[statement]);
      this.sharedStatements.set(statement, st);
    }
    if (!/^\s*SELECT\b/.test(SHARED[statement])) await this.writeTurn();
    if (st.reader) return st.all(...values) as SharedRow[];
    if (!UNDURABLE.has(statement)) {
      st.run(...values);
      return [];
    }
    // In WAL mode, NORMAL commits without an fsync: the file stays consistent, and a crash can lose
    // only this write (statements.ts sets FULL for every other).
    this.db.pragma("synchronous = NORMAL");
    try {
      st.run(...values);
    } finally {
      this.db.pragma("synchronous = FULL");
    }
    return [];
  }

  async warm(tenant: string): Promise<number | null> {
    return this.held?.warm(tenant) ?? null;
  }

  /** Runs raw SQL: for tests that tamper with the log to check that the audit notices. */
  unsafeExec(sql: string): void {
    this.db.exec(sql);
  }

  async close(): Promise<void> {
    this.mapping?.stop();
    await this.writer?.close();
    this.db.close();
  }
}

/**
 * The store's connection; a file that is not a SQLite database (another file given as --store, a
 * truncated or overwritten copy) refused by name, where SQLite's own words came with a stack trace.
 */
function openFile(path: string): Database.Database {
  try {
    return openConnection(path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code !== "SQLITE_NOTADB" && code !== "SQLITE_CORRUPT") throw e;
    throw new StoreOpenError(
      `${path}: not a vigie store, or a damaged one (SQLite: ${(e as Error).message}); its content is left as it was`,
    );
  }
}

/**
 * Refuses a SQLite database of another program (a CRM's file given as --store): it holds tables
 * but no `schema_migrations`, and migrating would write vigie's thirty tables into it.
 */
function refuseForeignDatabase(db: Db): void {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  if (tables.length === 0 || tables.includes("schema_migrations")) return;
  const shown = tables.slice(0, 5).join(", ") + (tables.length > 5 ? ", …" : "");
  throw new StoreOpenError(
    `${db.name}: not a vigie store — a database of another program (its tables: ${shown}); vigie writes nothing into it: give a new file, or a vigie store`,
  );
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
