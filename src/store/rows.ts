// Rows as both drivers return them (SQLite: integers for booleans; PostgreSQL: BIGINT as strings,
// real booleans) → the store's types. The only place that knows column names outside the SQL.

import { hash } from "node:crypto";
import {
  type EventData,
  type EventPii,
  type EventTexts,
  GENESIS_HASH,
  type Proof,
  pointPii,
  type StoredEvent,
} from "../evidence/events.ts";
import type {
  Channel,
  Collector,
  ConsentMethod,
  ConsentScope,
  Kind,
  ObjectionVia,
  OriginType,
  Outcome,
  RelationshipStatus,
  Sector,
  SenderNaming,
} from "../facts/vocabulary.ts";
import {
  type Evidence,
  type ImportRecord,
  NO_PERSON,
  type PersonRestrictions,
  type RetentionCandidate,
  StoreIntegrityError,
} from "./store.ts";

type Int = number | string | bigint;
type Flag = number | boolean | string;

const num = (v: Int | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));
const flag = (v: Flag | null | undefined): boolean | null =>
  v === null || v === undefined ? null : v === true || v === 1 || v === "1" || v === "t";

/**
 * An event's row as both adapters read it (schema 17 on SQLite, 18 on PostgreSQL): the id and the
 * hashes as 32 bytes, the data and proof texts joined from `event_texts`, where each is kept once
 * (an import's rows share one proof and a few data texts); the previous event's hash not stored
 * but read from that event — what the chain says it is. Each adapter's EVENTS_WITH_PII reads it.
 */
export interface EventRow {
  tenant: string;
  seq: Int;
  event_id: Buffer;
  type: string;
  point_key: string;
  controller: string;
  occurred_at: Int;
  recorded_at: Int;
  /** Null when the text it refers to is missing from `event_texts` (read with a LEFT JOIN). */
  data: string | null;
  proof: string | null;
  pii_hash: Buffer | null;
  /** Null for the first event of a tenant's log, or where the event before is missing. */
  prev_hash: Buffer | null;
  hash: Buffer;
  pii: string | null;
  /** The event's point, whose value is its personal data when nothing is kept beside the event. */
  point_type: string | null;
  point_value: string | null;
}

export const hex = (b: Buffer): string => b.toString("hex");
export const bytes = (h: string): Buffer => Buffer.from(h, "hex");

/** The SHA-256 of a text, as bytes: how `event_texts` finds a text. */
export const sha256 = (text: string): Buffer => hash("sha256", text, "buffer") as unknown as Buffer;

/**
 * An event and its personal data, kept beside it (`event_pii`) or, when it was the point's value
 * alone, read from the point (events.ts `piiTextToKeep`); none once the point was erased. `texts`
 * joins an event's data (`d`) and proof (`pr`) texts, as each adapter numbers them — LEFT JOINs,
 * so that an event whose text was deleted is read, and refused by `eventFromRow`, not skipped.
 */
export const eventsWithPii = (
  texts: string,
  events = "events e",
): string => `SELECT e.tenant, e.seq, e.event_id, e.type, e.point_key,
    e.controller, e.occurred_at, e.recorded_at, d.text AS data, pr.text AS proof, e.pii_hash,
    pe.hash AS prev_hash, e.hash, p.pii, pt.type AS point_type, pt.value AS point_value
  FROM ${events} ${texts}
  LEFT JOIN events pe ON pe.tenant = e.tenant AND pe.seq = e.seq - 1
  LEFT JOIN event_pii p ON p.tenant = e.tenant AND p.seq = e.seq
  LEFT JOIN points pt ON pt.tenant = e.tenant AND pt.point_key = e.point_key`;

/**
 * The values of an `events` row, in both adapters' column order: tenant, seq, event_id, type,
 * point_key, controller, occurred_at, recorded_at, data, proof, pii_hash, hash. `text` gives what
 * the row holds for its data and proof texts (each adapter's `event_texts` reference). PostgreSQL
 * writes these; SQLite's writer thread gets the same values in the same order from
 * sqlite/batch-writes.ts `encodePlan`, the id and hashes still hex and the texts whole, each turned
 * into what the row holds on that thread.
 */
export function eventValues(e: StoredEvent, texts: EventTexts, text: (t: string) => unknown): unknown[] {
  return [
    e.tenant,
    e.seq,
    bytes(e.eventId),
    e.data.type,
    e.pointKey,
    e.controller,
    e.occurredAt,
    e.recordedAt,
    text(texts.data),
    text(texts.proof),
    e.piiHash === null ? null : bytes(e.piiHash),
    bytes(e.hash),
  ];
}

function piiOfRow(r: EventRow): EventPii | null {
  if (r.pii !== null) return JSON.parse(r.pii) as EventPii;
  if (r.pii_hash === null || r.point_value === null) return null;
  return pointPii(r.point_type as "phone" | "email", r.point_value);
}

