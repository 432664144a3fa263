// The server store: PostgreSQL through a pg.Pool. Appends from several connections (or processes)
// are serialized per tenant by locking the tenant's chain head row, so each chain stays one line
// with no gap. A batch is planned in memory (src/evidence/append-plan.ts) from the store as it is
// once that lock is held, then written with multi-row statements: `INSERT … SELECT FROM unnest()`
// of one array per column, a few thousand rows a statement. Event data, proof and personal data
// stay TEXT, never jsonb: the hashes cover their JSON text, which must come back byte for byte.
//
// This module ties the pieces together: pool.ts (connections, transactions), migrations.ts (the
// schema), append.ts with write-plan.ts, row-kinds.ts and write-registry.ts (the writes),
// evidence.ts, streams.ts and lookups.ts (the reads), meta.ts (facts about the whole store).
import pg from "pg";
import type { NewEvent, StoredEvent } from "../../evidence/events.ts";
import { type SharedRow, type SharedStatement, type SharedValue, sharedSql } from "../shared-sql.ts";
import type { StateRow } from "../state-tables.ts";
import type {
  AppendResult,
  BulkWriter,
  ChainHead,
  DeadLetter,
  Evidence,
  ImportRecord,
  RegistryEntry,
  RegistrySnapshot,
  RetentionCandidate,
  SnapshotRow,
  Store,
  StoredCampaignRow,
  TreeNodeRow,
  WebhookProgress,
  WebhookSubscription,
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
import { appendOn, insertNodes, PipelinedAppends } from "./append.ts";
import * as evidence from "./evidence.ts";
import * as lookups from "./lookups.ts";
import * as meta from "./meta.ts";
import { migrate } from "./migrations.ts";
import { inTransaction, run, types } from "./pool.ts";
import { StatementQueue } from "./statement-queue.ts";
import * as streams from "./streams.ts";
import { writeRegistry } from "./write-registry.ts";

export interface PostgresStoreOptions {
  /**
   * The schema to keep the tables in, created if missing; by default the connection's
   * search_path (usually `public`). Lower-case letters, digits and `_`.
   */
  readonly schema?: string;
  /** Connections in the pool (default 10). */
  readonly max?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

const HOOKS = webhookSql((i) => `$${i}`);
const SHARED = sharedSql((i) => `$${i}`);

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

  /**
   * One transaction on one connection; the writer's calls run one after the other. An append
   * returns once its batch is planned; its writes are sent behind the next batch's lookups
   * (append.ts `PipelinedAppends`, statement-queue.ts): the import builds and plans its next batch
   * while PostgreSQL runs them. The transaction commits only once every write has run; the first
   * that failed fails the import.
   */
  async bulk<T>(body: (w: BulkWriter) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (connection) => {
      const c = new StatementQueue(connection);
      let last: Promise<unknown> = Promise.resolve();
      const serial = <R>(step: () => Promise<R>): Promise<R> => {
        const next = last.then(step, step);
        last = next.catch(() => {});
        return next;
      };
      /** The writes queued so far: settled with the first failure, if any (handled, awaited below). */
      let written: Promise<void> = Promise.resolve();
      // A write that failed aborts the transaction and every statement after it: its own error
      // is the one to report.
      const afterWrites = async <R>(step: Promise<R>): Promise<R> => {
        try {
          return await step;
        } catch (e) {
          await written;
          throw e;
        }
      };
      const appends = new PipelinedAppends(c, (next) => {
        written = Promise.all([written, next]).then(() => {});
        written.catch(() => {});
      });
      /** A write other than an append's: after the held batch's writes. */
      const write = <R>(step: () => Promise<R>): Promise<R> =>
        serial(() => {
          appends.send();
          return afterWrites(step());
        });
      let result: T;
      try {
        result = await body({
          append: (events) => serial(() => afterWrites(appends.append(events))),
          registry: (tenant, snapshotSeq, checkedAt, entries) =>
            write(() => writeRegistry(c, { tenant, snapshotSeq, checkedAt }, entries)),
          recordImport: (tenant, record) =>
            write(async () => {
              await run(
                c,
                "import_record",
                "INSERT INTO imports (tenant, kind, file_sha256, imported_at, summary) VALUES ($1, $2, $3, $4, $5)",
                [tenant, record.kind, record.fileSha256, Date.now(), JSON.stringify(record.summary)],
              );
            }),
        });
        await serial(async () => appends.finish());
        await written;
      } finally {
        // Nothing may run outside the transaction: the queue drains before it commits or rolls back.
        await c.drained();
      }
      return result;
    });
  }

  async evidence(tenant: string, keys: readonly string[]): Promise<Evidence> {
    return evidence.evidence(this.pool, tenant, keys);
  }

  /** One query per point, run side by side on the pool's connections. */
  async evidenceMany(tenant: string, points: readonly (readonly string[])[]): Promise<Evidence[]> {
    return evidence.evidenceMany(this.pool, tenant, points);
  }

  personKeys(tenant: string, keys: readonly string[]): Promise<string[]> {
    return evidence.personKeys(this.pool, tenant, keys);
  }

  async scrub(): Promise<string[]> {
    // Deleted rows stay in the tables' pages until vacuumed; the server's WAL and backups are its
    // administrator's to rotate.
    await this.pool.query("VACUUM event_pii, points, sources, consents");
    return [
      "PostgreSQL: the server's write-ahead log and its backups keep the erased rows until they are rotated",
    ];
  }

  /** Pages of the log by sequence number: memory stays flat whatever the log's length. */
  events(tenant: string, fromSeq = 1): AsyncIterable<StoredEvent> {
    return streams.events(this.pool, tenant, fromSeq);
  }

  async eventsOf(tenant: string, keys: readonly string[]): Promise<StoredEvent[]> {
    return lookups.eventsOf(this.pool, tenant, keys);
  }

  async chainHead(tenant: string): Promise<ChainHead | null> {
    return lookups.chainHead(this.pool, tenant);
  }

  async tenants(): Promise<string[]> {
    return lookups.tenants(this.pool);
  }

  async eventHashes(tenant: string, fromSeq: number, toSeq: number): Promise<string[]> {
    return lookups.eventHashes(this.pool, tenant, fromSeq, toSeq);
  }

  async treeNodes(tenant: string, level: number, from: number, to: number): Promise<Uint8Array[]> {
    return lookups.treeNodes(this.pool, tenant, level, from, to);
  }

  async treeNodeCount(tenant: string): Promise<number> {
    return lookups.treeNodeCount(this.pool, tenant);
  }

  async sealTree(
    tenant: string,
    head: ChainHead,
    tree: Uint8Array,
    nodes: readonly TreeNodeRow[],
  ): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      const r = await run(
        c,
        "tree_seal",
        "UPDATE chain_head SET tree = $4 WHERE tenant = $1 AND seq = $2 AND hash = $3 AND tree IS NULL",
        [tenant, head.seq, head.hash, tree],
      );
      if (r.rowCount === 0) return false;
      await insertNodes(
        c,
        nodes.map((n) => ({ tenant, ...n })),
      );
      return true;
    });
  }

  /** Pages of each state table by primary key. */
  stateRows(tenant: string): AsyncIterable<StateRow> {
    return streams.stateRows(this.pool, tenant);
  }

  /** Pages of rows by point key (the order of their digest). */
  registryEntries(tenant: string, snapshotSeq: number): AsyncIterable<RegistryEntry> {
    return streams.registryEntries(this.pool, tenant, snapshotSeq);
  }

  async findImport(tenant: string, kind: string, fileSha256: string): Promise<ImportRecord | null> {
    return lookups.findImport(this.pool, tenant, kind, fileSha256);
  }

  /** Pages of distinct keys, read from the index on (tenant, point_key). */
  pointKeys(tenant: string): AsyncIterable<string> {
    return streams.pointKeys(this.pool, tenant);
  }

  async registrySnapshots(tenant: string): Promise<RegistrySnapshot[]> {
    return lookups.registrySnapshots(this.pool, tenant);
  }

  /** Pages of rows by primary key. */
  registryRows(tenant: string): AsyncIterable<SnapshotRow> {
    return streams.registryRows(this.pool, tenant);
  }

  /** Pages of points by key. */
  retentionCandidates(tenant: string): AsyncIterable<RetentionCandidate> {
    return streams.retentionCandidates(this.pool, tenant);
  }

  async meta(name: string): Promise<string | null> {
    return meta.meta(this.pool, name);
  }

  async recordMeta(name: string, value: string): Promise<string> {
    return meta.recordMeta(this.pool, name, value);
  }

  /** Runs raw SQL: for tests that tamper with the log to check that the audit notices. */
  async unsafeExec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async webhooks(tenant: string): Promise<WebhookSubscription[]> {
    const r = await run(this.pool, "webhooks", HOOKS.list, [tenant]);
    return (r.rows as WebhookRow[]).map(subscriptionOf);
  }

  async addWebhook(
    tenant: string,
    w: Omit<WebhookSubscription, "progress"> & { readonly fromSeq: number },
  ): Promise<void> {
    await run(this.pool, "webhook_add", HOOKS.add, [
      tenant,
      w.id,
      w.url,
      JSON.stringify(w.events),
      w.personalData,
      w.secret,
      w.createdAt,
      w.fromSeq,
    ]);
  }

  async removeWebhook(tenant: string, id: string): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      await run(c, "webhook_remove_dead", HOOKS.removeDead, [tenant, id]);
      return ((await run(c, "webhook_remove", HOOKS.remove, [tenant, id])).rowCount ?? 0) > 0;
    });
  }

  async moveWebhook(
    tenant: string,
    id: string,
    fromSeq: number,
    to: WebhookProgress,
    dead?: DeadLetter,
  ): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      const moved = await run(c, "webhook_move", HOOKS.move, moveValues(tenant, id, fromSeq, to));
      if ((moved.rowCount ?? 0) === 0) return false;
      if (dead !== undefined) {
        await run(c, "webhook_dead", HOOKS.deadLetter, [
          tenant,
          id,
          dead.seq,
          dead.failedAt,
          dead.attempts,
          dead.error,
        ]);
      }
      return true;
    });
  }

  async deadLetters(tenant: string, id: string): Promise<DeadLetter[]> {
    const r = await run(this.pool, "webhook_dead_letters", HOOKS.deadLetters, [tenant, id]);
    return (r.rows as DeadLetterRow[]).map(deadLetterOf);
  }

  async clearDeadLetters(tenant: string, id: string): Promise<void> {
    await run(this.pool, "webhook_remove_dead", HOOKS.removeDead, [tenant, id]);
  }

  async campaigns(tenant: string): Promise<StoredCampaignRow[]> {
    const r = await run(this.pool, "campaigns", HOOKS.campaigns, [tenant]);
    return (r.rows as CampaignRow[]).map(campaignOf);
  }

  async addCampaign(tenant: string, c: StoredCampaignRow): Promise<void> {
    await run(this.pool, "campaign_add", HOOKS.addCampaign, [
      tenant,
      c.id,
      c.createdAt,
      JSON.stringify(c.body),
    ]);
  }

  async shared(statement: SharedStatement, values: readonly SharedValue[]): Promise<SharedRow[]> {
    return (await run(this.pool, `shared_${statement}`, SHARED[statement], [...values])).rows as SharedRow[];
  }

  /** Nothing to ready: each read is one statement on the database's own indexes. */
  async warm(_tenant: string): Promise<number | null> {
    return null;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
