// The compiled twin (src/engine/plan-rule.ts) of the insurance telephone-sale rule.
import type { RuleCompilers } from "../../../engine/plan-rule.ts";

export const CODE_ASSURANCES_COMPILED: RuleCompilers = {
  // No call recorded, nobody declined: a customer is out of the regime, anyone else is in it
  // unless they asked for the call (quoted by the date they asked).
  "assur-l112-2-2/insurance-call": (env) => {
    const customer = env.keyed();
    const prospect = env.keyed();
    return (ctx) => {
      const status = ctx.contact.relationship?.status;
      if (status === "active_contract" || status === "past_customer") return customer.get(ctx, null);
      if (ctx.contact.history.length > 0) return env.evaluate(ctx);
      return prospect.get(ctx, ctx.contact.callbackRequestedAt);
    };
  },
};
