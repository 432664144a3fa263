// Code de la consommation, art. L.221-16 and L.221-17: what a canvassing call must say, the end
// of the call on refusal, and the caller ID (docs/law.md, B4, B4c, B7a).

import { fixed, msg, type Rule, type Verdict, verdict } from "../../../engine/rule.ts";
import { REFUSALS } from "../../../facts/vocabulary.ts";
import { CALL_OPENING_DUTIES, type Duty } from "../../../params/fr/params.ts";
import { dayStart } from "../../../time/dates.ts";
import { CONSUMERS, day } from "../common.ts";

const END_CALL_ON_REFUSAL = fixed("condition", "conso-l221-16.end_call_on_refusal");
const MASKED_NUMBER = fixed("block", "conso-l221-17.masked_number");

// The number is the professional's to show only if its assignee gave it (MAN checks it since 2023;
// from 1 January 2026 operators must refuse any other, ARCEP décision 2025-2215).
const NUMBER_NOT_AUTHORISED = fixed("block", "conso-l221-17.number_not_authorised");
const IDENTIFY_ON_CALLBACK = fixed("condition", "conso-l221-17.identify_on_callback");
const SHOW_OWN_NUMBER = fixed("condition", "conso-l221-17.show_own_number");

const NO_RECONTACT_FROM = "2026-08-11";
const noRecontactStart = dayStart(NO_RECONTACT_FROM);

/** One verdict per dated list of duties, built once: the duties' words are the parameter's own. */
const openingVerdicts = new WeakMap<readonly Duty[], Verdict>();

/** B4 — at the start of the call: who calls, for whom, and that it is commercial. */
const callInfo: Rule = {
  id: "conso-l221-16/call-info",
  law: "B4",
  remedy: msg(
    "Annoncer en début d'appel l'identité de l'annonceur et le caractère commercial de l'appel.",
    "State at the start of the call who the advertiser is and that the call is commercial.",
  ),
  title: msg("Informations en début d'appel", "Information at the start of the call"),
  confidence: "V",
  channels: ["voice_live", "voice_automated"],
  kinds: CONSUMERS,
  params: [CALL_OPENING_DUTIES],
  versions: [
    {
      from: "2014-06-14",
      to: "2020-07-25",
      article: "C. conso., art. L.221-16 al. 1 (ex-L.121-20)",
      text: "Le professionnel qui contacte un consommateur par téléphone en vue de conclure ou de modifier un contrat portant sur la vente d'un bien ou sur la fourniture d'un service indique au début de la conversation son identité, le cas échéant l'identité de la personne pour le compte de laquelle il effectue cet appel et la nature commerciale de celui-ci.",
    },
    {
      from: "2020-07-26",
      to: "2026-08-10",
      article: "C. conso., art. L.221-16 al. 1 (loi n° 2020-901 du 24 juillet 2020)",
      text: "[…] indique au début de la conversation, de manière claire, précise et compréhensible, son identité, le cas échéant l'identité de la personne pour le compte de laquelle il effectue cet appel et la nature commerciale de celui-ci. Il informe également le consommateur de la possibilité de s'inscrire gratuitement sur la liste d'opposition au démarchage téléphonique.",
    },
    {
      from: NO_RECONTACT_FROM,
      article: "C. conso., art. L.221-16 al. 1 (loi n° 2025-594 du 30 juin 2025)",
      text: "[…] indique au début de la conversation, de manière claire, précise et compréhensible, son identité, le cas échéant l'identité de la personne pour le compte de laquelle il effectue cet appel et la nature commerciale de celui-ci.",
    },
  ],
  evaluate(ctx) {
    if (ctx.campaign.sector === "non_commercial") return null;
    const duties = ctx.param(CALL_OPENING_DUTIES) ?? [];
    let v = openingVerdicts.get(duties);
    if (v === undefined) {
      v = verdict("condition", "conso-l221-16.call_opening", {
        duties: {
          fr: duties.map((d) => d.fr).join(" ; "),
          en: duties.map((d) => d.en).join("; "),
        },
      });
      openingVerdicts.set(duties, v);
    }
    return v;
  },
};

