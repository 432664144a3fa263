// Test helpers: build facts as the JSON contract writes them, decide, and look at the reasons.
import assert from "node:assert/strict";
import { decide } from "../../src/engine/decide.ts";
import type { Decision, Reason } from "../../src/engine/decision.ts";
import type { RuleId } from "../../src/engine/rule-ids.ts";
import { parseFacts } from "../../src/facts/parse.ts";
import type { Facts } from "../../src/facts/types.ts";

export type Json = { [key: string]: unknown };

/** Deep merge of plain objects; arrays and other values in `patch` replace those in `base`. */
export function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const prev = out[key];
    out[key] =
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      prev !== null &&
      typeof prev === "object" &&
      !Array.isArray(prev)
        ? merge(prev as Json, value as Json)
        : value;
  }
  return out;
}

/** Parses facts JSON, failing the test with the errors when it is invalid. */
export function facts(input: Json): Facts {
  const parsed = parseFacts(input);
  if (!parsed.ok) assert.fail(`invalid facts: ${JSON.stringify(parsed.errors)}`);
  return parsed.facts;
}

export function decideJson(input: Json): Decision {
  return decide(facts(input));
}

/** The reason a rule gave, or undefined when the rule said nothing. */
export function reasonOf(decision: Decision, rule: RuleId): Reason | undefined {
  return decision.reasons.find((r) => r.rule === rule);
}

/** Asserts the rule gave a reason with this effect, and returns it. */
export function expectReason(decision: Decision, rule: RuleId, effect: Reason["effect"]): Reason {
  const reason = reasonOf(decision, rule);
  assert.ok(
    reason !== undefined,
    `expected a reason from ${rule}; got ${decision.reasons.map((r) => `${r.rule}:${r.effect}`).join(", ")}`,
  );
  assert.equal(reason.effect, effect, `${rule}: ${reason.message.en}`);
  return reason;
}

export function expectNoReason(decision: Decision, rule: RuleId): void {
  const reason = reasonOf(decision, rule);
  assert.equal(
    reason,
    undefined,
    `expected no reason from ${rule}, got ${reason?.effect}: ${reason?.message.en}`,
  );
}

/** A consumer reached by a live call from a scraped classified ad (a "pige"), before the 2026 opt-in. */
export const PIGE_CALL: Json = {
  at: "2025-03-04T11:00:00+01:00",
  campaign: {
    controller: "Agence Dupont",
    channel: "voice_live",
    callerId: "+33 1 44 00 00 00",
    habitualCaller: true,
  },
  contact: {
    kind: "consumer",
    point: { type: "phone", value: "06 12 34 56 78" },
    origin: {
      type: "scraped_public",
      collectedAt: "2025-02-20",
      sourceUrl: "https://annonces.example/123",
      informedAt: "2025-02-21",
    },
    lastBloctelScrubAt: "2025-02-25",
  },
};

/** A consumer e-mailed by a shop that collected the address itself. */
export const SHOP_EMAIL: Json = {
  at: "2025-03-04T11:00:00+01:00",
  campaign: {
    controller: "Boutique SAS",
    channel: "email",
    message: { senderIdentified: true, optOut: true },
  },
  contact: {
    kind: "consumer",
    point: { type: "email", value: "claire@example.fr" },
    origin: { type: "direct", collectedAt: "2024-11-02", optOutOfferedAtCollection: true },
  },
};
