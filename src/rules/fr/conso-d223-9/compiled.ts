// The compiled twins (src/engine/plan-rule.ts) of D.223-9's days, hours and frequency.
import type { RuleCompilers } from "../../../engine/plan-rule.ts";

export const D223_9_COMPILED: RuleCompilers = {
  // Called only in a zone the plan's instant is outside the calling days and hours (inside, the
  // probe made the verdict the zone's): there the verdict turns on the consent to calls out of
  // hours alone, quoted by its date.
  "conso-d223-9/hours": (env) => {
    const channel = env.campaign.channel;
    const inZone = env.perZone(() => env.keyed());
    return (ctx) => {
      const check = ctx.consent(channel, "out_of_hours");
      const given = check.status === "valid" && check.consent !== null ? check.consent.givenAt : null;
      return inZone(ctx).get(ctx, given);
    };
  },
  // No call recorded: nothing counts towards the cap, and no refusal starts a pause.
  "conso-d223-9/frequency": (env) => (ctx) => (ctx.contact.history.length === 0 ? null : env.evaluate(ctx)),
  "conso-d223-9/refusal-pause": (env) => (ctx) =>
    ctx.contact.history.length === 0 ? null : env.evaluate(ctx),
};
