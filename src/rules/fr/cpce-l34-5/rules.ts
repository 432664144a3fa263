// Code des postes et des communications électroniques, art. L.34-5 (LCEN 2004, transposing
// art. 13 of directive 2002/58/EC): electronic direct marketing (docs/law.md#cpce-l34-5).
import type { ConsentCheck } from "../../../engine/context.ts";
import { fixed, msg, type Rule, type Verdict, verdict } from "../../../engine/rule.ts";
import type { Coded } from "../../../i18n/decisions.ts";
import {
  CONSENT_PROOF_REQUIRED,
  INVALID_CONSENT_METHODS,
  PARTNER_CONSENT_MUST_NAME_SENDER,
  RETENTION_YEARS,
} from "../../../params/fr/params.ts";
import { addYears } from "../../../time/dates.ts";
import { channelWord, day, ELECTRONIC, NATURAL_PERSONS } from "../common.ts";

const LEGAL_PERSON = fixed("allow", "cpce-l34-5.legal_person");
const MESSAGE_DUTIES = fixed("condition", "cpce-l34-5.message_duties");
const INBOX_AD_IS_EMAIL = fixed("info", "cpce-l34-5.inbox_ad_is_email");
const LACKS_SENDER = fixed("block", "cpce-l34-5.message_lacks_sender");
const LACKS_OPT_OUT = fixed("block", "cpce-l34-5.message_lacks_opt_out");
const LACKS_BOTH = fixed("block", "cpce-l34-5.message_lacks_sender_and_opt_out");

const L34_5_AL1 =
  "Est interdite la prospection directe au moyen de systèmes automatisés de communications électroniques au sens du 6° de l'article L. 32, d'un télécopieur ou de courriers électroniques utilisant les coordonnées d'une personne physique, abonné ou utilisateur, qui n'a pas exprimé préalablement son consentement à recevoir des prospections directes par ce moyen.";

/** No valid consent to prospecting by `channel`, and what explains it. */
function noConsent(check: ConsentCheck, channel: Coded): Verdict {
  const c = check.consent;
  switch (check.status) {
    case "withdrawn":
      return verdict("block", "cpce-l34-5.consent_withdrawn", {
        channel,
        withdrawn: day(c?.withdrawnAt ?? 0),
      });
    case "invalid_method":
      return verdict("block", "cpce-l34-5.consent_invalid_method", { channel, method: `${c?.method}` });
    case "no_proof":
      return verdict("block", "cpce-l34-5.consent_without_proof", { channel });
    case "sender_not_named":
      return verdict("block", "cpce-l34-5.consent_sender_not_named", { channel });
    default:
      return verdict("block", "cpce-l34-5.no_consent", { channel });
  }
}

/** A1 — prior consent for e-mail, SMS, automated calls and fax to natural persons. */
const consent: Rule = {
  id: "cpce-l34-5/consent",
  law: "A1",
  remedy: msg(
    "Recueillir un consentement préalable, libre, spécifique et prouvé pour ce canal, ou relever d'une exception (client, pour des produits analogues ; professionnel, sollicité pour sa fonction).",
    "Collect a prior, free, specific and proven consent for this channel, or fall under an exception (a customer, for analogous products; a professional, about their function).",
  ),
  title: msg(
    "Consentement préalable à la prospection électronique",
    "Prior consent to electronic direct marketing",
  ),
  confidence: "V",
  channels: ELECTRONIC,
  kinds: "all",
  params: [INVALID_CONSENT_METHODS, CONSENT_PROOF_REQUIRED, PARTNER_CONSENT_MUST_NAME_SENDER],
  versions: [
    {
      from: "2004-06-22",
      to: "2016-06-30",
      article: "CPCE, art. L.34-5 al. 1 (loi n° 2004-575, art. 22 ; loi n° 2014-344)",
      text: L34_5_AL1,
    },
    { from: "2016-07-01", article: "CPCE, art. L.34-5 al. 1", text: L34_5_AL1 },
  ],
  exceptions: ["cpce-l34-5/legal-entity", "cnil/b2b", "cpce-l34-5/soft-opt-in", "cnil/non-commercial"],
  evaluate(ctx) {
    const channel = channelWord(ctx.channel);
    const check = ctx.consent(ctx.channel);
    if (check.status === "valid" && check.consent !== null) {
      return verdict("allow", "cpce-l34-5.consent", {
        channel,
        given: day(check.consent.givenAt),
        method: check.consent.method ?? "—",
      });
    }
    return noConsent(check, channel);
  },
};

