// Boundary tests for C. assur. L.112-2-2 and R.112-7 (from 2022-04-01): selling insurance by
// telephone is a two-step regime; existing customers and calls asked for within 30 days are out.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  decideJson,
  expectNoReason,
  expectReason,
  merge,
  PIGE_CALL,
  reasonOf,
} from "../../../../test/support/facts.ts";
import { expectCited, expectVerdict, pigeAt } from "../../../../test/support/telephone.ts";

const INSURANCE = "C. assur., art. L.112-2-2 et R.112-7 (loi n° 2021-402 ; décret n° 2022-34)";
const insurance = (at: string, patch: Record<string, unknown> = {}) =>
  decideJson(
    pigeAt(at, { ...patch, campaign: { sector: "insurance", ...((patch.campaign as object) ?? {}) } }),
  );

describe("assur-l112-2-2/insurance-call", () => {
  test("nothing on 2022-03-31 23:59; the two-step regime from 2022-04-01 00:00", () => {
    expectNoReason(insurance("2022-03-31T23:59:00+02:00"), "assur-l112-2-2/insurance-call");
    const d = insurance("2022-04-01T00:00:00+02:00");
    const r = expectCited(d, "assur-l112-2-2/insurance-call", "condition", INSURANCE, false);
    assert.match(
      r.message.en,
      /Two-step sale: agreement to go on at the start of the call.*24 h.*keep the recording 2 years/,
    );
    expectVerdict(d, "allow");
  });

  test("an allowed cold call carries the two-step conditions as obligations", () => {
    const d = insurance("2025-03-04T11:00:00+01:00");
    const r = expectReason(d, "assur-l112-2-2/insurance-call", "condition");
    assert.ok(d.obligations.includes(r));
    expectVerdict(d, "allow");
  });

  for (const status of ["active_contract", "past_customer"]) {
    test(`an existing customer (${status}) is outside the regime`, () => {
      const d = insurance("2025-03-04T11:00:00+01:00", {
        contact: { relationship: { status, endedAt: "2024-12-31" } },
      });
      const r = expectCited(d, "assur-l112-2-2/insurance-call", "info", INSURANCE);
      assert.match(r.message.en, /Existing customer/);
    });
  }

  test("a call asked for up to 30 days before is solicited: out of the two-step regime", () => {
    const asked = { contact: { callbackRequestedAt: "2025-05-05T10:00:00+02:00" } };
    const d = insurance("2025-06-04T10:00:00+02:00", asked);
    const r = expectCited(d, "assur-l112-2-2/insurance-call", "condition", INSURANCE);
    assert.match(r.message.en, /Call requested on 2025-05-05 \(less than 30 days ago\).*ORIAS/);
    const late = insurance("2025-06-04T10:01:00+02:00", asked);
    assert.match(
      expectReason(late, "assur-l112-2-2/insurance-call", "condition").message.en,
      /^Two-step sale/,
    );
  });

  test("a request made after the call is no request", () => {
    const d = insurance("2025-03-04T11:00:00+01:00", {
      contact: { callbackRequestedAt: "2025-03-04T12:00:00+01:00" },
    });
    assert.match(expectReason(d, "assur-l112-2-2/insurance-call", "condition").message.en, /^Two-step sale/);
  });

  test("the regime is no exception to Bloctel: a registered prospect is still blocked", () => {
    const d = insurance("2025-03-04T11:00:00+01:00", { contact: { bloctel: { effectiveAt: "2024-01-01" } } });
    expectReason(d, "assur-l112-2-2/insurance-call", "condition");
    expectReason(d, "conso-l223-1/bloctel", "block");
    expectVerdict(d, "block", null);
  });

  test("a solicited call within 48 h passes Bloctel (H4, contested) and is outside the two-step regime", () => {
    const d = insurance("2025-03-04T11:00:00+01:00", {
      contact: { bloctel: { effectiveAt: "2024-01-01" }, callbackRequestedAt: "2025-03-03T16:00:00+01:00" },
    });
    expectReason(d, "conso-l223-1/bloctel", "allow");
    assert.match(expectReason(d, "assur-l112-2-2/insurance-call", "condition").message.en, /^Call requested/);
    expectVerdict(d, "allow");
  });

  test("other sectors, professionals and non-voice channels are outside it", () => {
    expectNoReason(decideJson(pigeAt("2025-03-04T11:00:00+01:00")), "assur-l112-2-2/insurance-call");
    expectNoReason(
      insurance("2025-03-04T11:00:00+01:00", { contact: { kind: "professional" } }),
      "assur-l112-2-2/insurance-call",
    );
    expectNoReason(
      insurance("2025-03-04T11:00:00+01:00", { campaign: { channel: "voice_automated" } }),
      "assur-l112-2-2/insurance-call",
    );
  });
});

