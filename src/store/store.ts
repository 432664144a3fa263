// One interface for the evidence store, two adapters: SQLite (embedded default) and PostgreSQL
// (servers). SQL lives in the adapters; everything else speaks this interface, and one contract
// test suite (test/store/contract.ts) runs against both.

import type { NewEvent, SourceData, StoredEvent } from "../evidence/events.ts";
import type {
  Channel,
  Collector,
  ConsentMethod,
  ConsentScope,
  ObjectionVia,
  Outcome,
  Sector,
  SenderNaming,
} from "../facts/vocabulary.ts";
import type { SharedRow, SharedStatement, SharedValue } from "./shared-sql.ts";
import type { StateRow } from "./state-tables.ts";

export interface AppendResult {
  /** Events written; the others were already in the log (same eventId). */
  readonly appended: number;
  /** For each event given, its seq in the log, or null when it was a duplicate or suppressed. */
  readonly seqs: readonly (number | null)[];
  readonly duplicates: number;
  /** Events refused because the point was erased before (new consents, sources). */
  readonly suppressed: readonly { readonly index: number; readonly erasedAt: number }[];
}

/** Rows of one Bloctel check, stored beside the one `registry.snapshot` event that vouches for them. */
export interface RegistryEntry {
  readonly pointKey: string;
  readonly registered: boolean;
  readonly registeredAt: number | null;
  readonly effectiveAt: number | null;
}

/** Everything held about one contact point (its keys under every keyring version). */
export interface Evidence {
  readonly point: {
    readonly type: "phone" | "email";
    readonly value: string | null;
    readonly erasedAt: number | null;
  } | null;
  readonly sources: readonly (Omit<SourceData, "obtainedAt" | "transfers" | "freeAccountOfPaidModel"> & {
    readonly controller: string;
    readonly seq: number;
    readonly sourceUrl: string | null;
    /** null: not recorded (SourceData's later fields). */
    readonly obtainedAt: number | null;
    readonly transfers: number | null;
    readonly freeAccountOfPaidModel: boolean | null;
  })[];
  readonly consents: readonly {
    readonly controller: string;
    readonly channel: Channel;
    readonly givenAt: number;
    readonly withdrawnAt: number | null;
    readonly method: ConsentMethod | null;
    readonly scope: ConsentScope;
    readonly proof: boolean;
    readonly collectedBy: Collector | null;
    readonly namedHow: SenderNaming | null;
  }[];
  readonly objections: readonly {
    readonly controller: string;
    readonly channel: Channel | "all";
    readonly at: number;
    readonly via: ObjectionVia | null;
  }[];
  readonly contacts: readonly {
    readonly controller: string;
    readonly channel: Channel;
    readonly at: number;
    readonly outcome: Outcome;
    /** For whom it called (normalized), and what it offered; null: not recorded. */
    readonly advertiser: string | null;
    readonly sector: Sector | null;
  }[];
  readonly notices: readonly { readonly controller: string; readonly at: number }[];
  /**
   * Callbacks the person asked for: when, the slot and subject they gave ('' for two records
   * naming different subjects: no call fits both).
   */
  readonly callbacks: readonly {
    readonly controller: string;
    readonly at: number;
    readonly slot: { readonly from: number; readonly to: number } | null;
    readonly subject: string | null;
  }[];
  /** Bloctel checks of this number, and the complete snapshots that did not list it. */
  readonly registry: readonly {
    readonly checkedAt: number;
    readonly registered: boolean;
    readonly registeredAt: number | null;
    readonly effectiveAt: number | null;
  }[];
  /** What the other points of the same person hold that binds this one too. */
  readonly person: PersonRestrictions;
}

/**
 * The restrictions held on the other points linked to a point (recorded together: one person).
 * Only restrictions travel across a person's points — objections, erasures, calls made — never a
 * consent or a source: a wrong link can then only block more, never allow.
 */
