// Validated facts, as the engine reads them. Instants are epoch milliseconds; absent evidence is
// `null` (never a default that could pass for evidence). `parseFacts` builds these from the JSON
// contract; the evidence store builds them from its log.
import type {
  Channel,
  Collector,
  ConsentMethod,
  ConsentScope,
  Dialer,
  Kind,
  ObjectionVia,
  OriginType,
  Outcome,
  PointType,
  RelationshipStatus,
  Sector,
  SenderNaming,
} from "./vocabulary.ts";

export type Instant = number;

export interface Facts {
  readonly at: Instant;
  readonly campaign: Campaign;
  readonly contact: Contact;
  readonly policy: Policy;
}

export interface Campaign {
  /** As given, for messages. */
  readonly controller: string;
  /** Normalized (trimmed, lower-cased, spaces collapsed): what evidence is matched against. */
  readonly controllerKey: string;
  /**
   * The professional whose goods or services are offered, when a call centre or lead generator
   * (the controller) calls on its behalf; null: the controller itself.
   */
  readonly advertiser: string | null;
  readonly channel: Channel;
  readonly sector: Sector;
  readonly relatedToContract: boolean;
  readonly analogousProducts: boolean;
  readonly relatedToProfession: boolean;
  /** "masked", or the number shown as given. */
  readonly callerId: string | null;
  /**
   * Whether the number shown is assigned to the professional the call is made for, or authorised
   * for it by the number's assignee (L.221-17; CPCE L.44; ARCEP décision 2025-2215); null: not said.
   */
  readonly callerIdAuthorised: boolean | null;
  readonly dialer: Dialer;
  readonly habitualCaller: boolean | null;
  readonly startsAt: Instant | null;
  readonly message: { readonly senderIdentified: boolean | null; readonly optOut: boolean | null } | null;
}

export interface Contact {
  readonly kind: Kind;
  /** Phones in E.164 and e-mails normalized (src/normalize); postal and social values as given. */
  readonly point: { readonly type: PointType; readonly value: string } | null;
  readonly location: Location | null;
  readonly origin: Origin | null;
  readonly relationship: Relationship | null;
  readonly consents: readonly Consent[];
  readonly objections: readonly Objection[];
  /**
   * When the person asked for erasure (GDPR art. 17) of this point or of another of their points:
   * never prospected again, whatever consent is held — for any instant decided, once known.
   */
  readonly erasedAt: Instant | null;
  readonly bloctel: { readonly registeredAt: Instant | null; readonly effectiveAt: Instant | null } | null;
  readonly lastBloctelScrubAt: Instant | null;
  readonly callbackRequestedAt: Instant | null;
  /** When the person asked to be called back: the call is theirs only inside it (H4). */
  readonly callbackSlot: { readonly from: Instant; readonly to: Instant } | null;
  /** What they asked to be called about: a call about another sector is not theirs (H4). */
  readonly callbackSubject: Sector | null;
  readonly history: readonly ContactMade[];
}

export interface Location {
  readonly country: string | null;
  readonly department: string | null;
  readonly timeZone: string | null;
}

export interface Origin {
  readonly type: OriginType;
  readonly collectedAt: Instant | null;
  readonly sourceUrl: string | null;
  readonly senderNamedAtCollection: boolean | null;
  readonly optOutOfferedAtCollection: boolean | null;
  readonly publisherRefusedCanvassing: boolean | null;
  readonly informedAt: Instant | null;
  /**
   * Partner or broker: when this controller obtained the data (GDPR art. 14(3)(a) runs from it;
   * `collectedAt` is when the first collector had them from the person).
   */
  readonly obtainedAt: Instant | null;
  /**
   * How many times the data were passed on before reaching this controller: 1, straight from the
   * organisation that collected them; 2 or more, through another partner or broker (a cascade).
   */
  readonly transfers: number | null;
}

export interface Relationship {
  readonly status: RelationshipStatus;
  readonly since: Instant | null;
  readonly endedAt: Instant | null;
  readonly lastInboundAt: Instant | null;
  /**
   * `account_only`: the account is free but belongs to a model that also sells paid offers (CJEU
   * C-654/23, Inteligo Media); null: not recorded.
   */
  readonly freeAccountOfPaidModel: boolean | null;
}

export interface Consent {
  readonly channel: Channel;
  readonly controllerKey: string;
  readonly givenAt: Instant;
  readonly withdrawnAt: Instant | null;
  readonly method: ConsentMethod | null;
  readonly proof: boolean;
  readonly scope: ConsentScope;
  /** Who collected it; null: not recorded (docs/readings.md, "Consents collected by someone else"). */
  readonly collectedBy: Collector | null;
  /** For a partner's or broker's collection: how its form named this controller; null: not recorded. */
  readonly namedHow: SenderNaming | null;
}

