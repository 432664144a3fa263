// Code de la consommation, art. L.223-1 to L.223-5 (ex-L.121-34): telephone canvassing of
// consumers — Bloctel until 10 August 2026, prior consent from 11 August 2026, the press
// exception and the energy-renovation ban (docs/law.md#conso-l223: B1–B3, B6, C1).
import type { Context } from "../../../engine/context.ts";
import type { Exception, Rule, Verdict } from "../../../engine/rule.ts";
import { fixed, msg, verdict } from "../../../engine/rule.ts";
import type { Consent } from "../../../facts/types.ts";
import {
  BLOCTEL,
  CONSENT_PROOF_REQUIRED,
  ENERGY_PHONE_BAN,
  INVALID_CONSENT_METHODS,
  RETENTION_YEARS,
} from "../../../params/fr/params.ts";
import { addYears, startOfDayPlus } from "../../../time/dates.ts";
import { BLOCTEL_TO, CONSUMERS, day, PHONE_OPT_IN_FROM } from "../common.ts";
import { banVerdict, ONGOING_CONTRACT_EXCEPTION, SECTOR_BAN_EXCEPTIONS } from "../sector-ban.ts";
import { registrationEffectiveAt } from "./bloctel-effect.ts";

const PREEXISTING_CONTRACT = fixed("allow", "exception.preexisting_contract");
const NOT_CONSUMER = fixed("info", "conso-l223-1.not_consumer");
const NOT_COMMERCIAL = fixed("info", "conso-l223-1.not_commercial");
const UNSCREENED = fixed("block", "conso-l223-1.unscreened");
const PRESS = fixed("allow", "conso-l223-5.press");
const UNDATED_UNCHECKED = fixed("block", "conso-l223-1.registered_unknown_date");

const BLOCTEL_FROM = "2016-06-01";

/** Exceptions to the Bloctel ban and, from 2026-08-11, to the opt-in, each in its own period. */
export const CANVASSING_EXCEPTIONS: readonly Exception[] = [
  "conso-l223-5/press",
  {
    name: "preexisting-contractual-relations",
    from: BLOCTEL_FROM,
    to: "2020-07-25",
    test(ctx) {
      const rel = ctx.contact.relationship;
      if (rel?.status === "active_contract") {
        return PREEXISTING_CONTRACT;
      }
      const years = ctx.param(RETENTION_YEARS)?.customer ?? 3;
      if (
        rel?.status === "past_customer" &&
        ctx.policy.pastCustomersArePreexistingRelations &&
        (rel.endedAt === null || ctx.at < addYears(rel.endedAt, years))
      ) {
        return verdict("allow", "exception.preexisting_past_customer", { years }, true);
      }
      return null;
    },
  },
  // From loi 2020-901: the "contrat en cours" wording, shared with the sector bans.
  { ...ONGOING_CONTRACT_EXCEPTION, from: "2020-07-26" },
  {
    name: "callback-requested",
    test(ctx) {
      if (!ctx.callbackRequested) return null;
      return ctx.contact.callbackSlot !== null
        ? verdict("allow", "exception.callback_in_slot", {}, true)
        : verdict(
            "allow",
            "exception.callback_within_window",
            { hours: ctx.policy.callbackWindowHours },
            true,
          );
    },
  },
];

/**
 * Registered, dates unknown (a check lists numbers without their dates): in force on the day of
 * the check that listed it, the facts' `lastBloctelScrubAt`, at the latest; with no check date,
 * in force (fail closed). docs/readings.md, "Bloctel".
 */
function registeredUndated(listedAt: number | null, at: number) {
  if (listedAt === null) return UNDATED_UNCHECKED;
  const checked = day(listedAt);
  return listedAt > at
    ? verdict("info", "conso-l223-1.listed_pending", { checked })
    : verdict("block", "conso-l223-1.listed", { checked });
}

