// The evidence log: what happened to a contact point, as append-only events chained by hash.
// Personal data (the value of a point, IP addresses, user agents, source URLs) is kept beside an
// event, not in it: the chain covers only its hash, so an erasure can delete it and the chain
// still verifies.
import { hash } from "node:crypto";
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

/** Who recorded an event, how, and on what proof (ISO/IEC TS 27560 / Kantara consent receipt). */
export interface Proof {
  /** The user, API key or import that recorded it. */
  readonly recordedBy: string;
  /** Form, page, call script, file: where it was collected. */
  readonly collectionPoint?: string;
  readonly wordingVersion?: string;
  readonly wordingSha256?: string;
  /** Reference of the evidence file (recording, scan) and its hash. */
  readonly proofRef?: string;
}

/** Personal data attached to an event; erasable. */
export interface EventPii {
  /** The normalized contact point the key was computed from. */
  readonly point?: { readonly type: "phone" | "email"; readonly value: string };
  readonly ip?: string;
  readonly userAgent?: string;
  readonly sourceUrl?: string;
}

export interface SourceData {
  readonly kind: Kind;
  readonly originType: OriginType;
  readonly collectedAt: number | null;
  readonly senderNamed: boolean | null;
  readonly optOutOffered: boolean | null;
  readonly publisherRefused: boolean | null;
  readonly informedAt: number | null;
  readonly relationship: RelationshipStatus | null;
  readonly customerSince: number | null;
  readonly customerUntil: number | null;
  readonly lastInboundAt: number | null;
  readonly department: string | null;
  readonly timeZone: string | null;
  /**
   * Added later, so absent when not recorded (never null: a source recorded without them keeps its
   * event id). When this controller obtained the data from the partner or broker, how many times
   * they were passed on before reaching it, and whether a free account belongs to a paid model.
   */
  readonly obtainedAt?: number;
  readonly transfers?: number;
  readonly freeAccountOfPaidModel?: boolean;
}

export interface ConsentData {
  readonly channel: Channel;
  readonly method: ConsentMethod | null;
  readonly scope: ConsentScope;
  readonly proof: boolean;
  /**
   * Who collected it, and how a partner's or broker's form named the controller (A8). Absent when
   * not recorded — never null, so a consent recorded without them keeps its event id.
   */
  readonly collectedBy?: Collector;
  readonly namedHow?: SenderNaming;
}

export type EventData =
  | { readonly type: "source.recorded"; readonly source: SourceData }
  | { readonly type: "consent.given"; readonly consent: ConsentData }
  | { readonly type: "consent.withdrawn"; readonly channel: Channel }
  | {
      readonly type: "objection.recorded";
      readonly channel: Channel | "all";
      readonly via: ObjectionVia | null;
    }
  | {
      /** A Bloctel check (one per file): its rows are in the registry table, digested here. */
      readonly type: "registry.snapshot";
      readonly registry: "bloctel";
      /** The file lists every registered number that day: numbers absent from it were clean. */
      readonly complete: boolean;
      readonly fileSha256: string;
      readonly rows: number;
      readonly entriesDigest: string;
    }
  | {
      readonly type: "contact.made";
      readonly channel: Channel;
      readonly outcome: Outcome;
      /** For whom a call centre called (normalized); absent: not recorded — old ids unchanged. */
      readonly advertiser?: string;
      /** What it offered; absent: not recorded. */
      readonly sector?: Sector;
    }
  | { readonly type: "notice.sent" }
  | {
      /**
       * The person asked the controller to call them back (H4): in a slot, about a subject, when
       * they said so. Only the call they asked for is not canvassing.
       */
      readonly type: "callback.requested";
      readonly slot: { readonly from: number; readonly to: number } | null;
      readonly subject: Sector | null;
    }
  | {
      /**
       * The point is one person with another point recorded with it (a phone and an e-mail on one
       * form or row). Keys only: a link outlives the erasure of either point.
       */
      readonly type: "subject.linked";
      /** The other point's key. */
      readonly with: string;
    }
  | {
      readonly type: "subject.erased";
      readonly pointType: "phone" | "email";
      readonly reason: "request" | "retention";
    }
  | {
      /**
       * What a user or an API key did that is not evidence about a person but belongs in the
       * trail a DPO shows: a list screened, a person's data exported, a campaign, key or user
       * created. Under a point's key when it was about one person, else "".
       */
      readonly type: "activity.recorded";
      readonly action: ActivityAction;
      /** What it was done to: a campaign or key id, a user name, a list's SHA-256; never personal data. */
      readonly target: string;
      /** For a file screened or imported: its name, the campaign, the counts (absent before). */
      readonly detail?: ActivityDetail;
    };

export interface ActivityDetail {
  /** The file's name as given, without its folder. */
  readonly file?: string;
  /** The campaign file or stored campaign it was screened for. */
  readonly campaign?: string;
  /** What kind of evidence was imported. */
  readonly kind?: string;
  readonly counts?: Readonly<Record<string, number>>;
}

