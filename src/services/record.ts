// Building evidence events from what a user or a file says: one function per kind of evidence,
// shared by the CLI, the imports and (later) the API.

import type { EventPii, NewEvent, Proof, SourceData } from "../evidence/events.ts";
import { controllerKeyOf } from "../facts/types.ts";
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
import type { Subject } from "./session.ts";

export interface Recording {
  readonly tenant: string;
  readonly subject: Subject;
  /** "" or absent: every controller of the tenant. */
  readonly controller?: string | undefined;
  readonly proof: Proof;
}

function event(r: Recording, occurredAt: number, data: NewEvent["data"], pii: EventPii | null): NewEvent {
  return {
    tenant: r.tenant,
    pointKey: r.subject.key,
    controller: r.controller ? controllerKeyOf(r.controller) : "",
    occurredAt,
    data,
    proof: r.proof,
    // The point's value travels with every event that may be the first about it.
    pii: { point: r.subject.point, ...pii },
  };
}

export function sourceEvent(r: Recording, source: SourceData, sourceUrl: string | null): NewEvent {
  return event(
    r,
    source.collectedAt ?? 0,
    { type: "source.recorded", source },
    sourceUrl === null ? null : { sourceUrl },
  );
}

export interface ConsentInput {
  readonly channel: Channel;
  readonly givenAt: number;
  readonly method: ConsentMethod | null;
  readonly scope: ConsentScope;
  readonly proof: boolean;
  readonly ip?: string | undefined;
  readonly userAgent?: string | undefined;
  /** Who collected it; absent: not recorded. */
  readonly collectedBy?: Collector | undefined;
  /** A partner's or broker's collection: how its form named the controller. */
  readonly namedHow?: SenderNaming | undefined;
}

export function consentEvent(r: Recording, c: ConsentInput): NewEvent {
  const pii: EventPii = {
    ...(c.ip === undefined ? {} : { ip: c.ip }),
    ...(c.userAgent === undefined ? {} : { userAgent: c.userAgent }),
  };
  return event(
    r,
    c.givenAt,
    {
      type: "consent.given",
      consent: {
        channel: c.channel,
        method: c.method,
        scope: c.scope,
        proof: c.proof,
        // Left out when not recorded: the event of a consent recorded without them keeps its id.
        ...(c.collectedBy === undefined ? {} : { collectedBy: c.collectedBy }),
        ...(c.namedHow === undefined ? {} : { namedHow: c.namedHow }),
      },
    },
    pii,
  );
}

export function withdrawalEvent(r: Recording, channel: Channel, at: number): NewEvent {
  return event(r, at, { type: "consent.withdrawn", channel }, null);
}

export function objectionEvent(
  r: Recording,
  channel: Channel | "all",
  via: ObjectionVia | null,
  at: number,
): NewEvent {
  return event(r, at, { type: "objection.recorded", channel, via }, null);
}

/** For whom a call centre called and what it offered; absent: not recorded. */
export interface ContactOf {
  readonly advertiser?: string | undefined;
  readonly sector?: Sector | undefined;
}

export function contactEvent(
  r: Recording,
  channel: Channel,
  outcome: Outcome,
  at: number,
  of: ContactOf = {},
): NewEvent {
  // Absent rather than null when not recorded: a call recorded before keeps its event id.
  return event(
    r,
    at,
    {
      type: "contact.made",
      channel,
      outcome,
      ...(of.advertiser ? { advertiser: controllerKeyOf(of.advertiser) } : {}),
      ...(of.sector === undefined ? {} : { sector: of.sector }),
    },
    null,
  );
}

export function noticeEvent(r: Recording, at: number): NewEvent {
  return event(r, at, { type: "notice.sent" }, null);
}

/** The person asked to be called back (H4): when, and the slot and subject they gave if any. */
export function callbackEvent(
  r: Recording,
  at: number,
  slot: { readonly from: number; readonly to: number } | null,
  subject: Sector | null,
): NewEvent {
  return event(r, at, { type: "callback.requested", slot, subject }, null);
}

/** Erasure carries no personal data, on purpose. */
export function erasureEvent(
  r: Omit<Recording, "subject">,
  erased: { readonly key: string; readonly pointType: "phone" | "email" },
  reason: "request" | "retention",
  at: number,
): NewEvent {
  return {
    tenant: r.tenant,
    pointKey: erased.key,
    controller: "",
    occurredAt: at,
    data: { type: "subject.erased", pointType: erased.pointType, reason },
    proof: r.proof,
    pii: null,
  };
}

/**
 * Points recorded together (a phone and an e-mail on one form or row) are one person: restrictions
 * on either bind both (src/evidence/person.ts). Keys only, on purpose: the link outlives an erasure.
 */
export function linkEvents(
  r: Omit<Recording, "subject">,
  subjects: readonly Subject[],
  at: number,
): NewEvent[] {
  const [first, ...others] = subjects;
  if (first === undefined) return [];
  return others.map((other) => ({
    tenant: r.tenant,
    pointKey: first.key,
    controller: "",
    occurredAt: at,
    data: { type: "subject.linked", with: other.key },
    proof: r.proof,
    pii: null,
  }));
}
