// What an append does, decided before any SQL runs: which events were refused because their point
// was erased, which were in the log already, and the number, chain link and state operations of
// the others. Both adapters plan a batch with this, from the state of the store when the batch
// starts (read under their write lock), then carry the plan out with their own SQL. The plan
// follows the batch in order, so an erasure or an event earlier in the batch counts for the later
// ones exactly as if each event had been written before the next was looked at.
import {
  appendLeaves,
  EMPTY_FRONTIER,
  type Frontier,
  frontierBytes,
  frontierFrom,
  type Hash,
  leafHash,
} from "../log/merkle.ts";
import type { AppendResult, ChainHead, TreeNodeRow } from "../store/store.ts";
import {
  type EventPii,
  type EventTexts,
  eventIdOf,
  GENESIS_HASH,
  hashOf,
  type NewEvent,
  type Proof,
  piiHashOfText,
  piiTextToKeep,
  type StoredEvent,
} from "./events.ts";
import { addsPersonalData, fold, type StateOp } from "./projection.ts";

/** The store as the batch starts. */
export interface AppendState {
  /** The head of a tenant's chain; null when the tenant has no event yet. */
  head(tenant: string): ChainHead | null;
  /** When the point was erased, or null (asked for the events that add or carry personal data). */
  erasedAt(tenant: string, pointKey: string): number | null;
  /** The value the store holds for the point, or null (asked for the same events). */
  pointValue(tenant: string, pointKey: string): string | null;
  /** Whether the log holds an event with this id. */
  has(tenant: string, eventId: string): boolean;
}

export interface PlannedEvent {
  readonly event: StoredEvent;
  readonly ops: readonly StateOp[];
  /** Its JSON texts, made once for the hash and the row. */
  readonly texts: EventTexts;
  /** Its personal data to keep beside it (events.ts `piiTextToKeep`), or null. */
  readonly piiText: string | null;
}

/**
 * What a batch planned earlier in the same transaction leaves to the next when its rows may not
 * be in the store yet as the next batch's lookups read it (a PostgreSQL import writes a batch
 * while it plans the next): its event ids, the values its points hold once it is written, and its
 * erasures — each keyed by tenant and id or point (`within`).
 */
export interface PlanCarry {
  readonly written: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string | null>;
  readonly erased: ReadonlyMap<string, number>;
}

export interface AppendPlan {
  /** The events to write, in order, with what each does to the current state. */
  readonly events: readonly PlannedEvent[];
  /** The new head of each tenant that gets events, with its Merkle tree's new frontier. */
  readonly heads: ReadonlyMap<string, ChainHead & { readonly tree: Uint8Array }>;
  /** The tree nodes the batch completes, to store (src/log/merkle.ts). */
  readonly nodes: readonly (TreeNodeRow & { readonly tenant: string })[];
  readonly result: AppendResult;
  /** What this batch writes, for a next batch planned before these rows can be read back. */
  readonly carry: PlanCarry;
}

const within = (tenant: string, key: string): string => `${tenant}\u0000${key}`;

/** An event while it is planned: its hash set once the rest is. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * What a batch needs to read of the store once its tenants' heads are locked, per tenant: which of
 * its events are in the log already, and when which of its points were erased — one query each
 * for the whole batch, not one per event. Tenants with no log yet are not asked.
 */
export interface BatchLookups {
  /**
   * Per tenant, each event as [point key, event id]: the log finds an event by both, through the
   * one index of a point's events (schema 24) — an event's id covers its point key.
   */
  readonly events: ReadonlyMap<string, readonly (readonly [string, string])[]>;
  readonly pointKeys: ReadonlyMap<string, readonly string[]>;
}

export function lookupsFor(
  events: readonly NewEvent[],
  eventIds: readonly string[],
  hasLog: (tenant: string) => boolean,
): BatchLookups {
  const asked = new Map<string, [string, string][]>();
  const keys = new Map<string, Set<string>>();
  events.forEach((e, i) => {
    if (!hasLog(e.tenant)) return;
    const pair: [string, string] = [e.pointKey, eventIds[i] as string];
    const list = asked.get(e.tenant);
    if (list === undefined) asked.set(e.tenant, [pair]);
    else list.push(pair);
    if (addsPersonalData(e) || e.pii !== null) {
      const set = keys.get(e.tenant);
      if (set === undefined) keys.set(e.tenant, new Set([e.pointKey]));
      else set.add(e.pointKey);
    }
  });
  return { events: asked, pointKeys: new Map([...keys].map(([t, set]) => [t, [...set]])) };
}

export interface HeldPoint {
  readonly value: string | null;
  readonly erasedAt: number | null;
}

/** The store as the batch starts, from the heads and the answers to its lookups. */
export function appendState(
  heads: (tenant: string) => ChainHead | null,
  found: {
    /** Per tenant, the batch's event ids already in the log. */
    readonly existing: ReadonlyMap<string, ReadonlySet<string>>;
    /** Per tenant, the batch's points the store holds, with their value and when they were erased. */
    readonly points: ReadonlyMap<string, ReadonlyMap<string, HeldPoint>>;
  },
): AppendState {
  return {
    head: heads,
    erasedAt: (tenant, pointKey) => found.points.get(tenant)?.get(pointKey)?.erasedAt ?? null,
    pointValue: (tenant, pointKey) => found.points.get(tenant)?.get(pointKey)?.value ?? null,
    has: (tenant, eventId) => found.existing.get(tenant)?.has(eventId) === true,
  };
}

