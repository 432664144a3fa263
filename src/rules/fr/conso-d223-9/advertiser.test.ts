// D.223-9 counts the professional's calls "directement ou par l'intermédiaire d'un tiers agissant
// pour son compte": a call centre's calls for an advertiser count for that advertiser, whichever
// centre made them; the outcomes that are a refusal start the pause; a non-commercial call is no
// canvassing call.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decideJson, expectNoReason, expectReason, type Json } from "../../../../test/support/facts.ts";
import { pigeAt } from "../../../../test/support/telephone.ts";

const AT = "2025-03-14T11:00:00+01:00";
const DAYS = ["2025-03-03", "2025-03-05", "2025-03-10", "2025-03-12"];

/** A call on each day, by `caller` for `advertiser` (absent: not recorded), with `extra` fields. */
const callsBy = (caller: string, advertiser: string | null, extra: Json = {}): Json[] =>
  DAYS.map((day) => ({
    at: `${day}T11:00:00+01:00`,
    channel: "voice_live",
    controller: caller,
    ...(advertiser === null ? {} : { advertiser }),
    outcome: "no_answer",
    ...extra,
  }));

/** A call centre calling for Agence Dupont. */
const forDupont = (history: Json[], at = AT) =>
  decideJson(
    pigeAt(at, {
      campaign: { controller: "Centre Alpha", advertiser: "Agence Dupont" },
      contact: { history },
    }),
  );

describe("conso-d223-9/frequency — the advertiser's calls through every call centre", () => {
  test("four calls for the advertiser by two other call centres and itself: the fifth is blocked", () => {
    const mixed = [
      ...callsBy("Centre Beta", "Agence Dupont").slice(0, 2),
      ...callsBy("Agence Dupont", null).slice(2, 3),
      ...callsBy("Centre Gamma", "AGENCE  DUPONT").slice(3),
    ];
    expectReason(forDupont(mixed), "conso-d223-9/frequency", "block");
    // Three of them: the fourth call is allowed.
    const r = expectReason(forDupont(mixed.slice(1)), "conso-d223-9/frequency", "info");
    assert.match(r.message.en, /^3 call/);
  });

  test("the same call centre's calls for another advertiser do not count", () => {
    expectNoReason(forDupont(callsBy("Centre Alpha", "Agence Martin")), "conso-d223-9/frequency");
  });

  test("the call centre's own calls with no advertiser recorded may have been for this one: they count", () => {
    expectReason(forDupont(callsBy("Centre Alpha", null)), "conso-d223-9/frequency", "block");
    // Another centre's, with no advertiser: made for that centre itself.
    expectNoReason(forDupont(callsBy("Centre Beta", null)), "conso-d223-9/frequency");
  });

  test("without an advertiser, the campaign's controller is the professional (as before)", () => {
    const d = decideJson(pigeAt(AT, { contact: { history: callsBy("Centre Beta", "Agence Dupont") } }));
    expectReason(d, "conso-d223-9/frequency", "block");
  });

  test("a call recorded as non-commercial is no canvassing call; an unrecorded sector counts", () => {
    const survey = callsBy("Centre Beta", "Agence Dupont", { sector: "non_commercial" });
    expectNoReason(forDupont(survey), "conso-d223-9/frequency");
    const insurance = callsBy("Centre Beta", "Agence Dupont", { sector: "insurance" });
    expectReason(forDupont(insurance), "conso-d223-9/frequency", "block");
  });
});

describe("conso-d223-9/refusal-pause — a refusal to any call centre pauses the advertiser", () => {
  const refusal = (caller: string, advertiser: string | null, outcome: string, sector?: string): Json[] => [
    {
      at: "2025-03-03T11:00:00+01:00",
      channel: "voice_live",
      controller: caller,
      ...(advertiser === null ? {} : { advertiser }),
      ...(sector === undefined ? {} : { sector }),
      outcome,
    },
  ];

  for (const outcome of ["refused_offer", "declined_to_continue", "no_interest"]) {
    test(`${outcome} to another call centre for the advertiser starts the 60 days`, () => {
      const r = expectReason(
        forDupont(refusal("Centre Beta", "Agence Dupont", outcome)),
        "conso-d223-9/refusal-pause",
        "block",
      );
      assert.match(r.message.en, /no new call before 2025-05-03/);
    });
  }

  test("answered or unanswered calls, refusals to another advertiser, or in a survey, do not", () => {
    for (const history of [
      refusal("Centre Beta", "Agence Dupont", "answered"),
      refusal("Centre Beta", "Agence Dupont", "no_answer"),
      refusal("Centre Alpha", "Agence Martin", "refused_offer"),
      refusal("Centre Beta", "Agence Dupont", "refused_offer", "non_commercial"),
    ]) {
      expectNoReason(forDupont(history), "conso-d223-9/refusal-pause");
    }
  });
});

describe("gdpr-21/objection — an objection during a call centre's call", () => {
  const objected: Json[] = [
    {
      at: "2025-03-03T11:00:00+01:00",
      channel: "voice_live",
      controller: "Centre Beta",
      advertiser: "Agence Dupont",
      outcome: "objected",
    },
  ];
  test("binds the advertiser's campaigns run by another centre, and the centre's own", () => {
    expectReason(forDupont(objected), "gdpr-21/objection", "block");
    const centre = decideJson(
      pigeAt(AT, { campaign: { controller: "Centre Beta" }, contact: { history: objected } }),
    );
    expectReason(centre, "gdpr-21/objection", "block");
    const other = decideJson(
      pigeAt(AT, { campaign: { controller: "Agence Martin" }, contact: { history: objected } }),
    );
    assert.notEqual(other.reasons.find((r) => r.rule === "gdpr-21/objection")?.effect, "block");
  });
});
