// The compiled twins (src/engine/plan-rule.ts) of the CNIL rules that read the contact.
import type { RuleCompilers } from "../../../engine/plan-rule.ts";
import { RETENTION_YEARS } from "../../../params/fr/params.ts";
import { monthsElapsed } from "../../../time/dates.ts";
import { customerSince, prospectSince } from "./rules.ts";

export const CNIL_COMPILED: RuleCompilers = {
  // Each block quotes its start date (and the end of retention, a function of it): the reason is
  // kept by that date; the years come from the parameter in force at the plan's instant.
  "cnil/retention": (env) => {
    const { at } = env;
    const controller = env.campaign.controllerKey;
    const years = env.param(RETENTION_YEARS);
    const endUnknown = env.keyed();
    const ended = env.keyed();
    const customerAgain = env.keyed();
    const collectionUnknown = env.keyed();
    const prospect = env.keyed();
    return (ctx) => {
      if (years === undefined) return env.evaluate(ctx);
      const rel = ctx.contact.relationship;
      if (rel?.status === "active_contract") return null;
      if (rel?.status === "past_customer") {
        const endedAt = rel.endedAt;
        if (endedAt === null) return endUnknown.get(ctx, null);
        const since = customerSince(endedAt, ctx.contact, controller, at);
        if (!monthsElapsed(since, 12 * years.customer, at)) return null;
        return since === endedAt ? ended.get(ctx, endedAt) : customerAgain.get(ctx, since);
      }
      const start = prospectSince(ctx.contact, controller, at);
      if (start === null) return collectionUnknown.get(ctx, null);
      return monthsElapsed(start, 12 * years.prospect, at) ? prospect.get(ctx, start) : null;
    };
  },
  // With no consent held, a partner's form has nothing to answer for.
  "cnil/partner-consent": (env) => (ctx) => (ctx.contact.consents.length === 0 ? null : env.evaluate(ctx)),
};
