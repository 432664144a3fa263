// Helpers for the telephone-rule tests (Code de la consommation, D.223-9, ARCEP, sector bans):
// PIGE_CALL moved to any instant, evidence builders, and one assertion on a cited reason.
import assert from "node:assert/strict";
import type { Decision, Effect, Reason } from "../../src/engine/decision.ts";
import type { RuleId } from "../../src/engine/rule-ids.ts";
import { expectReason, type Json, merge, PIGE_CALL, SHOP_EMAIL } from "./facts.ts";

export const CONTROLLER = "Agence Dupont";

/** The calendar date `days` days after the ISO date `date` (both YYYY-MM-DD). */
export function shiftDate(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * PIGE_CALL at another instant, with its evidence moved along so that only the rules under test
 * decide: the ad collected 10 days before, the art. 14 notice sent 9 days before, Bloctel checked
 * 5 days before. `patch` is merged last.
 */
export function pigeAt(at: string, patch: Json = {}): Json {
  const day = at.slice(0, 10);
  const moved = merge(PIGE_CALL, {
    at,
    contact: {
      origin: { collectedAt: shiftDate(day, -10), informedAt: shiftDate(day, -9) },
      lastBloctelScrubAt: shiftDate(day, -5),
    },
  });
  return merge(moved, patch);
}

const POINT_OF: Readonly<Record<string, Json>> = {
  sms: { type: "phone", value: "06 12 34 56 78" },
  voice_automated: { type: "phone", value: "06 12 34 56 78" },
  fax: { type: "phone", value: "01 44 00 00 01" },
  email: { type: "email", value: "claire@example.fr" },
  inbox_ad: { type: "email", value: "claire@example.fr" },
  social_dm: { type: "social", value: "@claire" },
};
const CALLER_ID_OF: Readonly<Record<string, string>> = { sms: "38000", voice_automated: "09 48 00 00 00" };

/**
 * SHOP_EMAIL at another instant and on another electronic channel, with a proven consent to that
 * channel given 30 days before, when the address was collected: allowed unless a rule under test
 * blocks. SMS come from a short code, automated calls from an ARCEP range. `patch` is merged last.
 */
export function shopAt(at: string, channel: string, patch: Json = {}): Json {
  const collected = shiftDate(at.slice(0, 10), -30);
  const moved = merge(SHOP_EMAIL, {
    at,
    campaign: { channel, callerId: CALLER_ID_OF[channel] ?? null },
    contact: {
      point: POINT_OF[channel] ?? null,
      origin: { collectedAt: collected },
      consents: [
        {
          channel,
          controller: "Boutique SAS",
          givenAt: collected,
          method: "unticked_checkbox",
          proof: true,
        },
      ],
    },
  });
  return merge(moved, patch);
}

/** A consent to live calls from CONTROLLER, with proof, given on `givenAt`. */
export function phoneConsent(givenAt: string, extra: Json = {}): Json {
  return {
    channel: "voice_live",
    controller: CONTROLLER,
    givenAt,
    method: "unticked_checkbox",
    proof: true,
    ...extra,
  };
}

/** Calls by CONTROLLER at each instant, with one outcome. */
export function calls(outcome: string, ...ats: string[]): Json[] {
  return ats.map((at) => ({ at, channel: "voice_live", controller: CONTROLLER, outcome }));
}

/** Asserts the rule gave a reason with this effect, article and contested flag; returns it. */
export function expectCited(
  decision: Decision,
  rule: RuleId,
  effect: Effect,
  article: string,
  contested = false,
): Reason {
  const reason = expectReason(decision, rule, effect);
  assert.equal(reason.article, article, `${rule}: article`);
  assert.equal(reason.contested, contested, `${rule}: contested`);
  return reason;
}

/** Asserts the verdict, and that a blocked decision's nextAllowedAt is the given string. */
export function expectVerdict(decision: Decision, verdict: Decision["verdict"], next: string | null = null) {
  assert.equal(
    decision.verdict,
    verdict,
    `verdict; reasons: ${decision.reasons.map((r) => `${r.rule}:${r.effect}`).join(", ")}`,
  );
  assert.equal(decision.nextAllowedAt, next, "nextAllowedAt");
}