/** B1 — no telephone canvassing of a consumer registered on Bloctel. */
const bloctel: Rule = {
  id: "conso-l223-1/bloctel",
  law: "B1",
  remedy: msg(
    "Ne pas appeler : le numéro est inscrit sur Bloctel ; seule une exception de la loi (contrat en cours, …) permet l'appel.",
    "Do not call: the number is on Bloctel; only an exception of the law (ongoing contract, …) allows the call.",
  ),
  title: msg("Liste d'opposition Bloctel", "Bloctel opposition list"),
  confidence: "V",
  channels: ["voice_live"],
  kinds: "all",
  params: [BLOCTEL],
  versions: [
    {
      from: BLOCTEL_FROM,
      to: "2016-06-30",
      article: "C. conso., art. L.121-34 (loi n° 2014-344, art. 9)",
      text: "Il est interdit à un professionnel, directement ou par l'intermédiaire d'un tiers agissant pour son compte, de démarcher téléphoniquement un consommateur inscrit sur cette liste, sauf en cas de relations contractuelles préexistantes.",
    },
    {
      from: "2016-07-01",
      to: "2020-07-25",
      article: "C. conso., art. L.223-1",
      text: "Le consommateur qui ne souhaite pas faire l'objet de prospection commerciale par voie téléphonique peut gratuitement s'inscrire sur une liste d'opposition au démarchage téléphonique. Il est interdit à un professionnel, directement ou par l'intermédiaire d'un tiers agissant pour son compte, de démarcher téléphoniquement un consommateur inscrit sur cette liste, sauf en cas de relations contractuelles préexistantes.",
    },
    {
      from: "2020-07-26",
      to: BLOCTEL_TO,
      article: "C. conso., art. L.223-1 al. 1-2 (loi n° 2020-901 du 24 juillet 2020)",
      text: "Il est interdit à un professionnel, directement ou par l'intermédiaire d'un tiers agissant pour son compte, de démarcher téléphoniquement un consommateur inscrit sur cette liste, à l'exception des sollicitations intervenant dans le cadre de l'exécution d'un contrat en cours et ayant un rapport avec l'objet de ce contrat, y compris lorsqu'il s'agit de proposer au consommateur des produits ou des services afférents ou complémentaires à l'objet du contrat en cours ou de nature à améliorer ses performances ou sa qualité.",
    },
  ],
  exceptions: CANVASSING_EXCEPTIONS,
  evaluate(ctx) {
    if (ctx.contact.kind !== "consumer") return NOT_CONSUMER;
    if (ctx.campaign.sector === "non_commercial") return NOT_COMMERCIAL;
    const reg = ctx.contact.bloctel;
    if (reg === null) return null;
    const effective = registrationEffectiveAt(reg, ctx.at, ctx.param(BLOCTEL)?.effectiveAfterDays);
    if (effective === null) return registeredUndated(ctx.contact.lastBloctelScrubAt, ctx.at);
    return effective > ctx.at
      ? verdict("info", "conso-l223-1.registered_pending", { effective: day(effective) })
      : verdict("block", "conso-l223-1.registered", { effective: day(effective) });
  },
};

/** B2 — the caller must have checked the number against Bloctel recently enough. */
const bloctelScrub: Rule = {
  id: "conso-l223-1/bloctel-scrub",
  law: "B2",
  remedy: msg(
    "Faire vérifier la liste par Bloctel avant l'appel, dans le délai réglementaire, et importer le résultat (vigie import bloctel).",
    "Have the list checked by Bloctel before calling, within the set period, and import the result (vigie import bloctel).",
  ),
  title: msg("Saisine de Bloctel avant l'appel", "Bloctel check before calling"),
  confidence: "V",
  channels: ["voice_live"],
  kinds: CONSUMERS,
  params: [BLOCTEL],
  versions: [
    {
      from: BLOCTEL_FROM,
      to: "2020-07-25",
      article: "Décret n° 2015-556 du 19 mai 2015 (ex-art. R.121-7-5 C. conso.)",
      text: "Le professionnel saisit l'organisme gestionnaire de la liste d'opposition, de manière régulière et au moins une fois par mois s'il exerce une activité habituelle de prospection commerciale par voie téléphonique, ou avant toute campagne de prospection dans les autres cas, afin de s'assurer de la conformité de ses fichiers de prospection avec la liste d'opposition.",
    },
    {
      from: "2020-07-26",
      to: BLOCTEL_TO,
      article: "C. conso., art. L.223-1 al. 4 (loi n° 2020-901 du 24 juillet 2020)",
      text: "Tout professionnel […] est tenu de saisir l'organisme chargé de la gestion de la liste d'opposition au démarchage téléphonique afin de s'assurer de la conformité de ses fichiers de prospection commerciale avec cette liste : au moins une fois par mois s'il exerce une activité habituelle de prospection commerciale par voie téléphonique ; avant toute campagne de prospection dans les autres cas.",
    },
  ],
  exceptions: CANVASSING_EXCEPTIONS,
  evaluate(ctx) {
    if (ctx.campaign.sector === "non_commercial") return null;
    const scrubbed = ctx.contact.lastBloctelScrubAt;
    const maxAge = ctx.param(BLOCTEL)?.scrubMaxAgeDays ?? 30;
    const occasional = ctx.campaign.habitualCaller === false;
    // Habitual callers: a check in the last 30 days. Occasional ones: a check made for this
    // campaign, i.e. in the 30 days before it started (or since).
    const reference = occasional ? Math.min(ctx.campaign.startsAt ?? ctx.at, ctx.at) : ctx.at;
    const oldestAccepted = startOfDayPlus(reference, -maxAge);
    if (scrubbed === null || scrubbed > ctx.at) {
      return UNSCREENED;
    }
    const checked = day(scrubbed);
    if (scrubbed < oldestAccepted) {
      // The duty as the text words it; the parameter is how old "monthly" lets a check be.
      const code = occasional ? "conso-l223-1.scrub_too_old_campaign" : "conso-l223-1.scrub_too_old_monthly";
      return verdict("block", code, { checked });
    }
    return verdict("info", "conso-l223-1.scrubbed", { checked });
  },
};