export interface PersonRestrictions {
  /** The keys of the other points, in byte order. */
  readonly keys: readonly string[];
  /** The earliest erasure of another point, or null. */
  readonly erasedAt: number | null;
  readonly objections: Evidence["objections"];
  readonly contacts: Evidence["contacts"];
}

/** A store that cannot be opened as it was given (CLI: exit 2). */
export class StoreOpenError extends Error {}

/**
 * An event the store cannot read back as it was written (a text it refers to is gone): the store
 * was altered behind vigie. Readers refuse; `vigie audit verify` reports it at the event.
 */
export class StoreIntegrityError extends Error {
  readonly tenant: string;
  readonly seq: number;
  readonly problem: string;

  constructor(tenant: string, seq: number, problem: string) {
    super(`event ${seq} of tenant "${tenant}": ${problem}: the store was altered (vigie audit verify)`);
    this.tenant = tenant;
    this.seq = seq;
    this.problem = problem;
  }
}

/** A store written by a later version of vigie (its schema holds migrations this one does not know). */
export class StoreNewerError extends StoreOpenError {}

/** A store its schema's migration refused to upgrade (`why`), left as it was. */
export class StoreUpgradeError extends StoreOpenError {
  constructor(why: string) {
    super(
      `this store cannot be upgraded to this version of vigie, and was left as it was: ${why} (the version that wrote it can still read and audit it: vigie audit verify)`,
    );
  }
}

/**
 * How many links are followed from a point: phone → e-mail → another phone of the same person →
 * … A bound on what one lookup reads when many rows share one address (a family's e-mail).
 */
export const PERSON_HOPS = 4;

export const NO_PERSON: PersonRestrictions = Object.freeze({
  keys: Object.freeze([]),
  erasedAt: null,
  objections: Object.freeze([]),
  contacts: Object.freeze([]),
});

/** Writes inside one transaction that spans a whole import: all of it lands, or none. */
export interface BulkWriter {
  append(events: readonly NewEvent[]): Promise<AppendResult>;
  /** Stores rows of the Bloctel check recorded by the `registry.snapshot` event `snapshotSeq`. */
  registry(
    tenant: string,
    snapshotSeq: number,
    checkedAt: number,
    entries: readonly RegistryEntry[],
  ): Promise<void>;
  /**
   * Records the imported file, so that importing it again is a no-op. `fileSha256`: the file's
   * SHA-256, or, for a file read otherwise than by default, that of the file and how it was read
   * (src/services/import/run.ts `importIdentity`).
   */
  recordImport(
    tenant: string,
    record: { readonly kind: string; readonly fileSha256: string; readonly summary: unknown },
  ): Promise<void>;
}

export interface ChainHead {
  readonly seq: number;
  /** The hash of event `seq`, which covers every event before it through the chain. */
  readonly hash: string;
  /**
   * The Merkle tree over events 1 to `seq`: its frontier as stored (src/log/merkle.ts), whose
   * root the signed heads sign. Null on a log written before the tree, until it is sealed
   * (src/services/seal.ts).
   */
  readonly tree: Uint8Array | null;
}

/** A stored interior node of a tenant's Merkle tree. */
export interface TreeNodeRow {
  readonly level: number;
  readonly idx: number;
  readonly hash: Uint8Array;
}

export interface ImportRecord {
  readonly kind: string;
  readonly fileSha256: string;
  readonly importedAt: number;
  readonly summary: unknown;
}

