// The one facts assembly: a campaign, an instant and a policy, what a list row or a request
// declares about its contact, and what the evidence store holds about the person, into the facts
// the engine decides on. Every builder of facts from evidence comes here (vigie check, the API,
// screening, the dashboard), so the precedence below is written once.
//
// Precedence, field by field:
// - consents, objections, erasure, Bloctel checks and the contact history come from the store
//   alone; a list cannot vouch for a consent. The person's other points (Evidence.person) add
//   their objections, erasure and calls made — restrictions only, never a consent.
// - who the person is (kind, origin, relationship, location) comes from the store's latest source
//   for this controller where it says something, else from what is declared; a restriction
//   declared by either (the ad refuses canvassing) holds.
// Evidence dated after `at` is left out, so that a past decision can be replayed and explained —
// except an erasure, which binds every decision made once it is known.
import {
  type Campaign,
  type Contact,
  type ContactMade,
  controllerKeyOf,
  type Facts,
  type Location,
  type Objection,
  type Origin,
  type Policy,
  type Relationship,
} from "../facts/types.ts";
import type { Kind, Sector } from "../facts/vocabulary.ts";
import { registrationEffectiveAt } from "../rules/fr/conso-l223/bloctel-effect.ts";
import type { Evidence } from "../store/store.ts";

/**
 * Evidence without a controller binds every controller of the tenant. Stored controllers are keyed
 * again as they are read (`controllerKeyOf`): evidence recorded before the key folded Unicode
 * spellings is matched as evidence recorded since.
 */
const ANY_CONTROLLER = "";

/** What a list row or a request says about its contact; null where it says nothing. */
export interface Declared {
  readonly point: { readonly type: "phone" | "email"; readonly value: string };
  readonly kind: Kind | null;
  readonly origin: Origin | null;
  readonly relationship: Relationship | null;
  readonly location: Location | null;
}

/**
 * A number a check lists as registered is registered and in force on the check's day, whatever
 * dates the check lacks: it takes effect then, or on its known effective date if earlier
 * (conso-l223-1/bloctel, C. conso. L.223-1; docs/readings.md, "Bloctel").
 */
function listedRegistration(check: Evidence["registry"][number], at: number) {
  const known = registrationEffectiveAt(check, at);
  return {
    registeredAt: check.registeredAt,
    effectiveAt: known === null ? check.checkedAt : Math.min(known, check.checkedAt),
  };
}

export interface FactsRequest {
  readonly campaign: Campaign;
  readonly policy: Policy;
  readonly at: number;
  readonly point: { readonly type: "phone" | "email"; readonly value: string };
}

type Source = Evidence["sources"][number];

/** A source's content, whatever its place in the log. */
const contentKey = (s: Source): string => JSON.stringify({ ...s, seq: 0 });

/**
 * The source that describes the person for this controller as of `at`: the latest collected, so
 * that the same sources give the same answer whatever order they were recorded in; sources of one
 * day are told apart by their content.
 */
function latestSource(ev: Evidence, controller: string, at: number): Source | undefined {
  let best: Source | undefined;
  // The content of `best`, written only when a source of the same day comes to be compared: a
  // JSON text costs a microsecond, and most points have one source.
  let bestKey: string | null = null;
  for (const s of ev.sources) {
    if (controllerKeyOf(s.controller) !== controller && s.controller !== ANY_CONTROLLER) continue;
    if (s.collectedAt !== null && s.collectedAt > at) continue;
    if (best === undefined || (s.collectedAt ?? -Infinity) > (best.collectedAt ?? -Infinity)) {
      best = s;
      bestKey = null;
    } else if (s.collectedAt === best.collectedAt) {
      bestKey ??= contentKey(best);
      const key = contentKey(s);
      if (key > bestKey) {
        best = s;
        bestKey = key;
      }
    }
  }
  return best;
}

const maxOf = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);

const earliest = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

/**
 * The latest callback the person asked this controller for, as of `at`: when, in what slot, about
 * what. Two records naming different subjects fit no call: none.
 */