/** B2b — files with Bloctel-registered numbers may not be sold or rented. */
const fileSale: Rule = {
  id: "conso-l223-3/file-sale",
  law: "B2b",
  remedy: msg(
    "Retirer du fichier vendu ou loué les numéros inscrits sur Bloctel.",
    "Remove the numbers on Bloctel from the file sold or rented.",
  ),
  title: msg("Vente de fichiers contenant des numéros Bloctel", "Sale of files holding Bloctel numbers"),
  confidence: "V2",
  channels: ["voice_live"],
  kinds: CONSUMERS,
  versions: [
    {
      from: BLOCTEL_FROM,
      to: BLOCTEL_TO,
      article: "C. conso., art. L.223-3",
      text: "La location ou la vente de fichiers contenant des données téléphoniques et comportant les coordonnées d'un ou plusieurs consommateurs inscrits sur la liste d'opposition au démarchage téléphonique est interdite.",
    },
  ],
  evaluate(ctx) {
    const { origin, bloctel: reg } = ctx.contact;
    if (origin?.type !== "broker" && origin?.type !== "partner") return null;
    const registered = reg?.effectiveAt ?? reg?.registeredAt ?? null;
    if (registered === null || origin.collectedAt === null || registered > origin.collectedAt) return null;
    return verdict("info", "conso-l223-3.file_held_registered", { acquired: day(origin.collectedAt) });
  },
};

/** B3 — exception: canvassing for newspapers, periodicals and magazines. */
const press: Rule = {
  id: "conso-l223-5/press",
  law: "B3",
  title: msg("Exception presse", "Press exception"),
  confidence: "V2",
  role: "exception",
  channels: ["voice_live"],
  kinds: CONSUMERS,
  versions: [
    {
      from: BLOCTEL_FROM,
      to: BLOCTEL_TO,
      article: "C. conso., art. L.223-5 (ex-L.121-34 al. 3)",
      text: "L'interdiction prévue à l'article L. 223-1 ne s'applique pas à la prospection en vue de la fourniture de journaux, de périodiques ou de magazines.",
    },
    {
      from: PHONE_OPT_IN_FROM,
      article: "C. conso., art. L.223-5",
      text: "L'interdiction prévue à l'article L. 223-1 ne s'applique pas à la prospection en vue de la fourniture de journaux, de périodiques ou de magazines.",
      contested:
        "The wording of L.223-5 after loi n° 2025-594 was not seen; a law-firm reading keeps the press outside the opt-in.",
    },
  ],
  evaluate(ctx) {
    return ctx.campaign.sector === "press" ? PRESS : null;
  },
};

/** B6 — from 11 August 2026, prior consent to telephone canvassing, proven by the professional. */
const phoneConsent: Rule = {
  id: "conso-l223-1/phone-consent",
  law: "B6",
  remedy: msg(
    "Recueillir le consentement préalable de la personne à être démarchée par téléphone, ou relever d'une exception de la loi (contrat en cours, …).",
    "Collect the person's prior consent to telephone canvassing, or fall under an exception of the law (ongoing contract, …).",
  ),
  title: msg("Consentement préalable au démarchage téléphonique", "Prior consent to telephone canvassing"),
  confidence: "V",
  channels: ["voice_live"],
  kinds: "all",
  params: [INVALID_CONSENT_METHODS, CONSENT_PROOF_REQUIRED],
  versions: [
    {
      from: PHONE_OPT_IN_FROM,
      article: "C. conso., art. L.223-1 al. 1-4 (loi n° 2025-594 du 30 juin 2025, art. 13)",
      text: "Il est interdit à un professionnel, directement ou par l'intermédiaire d'un tiers agissant pour son compte, de démarcher téléphoniquement un consommateur qui n'a pas exprimé préalablement son consentement à faire l'objet de prospections commerciales par ce moyen. […] toute manifestation de volonté libre, spécifique, éclairée, univoque et révocable par laquelle une personne accepte, par un acte positif clair, que des données à caractère personnel la concernant soient utilisées à des fins de prospection commerciale par voie téléphonique. Il appartient au professionnel d'apporter la preuve que le consentement du consommateur a été recueilli dans les conditions prévues au deuxième alinéa. […] ne s'applique pas aux sollicitations intervenant dans le cadre de l'exécution d'un contrat en cours et ayant un rapport avec l'objet de ce contrat […].",
    },
  ],
  exceptions: CANVASSING_EXCEPTIONS,
  evaluate(ctx) {
    if (ctx.contact.kind !== "consumer") return NOT_CONSUMER;
    if (ctx.campaign.sector === "non_commercial") return NOT_COMMERCIAL;
    const check = ctx.consent("voice_live");
    if (check.status === "valid" && check.consent !== null) return consentAge(ctx, check.consent);
    return check.status === "none"
      ? NO_PHONE_CONSENT
      : verdict("block", "conso-l223-1.no_valid_phone_consent", { status: check.status });
  },
};

