// RGPD (Règlement (UE) 2016/679) as the CNIL applies it to prospecting, and before 25 May 2018
// the loi n° 78-17 « Informatique et Libertés » it replaced (docs/law.md#gdpr).

import { givenAfterThirdParty } from "../../../engine/consent-collection.ts";
import { fixed, msg, type Rule, verdict } from "../../../engine/rule.ts";
import type { Consent, Origin } from "../../../facts/types.ts";
import { CONSENT_PROOF_REQUIRED, NOTICE_DEADLINE_MONTHS } from "../../../params/fr/params.ts";
import { addMonths, monthsElapsed } from "../../../time/dates.ts";
import { channelWord, day, NATURAL_PERSONS } from "../common.ts";

const SOURCE_REFUSES_CANVASSING = fixed("block", "gdpr-21.source_refuses");
const TELL_RIGHT_TO_OBJECT = fixed("condition", "gdpr-21.tell_right_to_object");
const TRANSFER_WITHOUT_OPT_OUT = fixed("block", "gdpr-6.transfer_without_opt_out");
const INFORM_NOW = fixed("condition", "gdpr-14.inform_now");
const LEGITIMATE_INTEREST = fixed("condition", "gdpr-6.legitimate_interest");
const LEGITIMATE_INTEREST_PUBLIC_DATA = fixed("condition", "gdpr-6.legitimate_interest_public_data");

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
      return verdict("block", "gdpr-21.objection", { objected: day(o.at), via });
    }
    const withdrawn = ctx.withdrawal;
    if (withdrawn !== null) {
      return verdict("block", "gdpr-21.consent_withdrawn", {
        channel: channelWord(withdrawn.channel),
        withdrawn: day(withdrawn.withdrawnAt ?? 0),
      });
    }
    if (ctx.contact.origin?.publisherRefusedCanvassing === true) {
      return SOURCE_REFUSES_CANVASSING;
    }
    const lifted = ctx.liftedObjection;
    if (lifted !== null) {
      const o = lifted.objection;
      return verdict(
        "condition",
        "gdpr-21.objection_lifted_on_channel",
        { objected: day(o.at), channel: o.channel, consented: day(lifted.consent.givenAt) },
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
    return verdict("block", "gdpr-17.erased", { erased: day(at) });
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
            ? givenAfterThirdParty(c.givenAt, origin)
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
      text: "Lorsque les données à caractère personnel n'ont pas été recueillies auprès de la personne concernée, le responsable du traitement ou son représentant doit fournir à cette dernière les informations énumérées au I dès l'enregistrement des données ou, si une communication des données à des tiers est envisagée, au plus tard lors de la première communication des données.",
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
      return verdict("info", "gdpr-14.informed", { informed: day(origin.informedAt) });
    }
    const controller = ctx.campaign.controllerKey;
    // Art. 14(3)(a) runs from when this controller obtained the data; a partner's or broker's
    // collection from the person is earlier, and stands in for it when it is not recorded.
    const obtainedAt = origin.obtainedAt ?? origin.collectedAt;
    const consented = firstHandConsent(ctx.contact.consents, controller, origin, ctx.at);
    if (consented !== undefined) {
      return verdict("info", "gdpr-14.informed_by_consenting", { given: day(consented.givenAt) });
    }
    // Under loi 78-17 (until 2018-05-24) the deadline is 0 months: the notice was due as soon as
    // the data were recorded — its "première communication des données" is their disclosure to
    // third parties, not a contact with the person.
    const months = ctx.param(NOTICE_DEADLINE_MONTHS);
    if (months !== undefined && obtainedAt !== null && monthsElapsed(obtainedAt, months, ctx.at)) {
      return verdict("block", "gdpr-14.notice_overdue", {
        obtained: day(obtainedAt),
        origin: origin.type,
        due: day(addMonths(obtainedAt, months)),
      });
    }
    const earlier = ctx.contact.history.find((h) => h.controllerKey === controller && h.at < ctx.at);
    if (earlier !== undefined) {
      return verdict("block", "gdpr-14.contacted_uninformed", { contacted: day(earlier.at) });
    }
    return origin.sourceUrl === null
      ? INFORM_NOW
      : verdict("condition", "gdpr-14.inform_now_of_source", { source: origin.sourceUrl });
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
      return verdict("allow", "gdpr-6.consent", { given: day(consent.consent.givenAt) });
    }
    const origin = ctx.contact.origin;
    if (
      (origin?.type === "partner" || origin?.type === "broker") &&
      origin.optOutOfferedAtCollection !== true
    ) {
      return TRANSFER_WITHOUT_OPT_OUT;
    }
    return origin?.type === "scraped_public" || origin?.type === "directory"
      ? LEGITIMATE_INTEREST_PUBLIC_DATA
      : LEGITIMATE_INTEREST;
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
    return verdict("info", "gdpr-7.no_proof", { given: day(consent.consent.givenAt) });
  },
};

export const GDPR_RULES: readonly Rule[] = [erased, objection, information, legalBasis, consentProof];