/**
 * The event of a row. An event whose predecessor is missing (deleted) reads as chained to the
 * genesis hash, which its own hash then contradicts: the audit reports it.
 */
export function eventFromRow(r: EventRow): StoredEvent {
  for (const part of ["data", "proof"] as const) {
    if (r[part] === null) {
      throw new StoreIntegrityError(r.tenant, Number(r.seq), `its ${part} text is missing from event_texts`);
    }
  }
  return {
    tenant: r.tenant,
    seq: Number(r.seq),
    eventId: hex(r.event_id),
    pointKey: r.point_key,
    controller: r.controller,
    occurredAt: Number(r.occurred_at),
    recordedAt: Number(r.recorded_at),
    data: JSON.parse(r.data as string) as EventData,
    proof: JSON.parse(r.proof as string) as Proof,
    pii: piiOfRow(r),
    piiHash: r.pii_hash === null ? null : hex(r.pii_hash),
    prevHash: r.prev_hash === null ? GENESIS_HASH : hex(r.prev_hash),
    hash: hex(r.hash),
  };
}

export interface EvidenceRows {
  points: { type: string; value: string | null; erased_at: Int | null }[];
  sources: {
    controller: string;
    seq: Int;
    kind: string;
    origin_type: string;
    collected_at: Int | null;
    sender_named: Flag | null;
    opt_out_offered: Flag | null;
    publisher_refused: Flag | null;
    informed_at: Int | null;
    relationship: string | null;
    customer_since: Int | null;
    customer_until: Int | null;
    last_inbound_at: Int | null;
    department: string | null;
    time_zone: string | null;
    source_url: string | null;
    obtained_at: Int | null;
    transfers: Int | null;
    free_account_of_paid_model: Flag | null;
  }[];
  consents: {
    controller: string;
    channel: string;
    given_at: Int;
    withdrawn_at: Int | null;
    method: string | null;
    scope: string;
    proof: Flag;
    collected_by: string | null;
    named_how: string | null;
  }[];
  objections: { controller: string; channel: string; at: Int; via: string | null }[];
  contacts: {
    controller: string;
    channel: string;
    at: Int;
    outcome: string;
    advertiser: string | null;
    sector: string | null;
  }[];
  notices: { controller: string; at: Int }[];
  callbacks: {
    controller: string;
    at: Int;
    slot_from: Int | null;
    slot_to: Int | null;
    subject: string | null;
  }[];
  registry: { checked_at: Int; registered: Flag; registered_at: Int | null; effective_at: Int | null }[];
}

/** A point's evidence rows before any is read: what each adapter fills, table by table. */
export function noEvidenceRows(): EvidenceRows {
  return {
    points: [],
    sources: [],
    consents: [],
    objections: [],
    contacts: [],
    notices: [],
    callbacks: [],
    registry: [],
  };
}

/** The rows of a point's person before any is read. */
export function noPersonRows(): PersonRows {
  return { keys: [], points: [], objections: [], contacts: [] };
}

/**
 * Evidence lists in time order whatever order the rows came in (a point may have several keys,
 * and each adapter reads them its own way); ties by content, so both adapters agree exactly.
 */
