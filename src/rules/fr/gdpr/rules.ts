// RGPD (Règlement (UE) 2016/679) as the CNIL applies it to prospecting, and before 25 May 2018
// the loi n° 78-17 « Informatique et Libertés » it replaced (docs/law.md#gdpr).
import { fixed, msg, type Rule, verdict } from "../../../engine/rule.ts";
import type { Consent, Origin } from "../../../facts/types.ts";
import { CONSENT_PROOF_REQUIRED, NOTICE_DEADLINE_MONTHS, valueAt } from "../../../params/fr/params.ts";
import { addMonths, monthsElapsed } from "../../../time/dates.ts";
import { day, NATURAL_PERSONS } from "../common.ts";

const SOURCE_REFUSES_CANVASSING = fixed(
  "block",
  "La source (annonce, profil) indique que la personne refuse le démarchage : c'est une opposition (CNIL, note du 30 avril 2020).",
  "The source (ad, profile) says the person refuses canvassing: that is an objection (CNIL note of 30 April 2020).",
);

const TELL_RIGHT_TO_OBJECT = fixed(
  "condition",
  "Signaler le droit de s'opposer, gratuitement et simplement, au plus tard lors de la première communication, et l'honorer sans délai.",
  "Tell the person of the free and simple right to object, at the latest at the first communication, and honour it at once.",
);

const TRANSFER_WITHOUT_OPT_OUT = fixed(
  "block",
  "Données transmises par un partenaire ou un courtier sans preuve que la personne a pu s'opposer à cette transmission lors de la collecte : pas de base légale (CNIL, sanctions Foriou 2024, Solocal 2025).",
  "Data passed on by a partner or broker with no evidence that the person could object to the transfer at collection: no legal basis (CNIL Foriou 2024, Solocal 2025 sanctions).",
);

const GDPR_FROM = "2018-05-25";
const LIL_TO = "2018-05-24";

/** D3 — the absolute right to object to prospecting, and objections written in the source. */
const objection: Rule = {
  id: "gdpr-21/objection",
  law: "D3",
  remedy: msg(
    "Rien tant que l'opposition vaut : seule une nouvelle démarche de la personne, telle un consentement donné après une opposition limitée à un canal, peut la lever.",
    "Nothing while the objection stands: only a new step by the person, such as a consent given after an objection limited to a channel, can lift it.",
  ),
  title: msg("Droit d'opposition à la prospection", "Right to object to direct marketing"),
  confidence: "V",
  channels: "all",
  kinds: "all",
  versions: [
    {
      from: "2016-01-01",
      to: LIL_TO,
      article: "Loi n° 78-17 du 6 janvier 1978, art. 38",
      text: "Toute personne physique a le droit de s'opposer, sans frais, à ce que les données la concernant soient utilisées à des fins de prospection, notamment commerciale.",
    },
    {
      from: GDPR_FROM,
      article: "RGPD, art. 21(2)-(3)",
      text: "Lorsque les données à caractère personnel sont traitées à des fins de prospection, la personne concernée a le droit de s'opposer à tout moment au traitement […]. Lorsque la personne concernée s'oppose au traitement à des fins de prospection, les données à caractère personnel ne sont plus traitées à ces fins.",
    },
  ],
  evaluate(ctx) {
    const o = ctx.objection;
    if (o !== null) {
      // An objection noted in the contact history was made in answer to that contact: during a
      // call, or by replying on the channel used.
      const via =
        "via" in o
          ? (o.via ?? "—")
          : o.channel === "voice_live" || o.channel === "voice_automated"
            ? "during_call"
            : o.channel;
      return verdict(
        "block",
        `Opposition à la prospection enregistrée le ${day(o.at)} (${via}) : plus aucune sollicitation de ce responsable, sur aucun canal.`,
        `Objection to prospecting recorded on ${day(o.at)} (${via}): no further solicitation by this controller, on any channel.`,
      );
    }
    if (ctx.contact.origin?.publisherRefusedCanvassing === true) {
      return SOURCE_REFUSES_CANVASSING;
    }
    const lifted = ctx.liftedObjection;
    if (lifted !== null) {
      const o = lifted.objection;
      return verdict(
        "condition",
        `Opposition du ${day(o.at)} limitée au canal ${o.channel} ; consentement donné ensuite sur ce canal le ${day(lifted.consent.givenAt)} : il vaut pour ce canal seul (lecture contestée). Signaler le droit de s'opposer et l'honorer sans délai.`,
        `Objection of ${day(o.at)} limited to ${o.channel}; a consent given afterwards on this channel on ${day(lifted.consent.givenAt)} counts for this channel alone (contested reading). Tell the person of the right to object and honour it at once.`,
        true,
      );
    }
    if (ctx.contact.kind === "legal_entity") return null;
    return TELL_RIGHT_TO_OBJECT;
  },
};