export interface Store {
  readonly dialect: "sqlite" | "postgres";
  /**
   * Appends events in one transaction: new ones are numbered, chained and folded into the current
   * state; ones already in the log are skipped; ones that would add personal data about an erased
   * point are refused (suppressed).
   */
  append(events: readonly NewEvent[]): Promise<AppendResult>;
  /** Runs `body` in one transaction; a throw (or a crash) leaves nothing of it. */
  bulk<T>(body: (w: BulkWriter) => Promise<T>): Promise<T>;
  /**
   * Everything held about a point, under any of its keys, with the restrictions held on the other
   * points of its person (`Evidence.person`).
   */
  evidence(tenant: string, keys: readonly string[]): Promise<Evidence>;
  /** The same for many points at once (each given by its keys), in the order given. */
  evidenceMany(tenant: string, points: readonly (readonly string[])[]): Promise<Evidence[]>;
  /** The log of one tenant in order, for audit and export, from `fromSeq`. */
  events(tenant: string, fromSeq?: number): AsyncIterable<StoredEvent>;
  /**
   * The other points of the person these keys belong to: every key reached through links (both
   * ways, up to PERSON_HOPS links away), the given keys excluded, in byte order.
   */
  personKeys(tenant: string, keys: readonly string[]): Promise<string[]>;
  /** The events about a point, with their personal data where still held. */
  eventsOf(tenant: string, keys: readonly string[]): Promise<StoredEvent[]>;
  chainHead(tenant: string): Promise<ChainHead | null>;
  /** The hashes of events [fromSeq, toSeq], in order (the leaves of the Merkle tree). */
  eventHashes(tenant: string, fromSeq: number, toSeq: number): Promise<string[]>;
  /** The stored nodes of one level of the tenant's Merkle tree, indexes [from, to), in order. */
  treeNodes(tenant: string, level: number, from: number, to: number): Promise<Uint8Array[]>;
  /** How many tree nodes the tenant's log holds (the audit checks there are no others). */
  treeNodeCount(tenant: string): Promise<number>;
  /**
   * Seals a log written before the Merkle tree: stores its nodes and frontier, if the head is
   * still `head` and unsealed. Returns whether it did.
   */
  sealTree(
    tenant: string,
    head: ChainHead,
    tree: Uint8Array,
    nodes: readonly TreeNodeRow[],
  ): Promise<boolean>;
  /**
   * Every tenant anything is held under — its log, its chain head or a state table — in byte
   * order: the audit checks each, and a tenant without a head is one of its findings.
   */
  tenants(): Promise<string[]>;
  /**
   * The tenant's folded state (the tables decisions read), table by table in STATE_TABLES order,
   * each in key order: the audit compares it with the state rebuilt from the log.
   */
  stateRows(tenant: string): AsyncIterable<StateRow>;
  /** The rows of a registry snapshot, ordered by point key (to check its digest). */
  registryEntries(tenant: string, snapshotSeq: number): AsyncIterable<RegistryEntry>;
  /** Whether a file was imported already, read the same way (`recordImport`): re-running it is then a no-op. */
  findImport(tenant: string, kind: string, fileSha256: string): Promise<ImportRecord | null>;
  /**
   * The key of every point the tenant's log holds events about (sources, consents, withdrawals,
   * objections, contacts made, notices, erasures) or links to another point, each once, in byte
   * order. A point with none of
   * these has no evidence but Bloctel rows (`registrySnapshots`, `registryEntries`): screening
   * loads these keys once and looks up only the list points among them.
   */
  pointKeys(tenant: string): AsyncIterable<string>;
  /** The tenant's Bloctel checks, by day checked then seq. */
  registrySnapshots(tenant: string): Promise<RegistrySnapshot[]>;
  /** Every Bloctel row of the tenant, with its check, in no particular order (the quickest to read). */
  registryRows(tenant: string): AsyncIterable<SnapshotRow>;
  /**
   * After an erasure: makes the personal data deleted unrecoverable from the store's own files, as
   * far as the store can. Returns what it could not reach, for the erasure's report.
   */
  scrub(): Promise<string[]>;
  /** Points whose data may have outlived retention: their keys, with their last dates. */
  retentionCandidates(tenant: string): AsyncIterable<RetentionCandidate>;
  /** A fact about the whole store (`store_meta`), or null when none was recorded. */
  meta(name: string): Promise<string | null>;
  /**
   * Records `value` under `name` unless a value is there already, never overwriting it, and
   * returns the value held afterwards: of two processes recording at once, both see the first.
   */
  recordMeta(name: string, value: string): Promise<string>;
  /** The tenant's webhook subscriptions, oldest first (src/services/webhooks/). */
  webhooks(tenant: string): Promise<WebhookSubscription[]>;
  addWebhook(
    tenant: string,
    w: Omit<WebhookSubscription, "progress"> & { readonly fromSeq: number },
  ): Promise<void>;
  /** Removes a subscription and its dead letters; false when there was none. */
  removeWebhook(tenant: string, id: string): Promise<boolean>;
  /**
   * Records a subscription's progress if it still stands at `fromSeq` (another server may have
   * moved it meanwhile): returns whether it did. A dead letter, when given, is kept with it.
   */
  moveWebhook(
    tenant: string,
    id: string,
    fromSeq: number,
    to: WebhookProgress,
    dead?: Omit<DeadLetter, "failedAt"> & { readonly failedAt: number },
  ): Promise<boolean>;
  /** The events a subscription gave up on, by seq. */
  deadLetters(tenant: string, id: string): Promise<DeadLetter[]>;
  /** Forgets a subscription's dead letters (they are being replayed). */
  clearDeadLetters(tenant: string, id: string): Promise<void>;
  /** The tenant's stored campaigns, oldest first (src/services/campaigns.ts). */
  campaigns(tenant: string): Promise<StoredCampaignRow[]>;
  /** Stores a campaign; one already stored under its id stays as it was. */
  addCampaign(tenant: string, c: StoredCampaignRow): Promise<void>;
  /**
   * Runs one of the statements of shared-sql.ts (pending opt-ins, dashboard sessions) with its
   * values in placeholder order; the rows it returns, if any.
   */
  shared(statement: SharedStatement, values: readonly SharedValue[]): Promise<SharedRow[]>;
  /**
   * Readies what a server reads about the tenant's evidence, before it answers: SQLite's map of
   * the tables holding rows about each point, when it keeps one (sqlite/held-parts.ts) — how
   * many point keys it holds; null where there is nothing to ready (PostgreSQL).
   */
  warm(tenant: string): Promise<number | null>;
  close(): Promise<void>;
}