describe("assur-l112-2-2/insurance-call: no new call after the prospect declined", () => {
  const declined = (at: string, outcome = "refused_offer") => ({
    campaign: { sector: "insurance" },
    contact: {
      history: [{ at, channel: "voice_live", controller: "Agence Dupont", outcome }],
    },
  });

  test("a prospect who declined on or after 2022-04-01 is not called again by the distributor", () => {
    const d = decideJson(merge(PIGE_CALL, declined("2022-12-01T11:00:00+01:00")));
    const r = expectReason(d, "assur-l112-2-2/insurance-call", "block");
    assert.match(r.message.en, /declined on 2022-12-01/);
  });

  test("no interest shown, or declining to go on, bars the call too — through any call centre of the distributor", () => {
    for (const outcome of ["no_interest", "declined_to_continue", "objected"]) {
      const d = decideJson(merge(PIGE_CALL, declined("2025-02-01T11:00:00+01:00", outcome)));
      expectReason(d, "assur-l112-2-2/insurance-call", "block");
    }
    const viaCentre = merge(PIGE_CALL, {
      campaign: { sector: "insurance" },
      contact: {
        history: [
          {
            at: "2025-02-01T11:00:00+01:00",
            channel: "voice_live",
            controller: "Centre Beta",
            advertiser: "Agence Dupont",
            sector: "insurance",
            outcome: "no_interest",
          },
        ],
      },
    });
    expectReason(decideJson(viaCentre), "assur-l112-2-2/insurance-call", "block");
  });

  test("a refusal on a call about something else says nothing of insurance; an unrecorded sector may have been insurance", () => {
    const about = (sector: string | null) =>
      decideJson(
        merge(PIGE_CALL, {
          campaign: { sector: "insurance" },
          contact: {
            history: [
              {
                at: "2025-01-10T11:00:00+01:00",
                channel: "voice_live",
                controller: "Agence Dupont",
                sector,
                outcome: "refused_offer",
              },
            ],
          },
        }),
      );
    assert.notEqual(reasonOf(about("energy_renovation"), "assur-l112-2-2/insurance-call")?.effect, "block");
    expectReason(about(null), "assur-l112-2-2/insurance-call", "block");
    expectReason(about("insurance"), "assur-l112-2-2/insurance-call", "block");
  });

  test("a refusal before the regime began (2022-03-31) does not bar the call", () => {
    const d = decideJson(merge(PIGE_CALL, declined("2022-03-31T11:00:00+02:00")));
    assert.notEqual(reasonOf(d, "assur-l112-2-2/insurance-call")?.effect, "block");
  });

  test("a call the prospect asks for after declining is allowed again (solicited call)", () => {
    const d = decideJson(
      merge(PIGE_CALL, {
        ...declined("2025-02-01T11:00:00+01:00"),
        contact: {
          ...declined("2025-02-01T11:00:00+01:00").contact,
          callbackRequestedAt: "2025-03-03T18:00:00+01:00",
        },
      }),
    );
    expectReason(d, "assur-l112-2-2/insurance-call", "condition");
  });
});
