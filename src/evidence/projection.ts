// How each event changes the current state. Pure: an event gives a list of operations, each
// operation one row of a kind (`writeOf`, the projection declared once), which each adapter writes
// with its own SQL in the transaction that appends the event. Rebuilding the state from the log is
// folding every event again (rebuild.ts).
import type { Channel, ObjectionVia, Outcome, Sector } from "../facts/vocabulary.ts";
import type { ConsentData, SourceData, StoredEvent } from "./events.ts";

export type StateOp =
  | { readonly op: "point"; readonly pointType: "phone" | "email"; readonly value: string }
  | { readonly op: "source"; readonly source: SourceData; readonly sourceUrl: string | null }
  | { readonly op: "consent"; readonly consent: ConsentData }
  | { readonly op: "withdraw"; readonly channel: Channel }
  | { readonly op: "objection"; readonly channel: Channel | "all"; readonly via: ObjectionVia | null }
  | {
      readonly op: "contact";
      readonly channel: Channel;
      readonly outcome: Outcome;
      readonly advertiser: string | null;
      readonly sector: Sector | null;
    }
  | { readonly op: "notice" }
  | {
      readonly op: "callback";
      readonly slot: { readonly from: number; readonly to: number } | null;
      readonly subject: Sector | null;
    }
  | { readonly op: "snapshot"; readonly complete: boolean }
  | { readonly op: "erase"; readonly pointType: "phone" | "email" }
  | { readonly op: "link"; readonly other: string };

export function fold(e: StoredEvent): StateOp[] {
  const ops: StateOp[] = [];
  const point = e.pii?.point;
  if (point !== undefined) ops.push({ op: "point", pointType: point.type, value: point.value });
  const d = e.data;
  switch (d.type) {
    case "source.recorded":
      ops.push({ op: "source", source: d.source, sourceUrl: e.pii?.sourceUrl ?? null });
      break;
    case "consent.given":
      ops.push({ op: "consent", consent: d.consent });
      break;
    case "consent.withdrawn":
      ops.push({ op: "withdraw", channel: d.channel });
      break;
    case "objection.recorded":
      ops.push({ op: "objection", channel: d.channel, via: d.via });
      break;
    case "contact.made":
      ops.push({
        op: "contact",
        channel: d.channel,
        outcome: d.outcome,
        advertiser: d.advertiser ?? null,
        sector: d.sector ?? null,
      });
      break;
    case "notice.sent":
      ops.push({ op: "notice" });
      break;
    case "callback.requested":
      ops.push({ op: "callback", slot: d.slot, subject: d.subject });
      break;
    case "registry.snapshot":
      ops.push({ op: "snapshot", complete: d.complete });
      break;
    case "subject.erased":
      ops.push({ op: "erase", pointType: d.pointType });
      break;
    case "subject.linked":
      ops.push({ op: "link", other: d.with });
      break;
    case "activity.recorded":
      // The trail only: it changes nothing held about the point.
      break;
  }
  return ops;
}

/**
 * Events that add to what is held about a person, or would let them be called: refused once the
 * person was erased.
 */
export function addsPersonalData(e: { readonly data: { readonly type: string } }): boolean {
  const t = e.data.type;
  return t === "source.recorded" || t === "consent.given" || t === "callback.requested";
}

/**
 * The row an operation writes, by kind, with its values in the column order of the state table
 * it goes to (`schema.ts`); booleans as booleans, absent facts as null. The SQLite adapter runs
 * one statement per row, the PostgreSQL one gathers rows of a kind into one statement.
 */
export type StateWrite =
  | { readonly kind: "point"; readonly values: readonly [string, string, string, string] }
  | { readonly kind: "source"; readonly values: readonly unknown[] }
  | { readonly kind: "consent"; readonly values: readonly unknown[] }
  | { readonly kind: "withdraw"; readonly values: readonly [string, string, string, string, number] }
  | { readonly kind: "objection"; readonly values: readonly unknown[] }
  | { readonly kind: "contact"; readonly values: readonly unknown[] }
  | { readonly kind: "notice"; readonly values: readonly [string, string, string, number] }
  | { readonly kind: "callback"; readonly values: readonly unknown[] }
  | { readonly kind: "snapshot"; readonly values: readonly [string, number, number, boolean] }
  | { readonly kind: "erase"; readonly values: readonly [string, string, string, number] }
  | { readonly kind: "link"; readonly values: readonly [string, string, string] };

export type StateKind = StateWrite["kind"];

export function writeOf(e: StoredEvent, op: StateOp): StateWrite {
  const t = e.tenant;
  const k = e.pointKey;
  const c = e.controller;
  const at = e.occurredAt;
  switch (op.op) {
    case "point":
      return { kind: "point", values: [t, k, op.pointType, op.value] };
    case "source": {
      const d = op.source;
      return {
        kind: "source",
        values: [
          t,
          k,
          c,
          e.seq,
          d.kind,
          d.originType,
          d.collectedAt,
          d.senderNamed,
          d.optOutOffered,
          d.publisherRefused,
          d.informedAt,
          d.relationship,
          d.customerSince,
          d.customerUntil,
          d.lastInboundAt,
          d.department,
          d.timeZone,
          op.sourceUrl,
          d.obtainedAt ?? null,
          d.transfers ?? null,
          d.freeAccountOfPaidModel ?? null,
        ],
      };
    }
    case "consent": {
      const d = op.consent;
      return {
        kind: "consent",
        values: [
          t,
          k,
          c,
          d.channel,
          at,
          d.method,
          d.scope,
          d.proof,
          d.collectedBy ?? null,
          d.namedHow ?? null,
        ],
      };
    }
    case "withdraw":
      return { kind: "withdraw", values: [t, k, c, op.channel, at] };
    case "objection":
      return { kind: "objection", values: [t, k, c, op.channel, at, op.via] };
    case "contact":
      return { kind: "contact", values: [t, k, c, op.channel, at, op.outcome, op.advertiser, op.sector] };
    case "notice":
      return { kind: "notice", values: [t, k, c, at] };
    case "callback":
      return {
        kind: "callback",
        values: [t, k, c, at, op.slot?.from ?? null, op.slot?.to ?? null, op.subject],
      };
    case "snapshot":
      return { kind: "snapshot", values: [t, e.seq, at, op.complete] };
    case "erase":
      return { kind: "erase", values: [t, k, op.pointType, at] };
    case "link":
      return { kind: "link", values: [t, k, op.other] };
  }
}