/** A stored campaign: the input of `parseCampaign` ({ campaign, policy? }) under an id. */
export interface StoredCampaignRow {
  readonly id: string;
  readonly createdAt: string;
  readonly body: unknown;
}

/** Where a webhook subscription stands in the log. */
export interface WebhookProgress {
  /** The last event handled: delivered, not subscribed to, or given up on. */
  readonly deliveredSeq: number;
  /** Failed attempts at the next event. */
  readonly attempts: number;
  /** When the next attempt may be made (after a failure), or null. */
  readonly nextAttemptAt: number | null;
  readonly lastError: string | null;
}

export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  /** The event types delivered (`objection.recorded`, …). */
  readonly events: readonly string[];
  /** Whether deliveries carry the point's value (else keys only). */
  readonly personalData: boolean;
  /** The Standard Webhooks signing secret (`whsec_…`). */
  readonly secret: string;
  readonly createdAt: number;
  readonly progress: WebhookProgress;
}

export interface DeadLetter {
  readonly seq: number;
  readonly failedAt: number;
  readonly attempts: number;
  readonly error: string;
}

/** A Bloctel row with the seq of the check that listed it. */
export interface SnapshotRow extends RegistryEntry {
  readonly snapshotSeq: number;
}

export interface RegistrySnapshot {
  /** The seq of its `registry.snapshot` event (`registryEntries` takes it). */
  readonly seq: number;
  readonly checkedAt: number;
  /** The check lists every registered number: a number it does not list was clean that day. */
  readonly complete: boolean;
}

export interface RetentionCandidate {
  readonly pointKey: string;
  readonly lastCollectedAt: number | null;
  readonly lastInboundAt: number | null;
  readonly customerUntil: number | null;
  readonly activeContract: boolean;
  readonly lastObjectionAt: number | null;
}
