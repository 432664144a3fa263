// How each event changes the current state. Pure: an event gives a list of operations, which each
// adapter carries out with its own SQL in the transaction that appends the event. Rebuilding the
// state from the log is folding every event again.
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
