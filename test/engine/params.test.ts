// Messages quote the dated parameters the decision read, never a copy of today's: decided under
// parameters the law does not hold (a decree that changes the calls allowed, the pause, the
// calling hours, the insurance delays), every message says the new value, and says it in both
// languages; the compiled plan says the same; decide() beside it still says the law's.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decide, decideUnder } from "../../src/engine/decide.ts";
import type { Decision } from "../../src/engine/decision.ts";
import { compilePlan } from "../../src/engine/plan.ts";
import type { Facts } from "../../src/facts/types.ts";
import {
  CALLING_HOURS,
  INSURANCE_TWO_STEP_SALE,
  MAX_ATTEMPTS,
  type ParamSet,
  REFUSAL_PAUSE_DAYS,
  RETENTION_YEARS,
} from "../../src/params/fr/params.ts";
import { expectNoReason, expectReason, facts } from "../support/facts.ts";
import { lawWith } from "../support/params.ts";
import { calls, pigeAt } from "../support/telephone.ts";

/** The decision under `params`, which the compiled plan must give too, words included. */
function decidedUnder(f: Facts, params: ParamSet): Decision {
  const d = decideUnder(f, params);
  const planned = compilePlan(f, params).decide(f.contact);
  assert.deepStrictEqual(planned, d);
  assert.equal(JSON.stringify(planned), JSON.stringify(d));
  return d;
}

describe("a decision under other dated parameters quotes them", () => {
  test("calls per period: 3 in any 45 days", () => {
    const params = lawWith(MAX_ATTEMPTS, "2025-01-01", { calls: 3, days: 45 });
    const f = facts(
      pigeAt("2025-03-14T11:00:00+01:00", {
        contact: {
          history: calls(
            "no_answer",
            "2025-02-01T11:00:00+01:00",
            "2025-03-05T11:00:00+01:00",
            "2025-03-10T11:00:00+01:00",
          ),
        },
      }),
    );
    const r = expectReason(decidedUnder(f, params), "conso-d223-9/frequency", "block");
    assert.equal(
      r.message.en,
      "Already 3 calls or attempts since 2025-02-01: at most 3 in any 45 calendar days.",
    );
    assert.equal(
      r.message.fr,
      "Déjà 3 appels ou tentatives depuis le 2025-02-01 : au plus 3 par période de 45 jours calendaires.",
    );
    // The law's 30 days count two of them, and say so.
    const law = expectReason(decide(f), "conso-d223-9/frequency", "info");
    assert.equal(law.message.en, "2 call(s) or attempt(s) in the last 30 days (at most 4).");
  });

  test("the pause after a refusal: 90 days", () => {
    const params = lawWith(REFUSAL_PAUSE_DAYS, "2025-01-01", 90);
    const f = facts(
      pigeAt("2025-05-10T11:00:00+02:00", {
        contact: { history: calls("refused_offer", "2025-03-03T11:00:00+01:00") },
      }),
    );
    const d = decidedUnder(f, params);
    const r = expectReason(d, "conso-d223-9/refusal-pause", "block");
    assert.equal(
      r.message.en,
      "Canvassing refused on 2025-03-03: no new call before 2025-06-02 (90 full calendar days).",
    );
    assert.match(r.message.fr, /pas de nouvel appel avant le 2025-06-02 \(90 jours calendaires pleins\)\.$/);
    assert.equal(d.nextAllowedAt, "2025-06-02T10:00:00+02:00");
    expectNoReason(decide(f), "conso-d223-9/refusal-pause");
  });

  test("calling days and hours: Monday to Saturday, 09:00–12:00 and 14:00–18:00", () => {
    const params = lawWith(CALLING_HOURS, "2025-01-01", {
      weekdays: [1, 2, 3, 4, 5, 6],
      windows: [
        [9 * 60, 12 * 60],
        [14 * 60, 18 * 60],
      ],
    });
    const saturday = facts(pigeAt("2025-03-08T09:30:00+01:00"));
    assert.equal(
      expectReason(decidedUnder(saturday, params), "conso-d223-9/hours", "info").message.en,
      "Within the allowed days and hours (Monday–Saturday 09:00–12:00, 14:00–18:00, consumer's time).",
    );
    expectReason(decide(saturday), "conso-d223-9/hours", "block");
    const evening = facts(pigeAt("2025-03-04T18:30:00+01:00"));
    const d = decidedUnder(evening, params);
    assert.equal(
      expectReason(d, "conso-d223-9/hours", "block").message.fr,
      "2025-03-04 18:30, hors des plages horaires (heure du consommateur, Europe/Paris) : appels permis lundi–samedi 09:00–12:00, 14:00–18:00, hors jours fériés.",
    );
    assert.equal(d.nextAllowedAt, "2025-03-05T09:00:00+01:00");
  });

  test("the two-step sale of insurance: 48 hours, recordings kept 5 years", () => {
    const params = lawWith(INSURANCE_TWO_STEP_SALE, "2025-01-01", { waitHours: 48, recordingYears: 5 });
    const f = facts(pigeAt("2025-03-04T11:00:00+01:00", { campaign: { sector: "insurance" } }));
    const r = expectReason(decidedUnder(f, params), "assur-l112-2-2/insurance-call", "condition");
    assert.match(
      r.message.en,
      /send the documents and wait 48 h before any new call; .* keep the recording 5 years\.$/,
    );
    assert.match(
      r.message.fr,
      /documents envoyés, 48 h avant tout nouvel appel ; .* enregistrement conservé 5 ans\.$/,
    );
    assert.match(
      expectReason(decide(f), "assur-l112-2-2/insurance-call", "condition").message.en,
      /wait 24 h before any new call; .* keep the recording 2 years\.$/,
    );
  });

  test("sets combine, and a compiled plan reads the set it was compiled under", () => {
    const params = lawWith(
      RETENTION_YEARS,
      "2025-01-01",
      { prospect: 5, customer: 5 },
      lawWith(MAX_ATTEMPTS, "2025-01-01", { calls: 2, days: 30 }),
    );
    const f = facts(
      pigeAt("2025-03-14T11:00:00+01:00", {
        contact: {
          origin: { collectedAt: null },
          history: calls("no_answer", "2025-03-05T11:00:00+01:00"),
        },
      }),
    );
    const d = decidedUnder(f, params);
    assert.equal(
      expectReason(d, "cnil/retention", "condition").message.en,
      "Collection date unknown: a prospect's data may be kept only 5 years after collection or the prospect's last contact.",
    );
    assert.equal(
      expectReason(d, "conso-d223-9/frequency", "info").message.en,
      "1 call(s) or attempt(s) in the last 30 days (at most 2).",
    );
  });
});
