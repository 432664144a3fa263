// Facts from evidence: what the store knows about a person, as of an instant, in the shape the
// engine decides on. Evidence dated after `at` is left out, so a past decision can be replayed
// from the same store and explained.
import type {
  Campaign,
  ContactMade,
  Facts,
  Objection,
  Origin,
  Policy,
  Relationship,
} from "../facts/types.ts";
import { registrationEffectiveAt } from "../rules/fr/conso-l223/bloctel-effect.ts";
import type { Evidence } from "./store.ts";

/** Evidence without a controller binds every controller of the tenant. */
const ANY_CONTROLLER = "";

function latestSource(ev: Evidence, controller: string, at: number) {
  let best: Evidence["sources"][number] | undefined;
  for (const s of ev.sources) {
    if (s.controller !== controller && s.controller !== ANY_CONTROLLER) continue;
    if (s.collectedAt !== null && s.collectedAt > at) continue;
    if (best === undefined || s.seq > best.seq) best = s;
  }
  return best;
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

export function factsFromEvidence(ev: Evidence, req: FactsRequest): Facts {
  const { campaign, at } = req;
  const controller = campaign.controllerKey;
  const source = latestSource(ev, controller, at);
  let informedAt = source?.informedAt ?? null;
  for (const n of ev.notices) {
    if ((n.controller === controller || n.controller === ANY_CONTROLLER) && n.at <= at) {
      if (informedAt === null || n.at > informedAt) informedAt = n.at;
    }
  }
  const origin: Origin | null =
    source === undefined
      ? null
      : {
          type: source.originType,
          collectedAt: source.collectedAt,
          sourceUrl: source.sourceUrl,
          senderNamedAtCollection: source.senderNamed,
          optOutOfferedAtCollection: source.optOutOffered,
          publisherRefusedCanvassing: source.publisherRefused,
          informedAt,
        };
  const relationship: Relationship | null =
    source?.relationship == null
      ? null
      : {
          status: source.relationship,
          since: source.customerSince,
          endedAt: source.customerUntil,
          lastInboundAt: source.lastInboundAt,
        };
  const objections: Objection[] = ev.objections
    .filter((o) => o.at <= at)
    .map((o) => ({
      at: o.at,
      channel: o.channel,
      controllerKey: o.controller === ANY_CONTROLLER ? null : o.controller,
      via: o.via,
    }));
  // An erased person stays suppressed for every controller: the erasure is an objection.
  const erasedAt = ev.point?.erasedAt ?? null;
  if (erasedAt !== null && erasedAt <= at) {
    objections.push({ at: erasedAt, channel: "all", controllerKey: null, via: "erasure" });
  }
  const history: ContactMade[] = ev.contacts
    .filter((c) => c.at < at)
    .map((c) => ({ at: c.at, channel: c.channel, controllerKey: c.controller, outcome: c.outcome }));
  let check: Evidence["registry"][number] | undefined;
  for (const r of ev.registry)
    if (r.checkedAt <= at && (check === undefined || r.checkedAt >= check.checkedAt)) check = r;
  return {
    at,
    campaign,
    contact: {
      // With no record of who the person is, the most protective assumption: a consumer.
      kind: source?.kind ?? "consumer",
      point: req.point,
      location:
        source === undefined || (source.department === null && source.timeZone === null)
          ? null
          : { country: null, department: source.department, timeZone: source.timeZone },
      origin,
      relationship,
      consents: ev.consents
        .filter((c) => c.givenAt <= at)
        .map((c) => ({
          channel: c.channel,
          controllerKey: c.controller,
          givenAt: c.givenAt,
          withdrawnAt: c.withdrawnAt !== null && c.withdrawnAt <= at ? c.withdrawnAt : null,
          method: c.method,
          proof: c.proof,
          scope: c.scope,
        })),
      objections,
      bloctel: check?.registered === true ? listedRegistration(check, at) : null,
      lastBloctelScrubAt: check?.checkedAt ?? null,
      callbackRequestedAt: null,
      history,
    },
    policy: req.policy,
  };
}
