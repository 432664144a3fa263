// An append's SQL on SQLite, run on whichever connection holds the write transaction: the store's
// own for a single append, the import's writer thread (writer-thread.ts) for a bulk. What crosses
// between them is plain data: the lookups a batch asks (append-plan.ts `lookupsFor`), their
// answers, and the planned batch flattened into one array (`encodePlan`), cheap to copy to another
// thread where the planned objects, with their nested data, are not.
import type Database from "better-sqlite3";
import {
  type AppendPlan,
  type AppendState,
  appendState,
  type BatchLookups,
  type HeldPoint,
  lookupsFor,
  planAppend,
} from "../../evidence/append-plan.ts";
import { eventIdOf, type NewEvent } from "../../evidence/events.ts";
import { type StateKind, writeOf } from "../../evidence/projection.ts";
import { bytes, hex } from "../rows.ts";
import type { AppendResult, BulkWriter, ChainHead, RegistryEntry } from "../store.ts";
import { TextNumbers } from "./event-rows.ts";
import { bool, type SqlValue, type Statements, sqlValue, statements, writers } from "./statements.ts";

/** A planned batch as plain values (`encodePlan`). */
export interface EncodedBatch {
  /**
   * Per event, the values of its row in rows.ts `eventValues`'s order — tenant, seq, event id
   * (hex), type, point key, controller, occurred at, recorded at, data text, proof text,
   * personal-data hash (hex or null), hash (hex) — then the personal data to keep
   * beside it (or null), then its state rows' count and each row as kind, value count, values.
   */
  readonly events: readonly SqlValue[];
  /** Per completed tree node: tenant, level, index, hash. */
  readonly nodes: readonly (string | number | Uint8Array)[];
  /** Per tenant whose head moves: tenant, seq, hash, tree frontier. */
  readonly heads: readonly (string | number | Uint8Array)[];
}

export function encodePlan(plan: AppendPlan): EncodedBatch {
  const events: SqlValue[] = [];
  for (const { event: e, ops, texts, piiText } of plan.events) {
    events.push(
      e.tenant,
      e.seq,
      e.eventId,
      e.data.type,
      e.pointKey,
      e.controller,
      e.occurredAt,
      e.recordedAt,
      texts.data,
      texts.proof,
      e.piiHash,
      e.hash,
      piiText,
      ops.length,
    );
    for (const op of ops) {
      const { kind, values } = writeOf(e, op);
      events.push(kind, values.length);
      for (const v of values) events.push(sqlValue(v));
    }
  }
  const nodes = plan.nodes.flatMap((n) => [n.tenant, n.level, n.idx, n.hash]);
  const heads = [...plan.heads].flatMap(([tenant, h]) => [tenant, h.seq, h.hash, h.tree]);
  return { events, nodes, heads };
}

/** A batch's lookups (`BatchLookups`) as plain values. */
export interface LookupRequest {
  readonly events: readonly (readonly [string, readonly (readonly [string, string])[]])[];
  readonly pointKeys: readonly (readonly [string, readonly string[]])[];
}

/** Their answers: per tenant, the ids the log holds, and the points held as [key, value, erased at]. */
export interface LookupAnswer {
  readonly existing: readonly (readonly [string, readonly string[]])[];
  readonly points: readonly (readonly [
    string,
    readonly (readonly [string, string | null, number | null])[],
  ])[];
}

export const lookupRequest = (asked: BatchLookups): LookupRequest => ({
  events: [...asked.events],
  pointKeys: [...asked.pointKeys],
});

/** The answers as append-plan.ts `appendState` takes them. */
export function found(answer: LookupAnswer): {
  existing: Map<string, Set<string>>;
  points: Map<string, Map<string, HeldPoint>>;
} {
  return {
    existing: new Map(answer.existing.map(([tenant, ids]) => [tenant, new Set(ids)])),
    points: new Map(
      answer.points.map(([tenant, rows]) => [
        tenant,
        new Map(rows.map(([key, value, erasedAt]) => [key, { value, erasedAt }])),
      ]),
    ),
  };
}

interface PointRow {
  point_key: string;
  value: string | null;
  erased_at: number | null;
}

/** The append statements of one connection, inside the transaction it holds. */
export class BatchWrites {
  readonly #sql: Statements;
  readonly #write: ReturnType<typeof writers>;
  /** The data and proof texts of events, interned (event-rows.ts). */
  readonly #texts: TextNumbers;

  constructor(db: Database.Database, sql: Statements = statements(db)) {
    this.#sql = sql;
    this.#write = writers(sql);
    this.#texts = new TextNumbers(db);
  }

  /** Called as each write transaction starts: text numbers of a rolled-back one name nothing. */
  began(): void {
    this.#texts.forget();
  }