export const ACTIVITY_ACTIONS = [
  "list.screened",
  "evidence.imported",
  "screening.deleted",
  "subject.exported",
  "evidence-pack.exported",
  "suppression.exported",
  "campaign.created",
  "api-key.created",
  "api-key.revoked",
  "user.created",
  "user.removed",
  "webhook.created",
  "webhook.removed",
] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** An event before it is appended. */
export interface NewEvent {
  readonly tenant: string;
  /** Keyed hash of the contact point (src/normalize/keys.ts); "" for events about no one point. */
  readonly pointKey: string;
  /** Normalized controller; "" where the evidence binds every controller of the tenant. */
  readonly controller: string;
  /** When it happened in the world. */
  readonly occurredAt: number;
  readonly data: EventData;
  readonly proof: Proof;
  readonly pii: EventPii | null;
}

/** An event as stored: numbered, timestamped and chained. */
export interface StoredEvent extends NewEvent {
  readonly seq: number;
  /** Identity of the fact recorded: the same fact imported twice has the same id. */
  readonly eventId: string;
  readonly recordedAt: number;
  readonly piiHash: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS_HASH = "0".repeat(64);

// The chained hash is taken over the JSON text the store keeps (JSON.stringify of the values, in
// the order they were built): parsing and stringifying that text again gives the same text, so
// the audit recomputes it from what it reads back. The event id, which must recognise the same fact
// however it was built, sorts keys first.

function sha256(text: string): string {
  return hash("sha256", text, "hex");
}

/** JSON with object keys sorted: the same fact gives the same text however its object was built. */
/**
 * Sorts an object's few names in place, in the order Array.prototype.sort gives strings (UTF-16
 * code units): V8's sort allocated about 0.9 KB a call, two calls an imported row (sampled heap
 * profile of `vigie import`), a tenth of what an import allocates.
 */
function sortNames(names: string[]): string[] {
  for (let i = 1; i < names.length; i++) {
    const name = names[i] as string;
    let j = i - 1;
    for (; j >= 0 && (names[j] as string) > name; j--) names[j + 1] = names[j] as string;
    names[j + 1] = name;
  }
  return names;
}

function sortedJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  // Loops rather than filter/map/join: every imported row's id goes through here.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + sortedJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = "{";
  for (const k of sortNames(Object.keys(record))) {
    const v = record[k];
    if (v === undefined) continue;
    out += `${out.length === 1 ? "" : ","}${JSON.stringify(k)}:${sortedJson(v)}`;
  }
  return `${out}}`;
}

/**
 * What makes two events the same fact: recording a consent, an objection or a call a second time
 * (re-running an import) must not add an event. Proof and personal data are not part of it.
 * Fields are JSON-encoded, so no value (a controller's name is free text) can pass for another.
 */
export function eventIdOf(e: NewEvent): string {
  return sha256(
    `${JSON.stringify([e.tenant, e.pointKey, e.controller, e.occurredAt])}\n${sortedJson(e.data)}`,
  );
}

export function piiHashOf(pii: EventPii | null): string | null {
  return pii === null ? null : sha256(JSON.stringify(pii));
}

/** The hash of personal data from its JSON text (`piiHashOf`, when the text is made anyway). */
export function piiHashOfText(text: string | null): string | null {
  return text === null ? null : sha256(text);
}

/** The JSON texts of an event that the chained hash covers and the store keeps. */
export interface EventTexts {
  readonly data: string;
  readonly proof: string;
}

export function textsOf(e: Pick<NewEvent, "data" | "proof">): EventTexts {
  return { data: JSON.stringify(e.data), proof: JSON.stringify(e.proof) };
}

/** The personal data of an event that holds the value of its point and nothing else. */
export function pointPii(type: "phone" | "email", value: string): EventPii {
  return { point: { type, value } };
}

/**
 * The text of an event's personal data to keep beside it, or null when there is none or when it
 * is the value of its point alone: that value is kept once, with the point (`points`), and read
 * back from there (rows.ts) — the same text, so its hash in the chain still verifies.
 */
export function piiTextToKeep(
  pii: EventPii | null,
  text = pii === null ? null : JSON.stringify(pii),
): string | null {
  if (pii === null) return null;
  const p = pii.point;
  return p !== undefined && text === JSON.stringify(pointPii(p.type, p.value)) ? null : text;
}

/** The chained hash of an event: it covers every field but the personal data, via its hash. */
export function hashOf(e: Omit<StoredEvent, "hash" | "pii">, texts: EventTexts = textsOf(e)): string {
  // JSON texts hold no raw newline, so the three parts cannot run into each other.
  const fields = [
    e.prevHash,
    e.seq,
    e.eventId,
    e.tenant,
    e.pointKey,
    e.controller,
    e.occurredAt,
    e.recordedAt,
    e.piiHash,
  ];
  return sha256(`${JSON.stringify(fields)}\n${texts.data}\n${texts.proof}`);
}
