// Who collected a consent, as the partner rule (docs/law.md, A8) reads it: what the consent
// records (collectedBy, namedHow), else — evidence older than those facts — what the contact's
// origin shows, as vigie read it before they existed (docs/readings.md, "Consents collected by
// someone else").
import type { Consent, Origin } from "../facts/types.ts";
import type { SenderNaming } from "../facts/vocabulary.ts";
import { startOfDayPlus } from "../time/dates.ts";

export type Collection =
  /** Given to the controller itself. */
  | { readonly by: "self" }
  /** Collected by a partner or a broker; `naming` is null when how its form named the sender is unknown. */
  | { readonly by: "partner" | "broker"; readonly naming: SenderNaming | null }
  /** Neither the consent nor the contact's origin says who collected it. */
  | { readonly by: "unknown" };

const SELF: Collection = Object.freeze({ by: "self" });
const UNKNOWN: Collection = Object.freeze({ by: "unknown" });

export function collectionOf(c: Consent, origin: Origin | null): Collection {
  if (c.collectedBy === "self") return SELF;
  if (c.collectedBy !== null) return { by: c.collectedBy, naming: c.namedHow };
  if (origin === null) return UNKNOWN;
  if (origin.type === "partner" || origin.type === "broker") {
    if (givenAfterThirdParty(c.givenAt, origin)) return SELF;
    const named = origin.senderNamedAtCollection;
    return { by: origin.type, naming: named === null ? null : named ? "named" : "not_named" };
  }
  // Data the controller collected from the person: a consent recorded for it is first-hand.
  return origin.type === "direct" ? SELF : UNKNOWN;
}

/**
 * A consent given after a partner's or broker's collection is the controller's own — but only once
 * the controller held the data (`obtainedAt`), and after the collection's day: a collection date
 * without its hour reads as that day's midnight, so a consent stamped later that day may be the
 * third party's. Fail closed (docs/readings.md, "Consents collected by someone else").
 */
export function givenAfterThirdParty(givenAt: number, origin: Origin): boolean {
  if (origin.collectedAt === null) return false;
  const after = Math.max(startOfDayPlus(origin.collectedAt, 1) - 1, origin.obtainedAt ?? origin.collectedAt);
  return givenAt > after;
}

/** A third party's consent counts for the controller only if its form named it, on the form or through a linked list. */
export function namesSender(c: Collection): boolean {
  return c.by === "self" || c.by === "unknown" || c.naming === "named" || c.naming === "listed_with_link";
}
