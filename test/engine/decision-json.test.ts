// decisionJson (src/engine/decision-json.ts) writes a decision byte for byte as JSON.stringify
// does: on random facts decided by decide() and by a plan (reasons shared between decisions, their
// JSON kept), and on a decision holding a reason that is not the engine's own (a copy with other
// words, as screening makes for a window).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { decide } from "../../src/engine/decide.ts";
import { decisionJson } from "../../src/engine/decision-json.ts";
import { compilePlan, decideBatch } from "../../src/engine/plan.ts";
import { factsArb, listArb } from "../support/facts-arbitraries.ts";

const SEED = Number(process.env.VIGIE_PROPERTY_SEED ?? 20261204);

describe("decisionJson writes what JSON.stringify writes", () => {
  test("decide() on random facts, each written twice (the second from the reasons' kept JSON)", () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const d = decide(facts);
        assert.equal(decisionJson(d), JSON.stringify(d));
        assert.equal(decisionJson(d), JSON.stringify(d));
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  test("a plan's decisions over a list, whose reasons are shared", () => {
    fc.assert(
      fc.property(listArb, ({ at, campaign, policy, contacts }) => {
        const plan = compilePlan({ at, campaign, policy });
        for (const d of [...decideBatch(plan, contacts), ...decideBatch(plan, contacts)])
          assert.equal(decisionJson(d), JSON.stringify(d));
      }),
      { numRuns: 100, seed: SEED },
    );
  });

  test("a reason that is a plain object is written as it is", () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const d = decide(facts);
        const reasons = d.reasons.map((r) => ({ ...r, message: { fr: "autre", en: "other" } }));
        const copy = { ...d, reasons, obligations: reasons.filter((r) => r.effect === "condition") };
        assert.equal(decisionJson(copy), JSON.stringify(copy));
      }),
      { numRuns: 200, seed: SEED },
    );
  });
});