/**
 * D3 with art. 17 — an erased person is never prospected again: their data is gone, and the keyed
 * suppression that remains is the lasting form of their objection (erasures at the end of
 * retention are kept the same way, on the protective side). No consent held before the erasure
 * counts; a new one cannot be recorded for the point (the store refuses it).
 */
const erased: Rule = {
  id: "gdpr-17/erased",
  law: "D3",
  remedy: msg(
    "Rien : la personne a fait effacer ses données ; seule sa clé reste, pour qu'elle ne soit plus contactée.",
    "Nothing: the person had their data erased; only their key is kept, so that they are not contacted again.",
  ),
  title: msg("Personne effacée", "Erased person"),
  confidence: "I",
  channels: "all",
  kinds: "all",
  versions: [
    {
      from: "2016-01-01",
      to: LIL_TO,
      article: "Loi n° 78-17 du 6 janvier 1978, art. 38 et 40",
      text: "Toute personne physique a le droit de s'opposer, sans frais, à ce que les données la concernant soient utilisées à des fins de prospection […]. Toute personne physique […] peut exiger du responsable d'un traitement que soient […] effacées les données à caractère personnel la concernant […].",
    },
    {
      from: GDPR_FROM,
      article: "RGPD, art. 17(1)(c) et 21(3)",
      text: "La personne concernée a le droit d'obtenir du responsable du traitement l'effacement […] lorsque […] la personne concernée s'oppose au traitement en vertu de l'article 21, paragraphe 2. […] Lorsque la personne concernée s'oppose au traitement à des fins de prospection, les données à caractère personnel ne sont plus traitées à ces fins.",
    },
  ],
  evaluate(ctx) {
    // Also for an instant before the erasure: once it is known, the person is never contacted
    // again, whatever date a campaign was planned for.
    const at = ctx.contact.erasedAt;
    if (at === null) return null;
    return verdict(
      "block",
      `Données de la personne effacées le ${day(at)} (à sa demande, ou au terme de leur conservation) : plus jamais de prospection, sur aucun canal, quel que soit le consentement détenu.`,
      `The person's data was erased on ${day(at)} (at their request, or when its retention ended): never prospected again, on any channel, whatever consent is held.`,
    );
  },
};

/**
 * A consent the controller collected itself came from the person, who was then informed of who
 * collects and why (a consent must be informed): the data are now first-hand. One a partner or
 * broker collected informed the person of nothing first-hand. Where the consent does not say who
 * collected it: one given at or before a partner's or broker's collection was given on that third
 * party's form (as Context reads it for A8); one given after, first-hand.
 */
export function firstHandConsent(
  consents: readonly Consent[],
  controller: string,
  origin: Origin,
  at: number,
): Consent | undefined {
  const thirdParty = origin.type === "partner" || origin.type === "broker";
  const collectedAt = origin.collectedAt;
  return consents.find(
    (c) =>
      c.controllerKey === controller &&
      c.givenAt <= at &&
      (c.collectedBy !== null
        ? c.collectedBy === "self"
        : collectedAt === null
          ? !thirdParty
          : thirdParty
            ? c.givenAt > collectedAt
            : c.givenAt >= collectedAt),
  );
}