/** Thrown when a tenant's log predates the Merkle tree and was not sealed: nothing is appended. */
export class UnsealedLogError extends Error {}

/** The tree a head's events make, to append the batch's leaves to. */
function frontierOf(tenant: string, head: ChainHead | null): Frontier {
  if (head === null || head.seq === 0) return EMPTY_FRONTIER;
  if (head.tree === null) {
    throw new UnsealedLogError(
      `the log of tenant ${JSON.stringify(tenant)} was written before its Merkle tree and is not sealed: open the store with this version of vigie (vigie audit verify) to seal it`,
    );
  }
  return frontierFrom(head.seq, head.tree);
}

/**
 * The text of an event's personal data to keep beside it, or null: none when it is the value of
 * its point alone and the point holds that value (or will, being its first). A point keeps its
 * first value; one that differs (a keyring mix-up) stays beside its event, so every event's data
 * still matches its hash.
 */
function piiBeside(pii: EventPii | null, piiText: string | null, held: string | null): string | null {
  const text = piiTextToKeep(pii, piiText);
  if (text !== null || pii?.point === undefined) return text;
  return held === null || held === pii.point.value ? null : piiText;
}

/**
 * Plans a batch. `eventIds` are the events' ids (`eventIdOf`), given so that an adapter that looks
 * them up in the store before planning computes them only once. `carry`: the batch before it in
 * the transaction, whose rows `state` may not show — what it wrote counts as written.
 */
export function planAppend(
  events: readonly NewEvent[],
  state: AppendState,
  recordedAt: number,
  eventIds: readonly string[] = events.map(eventIdOf),
  carry?: PlanCarry,
): AppendPlan {
  const heads = new Map<string, ChainHead>();
  const leaves = new Map<string, Hash[]>();
  const erased = new Map<string, number>();
  /** The value each point holds once the events planned so far are written (kept first, never replaced). */
  const values = new Map<string, string | null>();
  const written = new Set<string>();
  const planned: PlannedEvent[] = [];
  const suppressed: { index: number; erasedAt: number }[] = [];
  const seqs: (number | null)[] = events.map(() => null);
  let duplicates = 0;
  // The rows of an import share one proof: its text is made once.
  let proof: Proof | null = null;
  let proofText = "";
  events.forEach((original, index) => {
    let e = original;
    const id = within(e.tenant, e.pointKey);
    const personal = addsPersonalData(e) || e.pii !== null;
    const erasedAt = !personal
      ? null
      : erased.has(id)
        ? (erased.get(id) as number)
        : (carry?.erased.get(id) ?? state.erasedAt(e.tenant, e.pointKey));
    if (erasedAt !== null) {
      if (addsPersonalData(e)) {
        suppressed.push({ index, erasedAt });
        return;
      }
      // An objection or a call recorded after the erasure is kept, keyed, without the point's
      // value: personal data never comes back once erased.
      if (e.pii !== null) e = { ...e, pii: null };
    }
    const eventId = eventIds[index] as string;
    const idKey = within(e.tenant, eventId);
    if (written.has(idKey) || carry?.written.has(idKey) === true || state.has(e.tenant, eventId)) {
      duplicates++;
      return;
    }
    const head = heads.get(e.tenant) ?? state.head(e.tenant) ?? { seq: 0, hash: GENESIS_HASH, tree: null };
    const piiText = e.pii === null ? null : JSON.stringify(e.pii);
    if (e.proof !== proof) {
      proof = e.proof;
      proofText = JSON.stringify(proof);
    }
    const texts = { data: JSON.stringify(e.data), proof: proofText };
    const stored: Mutable<StoredEvent> = {
      tenant: e.tenant,
      pointKey: e.pointKey,
      controller: e.controller,
      occurredAt: e.occurredAt,
      data: e.data,
      proof: e.proof,
      pii: e.pii,
      seq: head.seq + 1,
      eventId,
      recordedAt,
      piiHash: piiHashOfText(piiText),
      prevHash: head.hash,
      hash: "",
    };
    stored.hash = hashOf(stored, texts);
    const point = e.pii?.point;
    let held: string | null = null;
    if (point !== undefined) {
      held = values.has(id)
        ? (values.get(id) ?? null)
        : carry?.values.has(id) === true
          ? (carry.values.get(id) ?? null)
          : state.pointValue(e.tenant, e.pointKey);
      if (held === null) values.set(id, point.value);
    }
    const ops = fold(stored);
    for (const op of ops) if (op.op === "erase") erased.set(within(e.tenant, e.pointKey), e.occurredAt);
    seqs[index] = stored.seq;
    written.add(idKey);
    if (!leaves.has(e.tenant)) leaves.set(e.tenant, []);
    leaves.get(e.tenant)?.push(leafHash(stored.hash));
    heads.set(e.tenant, { seq: stored.seq, hash: stored.hash, tree: null });
    planned.push({ event: stored, ops, texts, piiText: piiBeside(e.pii, piiText, held) });
  });
  const trees = new Map<string, ChainHead & { readonly tree: Uint8Array }>();
  const nodes: (TreeNodeRow & { readonly tenant: string })[] = [];
  for (const [tenant, head] of heads) {
    const grown = appendLeaves(frontierOf(tenant, state.head(tenant)), leaves.get(tenant) ?? []);
    trees.set(tenant, { ...head, tree: frontierBytes(grown.frontier) });
    for (const n of grown.stored) nodes.push({ tenant, ...n });
  }
  return {
    events: planned,
    heads: trees,
    nodes,
    result: { appended: planned.length, seqs, duplicates, suppressed },
    carry: { written, values, erased },
  };
}
