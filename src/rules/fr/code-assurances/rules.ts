// Code des assurances, art. L.112-2-2 and R.112-7 (from 1 April 2022): selling insurance by
// telephone is a two-step regime, not a ban (docs/law.md, C4).

import { fixed, msg, type Rule, type Verdict, verdict } from "../../../engine/rule.ts";
import { REFUSALS } from "../../../facts/vocabulary.ts";
import {
  INSURANCE_SOLICITED_CALL_DAYS,
  INSURANCE_TWO_STEP_SALE,
  type TwoStepSale,
} from "../../../params/fr/params.ts";
import { DAY_MS, dayStart } from "../../../time/dates.ts";
import { CONSUMERS, day } from "../common.ts";

const EXISTING_CUSTOMER = fixed("info", "assur-l112-2-2.existing_customer");

/** One verdict per dated row of the regime's delays, built once. */
const twoStepVerdicts = new WeakMap<TwoStepSale, Verdict>();

function twoStepSale(regime: TwoStepSale): Verdict {
  let v = twoStepVerdicts.get(regime);
  if (v === undefined) {
    // Frozen, as a fixed verdict is: the reasons it gives are shared between decisions.
    v = Object.freeze(verdict("condition", "assur-l112-2-2.two_step_sale", Object.freeze({ ...regime })));
    twoStepVerdicts.set(regime, v);
  }
  return v;
}

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
  params: [INSURANCE_SOLICITED_CALL_DAYS, INSURANCE_TWO_STEP_SALE],
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
      return verdict("block", "assur-l112-2-2.declined", { declined: day(declinedAt) });
    }
    const days = ctx.param(INSURANCE_SOLICITED_CALL_DAYS) ?? 30;
    if (asked !== null && asked <= ctx.at && ctx.at - asked <= days * DAY_MS) {
      return verdict("condition", "assur-l112-2-2.solicited_call", { asked: day(asked), days });
    }
    const regime = ctx.param(INSURANCE_TWO_STEP_SALE);
    return regime === undefined ? null : twoStepSale(regime);
  },
};

export const CODE_ASSURANCES_RULES: readonly Rule[] = [insuranceCall];