/** A2 — exception: the "soft opt-in" for one's own customers and analogous products. */
const softOptIn: Rule = {
  id: "cpce-l34-5/soft-opt-in",
  law: "A2",
  title: msg("Exception « client » (soft opt-in)", "Existing-customer exception (soft opt-in)"),
  confidence: "V2",
  role: "exception",
  channels: ["email", "sms", "voice_automated"],
  kinds: NATURAL_PERSONS,
  params: [RETENTION_YEARS],
  versions: [
    {
      from: "2004-06-22",
      article: "CPCE, art. L.34-5 al. 4 ; directive 2002/58/CE, art. 13(2)",
      text: "Toutefois, la prospection directe par courrier électronique est autorisée si les coordonnées du destinataire ont été recueillies auprès de lui, dans le respect des dispositions de la loi n° 78-17 […], à l'occasion d'une vente ou d'une prestation de services, si la prospection directe concerne des produits ou services analogues fournis par la même personne physique ou morale, et si le destinataire se voit offrir, de manière expresse et dénuée d'ambiguïté, la possibilité de s'opposer, sans frais […], à l'utilisation de ses coordonnées au moment où elles sont recueillies et chaque fois qu'un courrier électronique de prospection lui est adressé.",
    },
  ],
  evaluate(ctx) {
    const { relationship: rel, origin } = ctx.contact;
    const automated = ctx.channel === "voice_automated";
    if (automated && !ctx.policy.softOptInForAutomatedCalls) return null;
    // H1: CJEU C-654/23 treats a free account as obtained "in the context of a sale" only where it
    // belongs to a model that also sells paid offers; a free account of which that is not
    // recorded, or a wholly free service, stays no customer whatever the policy (fail closed).
    const freeAccount =
      rel?.status === "account_only" &&
      rel.freeAccountOfPaidModel === true &&
      ctx.policy.softOptInForFreeAccounts;
    const customer = rel?.status === "active_contract" || rel?.status === "past_customer" || freeAccount;
    if (!customer || origin?.type !== "direct" || origin.optOutOfferedAtCollection !== true) return null;
    if (!ctx.campaign.analogousProducts) return null;
    // "Fournis par la même personne physique ou morale": another's offer (the campaign's advertiser,
    // a sister company of the group included) does not ride on the controller's customers (A2).
    if (ctx.advertiserKey !== ctx.campaign.controllerKey) return null;
    // The exception lasts as long as customer data may be kept for prospecting (CNIL référentiel).
    const years = ctx.param(RETENTION_YEARS)?.customer;
    if (rel?.status === "past_customer" && rel.endedAt !== null && years !== undefined) {
      if (ctx.at >= addYears(rel.endedAt, years)) return null;
    }
    return verdict("allow", "cpce-l34-5.soft_opt_in", {}, freeAccount || automated);
  },
};

/** A5 — exception: the address or number of a legal person names no natural person. */
const legalEntity: Rule = {
  id: "cpce-l34-5/legal-entity",
  law: "A5",
  title: msg("Coordonnées génériques d'une personne morale", "Generic details of a legal person"),
  confidence: "V2",
  role: "exception",
  channels: ELECTRONIC,
  kinds: ["legal_entity"],
  versions: [
    {
      from: "2004-06-22",
      article: "CPCE, art. L.34-5 al. 1 (« personne physique »)",
      text: "L'interdiction ne vise que les coordonnées d'une personne physique : une adresse générique (contact@, info@) d'une personne morale n'y est pas soumise.",
    },
  ],
  evaluate() {
    return LEGAL_PERSON;
  },
};

/** A3 — every electronic message: a working free opt-out, the sender's identity, a true subject. */
const messageContent: Rule = {
  id: "cpce-l34-5/message-content",
  law: "A3",
  remedy: msg(
    "Identifier l'annonceur dans le message et y offrir un moyen simple et gratuit de s'opposer.",
    "Identify the advertiser in the message and offer in it a simple, free way to object.",
  ),
  title: msg("Mentions obligatoires du message", "Mandatory content of the message"),
  confidence: "V2",
  channels: ELECTRONIC,
  kinds: "all",
  versions: [
    {
      from: "2004-06-22",
      article: "CPCE, art. L.34-5 al. 5 ; LCEN art. 20",
      text: "Dans tous les cas, il est interdit d'émettre, à des fins de prospection directe, des messages au moyen [de ces moyens] sans indiquer de coordonnées valables auxquelles le destinataire puisse utilement transmettre une demande tendant à obtenir que ces communications cessent sans frais autres que ceux liés à la transmission de celle-ci. Il est également interdit de dissimuler l'identité de la personne pour le compte de laquelle la communication est émise et de mentionner un objet sans rapport avec la prestation ou le service proposé.",
    },
  ],
  evaluate(ctx) {
    const m = ctx.campaign.message;
    const noSender = m?.senderIdentified === false;
    const noOptOut = m?.optOut === false;
    if (noSender && noOptOut) return LACKS_BOTH;
    if (noSender) return LACKS_SENDER;
    if (noOptOut) return LACKS_OPT_OUT;
    return MESSAGE_DUTIES;
  },
};

/** A7 — advertising shown among e-mails is e-mail direct marketing. */
const inboxAd: Rule = {
  id: "cpce-l34-5/inbox-ad",
  law: "A7",
  remedy: msg(
    "Recueillir le consentement préalable de la personne à recevoir des publicités dans sa messagerie.",
    "Collect the person's prior consent to receive advertising in their inbox.",
  ),
  title: msg("Publicité dans la boîte de réception", "Inbox advertising"),
  confidence: "V",
  channels: ["inbox_ad"],
  kinds: "all",
  versions: [
    {
      from: "2004-06-22",
      to: "2021-11-24",
      article: "CPCE, art. L.34-5 al. 1, lu par CJUE 25 nov. 2021, C-102/20 StWL",
      text: "L'affichage dans la boîte de réception d'un service de messagerie de messages publicitaires ressemblant à de véritables courriels constitue une utilisation du courrier électronique à des fins de prospection directe.",
      contested: "Before CJEU C-102/20 (25 Nov 2021) the qualification of inbox ads was unsettled.",
    },
    {
      from: "2021-11-25",
      article: "CPCE, art. L.34-5 al. 1 ; CJUE 25 nov. 2021, C-102/20 StWL ; CNIL SAN-2024-019, SAN-2025-004",
      text: "L'affichage dans la boîte de réception d'un service de messagerie de messages publicitaires ressemblant à de véritables courriels constitue une utilisation du courrier électronique à des fins de prospection directe.",
    },
  ],
  evaluate() {
    return INBOX_AD_IS_EMAIL;
  },
};

export const CPCE_L34_5_RULES: readonly Rule[] = [inboxAd, consent, softOptIn, legalEntity, messageContent];
