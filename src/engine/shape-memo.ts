// Decisions shared by the contacts of one shape under a plan (issue #13). Why the sharing holds:
// under a plan — one campaign, policy, instant and parameter set — decide() is a pure function of
// the contact, and no rule reads the contact's point or location but through its zone (regionOf;
// Context.zone). Two contacts in the same zone and equal in every other field therefore get
// deep-equal decisions, quoted dates and next allowed instant included. The key holds each of
// those fields exactly, no date reduced to a side of a threshold: nothing about the rules has to
// be known, nor kept true as they change. Only a contact with no evidence beyond its source is
// keyed — no consent, objection, call, erasure or callback —; any other goes to plan.decide.
// Decisions quote per-row values (a collection date, a source URL): a list whose rows rarely
// share a shape gets few hits, so the memo stops keying after a trial that found too few.
import type { Contact, Origin, Relationship } from "../facts/types.ts";
import type { Decision } from "./decision.ts";

/** Fails to type-check when `T` gains a field that `K` does not name: the key must hold it. */
type Keyed<T, K extends keyof T> = [Exclude<keyof T, K>] extends [never] ? true : false;

/** The fields the key holds; `point` and `location` through the zone, the evidence lists empty. */
const _KEYED: readonly true[] = [
  true satisfies Keyed<
    Contact,
    | "kind"
    | "point"
    | "location"
    | "origin"
    | "relationship"
    | "consents"
    | "objections"
    | "erasedAt"
    | "bloctel"
    | "lastBloctelScrubAt"
    | "callbackRequestedAt"
    | "callbackSlot"
    | "callbackSubject"
    | "history"
  >,
  true satisfies Keyed<
    Origin,
    | "type"
    | "collectedAt"
    | "senderNamedAtCollection"
    | "optOutOfferedAtCollection"
    | "publisherRefusedCanvassing"
    | "informedAt"
    | "obtainedAt"
    | "transfers"
    | "sourceUrl"
  >,
  true satisfies Keyed<
    Relationship,
    "status" | "since" | "endedAt" | "lastInboundAt" | "freeAccountOfPaidModel"
  >,
  true satisfies Keyed<NonNullable<Contact["bloctel"]>, "registeredAt" | "effectiveAt">,
];

/**
 * The contact's shape, or null when it holds evidence the key does not cover. `zone` is its
 * zone's own key. Every field but the last is a number, boolean, null or a word of a closed
 * vocabulary, none holding "|"; the one free text (the source URL) comes last, marked by "'".
 */
export function shapeKey(contact: Contact, zone: string): string | null {
  if (
    contact.consents.length !== 0 ||
    contact.objections.length !== 0 ||
    contact.history.length !== 0 ||
    contact.erasedAt !== null ||
    contact.callbackRequestedAt !== null ||
    contact.callbackSlot !== null ||
    contact.callbackSubject !== null
  ) {
    return null;
  }
  const { relationship: r, bloctel: b, origin: o } = contact;
  const relationship =
    r === null ? "-" : `${r.status}|${r.since}|${r.endedAt}|${r.lastInboundAt}|${r.freeAccountOfPaidModel}`;
  const bloctel = b === null ? "-" : `${b.registeredAt}|${b.effectiveAt}`;
  const head = `${zone}|${contact.kind}|${relationship}|${bloctel}|${contact.lastBloctelScrubAt}`;
  if (o === null) return `${head}|-`;
  const url = o.sourceUrl === null ? "-" : `'${o.sourceUrl}`;
  return `${head}|${o.type}|${o.collectedAt}|${o.senderNamedAtCollection}|${o.optOutOfferedAtCollection}|${o.publisherRefusedCanvassing}|${o.informedAt}|${o.obtainedAt}|${o.transfers}|${url}`;
}

/** Keyed contacts a memo looks up before judging whether its list repeats shapes. */
const TRIAL = 4096;
/** Below this share of hits over the trial, keying costs more than it saves. */
const MIN_HITS = TRIAL / 8;
/** Shapes kept at most; past it, the memo answers those it holds. */
const MAX_SHAPES = 1 << 16;

/** One plan's decisions by shape. */
export class ShapeMemo {
  private readonly decisions = new Map<string, Decision>();
  private lookups = 0;
  private hits = 0;
  /** Whether the list repeats shapes enough to key its contacts. */
  keying = true;

  get(key: string): Decision | undefined {
    const d = this.decisions.get(key);
    if (d !== undefined) this.hits++;
    if (++this.lookups === TRIAL && this.hits < MIN_HITS) this.keying = false;
    return d;
  }

  /** Keeps `decision`, frozen: it is handed to every contact of the shape. */
  set(key: string, decision: Decision): Decision {
    Object.freeze(decision.reasons);
    Object.freeze(decision.obligations);
    const frozen = Object.freeze(decision);
    if (this.decisions.size < MAX_SHAPES) this.decisions.set(key, frozen);
    return frozen;
  }
}