/** B4c — from 11 August 2026: end the call on refusal and do not call the person again. */
const noRecontact: Rule = {
  id: "conso-l221-16/no-recontact",
  law: "B4c",
  remedy: msg(
    "Ne plus rappeler la personne pour cette offre : elle l'a refusée.",
    "Do not call the person again about this offer: they refused it.",
  ),
  title: msg("Fin de l'appel et pas de rappel après un refus", "End the call and no recall after a refusal"),
  confidence: "V2",
  channels: ["voice_live", "voice_automated"],
  kinds: CONSUMERS,
  versions: [
    {
      from: NO_RECONTACT_FROM,
      article: "C. conso., art. L.221-16 (loi n° 2025-594 du 30 juin 2025, art. 13)",
      text: "Le professionnel met fin à l'appel lorsque le consommateur indique ne pas souhaiter poursuivre la conversation et s'abstient de le recontacter.",
      contested:
        "H8: read as a lasting bar (not the 60-day pause of D.223-9) until the consumer gives a new consent; wording seen only in secondary sources.",
    },
  ],
  evaluate(ctx) {
    if (ctx.campaign.sector === "non_commercial") return null;
    let refusedAt: number | null = null;
    for (const h of ctx.callsByAdvertiser()) {
      const refused = REFUSALS.includes(h.outcome) || h.outcome === "objected";
      if (refused && h.at >= noRecontactStart && (refusedAt === null || h.at > refusedAt)) refusedAt = h.at;
    }
    if (refusedAt !== null) {
      // Only a consent given after the refusal lifts it.
      const renewed = ctx.consent("voice_live", "standard", refusedAt).status === "valid";
      if (!renewed) {
        return verdict("block", "conso-l221-16.refused_no_recontact", { refused: day(refusedAt) });
      }
    }
    return END_CALL_ON_REFUSAL;
  },
};

/** B7a — no masked number; the number shown belongs to the professional. */
const callerId: Rule = {
  id: "conso-l221-17/caller-id",
  law: "B7a",
  remedy: msg(
    "Appeler depuis un numéro attribué à l'annonceur ou autorisé par son titulaire, affiché et joignable.",
    "Call from a number assigned to the advertiser or authorised by its holder, displayed and reachable.",
  ),
  title: msg("Numéro affiché", "Caller ID"),
  confidence: "V2",
  channels: ["voice_live", "voice_automated"],
  kinds: CONSUMERS,
  versions: [
    {
      from: "2014-03-19",
      to: "2016-06-30",
      article: "C. conso., art. L.121-34-2 (loi n° 2014-344)",
      text: "Lorsqu'un professionnel contacte un consommateur par téléphone […], l'utilisation d'un numéro masqué est interdite ; le numéro affiché doit être affecté au professionnel pour le compte duquel l'appel est effectué.",
    },
    {
      from: "2016-07-01",
      article: "C. conso., art. L.221-17",
      text: "Lorsqu'un professionnel contacte un consommateur par téléphone […], l'utilisation d'un numéro masqué est interdite ; le numéro affiché doit être affecté au professionnel pour le compte duquel l'appel est effectué ; en cas de rappel, le professionnel s'identifie avant toute facturation autre que le prix de la communication.",
    },
  ],
  evaluate(ctx) {
    if (ctx.campaign.callerId === "masked") {
      return MASKED_NUMBER;
    }
    const authorised = ctx.campaign.callerIdAuthorised;
    if (authorised === false) return NUMBER_NOT_AUTHORISED;
    return authorised === true ? IDENTIFY_ON_CALLBACK : SHOW_OWN_NUMBER;
  },
};

export const CONSO_L221_RULES: readonly Rule[] = [callerId, noRecontact, callInfo];
