// Boundary tests for loi n° 2025-594 art. 13 II (from 2025-07-02, H6): the ban extended to home
// adaptation by telephone and to energy renovation and home adaptation by SMS, e-mail and social
// networks; ongoing-contract exception; callback only under policy (H4); contested (H5/H6).
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

const LOI_2025 = "Loi n° 2025-594 du 30 juin 2025, art. 13 II";
const L223_1_AL5 =
  "Loi n° 2025-594 du 30 juin 2025, art. 13 II ; pour les appels, C. conso., art. L.223-1 al. 5";

describe("loi-2025-594/sector-ban — entry into force (2025-07-02, contested H6)", () => {
  test("home adaptation by live call: allowed on 2025-07-01 (said, contested), banned from 2025-07-02 00:00", () => {
    const facts = (at: string) => pigeAt(at, { campaign: { sector: "home_adaptation" } });
    const lastDay = decideJson(facts("2025-07-01T11:00:00+02:00"));
    // The day of publication, which the press gives as the start: a contested condition, no block.
    const said = expectCited(lastDay, "loi-2025-594/sector-ban", "condition", LOI_2025, true);
    assert.match(said.message.en, /^1 July 2025: the ban on canvassing by call by an agent .* \(contested\)/);
    expectVerdict(lastDay, "allow");
    expectNoReason(decideJson(facts("2025-06-30T11:00:00+02:00")), "loi-2025-594/sector-ban");
    expectNoReason(
      decideJson(pigeAt("2025-07-01T11:00:00+02:00", { campaign: { sector: "other" } })),
      "loi-2025-594/sector-ban",
    );
    const midnight = decideJson(facts("2025-07-02T00:00:00+02:00"));
    const r = expectCited(midnight, "loi-2025-594/sector-ban", "block", LOI_2025, true);
    assert.match(
      r.message.en,
      /Home adaptation \/ energy renovation: canvassing by call by an agent is banned, even with the person's consent/,
    );
    expectVerdict(midnight, "block", null);
    expectVerdict(decideJson(facts("2025-07-02T11:00:00+02:00")), "block", null);
  });

  test("energy renovation by SMS with consent: allowed at 2025-07-01 23:59 (said, contested), banned at 2025-07-02 00:00", () => {
    const before = decideJson(
      shopAt("2025-07-01T23:59:00+02:00", "sms", { campaign: { sector: "energy_renovation" } }),
    );
    expectCited(before, "loi-2025-594/sector-ban", "condition", LOI_2025, true);
    expectVerdict(before, "allow");
    const after = decideJson(
      shopAt("2025-07-02T00:00:00+02:00", "sms", { campaign: { sector: "energy_renovation" } }),
    );
    const r = expectCited(after, "loi-2025-594/sector-ban", "block", LOI_2025, true);
    assert.match(r.message.en, /by SMS\/MMS is banned/);
    expectReason(after, "cpce-l34-5/consent", "allow");
    expectVerdict(after, "block", null);
  });

  test("codified in L.223-1 al. 5 from 2026-08-11", () => {
    const facts = (at: string) => shopAt(at, "email", { campaign: { sector: "home_adaptation" } });
    expectCited(
      decideJson(facts("2026-08-10T23:59:00+02:00")),
      "loi-2025-594/sector-ban",
      "block",
      LOI_2025,
      true,
    );
    expectCited(
      decideJson(facts("2026-08-11T00:00:00+02:00")),
      "loi-2025-594/sector-ban",
      "block",
      L223_1_AL5,
      true,
    );
  });
});