export interface Objection {
  readonly at: Instant;
  /** "all", or the one channel objected to. */
  readonly channel: Channel | "all";
  /** null: every controller. */
  readonly controllerKey: string | null;
  readonly via: ObjectionVia | null;
}

export interface ContactMade {
  readonly at: Instant;
  readonly channel: Channel;
  /** Who made the contact (the call centre, when one called). */
  readonly controllerKey: string;
  /**
   * For whom, when not the controller itself; null: not recorded; "" (UNKNOWN_ADVERTISER): records
   * of this call disagreed on it — it may have been for anyone.
   */
  readonly advertiserKey: string | null;
  /** What the contact offered; null: not recorded. */
  readonly sector: Sector | null;
  readonly outcome: Outcome;
}

/**
 * Switches for the readings docs/law.md marks as open (H1–H15). Defaults are the conservative readings
 * docs/readings.md explains; docs/rules.md says what each one changes.
 */
export interface Policy {
  /** H1: a free account within a paid model counts as a sale for the soft opt-in (CJEU C-654/23). */
  readonly softOptInForFreeAccounts: boolean;
  /** H2: the soft opt-in also covers automated calling systems (CNIL reading). */
  readonly softOptInForAutomatedCalls: boolean;
  /** H4: a call answering the person's own request within this many hours is not prospecting. */
  readonly callbackWindowHours: number;
  /** H4: the callback exception also lifts the energy / home-adaptation / CPF bans. */
  readonly callbackExceptionInSectorBans: boolean;
  /** H12: Alsace-Moselle and overseas holidays also close the calling days of D.223-9. */
  readonly localHolidaysBlockCalls: boolean;
  /**
   * D.223-9's days and hours also bind automated calls ("sollicitation téléphonique"; the DGCCRF's
   * Merrios fine of 2 October 2025 sanctioned pre-recorded messages with forbidden days and hours).
   */
  readonly hoursForAutomatedCalls: boolean;
  /** H3: "relations contractuelles préexistantes" (2016-06-01 → 2020-07-25) include past customers. */
  readonly pastCustomersArePreexistingRelations: boolean;
  /**
   * A telephone consent older than this many days no longer counts (null: no limit). Off by
   * default: the decree some tools cite for a one-year limit was not found in an official source
   * (docs/readings.md, "Phone consent freshness").
   */
  readonly phoneConsentMaxAgeDays: number | null;
}

export const DEFAULT_POLICY: Policy = Object.freeze({
  softOptInForFreeAccounts: false,
  softOptInForAutomatedCalls: false,
  callbackWindowHours: 48,
  callbackExceptionInSectorBans: false,
  localHolidaysBlockCalls: true,
  hoursForAutomatedCalls: true,
  pastCustomersArePreexistingRelations: true,
  phoneConsentMaxAgeDays: null,
});

/** The advertiser of a call whose records disagreed on it (the store's CONTACT_MERGE). */
export const UNKNOWN_ADVERTISER = "";

/** A name already in the form of its key but for its capitals: printable ASCII, single spaces. */
const PLAIN_NAME = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/**
 * The key controllers are matched on: "  Agence  DUPONT " and "agence dupont" are the same, and so
 * are names that differ only in how their characters are encoded — "é" as one code point (NFC) or
 * as e + accent (NFD, as macOS writes files), full-width letters, invisible format characters
 * (zero-width spaces, direction marks), the typographic apostrophe. An objection recorded under
 * one spelling must bind a campaign written with another (fail closed).
 */
export function controllerKeyOf(name: string): string {
  if (PLAIN_NAME.test(name)) return name.toLowerCase();
  return name
    .normalize("NFKC")
    .replace(/\p{Cf}/gu, "")
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase();
}

/**
 * Why a controller's or advertiser's name is no name: "   ", or only invisible characters (a
 * zero-width space) — its key is empty, the key of evidence that binds every controller, so a
 * consent given to it or an objection to it would bind all or none: refused where names come in.
 * Undefined for a real name, and for "" (which callers refuse as empty, or read as "every
 * controller" where that is documented).
 */
export function blankNameError(name: string): string | undefined {
  if (name === "" || controllerKeyOf(name) !== "") return undefined;
  // Quoted with its invisible characters spelled out, else the error would show nothing.
  const shown = JSON.stringify(name).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, "0")}`,
  );
  return `no name: only spaces or invisible characters (${shown})`;
}
