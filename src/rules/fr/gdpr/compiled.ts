// The compiled twins (src/engine/plan-rule.ts) of the GDPR rules that read the contact.
import type { RuleCompilers } from "../../../engine/plan-rule.ts";
import { NOTICE_DEADLINE_MONTHS } from "../../../params/fr/params.ts";
import { monthsElapsed } from "../../../time/dates.ts";
import { firstHandConsent } from "./rules.ts";

export const GDPR_COMPILED: RuleCompilers = {
  // No objection recorded, none made during a call, no consent withdrawn: nothing binds and
  // nothing was set aside, so the reason turns on whether the source refused canvassing (and on
  // the kind of person).
  "gdpr-21/objection": (env) => {
    const unopposed = env.keyed();
    return (ctx) => {
      const { objections, history, origin, consents } = ctx.contact;
      if (objections.length > 0) return env.evaluate(ctx);
      // Indexed loops: this twin reads every contact of a list, and for…of allocated an iterator
      // and its results on each (a tenth of what a decision allocated).
      for (let i = 0; i < history.length; i++)
        if (history[i]?.outcome === "objected") return env.evaluate(ctx);
      for (let i = 0; i < consents.length; i++)
        if (consents[i]?.withdrawnAt != null) return env.evaluate(ctx);
      return unopposed.get(ctx, origin?.publisherRefusedCanvassing === true ? "source refused" : "none");
    };
  },
  // Each reason quotes a date (the notice due a month after the data were obtained: a function of
  // that date) or the source; an earlier contact is left to the rule.
  "gdpr-14/information": (env) => {
    const { at } = env;
    const controller = env.campaign.controllerKey;
    const months = env.param(NOTICE_DEADLINE_MONTHS);
    const informed = env.keyed();
    const consented = env.keyed();
    const overdue = env.keyedPair();
    const informNow = env.keyed();
    return (ctx) => {
      const { origin, consents, history } = ctx.contact;
      if (origin === null || origin.type === "direct") return null;
      if (origin.informedAt !== null && origin.informedAt <= at) return informed.get(ctx, origin.informedAt);
      const consent = consents.length === 0 ? undefined : firstHandConsent(consents, controller, origin, at);
      if (consent !== undefined) return consented.get(ctx, consent.givenAt);
      if (months === undefined) return env.evaluate(ctx);
      const obtainedAt = origin.obtainedAt ?? origin.collectedAt;
      if (obtainedAt !== null && monthsElapsed(obtainedAt, months, at)) {
        return overdue.get(ctx, origin.type, obtainedAt);
      }
      return history.length > 0 ? env.evaluate(ctx) : informNow.get(ctx, origin.sourceUrl);
    };
  },
  "gdpr-6/legal-basis": (env) => {
    const channel = env.campaign.channel;
    const consented = env.keyed();
    const transfer = env.keyed();
    const interest = env.keyed();
    return (ctx) => {
      const check = ctx.consent(channel);
      if (check.status === "valid" && check.consent !== null)
        return consented.get(ctx, check.consent.givenAt);
      const origin = ctx.contact.origin;
      const type = origin?.type;
      if ((type === "partner" || type === "broker") && origin?.optOutOfferedAtCollection !== true) {
        return transfer.get(ctx, null);
      }
      return interest.get(ctx, type === "scraped_public" || type === "directory" ? "public" : "other");
    };
  },
  "gdpr-7/consent-proof": (env) => {
    const channel = env.campaign.channel;
    const noProof = env.keyed();
    return (ctx) => {
      const check = ctx.consent(channel);
      return check.status === "no_proof" && check.consent !== null
        ? noProof.get(ctx, check.consent.givenAt)
        : null;
    };
  },
};
