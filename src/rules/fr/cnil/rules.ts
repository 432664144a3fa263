// CNIL doctrine that fills the statute's gaps: B2B e-mail (2005), non-commercial messages,
// partner opt-ins (2018), retention (référentiel 2021), postal prospecting (2019).
import { type Collection, collectionOf } from "../../../engine/consent-collection.ts";
import type { Context } from "../../../engine/context.ts";
import { type Exception, fixed, msg, type Rule, type Verdict, verdict } from "../../../engine/rule.ts";
import type { Consent, Contact } from "../../../facts/types.ts";
import { coded } from "../../../i18n/decisions.ts";
import { PARTNER_CONSENT_MUST_NAME_SENDER, RETENTION_YEARS } from "../../../params/fr/params.ts";
import { addYears, dayStart, monthsElapsed } from "../../../time/dates.ts";
import { BLOCTEL_TO, day, ELECTRONIC, NATURAL_PERSONS, PHONE_OPT_IN_FROM } from "../common.ts";
import { CANVASSING_EXCEPTIONS } from "../conso-l223/rules.ts";

const B2B_FUNCTION = fixed("allow", "cnil.b2b_function");
const NON_COMMERCIAL = fixed("allow", "cnil.non_commercial");
const PARTNER_NAMED_SENDER = fixed("info", "cnil.partner_named_sender");
/** Recorded before vigie knew how the form named the sender: on the form or behind a link, unknown (H10). */
const PARTNER_NAMED_SENDER_UNSPECIFIED = fixed("info", "cnil.partner_named_sender_unspecified", true);
const PARTNER_LISTED_WITH_LINK = fixed("info", "cnil.partner_listed_with_link", true);
const POSTAL_NO_OPT_OUT = fixed("block", "cnil.postal_no_opt_out");
const POSTAL_DUTIES = fixed("condition", "cnil.postal_duties");

/**
 * Mail services anyone opens an address with: none is "attribuée" by the organisation the person
 * works for, which the B2B doctrine requires of the address (A4) — a professional writing from one
 * is prospected there as a person is. Kept to the services common in France.
 */
const PERSONAL_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "yahoo.fr",
  "yahoo.com",
  "ymail.com",
  "hotmail.fr",
  "hotmail.com",
  "outlook.fr",
  "outlook.com",
  "live.fr",
  "live.com",
  "msn.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "aol.fr",
  "orange.fr",
  "wanadoo.fr",
  "free.fr",
  "sfr.fr",
  "neuf.fr",
  "club-internet.fr",
  "laposte.net",
  "bbox.fr",
  "numericable.fr",
  "aliceadsl.fr",
  "gmx.fr",
  "gmx.com",
  "gmx.net",
  "protonmail.com",
  "proton.me",
  "tutanota.com",
  "yandex.com",
  "mail.com",
]);

/** A4 — exception to L.34-5 consent: a professional, about their function. */
const b2b: Rule = {
  id: "cnil/b2b",
  law: "A4",
  title: msg("Prospection B2B liée à la fonction", "B2B prospecting related to the recipient's function"),
  confidence: "V2",
  role: "exception",
  channels: ["email", "sms", "voice_automated", "social_dm", "inbox_ad"],
  kinds: ["professional"],
  versions: [
    {
      from: "2005-02-17",
      article:
        "CNIL, position du 17 février 2005 ; CNIL, « La prospection commerciale par courrier électronique »",
      text: "Les personnes peuvent être prospectées sans consentement préalable à leur adresse électronique professionnelle si le message leur est adressé au titre de la fonction qu'elles exercent dans l'organisme privé ou public qui leur a attribué cette adresse ; elles doivent avoir été informées de l'utilisation de leur adresse à des fins de prospection et pouvoir s'y opposer simplement et gratuitement.",
    },
  ],
  evaluate(ctx) {
    if (!ctx.campaign.relatedToProfession) return null;
    const point = ctx.contact.point;
    if (
      point?.type === "email" &&
      PERSONAL_MAIL_DOMAINS.has(point.value.slice(point.value.lastIndexOf("@") + 1))
    )
      return null;
    const origin = ctx.contact.origin;
    // Collected directly but without the chance to object: the doctrine's condition fails.
    if (origin?.type === "direct" && origin.optOutOfferedAtCollection === false) return null;
    return B2B_FUNCTION;
  },
};

