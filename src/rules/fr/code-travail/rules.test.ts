// Boundary tests for C. trav. L.6323-8-1 (loi n° 2022-1587, from 2022-12-21): no canvassing of
// CPF holders by phone, messaging, e-mail or social networks, consent or not.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decideJson, expectNoReason, expectReason } from "../../../../test/support/facts.ts";
import {
  expectCited,
  expectVerdict,
  phoneConsent,
  pigeAt,
  shopAt,
} from "../../../../test/support/telephone.ts";

const CPF = "C. trav., art. L.6323-8-1 (loi n° 2022-1587 du 19 décembre 2022)";
const cpf = { campaign: { sector: "cpf_training" } };

describe("travail-l6323-8-1/cpf-ban", () => {
  test("nothing on 2022-12-20 23:59; banned from 2022-12-21 00:00 Paris, not contested", () => {
    const before = decideJson(pigeAt("2022-12-20T23:59:00+01:00", cpf));
    expectNoReason(before, "travail-l6323-8-1/cpf-ban");
    expectVerdict(before, "allow");
    const after = decideJson(pigeAt("2022-12-21T00:00:00+01:00", cpf));
    const r = expectCited(after, "travail-l6323-8-1/cpf-ban", "block", CPF, false);
    assert.match(
      r.message.en,
      /CPF-eligible training: canvassing by call by an agent is banned, even with the person's consent/,
    );
    expectVerdict(after, "block", null);
    // The same instant written in UTC.
    expectReason(decideJson(pigeAt("2022-12-20T23:00:00Z", cpf)), "travail-l6323-8-1/cpf-ban", "block");
    expectNoReason(decideJson(pigeAt("2022-12-20T22:59:00Z", cpf)), "travail-l6323-8-1/cpf-ban");
  });

  for (const channel of ["sms", "email", "inbox_ad", "social_dm", "voice_automated"]) {
    test(`by ${channel}, even with consent`, () => {
      const d = decideJson(shopAt("2024-05-14T11:00:00+02:00", channel, cpf));
      expectCited(d, "travail-l6323-8-1/cpf-ban", "block", CPF);
      expectVerdict(d, "block", null);
    });
  }

  test("a proven consent to calls does not lift it (2026)", () => {
    const d = decideJson(
      pigeAt("2026-09-15T11:00:00+02:00", { ...cpf, contact: { consents: [phoneConsent("2026-06-01")] } }),
    );
    expectReason(d, "conso-l223-1/phone-consent", "allow");
    expectCited(d, "travail-l6323-8-1/cpf-ban", "block", CPF);
  });

  test("fax and post are not covered", () => {
    expectNoReason(decideJson(shopAt("2024-05-14T11:00:00+02:00", "fax", cpf)), "travail-l6323-8-1/cpf-ban");
  });

  test("CPF holders are natural persons: professionals are covered, legal entities are not", () => {
    const pro = decideJson(
      pigeAt("2024-05-14T11:00:00+02:00", { ...cpf, contact: { kind: "professional" } }),
    );
    expectCited(pro, "travail-l6323-8-1/cpf-ban", "block", CPF);
    expectVerdict(pro, "block", null);
    expectNoReason(
      decideJson(pigeAt("2024-05-14T11:00:00+02:00", { ...cpf, contact: { kind: "legal_entity" } })),
      "travail-l6323-8-1/cpf-ban",
    );
  });

  test("a training action in progress, related to the offer, lifts it", () => {
    const d = decideJson(
      pigeAt("2024-05-14T11:00:00+02:00", {
        campaign: { sector: "cpf_training", relatedToContract: true },
        contact: { relationship: { status: "active_contract" } },
      }),
    );
    expectCited(d, "travail-l6323-8-1/cpf-ban", "allow", CPF, false);
    expectVerdict(d, "allow");
  });

  test("H4: a callback lifts it only under policy callbackExceptionInSectorBans (contested)", () => {
    const asked = { ...cpf, contact: { callbackRequestedAt: "2024-05-14T09:00:00+02:00" } };
    const d = decideJson(pigeAt("2024-05-14T11:00:00+02:00", asked));
    expectReason(d, "travail-l6323-8-1/cpf-ban", "block");
    expectReason(d, "conso-l223-1/bloctel-scrub", "info");
    const lifted = decideJson(
      pigeAt("2024-05-14T11:00:00+02:00", { ...asked, policy: { callbackExceptionInSectorBans: true } }),
    );
    expectCited(lifted, "travail-l6323-8-1/cpf-ban", "allow", CPF, true);
    expectVerdict(lifted, "allow");
  });
});