/** D2 — the art. 14 notice, with the source, for data not collected from the person. */
const information: Rule = {
  id: "gdpr-14/information",
  law: "D2",
  remedy: msg(
    "Informer la personne comme l'exige l'article 14 du RGPD, source des données comprise, et l'enregistrer (colonne informed_at, POST /v1/notices).",
    "Inform the person as GDPR article 14 requires, the source of the data included, and record it (column informed_at, POST /v1/notices).",
  ),
  title: msg("Information de la personne, source comprise", "Informing the person, source included"),
  confidence: "V",
  channels: "all",
  kinds: NATURAL_PERSONS,
  params: [NOTICE_DEADLINE_MONTHS],
  versions: [
    {
      from: "2016-01-01",
      to: LIL_TO,
      article: "Loi n° 78-17 du 6 janvier 1978, art. 32 III",
      text: "Lorsque les données n'ont pas été recueillies auprès de la personne concernée, le responsable du traitement doit […] fournir à cette dernière les informations […] au plus tard lors de la première communication des données.",
    },
    {
      from: GDPR_FROM,
      article: "RGPD, art. 14(2)(f) et 14(3)",
      text: "Le responsable du traitement fournit les informations […] (f) la source d'où proviennent les données […] (a) dans un délai raisonnable après avoir obtenu les données, mais ne dépassant pas un mois […] (b) si les données doivent être utilisées aux fins de la communication avec la personne concernée, au plus tard au moment de la première communication.",
    },
  ],
  evaluate(ctx) {
    const origin = ctx.contact.origin;
    if (origin === null || origin.type === "direct") return null;
    if (origin.informedAt !== null && origin.informedAt <= ctx.at) {
      return verdict(
        "info",
        `Information (art. 14, source comprise) envoyée le ${day(origin.informedAt)}.`,
        `Art. 14 notice (source included) sent on ${day(origin.informedAt)}.`,
      );
    }
    const controller = ctx.campaign.controllerKey;
    // Art. 14(3)(a) runs from when this controller obtained the data; a partner's or broker's
    // collection from the person is earlier, and stands in for it when it is not recorded.
    const obtainedAt = origin.obtainedAt ?? origin.collectedAt;
    const consented = firstHandConsent(ctx.contact.consents, controller, origin, ctx.at);
    if (consented !== undefined) {
      return verdict(
        "info",
        `Personne informée en consentant directement auprès du responsable le ${day(consented.givenAt)}.`,
        `Person informed when consenting directly to the controller on ${day(consented.givenAt)}.`,
      );
    }
    const months = valueAt(NOTICE_DEADLINE_MONTHS, ctx.at);
    if (months !== undefined && obtainedAt !== null && monthsElapsed(obtainedAt, months, ctx.at)) {
      const due = addMonths(obtainedAt, months);
      return verdict(
        "block",
        `Données obtenues le ${day(obtainedAt)} (${origin.type}) sans information de la personne : l'information était due au plus tard le ${day(due)}. L'envoyer avant tout contact.`,
        `Data obtained on ${day(obtainedAt)} (${origin.type}) without informing the person: the notice was due by ${day(due)}. Send it before any contact.`,
      );
    }
    const earlier = ctx.contact.history.find((h) => h.controllerKey === controller && h.at < ctx.at);
    if (earlier !== undefined) {
      return verdict(
        "block",
        `Premier contact le ${day(earlier.at)} sans l'information de l'art. 14 : l'envoyer avant tout nouveau contact.`,
        `First contact on ${day(earlier.at)} without the art. 14 notice: send it before any further contact.`,
      );
    }
    const source = origin.sourceUrl === null ? "" : ` (${origin.sourceUrl})`;
    return verdict(
      "condition",
      `Informer la personne dès ce premier contact : identité du responsable, finalité, droits dont l'opposition, et la source précise des données${source}.`,
      `Inform the person in this first contact: controller's identity, purpose, rights including objection, and the precise source of the data${source}.`,
    );
  },
};