const NO_PHONE_CONSENT = fixed("block", "conso-l223-1.no_phone_consent");

/**
 * After how long a valid telephone consent's renewal is recommended (vigie's advice, not a text's:
 * see consentAge); the message quotes it.
 */
const RENEWAL_ADVISED_AFTER_YEARS = 1;

/**
 * How old a valid telephone consent may be. No official text limits it (a "décret n° 2026-662"
 * that third-party tools cite for one year was not found in the JORF nor in any official or press
 * source: docs/readings.md); a consent over a year old is allowed with a renewal recommended, and a
 * company that wants a ceiling sets the policy phoneConsentMaxAgeDays.
 */
function consentAge(ctx: Context, c: Consent): Verdict {
  const given = day(c.givenAt);
  const method = c.method ?? "—";
  const maxDays = ctx.policy.phoneConsentMaxAgeDays;
  if (maxDays !== null && ctx.at - c.givenAt > maxDays * DAY_MS) {
    return verdict("block", "conso-l223-1.phone_consent_too_old", { given, maxDays }, true);
  }
  if (addYears(c.givenAt, RENEWAL_ADVISED_AFTER_YEARS) <= ctx.at) {
    const months = 12 * RENEWAL_ADVISED_AFTER_YEARS;
    return verdict("condition", "conso-l223-1.phone_consent_renewal", { given, method, months }, true);
  }
  return verdict("allow", "conso-l223-1.phone_consent", { given, method });
}

const DAY_MS = 86_400_000;

/** C1 — no telephone canvassing for energy-renovation works, consent or not. */
const energyBan: Rule = {
  id: "conso-l223-1/energy-ban",
  law: "C1",
  remedy: msg(
    "Aucune démarche ne lève l'interdiction : ce démarchage n'est permis que dans le cadre d'un contrat en cours.",
    "No step lifts the ban: this canvassing is allowed only within an ongoing contract.",
  ),
  title: msg("Interdiction du démarchage rénovation énergétique", "Energy-renovation canvassing ban"),
  confidence: "V",
  channels: ["voice_live", "voice_automated"],
  kinds: CONSUMERS,
  contested:
    "H5: TA Rennes (16 Oct 2024, Almatys) disapplied the ban as contrary to directive 2005/29/EC; the DGCCRF still fines. vigie applies the ban.",
  params: [ENERGY_PHONE_BAN],
  versions: [
    {
      from: "2020-07-26",
      to: BLOCTEL_TO,
      article: "C. conso., art. L.223-1 al. 3 (loi n° 2020-901 du 24 juillet 2020)",
      text: "Toute prospection commerciale de consommateurs par des professionnels, par voie téléphonique, ayant pour objet la vente d'équipements ou la réalisation de travaux pour des logements en vue de la réalisation d'économies d'énergie ou de la production d'énergies renouvelables est interdite, à l'exception des sollicitations intervenant dans le cadre de l'exécution d'un contrat en cours.",
      contested: "H5: compatibility with directive 2005/29/EC (TA Rennes 16 Oct 2024, Almatys).",
    },
    {
      from: PHONE_OPT_IN_FROM,
      article: "C. conso., art. L.223-1 al. 5 (loi n° 2025-594 du 30 juin 2025)",
      text: "Toute prospection commerciale de consommateurs par des professionnels, par voie téléphonique, ayant pour objet l'offre de prestations de service, la vente d'équipements ou la réalisation de travaux pour des logements en vue de leur adaptation au vieillissement ou au handicap ou de la réalisation d'économies d'énergie ou de la production d'énergies renouvelables est interdite, à l'exception des sollicitations intervenant dans le cadre de l'exécution d'un contrat en cours.",
      contested: "H5: compatibility with directive 2005/29/EC (TA Rennes 16 Oct 2024, Almatys).",
    },
  ],
  exceptions: SECTOR_BAN_EXCEPTIONS,
  evaluate(ctx) {
    return banVerdict(ctx, ENERGY_PHONE_BAN, "conso-l223-1.energy_ban");
  },
};

export const CONSO_L223_RULES: readonly Rule[] = [
  energyBan,
  phoneConsent,
  bloctel,
  bloctelScrub,
  fileSale,
  press,
];
