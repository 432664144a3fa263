// The compiled twin (src/engine/plan-rule.ts) of L.221-16's bar on calling again after a refusal.
import type { RuleCompilers } from "../../../engine/plan-rule.ts";

export const CONSO_L221_COMPILED: RuleCompilers = {
  // No call recorded, no refusal: the duty to end the call, the same for everyone.
  "conso-l221-16/no-recontact": (env) => {
    const noCall = env.keyed();
    return (ctx) => (ctx.contact.history.length === 0 ? noCall.get(ctx, null) : env.evaluate(ctx));
  },
};