function callbackOf(
  ev: Evidence,
  controller: string,
  at: number,
): Pick<Contact, "callbackRequestedAt" | "callbackSlot" | "callbackSubject"> {
  let latest: Evidence["callbacks"][number] | undefined;
  for (const b of ev.callbacks) {
    if (controllerKeyOf(b.controller) !== controller && b.controller !== ANY_CONTROLLER) continue;
    if (b.at <= at && (latest === undefined || b.at > latest.at)) latest = b;
  }
  if (latest === undefined || latest.subject === "") {
    return { callbackRequestedAt: null, callbackSlot: null, callbackSubject: null };
  }
  return {
    callbackRequestedAt: latest.at,
    callbackSlot: latest.slot,
    callbackSubject: (latest.subject as Sector | null) ?? null,
  };
}

/** The latest art. 14 notice of this controller as of `at`, or the one a source says was sent. */
function informedAt(ev: Evidence, controller: string, at: number, fromSource: number | null): number | null {
  let informed = fromSource;
  for (const n of ev.notices) {
    if ((controllerKeyOf(n.controller) === controller || n.controller === ANY_CONTROLLER) && n.at <= at) {
      if (informed === null || n.at > informed) informed = n.at;
    }
  }
  return informed;
}

function originOf(
  source: Source | undefined,
  declared: Origin | null,
  informed: number | null,
): Origin | null {
  if (source === undefined) {
    if (declared === null) return null;
    return { ...declared, informedAt: informed ?? declared.informedAt };
  }
  const d = declared;
  return {
    type: source.originType,
    collectedAt: source.collectedAt ?? d?.collectedAt ?? null,
    sourceUrl: source.sourceUrl ?? d?.sourceUrl ?? null,
    senderNamedAtCollection: source.senderNamed ?? d?.senderNamedAtCollection ?? null,
    optOutOfferedAtCollection: source.optOutOffered ?? d?.optOutOfferedAtCollection ?? null,
    // A refusal written in the ad binds, whichever of the two saw it.
    publisherRefusedCanvassing:
      source.publisherRefused === true || d?.publisherRefusedCanvassing === true
        ? true
        : (source.publisherRefused ?? d?.publisherRefusedCanvassing ?? null),
    informedAt: informed ?? d?.informedAt ?? null,
    obtainedAt: source.obtainedAt ?? d?.obtainedAt ?? null,
    // The longer chain holds, whichever of the two recorded it.
    transfers: maxOf(source.transfers, d?.transfers ?? null),
  };
}

function relationshipOf(source: Source | undefined, declared: Relationship | null): Relationship | null {
  const since = source?.customerSince ?? declared?.since ?? null;
  const endedAt = source?.customerUntil ?? declared?.endedAt ?? null;
  const lastInboundAt = source?.lastInboundAt ?? declared?.lastInboundAt ?? null;
  const status = source?.relationship ?? declared?.status ?? null;
  if (status === null && since === null && endedAt === null && lastInboundAt === null) return null;
  // Dates without a status: the least the evidence shows is a prospect, who gets no soft opt-in.
  const freeAccountOfPaidModel =
    status === "account_only"
      ? (source?.freeAccountOfPaidModel ?? declared?.freeAccountOfPaidModel ?? null)
      : null;
  return { status: status ?? "prospect", since, endedAt, lastInboundAt, freeAccountOfPaidModel };
}

function locationOf(source: Source | undefined, declared: Location | null): Location | null {
  const department = source?.department ?? declared?.department ?? null;
  const timeZone = source?.timeZone ?? declared?.timeZone ?? null;
  const country = declared?.country ?? null;
  return department === null && timeZone === null && country === null
    ? null
    : { country, department, timeZone };
}