function byTime<T>(rows: T[], time: (row: T) => number): T[] {
  return rows.sort((a, b) => {
    const d = time(a) - time(b);
    if (d !== 0) return d;
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** The rows held on the other points of a point's person (Evidence.person). */
export interface PersonRows {
  keys: string[];
  points: { type: string; value: string | null; erased_at: Int | null }[];
  objections: EvidenceRows["objections"];
  contacts: EvidenceRows["contacts"];
}

const objectionOf = (o: EvidenceRows["objections"][number]): Evidence["objections"][number] => ({
  controller: o.controller,
  channel: o.channel as Channel | "all",
  at: Number(o.at),
  via: o.via as ObjectionVia | null,
});

const contactOf = (c: EvidenceRows["contacts"][number]): Evidence["contacts"][number] => ({
  controller: c.controller,
  channel: c.channel as Channel,
  at: Number(c.at),
  outcome: c.outcome as Outcome,
  advertiser: c.advertiser,
  sector: c.sector as Sector | null,
});

function personFromRows(p: PersonRows | undefined): PersonRestrictions {
  if (p === undefined || p.keys.length === 0) return NO_PERSON;
  let erasedAt: number | null = null;
  for (const point of p.points) {
    const at = num(point.erased_at);
    if (at !== null && (erasedAt === null || at < erasedAt)) erasedAt = at;
  }
  return {
    keys: p.keys,
    erasedAt,
    objections: byTime(p.objections.map(objectionOf), (o) => o.at),
    contacts: byTime(p.contacts.map(contactOf), (c) => c.at),
  };
}

/**
 * The evidence of a point the store holds nothing about, one frozen value for them all: most
 * points a dialer's batch asks about are unknown, and building each its own empty evidence cost
 * a few microseconds a point (bench/api.ts).
 */
const NO_EVIDENCE: Evidence = Object.freeze({
  point: null,
  sources: Object.freeze([]),
  consents: Object.freeze([]),
  objections: Object.freeze([]),
  contacts: Object.freeze([]),
  notices: Object.freeze([]),
  callbacks: Object.freeze([]),
  registry: Object.freeze([]),
  person: NO_PERSON,
});

const noRows = (r: EvidenceRows, person: PersonRows | undefined): boolean =>
  r.points.length === 0 &&
  r.sources.length === 0 &&
  r.consents.length === 0 &&
  r.objections.length === 0 &&
  r.contacts.length === 0 &&
  r.notices.length === 0 &&
  r.callbacks.length === 0 &&
  r.registry.length === 0 &&
  (person === undefined || person.keys.length === 0);

export function evidenceFromRows(r: EvidenceRows, person?: PersonRows): Evidence {
  if (noRows(r, person)) return NO_EVIDENCE;
  // Erased since the earliest erasure under any of its keys.
  let erased: EvidenceRows["points"][number] | undefined;
  for (const p of r.points) {
    if (p.erased_at !== null && (erased === undefined || Number(p.erased_at) < Number(erased.erased_at)))
      erased = p;
  }
  const point = erased ?? r.points.find((p) => p.value !== null) ?? r.points[0];
  return {
    point:
      point === undefined
        ? null
        : { type: point.type as "phone" | "email", value: point.value, erasedAt: num(point.erased_at) },
    sources: byTime(
      r.sources.map((s) => ({
        controller: s.controller,
        seq: Number(s.seq),
        kind: s.kind as Kind,
        originType: s.origin_type as OriginType,
        collectedAt: num(s.collected_at),
        senderNamed: flag(s.sender_named),
        optOutOffered: flag(s.opt_out_offered),
        publisherRefused: flag(s.publisher_refused),
        informedAt: num(s.informed_at),
        relationship: s.relationship as RelationshipStatus | null,
        customerSince: num(s.customer_since),
        customerUntil: num(s.customer_until),
        lastInboundAt: num(s.last_inbound_at),
        department: s.department,
        timeZone: s.time_zone,
        sourceUrl: s.source_url,
        obtainedAt: num(s.obtained_at),
        transfers: num(s.transfers),
        freeAccountOfPaidModel: flag(s.free_account_of_paid_model),
      })),
      (s) => s.seq,
    ),
    consents: byTime(
      r.consents.map((c) => ({
        controller: c.controller,
        channel: c.channel as Channel,
        givenAt: Number(c.given_at),
        withdrawnAt: num(c.withdrawn_at),
        method: c.method as ConsentMethod | null,
        scope: c.scope as ConsentScope,
        proof: flag(c.proof) === true,
        collectedBy: c.collected_by as Collector | null,
        namedHow: c.named_how as SenderNaming | null,
      })),
      (c) => c.givenAt,
    ),
    objections: byTime(r.objections.map(objectionOf), (o) => o.at),
    contacts: byTime(r.contacts.map(contactOf), (c) => c.at),
    notices: byTime(
      r.notices.map((n) => ({ controller: n.controller, at: Number(n.at) })),
      (n) => n.at,
    ),
    callbacks: byTime(
      r.callbacks.map((b) => {
        const from = num(b.slot_from);
        const to = num(b.slot_to);
        return {
          controller: b.controller,
          at: Number(b.at),
          slot: from === null || to === null ? null : { from, to },
          subject: b.subject,
        };
      }),
      (b) => b.at,
    ),
    registry: r.registry
      .map((e) => ({
        checkedAt: Number(e.checked_at),
        registered: flag(e.registered) === true,
        registeredAt: num(e.registered_at),
        effectiveAt: num(e.effective_at),
      }))
      .sort((a, b) => a.checkedAt - b.checkedAt),
    person: personFromRows(person),
  };
}

export interface ImportRow {
  kind: string;
  file_sha256: string;
  imported_at: Int;
  summary: string;
}

export function importFromRow(r: ImportRow): ImportRecord {
  return {
    kind: r.kind,
    fileSha256: r.file_sha256,
    importedAt: Number(r.imported_at),
    summary: JSON.parse(r.summary),
  };
}

export interface RetentionRow {
  point_key: string;
  last_collected_at: Int | null;
  last_inbound_at: Int | null;
  customer_until: Int | null;
  relationship: string | null;
  last_objection_at: Int | null;
}

export function retentionFromRow(r: RetentionRow): RetentionCandidate {
  return {
    pointKey: r.point_key,
    lastCollectedAt: num(r.last_collected_at),
    lastInboundAt: num(r.last_inbound_at),
    customerUntil: num(r.customer_until),
    activeContract: r.relationship === "active_contract",
    lastObjectionAt: num(r.last_objection_at),
  };
}