/** D1 — a legal basis for prospecting by live call or post: consent, or legitimate interest. */
const legalBasis: Rule = {
  id: "gdpr-6/legal-basis",
  law: "D1",
  remedy: msg(
    "Établir une base légale pour cette prospection : le consentement de la personne, ou un intérêt légitime que le canal admet.",
    "Establish a legal basis for this prospecting: the person's consent, or a legitimate interest the channel admits.",
  ),
  title: msg("Base légale de la prospection", "Legal basis for prospecting"),
  confidence: "V",
  // Electronic channels need consent under L.34-5 (cpce-l34-5/consent), which settles the basis.
  channels: ["voice_live", "postal"],
  kinds: NATURAL_PERSONS,
  versions: [
    {
      from: "2016-01-01",
      to: LIL_TO,
      article: "Loi n° 78-17 du 6 janvier 1978, art. 7",
      text: "Un traitement de données à caractère personnel doit avoir reçu le consentement de la personne concernée ou satisfaire à l'une des conditions suivantes : […] 5° La réalisation de l'intérêt légitime poursuivi par le responsable du traitement […].",
    },
    {
      from: GDPR_FROM,
      article: "RGPD, art. 6(1)(a) et (f) ; CNIL, « liste repoussoir » (27 janv. 2022)",
      text: "Si l'opération est menée par voie postale, par téléphone (hormis par automate d'appel) […] il est possible de mobiliser la base légale de l'intérêt légitime.",
    },
  ],
  evaluate(ctx) {
    const consent = ctx.consent(ctx.channel);
    if (consent.status === "valid" && consent.consent !== null) {
      return verdict(
        "allow",
        `Base légale : consentement donné le ${day(consent.consent.givenAt)}.`,
        `Legal basis: consent given on ${day(consent.consent.givenAt)}.`,
      );
    }
    const origin = ctx.contact.origin;
    if (
      (origin?.type === "partner" || origin?.type === "broker") &&
      origin.optOutOfferedAtCollection !== true
    ) {
      return TRANSFER_WITHOUT_OPT_OUT;
    }
    const publicData =
      origin?.type === "scraped_public" || origin?.type === "directory"
        ? {
            fr: " Des données publiquement accessibles restent des données personnelles, non librement réutilisables.",
            en: " Publicly accessible data are still personal data, not free to reuse.",
          }
        : { fr: "", en: "" };
    return verdict(
      "condition",
      `Base légale : intérêt légitime, à documenter ; la personne doit pouvoir s'opposer simplement et gratuitement.${publicData.fr}`,
      `Legal basis: legitimate interest, to be documented; the person must be able to object simply and free of charge.${publicData.en}`,
    );
  },
};

/** D4 — a consent counts only if it can be proven. */
const consentProof: Rule = {
  id: "gdpr-7/consent-proof",
  law: "D4",
  remedy: msg(
    "Conserver la preuve du consentement (formulaire, texte présenté, date, moyen) et l'enregistrer avec lui.",
    "Keep the proof of the consent (form, wording shown, date, means) and record it with the consent.",
  ),
  title: msg("Preuve du consentement", "Proof of consent"),
  confidence: "M",
  channels: "all",
  kinds: NATURAL_PERSONS,
  params: [CONSENT_PROOF_REQUIRED],
  versions: [
    {
      from: GDPR_FROM,
      article: "RGPD, art. 7(1) et 7(3)",
      text: "Dans les cas où le traitement repose sur le consentement, le responsable du traitement est en mesure de démontrer que la personne concernée a donné son consentement […]. La personne concernée a le droit de retirer son consentement à tout moment.",
    },
  ],
  evaluate(ctx) {
    const consent = ctx.consent(ctx.channel);
    if (consent.status !== "no_proof" || consent.consent === null) return null;
    return verdict(
      "info",
      `Un consentement du ${day(consent.consent.givenAt)} est enregistré, mais sans preuve : il ne peut pas être invoqué.`,
      `A consent of ${day(consent.consent.givenAt)} is recorded, but with no proof: it cannot be relied on.`,
    );
  },
};

export const GDPR_RULES: readonly Rule[] = [erased, objection, information, legalBasis, consentProof];
