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
  valueAt,
} from "../../../params/fr/params.ts";
import { addYears, startOfDayPlus } from "../../../time/dates.ts";
import { BLOCTEL_TO, CONSUMERS, day, PHONE_OPT_IN_FROM } from "../common.ts";
import { banVerdict, ONGOING_CONTRACT_EXCEPTION, SECTOR_BAN_EXCEPTIONS } from "../sector-ban.ts";
import { registrationEffectiveAt } from "./bloctel-effect.ts";

const PREEXISTING_CONTRACT = fixed(
  "allow",
  "Exception : relations contractuelles préexistantes (contrat en cours).",
  "Exception: pre-existing contractual relations (contract in force).",
);

const NOT_CONSUMER = fixed(
  "info",
  "Pas un consommateur : les règles du démarchage téléphonique du Code de la consommation ne s'appliquent pas.",
  "Not a consumer: the Consumer Code's telephone-canvassing rules do not apply.",
);

const NOT_COMMERCIAL = fixed(
  "info",
  "Appel non commercial (association, enquête, service public) : hors du démarchage téléphonique.",
  "Non-commercial call (charity, survey, public service): not telephone canvassing.",
);

const UNSCREENED = fixed(
  "block",
  "Numéro non vérifié : aucune consultation de Bloctel enregistrée. Non vérifié n'est pas « libre ».",
  "Unscreened number: no Bloctel check on record. Unscreened is not clean.",
);

const PRESS = fixed(
  "allow",
  "Exception presse : prospection pour la fourniture de journaux, périodiques ou magazines.",
  "Press exception: canvassing for newspapers, periodicals or magazines.",
);

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
      const years = valueAt(RETENTION_YEARS, ctx.at)?.customer ?? 3;
      if (
        rel?.status === "past_customer" &&
        ctx.policy.pastCustomersArePreexistingRelations &&
        (rel.endedAt === null || ctx.at < addYears(rel.endedAt, years))
      ) {
        return verdict(
          "allow",
          `Exception : relations contractuelles préexistantes, lues comme couvrant un ancien client depuis moins de ${years} ans (lecture incertaine).`,
          `Exception: pre-existing contractual relations, read as covering a customer whose relationship ended less than ${years} years ago (uncertain reading).`,
          true,
        );
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
      const inSlot = ctx.contact.callbackSlot !== null;
      return verdict(
        "allow",
        `La personne a demandé à être rappelée ${inSlot ? "dans ce créneau" : `il y a moins de ${ctx.policy.callbackWindowHours} h`} : ce rappel n'est pas du démarchage (ARCEP ; CAA Lyon 10 nov. 2023 n° 22LY01667). S'en tenir à la demande.`,
        `The person asked to be called back ${inSlot ? "in this slot" : `less than ${ctx.policy.callbackWindowHours} h ago`}: this call is not canvassing (ARCEP; CAA Lyon 10 Nov 2023 no. 22LY01667). Keep to the request.`,
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
  if (listedAt === null) {
    return verdict(
      "block",
      "Numéro inscrit sur Bloctel, date d'effet inconnue : tenu pour inscrit et effectif ; démarchage téléphonique interdit.",
      "Number registered on Bloctel, date of effect unknown: held registered and in force; telephone canvassing is banned.",
    );
  }
  if (listedAt > at) {
    return verdict(
      "info",
      `Inscrit sur Bloctel (date inconnue) selon la consultation du ${day(listedAt)}, effectif au plus tard ce jour-là.`,
      `Registered on Bloctel (date unknown) per the check of ${day(listedAt)}, in force on that day at the latest.`,
    );
  }
  return verdict(
    "block",
    `Numéro inscrit sur Bloctel selon la consultation du ${day(listedAt)} (date d'effet inconnue, effectif au plus tard ce jour-là) : démarchage téléphonique interdit.`,
    `Number registered on Bloctel per the check of ${day(listedAt)} (date of effect unknown, in force on that day at the latest): telephone canvassing is banned.`,
  );
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
    const effective = registrationEffectiveAt(reg, ctx.at);
    if (effective === null) return registeredUndated(ctx.contact.lastBloctelScrubAt, ctx.at);
    if (effective > ctx.at) {
      return verdict(
        "info",
        `Inscrit sur Bloctel, inscription effective au plus tard le ${day(effective)}.`,
        `Registered on Bloctel, effective on ${day(effective)} at the latest.`,
      );
    }
    return verdict(
      "block",
      `Numéro inscrit sur Bloctel (effectif depuis le ${day(effective)}) : démarchage téléphonique interdit.`,
      `Number registered on Bloctel (effective since ${day(effective)}): telephone canvassing is banned.`,
    );
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
    const maxAge = valueAt(BLOCTEL, ctx.at)?.scrubMaxAgeDays ?? 30;
    const occasional = ctx.campaign.habitualCaller === false;
    // Habitual callers: a check in the last 30 days. Occasional ones: a check made for this
    // campaign, i.e. in the 30 days before it started (or since).
    const reference = occasional ? Math.min(ctx.campaign.startsAt ?? ctx.at, ctx.at) : ctx.at;
    const oldestAccepted = startOfDayPlus(reference, -maxAge);
    if (scrubbed === null || scrubbed > ctx.at) {
      return UNSCREENED;
    }
    if (scrubbed < oldestAccepted) {
      const rule = occasional
        ? { fr: "avant la campagne", en: "before the campaign" }
        : { fr: "au moins une fois par mois", en: "at least monthly" };
      return verdict(
        "block",
        `Dernière consultation de Bloctel le ${day(scrubbed)}, trop ancienne (obligation : ${rule.fr}).`,
        `Last Bloctel check on ${day(scrubbed)} is too old (duty: ${rule.en}).`,
      );
    }
    return verdict(
      "info",
      `Vérifié sur Bloctel le ${day(scrubbed)}.`,
      `Checked against Bloctel on ${day(scrubbed)}.`,
    );
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
    return verdict(
      "info",
      `Le fichier acquis le ${day(origin.collectedAt)} contenait ce numéro déjà inscrit sur Bloctel : sa vente ou sa location était interdite au fournisseur.`,
      `The file acquired on ${day(origin.collectedAt)} held this number already registered on Bloctel: its sale or rental was banned for the supplier.`,
    );
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
    const detail =
      check.status === "none"
        ? { fr: "", en: "" }
        : { fr: ` (consentement enregistré : ${check.status})`, en: ` (recorded consent: ${check.status})` };
    return verdict(
      "block",
      `Depuis le 11 août 2026, appeler un consommateur exige son consentement préalable prouvé${detail.fr}. Un contrat conclu à la suite de cet appel serait nul.`,
      `Since 11 August 2026, calling a consumer requires their proven prior consent${detail.en}. A contract made after this call would be void.`,
    );
  },
};

