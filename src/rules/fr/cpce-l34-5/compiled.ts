// The compiled twin (src/engine/plan-rule.ts) of L.34-5's consent rule.
import type { RuleCompilers } from "../../../engine/plan-rule.ts";

export const CPCE_L34_5_COMPILED: RuleCompilers = {
  // A consent's reason quotes its method and date; a refusal, its status and what explains it.
  "cpce-l34-5/consent": (env) => {
    const channel = env.campaign.channel;
    const given = env.keyedPair();
    const refused = env.keyedPair();
    return (ctx) => {
      const check = ctx.consent(channel);
      const c = check.consent;
      if (check.status === "valid" && c !== null) return given.get(ctx, c.method, c.givenAt);
      const detail =
        check.status === "withdrawn"
          ? (c?.withdrawnAt ?? 0)
          : check.status === "invalid_method"
            ? c?.method
            : null;
      return refused.get(ctx, check.status, detail);
    };
  },
};
