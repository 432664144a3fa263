// Code des assurances, art. L.112-2-2 and R.112-7 (from 1 April 2022): selling insurance by
// telephone is a two-step regime, not a ban (docs/law.md, C4).

import { fixed, msg, type Rule, verdict } from "../../../engine/rule.ts";
import { REFUSALS } from "../../../facts/vocabulary.ts";
import { INSURANCE_SOLICITED_CALL_DAYS, valueAt } from "../../../params/fr/params.ts";
import { DAY_MS, dayStart } from "../../../time/dates.ts";
import { CONSUMERS, day } from "../common.ts";

const EXISTING_CUSTOMER = fixed(
  "info",
  "Client existant : hors du régime de vente à distance en deux temps.",
  "Existing customer: outside the two-step telephone-sale regime.",
);

const TWO_STEP_SALE = fixed(
  "condition",
  "Vente en deux temps : accord pour poursuivre au début de l'appel ; fin de l'appel et pas de rappel en cas de refus ; documents envoyés, 24 h avant tout nouvel appel ; signature écrite ou électronique ; enregistrement conservé 2 ans.",
  "Two-step sale: agreement to go on at the start of the call; end the call and never call back on refusal; send the documents and wait 24 h before any new call; written or electronic signature; keep the recording 2 years.",
);

const insuranceRegimeStart = dayStart("2022-04-01");

const insuranceCall: Rule = {
  id: "assur-l112-2-2/insurance-call",
  law: "C4",
  remedy: msg(
    "Suivre la procédure de vente d'assurance par téléphone que prévoit l'article L.112-2-2 du code des assurances.",
    "Follow the procedure for selling insurance by telephone that article L.112-2-2 of the insurance code sets.",
  ),
  title: msg("Vente d'assurance par téléphone", "Selling insurance by telephone"),
  confidence: "V",
  channels: ["voice_live"],
  kinds: CONSUMERS,
  params: [INSURANCE_SOLICITED_CALL_DAYS],
  versions: [
    {
      from: "2022-04-01",
      article: "C. assur., art. L.112-2-2 et R.112-7 (loi n° 2021-402 ; décret n° 2022-34)",
      text: "Le distributeur recueille, au début de l'appel, l'accord du souscripteur éventuel pour poursuivre la conversation ; il met fin à l'appel et s'abstient de le rappeler si celui-ci manifeste son absence d'intérêt ; il lui adresse les documents d'information et s'assure de leur réception ; un délai de vingt-quatre heures sépare leur réception de tout nouvel appel ; la souscription se fait par signature manuscrite ou électronique ; les appels sont enregistrés et conservés deux ans. Ne sont pas concernés les appels sollicités ou consentis, ni les clients existants.",
    },
  ],
  evaluate(ctx) {
    if (ctx.campaign.sector !== "insurance") return null;
    const rel = ctx.contact.relationship?.status;
    if (rel === "active_contract" || rel === "past_customer") {
      return EXISTING_CUSTOMER;
    }
    // "S'abstient de le rappeler": a prospect who showed no interest in an insurance call is not
    // called again for this distributor, through any call centre, unless he asks for the call
    // himself afterwards. A refusal on a call about something else says nothing of insurance; one
    // on a call whose sector was not recorded may have been about it (fail closed).
    const asked = ctx.contact.callbackRequestedAt;
    let declinedAt: number | null = null;
    for (const h of ctx.callsByAdvertiser()) {
      const aboutInsurance = h.sector === null || h.sector === "insurance";
      const declined = aboutInsurance && (REFUSALS.includes(h.outcome) || h.outcome === "objected");
      if (declined && h.at >= insuranceRegimeStart && (declinedAt === null || h.at > declinedAt))
        declinedAt = h.at;
    }
    if (declinedAt !== null && (asked === null || asked <= declinedAt)) {
      return verdict(
        "block",
        `Le prospect a décliné le ${day(declinedAt)} : le distributeur s'abstient de le rappeler.`,
        `The prospect declined on ${day(declinedAt)}: the distributor must not call again.`,
      );
    }
    const days = valueAt(INSURANCE_SOLICITED_CALL_DAYS, ctx.at) ?? 30;
    if (asked !== null && asked <= ctx.at && ctx.at - asked <= days * DAY_MS) {
      return verdict(
        "condition",
        `Appel sollicité le ${day(asked)} (moins de ${days} jours) : hors régime en deux temps, à condition que la personne ait connu l'identité et le numéro ORIAS du distributeur avant sa demande.`,
        `Call requested on ${day(asked)} (less than ${days} days ago): outside the two-step regime, provided the person knew the distributor's identity and ORIAS number before asking.`,
      );
    }
    return TWO_STEP_SALE;
  },
};

export const CODE_ASSURANCES_RULES: readonly Rule[] = [insuranceCall];