/**
 * How old a valid telephone consent may be. No official text limits it (a "décret n° 2026-662"
 * that third-party tools cite for one year was not found in the JORF nor in any official or press
 * source: docs/readings.md); a consent over a year old is allowed with a renewal recommended, and a
 * company that wants a ceiling sets the policy phoneConsentMaxAgeDays.
 */
function consentAge(ctx: Context, c: Consent): Verdict {
  const given = day(c.givenAt);
  const how = `${c.method ?? "—"}`;
  const maxDays = ctx.policy.phoneConsentMaxAgeDays;
  if (maxDays !== null && ctx.at - c.givenAt > maxDays * DAY_MS) {
    return verdict(
      "block",
      `Consentement au démarchage téléphonique donné le ${given}, il y a plus de ${maxDays} jours : au-delà de la durée que retient la politique phoneConsentMaxAgeDays. Le faire renouveler.`,
      `Consent to telephone canvassing given on ${given}, more than ${maxDays} days ago: beyond the age the policy phoneConsentMaxAgeDays allows. Have it renewed.`,
      true,
    );
  }
  if (addYears(c.givenAt, 1) <= ctx.at) {
    return verdict(
      "condition",
      `Consentement préalable au démarchage téléphonique donné le ${given} (${how}), preuve détenue, il y a plus de 12 mois : renouvellement recommandé (aucun texte officiel ne fixe de durée ; un décret cité par des outils tiers, introuvable au JORF, la limiterait à un an).`,
      `Prior consent to telephone canvassing given on ${given} (${how}), proof held, more than 12 months ago: renewal recommended (no official text sets a duration; a decree cited by third-party tools, not found in the JORF, would limit it to one year).`,
      true,
    );
  }
  return verdict(
    "allow",
    `Consentement préalable au démarchage téléphonique donné le ${given} (${how}), preuve détenue.`,
    `Prior consent to telephone canvassing given on ${given} (${how}), proof held.`,
  );
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
    return banVerdict(ctx, ENERGY_PHONE_BAN, {
      fr: "Rénovation énergétique / énergies renouvelables",
      en: "Energy renovation / renewable energy",
    });
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
