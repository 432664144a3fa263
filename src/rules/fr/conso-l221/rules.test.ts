// Boundary tests for C. conso. L.221-16 (start-of-call information; end of call and no recontact
// from 2026-08-11) and L.221-17 (no masked number).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decideJson, expectNoReason, expectReason } from "../../../../test/support/facts.ts";
import {
  calls,
  expectCited,
  expectVerdict,
  phoneConsent,
  pigeAt,
} from "../../../../test/support/telephone.ts";

const INFO_2014 = "C. conso., art. L.221-16 al. 1 (ex-L.121-20)";
const INFO_2020 = "C. conso., art. L.221-16 al. 1 (loi n° 2020-901 du 24 juillet 2020)";
const INFO_2026 = "C. conso., art. L.221-16 al. 1 (loi n° 2025-594 du 30 juin 2025)";
const NO_RECONTACT = "C. conso., art. L.221-16 (loi n° 2025-594 du 30 juin 2025, art. 13)";
const CALLER_ID_2014 = "C. conso., art. L.121-34-2 (loi n° 2014-344)";
const CALLER_ID = "C. conso., art. L.221-17";
const BLOCTEL_MENTION = /register free of charge on the telephone opposition list/;

describe("conso-l221-16/call-info", () => {
  test("before loi Naegelen: identity and commercial nature, no Bloctel mention", () => {
    const d = decideJson(pigeAt("2020-07-25T23:59:00+02:00"));
    const r = expectCited(d, "conso-l221-16/call-info", "condition", INFO_2014);
    assert.match(
      r.message.en,
      /their identity .* the commercial nature of the call\. Confirm any offer in writing/,
    );
    assert.doesNotMatch(r.message.en, BLOCTEL_MENTION);
    assert.ok(d.obligations.includes(r), "an allowed call carries it as an obligation");
  });

  test("2020-07-26 → 2026-08-10: the Bloctel mention at the start of the call", () => {
    for (const at of ["2020-07-26T00:00:00+02:00", "2026-08-10T23:59:00+02:00"]) {
      const r = expectCited(decideJson(pigeAt(at)), "conso-l221-16/call-info", "condition", INFO_2020);
      assert.match(r.message.en, BLOCTEL_MENTION);
      assert.match(r.message.fr, /liste d'opposition au démarchage téléphonique/);
    }
  });

  test("from 2026-08-11 the Bloctel sentence is deleted", () => {
    const d = decideJson(pigeAt("2026-08-11T00:00:00+02:00"));
    const r = expectCited(d, "conso-l221-16/call-info", "condition", INFO_2026);
    assert.doesNotMatch(r.message.en, BLOCTEL_MENTION);
    assert.match(r.message.en, /the commercial nature of the call/);
  });

  test("covers automated calls; not non-commercial calls, professionals or SMS", () => {
    expectReason(
      decideJson(pigeAt("2025-03-04T11:00:00+01:00", { campaign: { channel: "voice_automated" } })),
      "conso-l221-16/call-info",
      "condition",
    );
    expectNoReason(
      decideJson(pigeAt("2025-03-04T11:00:00+01:00", { campaign: { sector: "non_commercial" } })),
      "conso-l221-16/call-info",
    );
    expectNoReason(
      decideJson(pigeAt("2025-03-04T11:00:00+01:00", { contact: { kind: "professional" } })),
      "conso-l221-16/call-info",
    );
    expectNoReason(
      decideJson(pigeAt("2025-03-04T11:00:00+01:00", { campaign: { channel: "sms", callerId: "38000" } })),
      "conso-l221-16/call-info",
    );
  });

  test("a blocked call carries no obligations", () => {
    const d = decideJson(pigeAt("2025-03-08T11:00:00+01:00"));
    expectReason(d, "conso-l221-16/call-info", "condition");
    assert.deepEqual(d.obligations, []);
  });
});

describe("conso-l221-16/no-recontact (from 2026-08-11, H8)", () => {
  // After the 60-day pause of D.223-9, so that only the lasting bar can block.
  const at = "2026-10-12T11:00:00+02:00";
  const consented = [phoneConsent("2026-06-01")];
  const refusedAt = (when: string, patch: Record<string, unknown> = {}) =>
    decideJson(
      pigeAt(at, {
        ...patch,
        contact: {
          consents: consented,
          history: calls("refused_offer", when),
          ...((patch.contact as object) ?? {}),
        },
      }),
    );

  test("without a refusal: an obligation to end the call on refusal (contested)", () => {
    const d = decideJson(pigeAt(at, { contact: { consents: consented } }));
    const r = expectCited(d, "conso-l221-16/no-recontact", "condition", NO_RECONTACT, true);
    assert.match(r.message.en, /End the call as soon as the consumer does not wish to go on/);
    expectVerdict(d, "allow");
  });

  test("no rule before 2026-08-11", () => {
    expectNoReason(decideJson(pigeAt("2026-08-10T23:59:00+02:00")), "conso-l221-16/no-recontact");
  });

  test("a refusal from 2026-08-11 00:00 bars any later call, with no date to wait for", () => {
    const d = refusedAt("2026-08-11T00:00:00+02:00");
    const r = expectCited(d, "conso-l221-16/no-recontact", "block", NO_RECONTACT, true);
    assert.match(
      r.message.en,
      /declined to go on on 2026-08-11: do not contact them again without a new consent/,
    );
    expectNoReason(d, "conso-d223-9/refusal-pause");
    expectVerdict(d, "block", null);
  });

  test("a refusal made under the old law (2026-08-10 23:59) only starts the 60-day pause", () => {
    const d = refusedAt("2026-08-10T23:59:00+02:00");
    expectReason(d, "conso-l221-16/no-recontact", "condition");
    expectNoReason(d, "conso-d223-9/refusal-pause");
    expectVerdict(d, "allow");
  });

  test("an 'objected' outcome counts as a refusal too", () => {
    const d = decideJson(
      pigeAt(at, {
        contact: { consents: consented, history: calls("objected", "2026-08-20T11:00:00+02:00") },
      }),
    );
    expectReason(d, "conso-l221-16/no-recontact", "block");
    expectReason(d, "gdpr-21/objection", "block");
  });

  test("answered calls and unanswered attempts are no refusal", () => {
    const d = decideJson(
      pigeAt(at, {
        contact: {
          consents: consented,
          history: [
            ...calls("answered", "2026-09-01T11:00:00+02:00"),
            ...calls("no_answer", "2026-09-02T11:00:00+02:00"),
          ],
        },
      }),
    );
    expectReason(d, "conso-l221-16/no-recontact", "condition");
  });

  test("a refusal to another controller, or in an SMS exchange, does not bind this caller", () => {
    const other = decideJson(
      pigeAt(at, {
        contact: {
          consents: consented,
          history: [
            {
              at: "2026-08-20T11:00:00+02:00",
              channel: "voice_live",
              controller: "Agence Martin",
              outcome: "refused_offer",
            },
          ],
        },
      }),
    );
    expectReason(other, "conso-l221-16/no-recontact", "condition");
    const sms = decideJson(
      pigeAt(at, {
        contact: {
          consents: consented,
          history: [
            {
              at: "2026-08-20T11:00:00+02:00",
              channel: "sms",
              controller: "Agence Dupont",
              outcome: "refused_offer",
            },
          ],
        },
      }),
    );
    expectReason(sms, "conso-l221-16/no-recontact", "condition");
  });

  test("a refusal by an automated call binds the live calls", () => {
    const d = decideJson(
      pigeAt(at, {
        contact: {
          consents: consented,
          history: [
            {
              at: "2026-08-20T11:00:00+02:00",
              channel: "voice_automated",
              controller: "Agence Dupont",
              outcome: "refused_offer",
            },
          ],
        },
      }),
    );
    expectReason(d, "conso-l221-16/no-recontact", "block");
  });

  test("lifted only by a consent given after the refusal", () => {
    const before = refusedAt("2026-08-11T11:00:00+02:00");
    expectReason(before, "conso-l221-16/no-recontact", "block");
    const after = refusedAt("2026-08-11T11:00:00+02:00", {
      contact: { consents: [phoneConsent("2026-08-11T11:05:00+02:00")] },
    });
    expectReason(after, "conso-l221-16/no-recontact", "condition");
    expectVerdict(after, "allow");
  });

  test("a later consent lifts it even when an older one is listed first (fixed bug)", () => {
    const d = refusedAt("2026-08-11T11:00:00+02:00", {
      contact: { consents: [phoneConsent("2026-06-01"), phoneConsent("2026-09-01")] },
    });
    expectReason(d, "conso-l221-16/no-recontact", "condition");
    expectVerdict(d, "allow");
  });

  test("the later consent must itself be valid and in force", () => {
    for (const later of [
      phoneConsent("2026-09-01", { proof: false }),
      phoneConsent("2026-09-01", { method: "pre_ticked_checkbox" }),
      phoneConsent("2026-09-01", { withdrawnAt: "2026-10-01" }),
      phoneConsent("2026-09-01", { controller: "Agence Martin" }),
      phoneConsent("2026-09-01", { channel: "sms" }),
      phoneConsent("2026-10-12T11:00:01+02:00"),
    ]) {
      const d = refusedAt("2026-08-20T11:00:00+02:00", {
        contact: { consents: [phoneConsent("2026-06-01"), later] },
      });
      expectReason(d, "conso-l221-16/no-recontact", "block");
    }
  });

  test("the latest refusal is the one a consent must follow", () => {
    const d = decideJson(
      pigeAt(at, {
        contact: {
          consents: [phoneConsent("2026-08-25")],
          history: calls("refused_offer", "2026-08-20T11:00:00+02:00", "2026-08-28T11:00:00+02:00"),
        },
      }),
    );
    const r = expectReason(d, "conso-l221-16/no-recontact", "block");
    assert.match(r.message.en, /on 2026-08-28/);
  });
});

describe("conso-l221-17/caller-id", () => {
  test("a number not assigned to the caller nor authorised by its assignee blocks; authorised, a duty remains", () => {
    const at = "2026-03-10T11:00:00+01:00";
    const shown = (callerIdAuthorised: boolean | null) =>
      decideJson(pigeAt(at, { campaign: { callerId: "+33 1 44 00 00 00", callerIdAuthorised } }));
    const refused = expectCited(shown(false), "conso-l221-17/caller-id", "block", CALLER_ID);
    assert.match(
      refused.message.en,
      /neither assigned to the professional .* nor authorised by its assignee/,
    );
    const own = expectCited(shown(true), "conso-l221-17/caller-id", "condition", CALLER_ID);
    assert.match(own.message.en, /^Identify yourself if the person calls back/);
    const unsaid = expectCited(shown(null), "conso-l221-17/caller-id", "condition", CALLER_ID);
    assert.match(unsaid.message.en, /^Show a number assigned to the controller/);
  });

  const masked = (at: string, patch: Record<string, unknown> = {}) =>
    decideJson(
      pigeAt(at, { ...patch, campaign: { callerId: "masked", ...((patch.campaign as object) ?? {}) } }),
    );

  test("masked number: L.121-34-2 through 2016-06-30, L.221-17 from 2016-07-01", () => {
    expectCited(masked("2016-06-30T23:59:00+02:00"), "conso-l221-17/caller-id", "block", CALLER_ID_2014);
    expectCited(masked("2016-07-01T00:00:00+02:00"), "conso-l221-17/caller-id", "block", CALLER_ID);
  });

  test("a masked call is blocked, and no time makes it lawful", () => {
    const d = masked("2025-03-04T11:00:00+01:00");
    const r = expectCited(d, "conso-l221-17/caller-id", "block", CALLER_ID);
    assert.match(r.message.en, /Masked number/);
    expectVerdict(d, "block", null);
    expectVerdict(masked("2025-03-08T11:00:00+01:00"), "block", null);
  });

  test("a shown number, or none recorded: the duty to show an assigned number", () => {
    for (const callerId of ["+33 1 44 00 00 00", null]) {
      const d = decideJson(pigeAt("2025-03-04T11:00:00+01:00", { campaign: { callerId } }));
      const r = expectCited(d, "conso-l221-17/caller-id", "condition", CALLER_ID);
      assert.match(r.message.en, /assigned to the controller/);
      expectVerdict(d, "allow");
    }
  });

  test("automated calls too; professionals are outside the Consumer Code", () => {
    expectReason(
      masked("2025-03-04T11:00:00+01:00", { campaign: { channel: "voice_automated" } }),
      "conso-l221-17/caller-id",
      "block",
    );
    const pro = masked("2025-03-04T11:00:00+01:00", { contact: { kind: "professional" } });
    expectNoReason(pro, "conso-l221-17/caller-id");
    expectVerdict(pro, "allow");
  });

  test("even non-commercial or consented calls may not be masked", () => {
    expectReason(
      masked("2026-09-15T11:00:00+02:00", { contact: { consents: [phoneConsent("2026-06-01")] } }),
      "conso-l221-17/caller-id",
      "block",
    );
    expectReason(
      masked("2025-03-04T11:00:00+01:00", { campaign: { sector: "non_commercial" } }),
      "conso-l221-17/caller-id",
      "block",
    );
  });
});