/** A6 — exception to L.34-5 consent: messages that sell nothing. */
const nonCommercial: Rule = {
  id: "cnil/non-commercial",
  law: "A6",
  title: msg("Messages non commerciaux", "Non-commercial messages"),
  confidence: "V",
  role: "exception",
  channels: ELECTRONIC,
  kinds: "all",
  versions: [
    {
      from: "2004-06-22",
      article:
        "CPCE, art. L.34-5 al. 3 (définition de la prospection directe) ; CNIL, « La prospection commerciale par automates d'appel » (26 janv. 2022)",
      text: "Le consentement préalable n'est pas requis si la prospection n'est pas de nature commerciale (exemple : caritative) ; la personne doit être informée lors de la collecte et pouvoir s'y opposer.",
    },
  ],
  evaluate(ctx) {
    if (ctx.campaign.sector !== "non_commercial") return null;
    return NON_COMMERCIAL;
  },
};

const CNIL_PARTNERS_2018 =
  "CNIL, recommandation du 28 décembre 2018 (B2C, transmission de données à des partenaires) ; SAN-2023-015 Canal+";
const CNIL_PARTNERS_TEXT =
  "L'organisme qui collecte les données doit recueillir le consentement des personnes à la transmission à des partenaires ; la personne doit pouvoir identifier les partenaires (liste sur le formulaire ou via un lien) ; chaque partenaire doit, lors de sa première communication, informer la personne ; le consentement n'est pas transmissible à d'autres partenaires.";

/**
 * On a call, what lets a contact through without any consent (press, ongoing contract, callback)
 * lets it through without the partner's too; those exceptions say nothing about other channels.
 */
const PHONE_EXCEPTIONS: readonly Exception[] = CANVASSING_EXCEPTIONS.flatMap((ex): Exception[] => {
  if (typeof ex === "string") return [ex];
  if (ex.to !== undefined && ex.to < PHONE_OPT_IN_FROM) return [];
  return [{ ...ex, test: (ctx: Context) => (ctx.channel === "voice_live" ? ex.test(ctx) : null) }];
});

/**
 * A8 — a consent a partner or broker collected counts for the controller only if its form named
 * it. Electronic channels from the CNIL's 2018 recommendation; calls from 11 August 2026, when
 * L.223-1 requires a "specific" consent to telephone canvassing.
 */
const partnerConsent: Rule = {
  id: "cnil/partner-consent",
  law: "A8",
  remedy: msg(
    "Recueillir le consentement vous-même, ou obtenir du partenaire la preuve que son formulaire vous nommait (collected_by, named_how) et que les données n'ont pas été transmises à nouveau.",
    "Collect the consent yourself, or get from the partner proof that its form named you (collected_by, named_how) and that the data were not passed on again.",
  ),
  title: msg("Consentement recueilli par un partenaire", "Consent collected by a partner"),
  confidence: "V",
  channels: [...ELECTRONIC, "voice_live"],
  kinds: ["consumer"],
  params: [PARTNER_CONSENT_MUST_NAME_SENDER],
  contested:
    "H10: CJEU C-317/25 (Groupe Canal+) is pending on consents to partners not individually named; vigie requires the sender to have been named, on the form or in a list behind a link (the latter contested).",
  versions: [
    { from: "2018-12-28", to: BLOCTEL_TO, article: CNIL_PARTNERS_2018, text: CNIL_PARTNERS_TEXT },
    {
      from: PHONE_OPT_IN_FROM,
      article: `${CNIL_PARTNERS_2018} ; pour les appels : C. conso., art. L.223-1 al. 2 (loi n° 2025-594, art. 13)`,
      text: `${CNIL_PARTNERS_TEXT} Appels (L.223-1 al. 2) : le consentement est « toute manifestation de volonté libre, spécifique, éclairée, univoque et révocable ».`,
    },
  ],
  // A consent is not needed where these let the contact through: a flawed one changes nothing.
  exceptions: ["cpce-l34-5/soft-opt-in", ...PHONE_EXCEPTIONS],
  evaluate(ctx) {
    if (ctx.channel === "voice_live" && ctx.at < dayStart(PHONE_OPT_IN_FROM)) return null;
    // A non-commercial message or call needs no consent (A6, B0).
    if (ctx.campaign.sector === "non_commercial") return null;
    const check = ctx.consent(ctx.channel);
    const consent = check.consent;
    if (consent === null) return null;
    const collection = collectionOf(consent, ctx.contact.origin);
    if (check.status === "sender_not_named") return unnamed(ctx, consent, collection);
    if (check.status !== "valid") return null;
    if (collection.by === "unknown") return collectorUnknown(ctx, consent);
    if (collection.by === "self") return null;
    const transfers = ctx.contact.origin?.transfers ?? null;
    if (transfers !== null && transfers > 1) return passedOnAgain(consent, collection.by, transfers);
    if (consent.collectedBy === null) return PARTNER_NAMED_SENDER_UNSPECIFIED;
    return collection.naming === "listed_with_link" ? PARTNER_LISTED_WITH_LINK : PARTNER_NAMED_SENDER;
  },
};