  heads(tenants: readonly string[]): (ChainHead | null)[] {
    return tenants.map((t) => (this.#sql.head.get(t) as ChainHead | undefined) ?? null);
  }

  lookup(asked: LookupRequest): LookupAnswer {
    const s = this.#sql;
    return {
      existing: asked.events.map(([tenant, events]) => [
        tenant,
        (
          s.existingIds.all({
            tenant,
            events: JSON.stringify(events.map(([key, id]) => id + key)),
          }) as Buffer[]
        ).map(hex),
      ]),
      points: asked.pointKeys.map(([tenant, keys]) => [
        tenant,
        (s.heldPoints.all(tenant, JSON.stringify(keys)) as PointRow[]).map(
          (r) => [r.point_key, r.value, r.erased_at] as const,
        ),
      ]),
    };
  }

  write(batch: EncodedBatch): void {
    const s = this.#sql;
    const v = batch.events;
    let i = 0;
    while (i < v.length) {
      const tenant = v[i] as string;
      const seq = v[i + 1] as number;
      const pointKey = v[i + 4] as string;
      const piiHash = v[i + 10] as string | null;
      s.insertEvent.run(
        tenant,
        seq,
        bytes(v[i + 2] as string),
        v[i + 3],
        pointKey,
        v[i + 5],
        v[i + 6],
        v[i + 7],
        this.#texts.idOf(v[i + 8] as string),
        this.#texts.idOf(v[i + 9] as string),
        piiHash === null ? null : bytes(piiHash),
        bytes(v[i + 11] as string),
      );
      const piiText = v[i + 12];
      if (piiText !== null) s.insertPii.run(tenant, seq, pointKey, piiText);
      const ops = v[i + 13] as number;
      i += 14;
      for (let o = 0; o < ops; o++) {
        const kind = v[i] as StateKind;
        const n = v[i + 1] as number;
        this.#write[kind](v.slice(i + 2, i + 2 + n));
        i += 2 + n;
      }
    }
    const nodes = batch.nodes;
    for (let n = 0; n < nodes.length; n += 4)
      s.insertNode.run(nodes[n], nodes[n + 1], nodes[n + 2], nodes[n + 3]);
    const heads = batch.heads;
    for (let h = 0; h < heads.length; h += 4)
      s.setHead.run(heads[h], heads[h + 1], heads[h + 2], heads[h + 3]);
  }

  /** A single append, planned and written at once: inside a transaction the caller holds. */
  append(events: readonly NewEvent[]): AppendResult {
    const eventIds = events.map(eventIdOf);
    const tenants = [...new Set(events.map((e) => e.tenant))];
    const read = this.heads(tenants);
    const heads = new Map(tenants.map((t, i) => [t, read[i] ?? null]));
    const state = this.stateFor(events, eventIds, (t) => heads.get(t) ?? null);
    const plan = planAppend(events, state, Date.now(), eventIds);
    this.write(encodePlan(plan));
    return plan.result;
  }

  private stateFor(
    events: readonly NewEvent[],
    eventIds: readonly string[],
    head: (tenant: string) => ChainHead | null,
  ): AppendState {
    const asked = lookupsFor(events, eventIds, (t) => head(t) !== null);
    return appendState(head, found(this.lookup(lookupRequest(asked))));
  }

  registry(tenant: string, snapshotSeq: number, checkedAt: number, entries: readonly RegistryEntry[]): void {
    for (const r of entries) {
      this.#sql.entry.run(
        tenant,
        r.pointKey,
        snapshotSeq,
        checkedAt,
        bool(r.registered),
        r.registeredAt,
        r.effectiveAt,
      );
    }
  }

  recordImport(tenant: string, record: Parameters<BulkWriter["recordImport"]>[1]): void {
    this.#sql.recordImport.run(
      tenant,
      record.kind,
      record.fileSha256,
      Date.now(),
      JSON.stringify(record.summary),
    );
  }
}

/**
 * A bulk's transaction as the importing thread drives it: on the store's own connection
 * (`sameThread`), or on the writer thread's (writer-thread.ts). Calls are carried out in the order
 * made; after one fails, every call but `rollback` fails too.
 */
export interface BulkConnection extends Pick<BulkWriter, "registry" | "recordImport"> {
  begin(): Promise<void>;
  heads(tenants: readonly string[]): Promise<(ChainHead | null)[]>;
  lookup(asked: LookupRequest): Promise<LookupAnswer>;
  write(batch: EncodedBatch): Promise<void>;
  commit(): Promise<void>;
  /** Ends the transaction, if one is open, writing nothing; clears a failure. */
  rollback(): Promise<void>;
}

export function sameThread(db: Database.Database, writes: BatchWrites): BulkConnection {
  let failed: unknown = null;
  /** Runs `op` unless a call before failed; a failure fails the calls after it. */
  const guarded =
    <A extends unknown[], R>(op: (...args: A) => R) =>
    async (...args: A): Promise<R> => {
      if (failed !== null) throw failed;
      try {
        return op(...args);
      } catch (e) {
        failed = e;
        throw e;
      }
    };
  return {
    begin: guarded(() => {
      db.exec("BEGIN IMMEDIATE");
      writes.began();
    }),
    heads: guarded((tenants) => writes.heads(tenants)),
    lookup: guarded((asked) => writes.lookup(asked)),
    write: guarded((batch) => writes.write(batch)),
    registry: guarded((tenant, seq, checkedAt, entries) => writes.registry(tenant, seq, checkedAt, entries)),
    recordImport: guarded((tenant, record) => writes.recordImport(tenant, record)),
    commit: guarded(() => {
      db.exec("COMMIT");
    }),
    rollback: async () => {
      failed = null;
      if (db.inTransaction) db.exec("ROLLBACK");
    },
  };
}
