// The compiled twins (src/engine/plan-rule.ts) of the telephone-canvassing rules of L.223-1.
import type { RuleCompilers } from "../../../engine/plan-rule.ts";

export const CONSO_L223_COMPILED: RuleCompilers = {
  // The registration's date of effect is its own, else a function of the registration's date
  // (the delay in force at the plan's instant), else the date of the check that listed it.
  "conso-l223-1/bloctel": (env) => {
    const effective = env.keyed();
    const registered = env.keyed();
    const undated = env.keyed();
    return (ctx) => {
      const reg = ctx.contact.bloctel;
      if (reg === null) return null;
      if (reg.effectiveAt !== null) return effective.get(ctx, reg.effectiveAt);
      if (reg.registeredAt !== null) return registered.get(ctx, reg.registeredAt);
      return undated.get(ctx, ctx.contact.lastBloctelScrubAt);
    };
  },
  // The oldest check accepted depends on the campaign and the instant only.
  "conso-l223-1/bloctel-scrub": (env) => {
    const byCheck = env.keyed();
    return (ctx) => byCheck.get(ctx, ctx.contact.lastBloctelScrubAt);
  },
  "conso-l223-1/phone-consent": (env) => {
    const given = env.keyedPair();
    const refused = env.keyed();
    return (ctx) => {
      const check = ctx.consent("voice_live");
      const c = check.consent;
      return check.status === "valid" && c !== null
        ? given.get(ctx, c.method, c.givenAt)
        : refused.get(ctx, check.status);
    };
  },
};