/** Who collected a consent for the controller, as reasons name them. */
const THIRD_PARTY = {
  partner: coded("cnil.collector.partner", {}),
  broker: coded("cnil.collector.broker", {}),
} as const;

function unnamed(ctx: Context, consent: Consent, collection: Collection): Verdict {
  const given = day(consent.givenAt);
  const who = collection.by === "broker" ? THIRD_PARTY.broker : THIRD_PARTY.partner;
  // The one the consent had to name: whose offer it is (the consents read are its own).
  const sender = ctx.campaign.advertiser ?? ctx.campaign.controller;
  const code =
    collection.by !== "self" && collection.by !== "unknown" && collection.naming === null
      ? "cnil.sender_naming_unknown"
      : "cnil.sender_not_named";
  return verdict("block", code, { given, who, sender }, true);
}

/**
 * "Le consentement n'est pas transmissible": a consent given on a partner's form counts for the
 * partners it named, not for whoever one of them passed the data on to (CNIL 2018).
 */
function passedOnAgain(consent: Consent, by: "partner" | "broker", transfers: number): Verdict {
  return verdict("block", "cnil.passed_on_again", {
    given: day(consent.givenAt),
    who: THIRD_PARTY[by],
    transfers,
  });
}

/** Who collected the consent is not recorded, and nothing else shows the data were first-hand. */
function collectorUnknown(ctx: Context, consent: Consent): Verdict {
  return verdict("condition", "cnil.collector_unknown", {
    given: day(consent.givenAt),
    sender: ctx.campaign.controller,
  });
}

/** D5 — how long prospecting data may be kept (CNIL référentiel; NS-048 before it). */
const retention: Rule = {
  id: "cnil/retention",
  law: "D5",
  remedy: msg(
    "Ne plus utiliser ces données : passé la durée de conservation, les supprimer (vigie retention sweep), ou attendre que la personne reprenne contact.",
    "Stop using these data: past the retention period, delete them (vigie retention sweep), or wait until the person gets in touch again.",
  ),
  title: msg("Durée de conservation des données de prospection", "Retention of prospecting data"),
  confidence: "V2",
  channels: "all",
  kinds: NATURAL_PERSONS,
  params: [RETENTION_YEARS],
  versions: [
    {
      from: "2016-01-01",
      to: "2022-04-09",
      article: "CNIL, norme simplifiée n° 48 (NS-048), art. 6",
      text: "Les données des prospects non-clients peuvent être conservées pendant un délai de trois ans à compter de leur collecte ou du dernier contact émanant du prospect.",
    },
    {
      from: "2022-04-10",
      article:
        "CNIL, référentiel « gestion des activités commerciales » (délib. n° 2021-131 du 23 septembre 2021)",
      text: "Prospects : 3 ans à compter de la collecte ou du dernier contact émanant du prospect. Clients : 3 ans à compter de la fin de la relation commerciale pour la prospection.",
    },
  ],
  evaluate: evaluateRetention,
};

/**
 * The person's latest consent to this controller up to `at`, on any channel: giving one is a
 * contact emanating from the person, which restarts the référentiel's clock as a click does.
 */
function lastConsentAt(contact: Contact, controller: string, at: number): number | null {
  let last: number | null = null;
  for (const c of contact.consents)
    if (c.controllerKey === controller && c.givenAt <= at && (last === null || c.givenAt > last))
      last = c.givenAt;
  return last;
}