describe("loi-2025-594/sector-ban — sectors and channels", () => {
  const at = "2025-09-16T11:00:00+02:00";
  for (const sector of ["energy_renovation", "home_adaptation"]) {
    for (const channel of ["sms", "email", "inbox_ad", "social_dm"]) {
      test(`${sector} by ${channel} is banned even with consent`, () => {
        const d = decideJson(shopAt(at, channel, { campaign: { sector } }));
        expectCited(d, "loi-2025-594/sector-ban", "block", LOI_2025, true);
        expectVerdict(d, "block", null);
      });
    }
  }

  test("home adaptation by automated call is banned here; energy renovation by phone is left to L.223-1 al. 3", () => {
    expectReason(
      decideJson(shopAt(at, "voice_automated", { campaign: { sector: "home_adaptation" } })),
      "loi-2025-594/sector-ban",
      "block",
    );
    for (const channel of ["voice_live", "voice_automated"]) {
      const d = decideJson(
        channel === "voice_live"
          ? pigeAt(at, { campaign: { sector: "energy_renovation" } })
          : shopAt(at, channel, { campaign: { sector: "energy_renovation" } }),
      );
      expectNoReason(d, "loi-2025-594/sector-ban");
      expectReason(d, "conso-l223-1/energy-ban", "block");
    }
  });

  test("fax and post are not among the banned channels; other sectors are not banned", () => {
    expectNoReason(
      decideJson(shopAt(at, "fax", { campaign: { sector: "home_adaptation" } })),
      "loi-2025-594/sector-ban",
    );
    for (const sector of ["other", "insurance", "press", "cpf_training"]) {
      expectNoReason(decideJson(shopAt(at, "sms", { campaign: { sector } })), "loi-2025-594/sector-ban");
    }
  });

  test("professionals and legal entities are outside the consumer ban", () => {
    for (const kind of ["professional", "legal_entity"]) {
      expectNoReason(
        decideJson(shopAt(at, "email", { campaign: { sector: "home_adaptation" }, contact: { kind } })),
        "loi-2025-594/sector-ban",
      );
    }
  });
});

describe("loi-2025-594/sector-ban — exceptions", () => {
  const at = "2026-09-15T11:00:00+02:00";
  const adaptation = (patch: Record<string, unknown> = {}) =>
    pigeAt(at, {
      ...patch,
      campaign: { sector: "home_adaptation", ...((patch.campaign as object) ?? {}) },
      contact: { consents: [phoneConsent("2026-06-01")], ...((patch.contact as object) ?? {}) },
    });

  test("a proven consent to calls does not lift it", () => {
    const d = decideJson(adaptation());
    expectReason(d, "conso-l223-1/phone-consent", "allow");
    expectCited(d, "loi-2025-594/sector-ban", "block", L223_1_AL5, true);
    expectVerdict(d, "block", null);
  });

  test("an ongoing contract related to its object lifts it", () => {
    const d = decideJson(
      adaptation({
        campaign: { relatedToContract: true },
        contact: { relationship: { status: "active_contract" } },
      }),
    );
    const r = expectCited(d, "loi-2025-594/sector-ban", "allow", L223_1_AL5, true);
    assert.match(r.message.en, /ongoing contract/);
    expectVerdict(d, "allow");
  });

  test("an unrelated offer to a customer does not", () => {
    expectReason(
      decideJson(adaptation({ contact: { relationship: { status: "active_contract" } } })),
      "loi-2025-594/sector-ban",
      "block",
    );
  });

  test("H4: a requested callback does not lift it by default, only under policy, within the window", () => {
    const asked = { contact: { callbackRequestedAt: "2026-09-15T09:00:00+02:00" } };
    expectReason(decideJson(adaptation(asked)), "loi-2025-594/sector-ban", "block");
    const policy = { policy: { callbackExceptionInSectorBans: true } };
    const d = decideJson(adaptation({ ...asked, ...policy }));
    const r = expectCited(d, "loi-2025-594/sector-ban", "allow", L223_1_AL5, true);
    assert.match(r.message.en, /callbackExceptionInSectorBans/);
    expectVerdict(d, "allow");
    const stale = { contact: { callbackRequestedAt: "2026-09-13T10:59:00+02:00" } };
    expectReason(decideJson(adaptation({ ...stale, ...policy })), "loi-2025-594/sector-ban", "block");
  });
});
