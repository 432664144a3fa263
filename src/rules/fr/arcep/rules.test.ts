// Boundary tests for ARCEP décision 2022-1583 (from 2023-01-01): automated calling and messaging
// systems show numbers from dedicated ranges; 06/07 are for person-to-person use (docs/law.md, B7b, H11).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  decideJson,
  expectNoReason,
  expectReason,
  type Json,
  merge,
  SHOP_EMAIL,
} from "../../../../test/support/facts.ts";
import { expectCited, expectVerdict, pigeAt, shopAt } from "../../../../test/support/telephone.ts";

const ARCEP = "ARCEP, décision n° 2022-1583 du 1er septembre 2022 (modifiant la décision n° 2018-0881)";

/** The shop, with a proven consent to `channel`, messaging or calling a consumer's mobile. */
const shop = (at: string, channel: string, callerId: string | null, patch: Json = {}): Json =>
  shopAt(at, channel, merge({ campaign: { callerId } }, patch));
const TUESDAY = "2025-03-04T11:00:00+01:00";

describe("arcep/number-ranges — effective date", () => {
  test("an SMS from a 06 number: nothing on 2022-12-31 23:59, blocked from 2023-01-01 00:00", () => {
    const before = decideJson(shop("2022-12-31T23:59:00+01:00", "sms", "06 12 34 56 78"));
    expectNoReason(before, "arcep/number-ranges");
    expectVerdict(before, "allow");
    const after = decideJson(shop("2023-01-01T00:00:00+01:00", "sms", "06 12 34 56 78"));
    const r = expectCited(after, "arcep/number-ranges", "block", ARCEP, false);
    assert.match(
      r.message.en,
      /Caller ID "06 12 34 56 78" is outside the ranges .*06\/07 numbers are for person-to-person use/,
    );
    expectVerdict(after, "block", null);
  });
});

describe("arcep/number-ranges — automated calls and SMS", () => {
  const prefixes = [
    "0162",
    "0163",
    "0270",
    "0271",
    "0377",
    "0378",
    "0424",
    "0425",
    "0568",
    "0569",
    "0948",
    "0949",
    "09475",
    "09476",
    "09477",
    "09478",
    "09479",
  ];
  for (const prefix of prefixes) {
    test(`${prefix}… is an allowed caller ID for automated calls and SMS`, () => {
      const number = `${prefix}${"0".repeat(10 - prefix.length)}`;
      for (const channel of ["voice_automated", "sms"]) {
        const d = decideJson(shop(TUESDAY, channel, number));
        expectNoReason(d, "arcep/number-ranges");
        expectVerdict(d, "allow");
      }
    });
  }

  test("international and spaced spellings of an allowed number are recognised", () => {
    for (const callerId of [
      "+33 9 48 00 00 00",
      "0033 9 48 00 00 00",
      "09.48.00.00.00",
      "+33 (0)9 48 00 00 00",
    ]) {
      expectNoReason(decideJson(shop(TUESDAY, "voice_automated", callerId)), "arcep/number-ranges");
    }
  });

  const outside: [string, boolean][] = [
    ["06 12 34 56 78", true],
    ["07 12 34 56 78", true],
    ["+33 6 12 34 56 78", true],
    ["+33 (0)6 12 34 56 78", true],
    ["0033 (0)7 12 34 56 78", true],
    ["01 44 00 00 00", false],
    ["09 47 40 00 00", false],
    ["09 37 00 00 00", false],
    ["0164000000", false],
  ];
  for (const [callerId, mobile] of outside) {
    test(`${callerId} is outside the ranges${mobile ? " (mobile)" : ""}`, () => {
      for (const channel of ["voice_automated", "sms"]) {
        const d = decideJson(shop(TUESDAY, channel, callerId));
        const r = expectCited(d, "arcep/number-ranges", "block", ARCEP, false);
        assert.equal(/person-to-person/.test(r.message.en), mobile, r.message.en);
        expectVerdict(d, "block", null);
      }
    });
  }

  test("SMS short codes and alphanumeric senders are not numbering-plan numbers: allowed", () => {
    for (const callerId of ["38000", "3 80 00", "BOUTIQUE", "Boutique-SAS"]) {
      const d = decideJson(shop(TUESDAY, "sms", callerId));
      expectNoReason(d, "arcep/number-ranges");
      expectVerdict(d, "allow");
    }
  });

  test("an SMS or automated call with a masked sender is blocked", () => {
    for (const channel of ["sms", "voice_automated"]) {
      expectCited(decideJson(shop(TUESDAY, channel, "masked")), "arcep/number-ranges", "block", ARCEP);
    }
  });

  test("no caller ID on record: the duty to use one from the ranges", () => {
    const d = decideJson(shop(TUESDAY, "voice_automated", null));
    const r = expectCited(d, "arcep/number-ranges", "condition", ARCEP, false);
    assert.match(r.message.en, /0162, 0163, .*09479/);
    expectVerdict(d, "allow");
    assert.ok(d.obligations.includes(r));
  });

  test("applies whoever is reached (professionals, legal entities)", () => {
    for (const kind of ["professional", "legal_entity"]) {
      expectReason(
        decideJson(shop(TUESDAY, "sms", "06 12 34 56 78", { contact: { kind } })),
        "arcep/number-ranges",
        "block",
      );
    }
  });

  test("not e-mail", () => {
    expectNoReason(decideJson(SHOP_EMAIL), "arcep/number-ranges");
  });
});

describe("arcep/number-ranges — live calls (H11, contested)", () => {
  test("a manual live call from a 06 number is outside the ARCEP rule", () => {
    const d = decideJson(pigeAt(TUESDAY, { campaign: { callerId: "06 12 34 56 78" } }));
    expectNoReason(d, "arcep/number-ranges");
    expectVerdict(d, "allow");
  });

  test("a live call placed by an automatic dialer must use the ranges (contested)", () => {
    const mobile = decideJson(
      pigeAt(TUESDAY, { campaign: { dialer: "automatic", callerId: "06 12 34 56 78" } }),
    );
    expectCited(mobile, "arcep/number-ranges", "block", ARCEP, true);
    expectVerdict(mobile, "block", null);
    const ranged = decideJson(
      pigeAt(TUESDAY, { campaign: { dialer: "automatic", callerId: "+33 9 49 00 00 00" } }),
    );
    expectNoReason(ranged, "arcep/number-ranges");
    expectVerdict(ranged, "allow");
    const unknown = decideJson(pigeAt(TUESDAY, { campaign: { dialer: "automatic", callerId: null } }));
    expectCited(unknown, "arcep/number-ranges", "condition", ARCEP, true);
  });

  test("…only from 2023-01-01", () => {
    const facts = (at: string) =>
      pigeAt(at, { campaign: { dialer: "automatic", callerId: "06 12 34 56 78" } });
    expectNoReason(decideJson(facts("2022-12-31T23:59:00+01:00")), "arcep/number-ranges");
    expectReason(decideJson(facts("2023-01-01T00:00:00+01:00")), "arcep/number-ranges", "block");
  });
});