/**
 * A former customer's clock: from the end of the relationship, or from their own later contact (a
 * recorded inbound contact, a consent given to the controller).
 */
export function customerSince(endedAt: number, contact: Contact, controller: string, at: number): number {
  const rel = contact.relationship;
  const since = latestUpTo(at, endedAt, rel?.lastInboundAt ?? null);
  return latestUpTo(at, since, lastConsentAt(contact, controller, at)) as number;
}

/**
 * `t` if it is dated, not after `at` and later than `start`, else `start` (chained rather than
 * looped over an array: the retention clock is read for every contact of a list).
 */
function latestUpTo(at: number, start: number | null, t: number | null): number | null {
  return t !== null && t <= at && (start === null || t > start) ? t : start;
}

/**
 * Prospects and accounts without a sale: from collection or the person's last own contact (a
 * recorded inbound contact, a consent given to the controller), the latest of them up to `at`;
 * null when neither the collection nor a relationship is dated — a consent alone restarts a clock,
 * it does not date the collection (an unknown one stays a condition to check, not a block).
 */
export function prospectSince(contact: Contact, controller: string, at: number): number | null {
  const rel = contact.relationship;
  let start = latestUpTo(at, null, contact.origin?.collectedAt ?? null);
  start = latestUpTo(at, start, rel?.since ?? null);
  start = latestUpTo(at, start, rel?.lastInboundAt ?? null);
  const consented = start === null ? null : lastConsentAt(contact, controller, at);
  return consented !== null && start !== null && consented > start ? consented : start;
}

function evaluateRetention(ctx: Context): Verdict | null {
  const years = ctx.param(RETENTION_YEARS);
  if (years === undefined) return null;
  const rel = ctx.contact.relationship;
  if (rel?.status === "active_contract") return null;
  if (rel?.status === "past_customer") {
    if (rel.endedAt === null) {
      return verdict("condition", "cnil.customer_end_unknown", { years: years.customer });
    }
    const since = customerSince(rel.endedAt, ctx.contact, ctx.campaign.controllerKey, ctx.at);
    if (!monthsElapsed(since, 12 * years.customer, ctx.at)) return null;
    const until = day(addYears(since, years.customer));
    return since === rel.endedAt
      ? verdict("block", "cnil.customer_retention_ended", { ended: day(rel.endedAt), until })
      : verdict("block", "cnil.former_customer_retention_ended", { since: day(since), until });
  }
  const start = prospectSince(ctx.contact, ctx.campaign.controllerKey, ctx.at);
  if (start === null) {
    return verdict("condition", "cnil.collection_unknown", { years: years.prospect });
  }
  if (!monthsElapsed(start, 12 * years.prospect, ctx.at)) return null;
  const until = day(addYears(start, years.prospect));
  return verdict("block", "cnil.prospect_retention_ended", { since: day(start), until });
}

/** E1 — addressed postal mail: information and a way to object at collection. */
const postal: Rule = {
  id: "cnil/postal",
  law: "E1",
  remedy: msg(
    "Informer la personne de son droit de s'opposer aux courriers de prospection et respecter son opposition.",
    "Inform the person of their right to object to marketing mail, and honour the objection.",
  ),
  title: msg("Prospection par courrier postal", "Prospecting by post"),
  confidence: "V",
  channels: ["postal"],
  kinds: NATURAL_PERSONS,
  versions: [
    {
      from: "2016-01-01",
      article:
        "CNIL, « La prospection commerciale par courrier postal et par téléphone » (6 déc. 2019) ; RGPD art. 21",
      text: "La prospection par voie postale est possible sans consentement préalable si la personne a été informée, lors de la collecte de son adresse, de son utilisation à des fins de prospection et a pu s'y opposer simplement et gratuitement (par exemple par une case à cocher).",
    },
  ],
  evaluate(ctx) {
    const origin = ctx.contact.origin;
    if (origin?.type === "direct" && origin.optOutOfferedAtCollection === false) {
      return POSTAL_NO_OPT_OUT;
    }
    return POSTAL_DUTIES;
  },
};

export const CNIL_RULES: readonly Rule[] = [b2b, nonCommercial, partnerConsent, retention, postal];