/** The facts of one contact: `stored` is null when no store is consulted. */
export function assembleFacts(
  req: Omit<FactsRequest, "point">,
  declared: Declared,
  stored: Evidence | null,
): Facts {
  const { campaign, at } = req;
  if (stored === null) {
    return {
      at,
      campaign,
      contact: {
        kind: declared.kind ?? "consumer", // the most protective assumption
        point: declared.point,
        location: declared.location,
        origin: declared.origin,
        relationship: relationshipOf(undefined, declared.relationship),
        consents: NONE,
        objections: NONE,
        erasedAt: null,
        bloctel: null,
        lastBloctelScrubAt: null,
        callbackRequestedAt: null,
        callbackSlot: null,
        callbackSubject: null,
        history: NONE,
      },
      policy: req.policy,
    };
  }
  const ev = stored;
  const controller = campaign.controllerKey;
  const source = latestSource(ev, controller, at);
  const informed = informedAt(ev, controller, at, source?.informedAt ?? null);

  const person = ev.person;
  // Unlike other evidence, an erasure counts whatever instant is decided: the person is never
  // contacted again, and nothing may be decided from the data they had erased.
  const erasedAt = earliest(ev.point?.erasedAt ?? null, person.erasedAt);
  const objections: Objection[] = once(
    [...ev.objections, ...person.objections]
      .filter((o) => o.at <= at)
      .map((o) => ({
        at: o.at,
        channel: o.channel,
        controllerKey: o.controller === ANY_CONTROLLER ? null : controllerKeyOf(o.controller),
        via: o.via,
      })),
  );
  const history: ContactMade[] = once(
    [...ev.contacts, ...person.contacts]
      .filter((c) => c.at < at)
      .map((c) => ({
        at: c.at,
        channel: c.channel,
        controllerKey: controllerKeyOf(c.controller),
        advertiserKey: c.advertiser === null ? null : controllerKeyOf(c.advertiser),
        sector: c.sector,
        outcome: c.outcome,
      })),
  );

  // The latest Bloctel check as of `at`.
  let check: Evidence["registry"][number] | undefined;
  for (const r of ev.registry)
    if (r.checkedAt <= at && (check === undefined || r.checkedAt >= check.checkedAt)) check = r;

  return {
    at,
    campaign,
    contact: {
      // With no record of who the person is, the most protective assumption: a consumer.
      kind: source?.kind ?? declared.kind ?? "consumer",
      point: declared.point,
      location: locationOf(source, declared.location),
      origin: originOf(source, declared.origin, informed),
      relationship: relationshipOf(source, declared.relationship),
      // An erased person's consents no longer count: nothing may be built on erased data.
      consents:
        erasedAt !== null
          ? NONE
          : ev.consents
              .filter((c) => c.givenAt <= at)
              .map((c) => ({
                channel: c.channel,
                controllerKey: controllerKeyOf(c.controller),
                givenAt: c.givenAt,
                withdrawnAt: c.withdrawnAt !== null && c.withdrawnAt <= at ? c.withdrawnAt : null,
                method: c.method,
                proof: c.proof,
                scope: c.scope,
                collectedBy: c.collectedBy,
                namedHow: c.namedHow,
              })),
      objections,
      erasedAt,
      bloctel: check?.registered === true ? listedRegistration(check, at) : null,
      lastBloctelScrubAt: check?.checkedAt ?? null,
      ...callbackOf(ev, controller, at),
      history,
    },
    policy: req.policy,
  };
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * In time order, each fact once: a call or an objection recorded for two points of one person
 * (the phone and the e-mail of one row) is one call, one objection.
 */
function once<T extends { readonly at: number }>(rows: T[]): T[] {
  if (rows.length < 2) return rows;
  const seen = new Set<string>();
  return rows
    .filter((r) => {
      const key = JSON.stringify(r);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.at - b.at);
}

/** The facts of a point from what the store holds alone (vigie check, the API, the dashboard). */
export function factsFromEvidence(ev: Evidence, req: FactsRequest): Facts {
  return assembleFacts(
    req,
    { point: req.point, kind: null, origin: null, relationship: null, location: null },
    ev,
  );
}
