// nextAllowedAt: when only time rules (D.223-9 days and hours, 4 calls per 30 days, 60-day pause)
// block, the first lawful instant, on the consumer's clock and with its offset; null when anything
// else blocks, when the contact is allowed, or when the law that applies by then blocks it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decide, decideWhenTimeAllows } from "../../src/engine/decide.ts";
import type { Decision } from "../../src/engine/decision.ts";
import { parseInstant } from "../../src/time/zoned.ts";
import { decideJson, expectReason, facts, type Json } from "../support/facts.ts";
import { calls, expectVerdict, phoneConsent, pigeAt } from "../support/telephone.ts";

const next = (facts: Json) => decideJson(facts).nextAllowedAt;

describe("nextAllowedAt — calling windows", () => {
  test("13:00 → 14:00 the same day", () => {
    const d = decideJson(pigeAt("2025-03-04T13:00:00+01:00"));
    expectReason(d, "conso-d223-9/hours", "block");
    expectVerdict(d, "block", "2025-03-04T14:00:00+01:00");
  });

  test("08:15 → 10:00 the same day; 12:59 is allowed", () => {
    assert.equal(next(pigeAt("2025-03-04T08:15:00+01:00")), "2025-03-04T10:00:00+01:00");
    expectVerdict(decideJson(pigeAt("2025-03-04T12:59:00+01:00")), "allow", null);
  });

  test("Friday 20:30 → Monday 10:00, with the local offset of that Monday", () => {
    assert.equal(next(pigeAt("2025-03-07T20:30:00+01:00")), "2025-03-10T10:00:00+01:00");
    assert.equal(next(pigeAt("2025-06-13T20:30:00+02:00")), "2025-06-16T10:00:00+02:00");
    // The clocks change on the Sunday in between.
    assert.equal(next(pigeAt("2025-03-28T20:30:00+01:00")), "2025-03-31T10:00:00+02:00");
    assert.equal(next(pigeAt("2025-10-24T20:30:00+02:00")), "2025-10-27T10:00:00+01:00");
  });

  test("an instant given in UTC is answered on the consumer's clock", () => {
    assert.equal(next(pigeAt("2025-03-07T19:30:00Z")), "2025-03-10T10:00:00+01:00");
  });

  test("Saturday before Easter Monday → Tuesday 10:00", () => {
    assert.equal(next(pigeAt("2025-04-19T11:00:00+02:00")), "2025-04-22T10:00:00+02:00");
  });

  test("Friday before Whit Monday → Tuesday 10:00", () => {
    assert.equal(next(pigeAt("2025-06-06T20:30:00+02:00")), "2025-06-10T10:00:00+02:00");
  });

  test("31 December evening → 2 January 10:00", () => {
    assert.equal(next(pigeAt("2025-12-31T20:30:00+01:00")), "2026-01-02T10:00:00+01:00");
  });

  test("Alsace-Moselle: Good Friday and 26 December are skipped (unless the policy lifts them)", () => {
    const dept = (department: string, policy: Json = {}) => ({
      contact: { location: { department } },
      policy,
    });
    assert.equal(next(pigeAt("2025-04-17T20:30:00+02:00", dept("67"))), "2025-04-22T10:00:00+02:00");
    assert.equal(next(pigeAt("2025-04-17T20:30:00+02:00", dept("75"))), "2025-04-18T10:00:00+02:00");
    assert.equal(
      next(pigeAt("2025-04-17T20:30:00+02:00", dept("67", { localHolidaysBlockCalls: false }))),
      "2025-04-18T10:00:00+02:00",
    );
    assert.equal(next(pigeAt("2025-12-24T20:30:00+01:00", dept("57"))), "2025-12-29T10:00:00+01:00");
    assert.equal(next(pigeAt("2025-12-24T20:30:00+01:00", dept("75"))), "2025-12-26T10:00:00+01:00");
  });

  test("a Réunion consumer gets an instant on Réunion time (+04:00)", () => {
    const reunion = { contact: { location: { department: "974" } } };
    // Friday 17:30 in Paris is 20:30 in Réunion.
    assert.equal(next(pigeAt("2025-03-07T17:30:00+01:00", reunion)), "2025-03-10T10:00:00+04:00");
    // 10:30 in Paris is 13:30 in Réunion: the afternoon window, 10:00 Paris.
    assert.equal(next(pigeAt("2025-03-04T10:30:00+01:00", reunion)), "2025-03-04T14:00:00+04:00");
    const byNumber = { contact: { point: { type: "phone", value: "0692 12 34 56" } } };
    assert.equal(next(pigeAt("2025-03-07T17:30:00+01:00", byNumber)), "2025-03-10T10:00:00+04:00");
    // The 2024 abolition day (Friday 20 December) is skipped in Réunion.
    assert.equal(next(pigeAt("2024-12-19T17:30:00+01:00", reunion)), "2024-12-23T10:00:00+04:00");
  });

  test("Saint-Pierre-et-Miquelon changes its clocks on its own date (2025-03-09, not 2025-03-30)", () => {
    const pm = { contact: { location: { department: "975" } } };
    assert.equal(next(pigeAt("2025-03-07T20:30:00-03:00", pm)), "2025-03-10T10:00:00-02:00");
    assert.equal(next(pigeAt("2025-03-10T09:30:00-02:00", pm)), "2025-03-10T10:00:00-02:00");
    expectVerdict(decideJson(pigeAt("2025-03-10T10:00:00-02:00", pm)), "allow", null);
  });

  test("a Martinique consumer gets -04:00", () => {
    const d = decideJson(
      pigeAt("2025-03-04T14:30:00+01:00", { contact: { location: { department: "972" } } }),
    );
    // 14:30 in Paris is 09:30 in Martinique.
    expectVerdict(d, "block", "2025-03-04T10:00:00-04:00");
  });
});

describe("nextAllowedAt — time rules combined", () => {
  const fourCalls = calls(
    "no_answer",
    "2025-03-03T11:00:00+01:00",
    "2025-03-05T11:00:00+01:00",
    "2025-03-10T11:00:00+01:00",
    "2025-03-12T11:00:00+01:00",
  );

  test("frequency cap + hours: the cap lifts at 00:00, the window opens at 10:00", () => {
    const d = decideJson(pigeAt("2025-03-14T11:00:00+01:00", { contact: { history: fourCalls } }));
    expectReason(d, "conso-d223-9/frequency", "block");
    expectVerdict(d, "block", "2025-04-02T10:00:00+02:00");
  });

  test("frequency cap lifting on a Saturday → Monday 10:00", () => {
    const history = calls(
      "no_answer",
      "2025-03-07T11:00:00+01:00",
      "2025-03-10T11:00:00+01:00",
      "2025-03-11T11:00:00+01:00",
      "2025-03-12T11:00:00+01:00",
    );
    // 2025-03-07 leaves the window on 2025-04-06 (Sunday).
    assert.equal(
      next(pigeAt("2025-03-13T11:00:00+01:00", { contact: { history } })),
      "2025-04-07T10:00:00+02:00",
    );
  });

  // An occasional caller's check, made for this campaign, stays valid for its whole length; a
  // habitual caller's lapses after 30 days (see "null" below).
  const campaignChecked = (history: Json[]) => ({
    campaign: { habitualCaller: false, startsAt: "2025-03-01" },
    contact: { history, lastBloctelScrubAt: "2025-02-25" },
  });

  test("a refusal pause ending on a Saturday → the next Monday 10:00", () => {
    // Refused 2025-03-03: blocked through 2025-05-02 (Friday), lifts Saturday 2025-05-03.
    const d = decideJson(
      pigeAt(
        "2025-03-14T11:00:00+01:00",
        campaignChecked(calls("refused_offer", "2025-03-03T11:00:00+01:00")),
      ),
    );
    expectReason(d, "conso-d223-9/refusal-pause", "block");
    expectVerdict(d, "block", "2025-05-05T10:00:00+02:00");
  });

  test("a pause and the cap together: the later lift wins, then the window", () => {
    const history = [...fourCalls.slice(0, 3), ...calls("refused_offer", "2025-03-12T11:00:00+01:00")];
    // Cap lifts 2025-04-02; pause lifts 2025-05-12 (Monday).
    const d = decideJson(pigeAt("2025-03-14T11:00:00+01:00", campaignChecked(history)));
    expectReason(d, "conso-d223-9/frequency", "block");
    expectReason(d, "conso-d223-9/refusal-pause", "block");
    expectVerdict(d, "block", "2025-05-12T10:00:00+02:00");
  });

  test("an out-of-hours consent leaves only the cap: the lift instant itself", () => {
    const d = decideJson(
      pigeAt("2025-03-14T11:00:00+01:00", {
        contact: { history: fourCalls, consents: [phoneConsent("2025-01-10", { scope: "out_of_hours" })] },
      }),
    );
    expectVerdict(d, "block", "2025-04-02T00:00:00+02:00");
  });
});

describe("nextAllowedAt — null", () => {
  test("an allowed decision has none", () => {
    expectVerdict(decideJson(pigeAt("2025-03-04T11:00:00+01:00")), "allow", null);
  });

  test("a Bloctel block has none, even out of hours", () => {
    const d = decideJson(
      pigeAt("2025-03-08T11:00:00+01:00", { contact: { bloctel: { effectiveAt: "2024-01-01" } } }),
    );
    expectReason(d, "conso-l223-1/bloctel", "block");
    expectReason(d, "conso-d223-9/hours", "block");
    expectVerdict(d, "block", null);
  });

  test("an unscreened number or a masked caller ID has none", () => {
    expectVerdict(
      decideJson(pigeAt("2025-03-08T11:00:00+01:00", { contact: { lastBloctelScrubAt: null } })),
      "block",
      null,
    );
    expectVerdict(
      decideJson(pigeAt("2025-03-04T13:30:00+01:00", { campaign: { callerId: "masked" } })),
      "block",
      null,
    );
  });

  test("a habitual caller whose Bloctel check will be stale when the pause ends has none", () => {
    // Checked 2025-03-09; the pause lifts 2025-05-03, by when the check is over 30 days old.
    const d = decideJson(
      pigeAt("2025-03-14T11:00:00+01:00", {
        contact: { history: calls("refused_offer", "2025-03-03T11:00:00+01:00") },
      }),
    );
    expectReason(d, "conso-d223-9/refusal-pause", "block");
    expectReason(d, "conso-l223-1/bloctel-scrub", "info");
    expectVerdict(d, "block", null);
  });

  test("a window that opens after a Bloctel registration takes effect has none", () => {
    // Saturday; registered 2025-02-08, effective 2025-03-10 00:00 — before Monday's window.
    const d = decideJson(
      pigeAt("2025-03-08T11:00:00+01:00", { contact: { bloctel: { registeredAt: "2025-02-08" } } }),
    );
    expectReason(d, "conso-l223-1/bloctel", "info");
    expectVerdict(d, "block", null);
  });

  test("a time block spanning 2026-08-11 without consent: re-decided under the opt-in, none", () => {
    const monday = decideJson(pigeAt("2026-08-10T20:30:00+02:00"));
    expectReason(monday, "conso-d223-9/hours", "block");
    expectVerdict(monday, "block", null);
    const withConsent = decideJson(
      pigeAt("2026-08-10T20:30:00+02:00", { contact: { consents: [phoneConsent("2026-07-01")] } }),
    );
    expectVerdict(withConsent, "block", "2026-08-11T10:00:00+02:00");
    // Within the Bloctel period, no consent is needed: Saturday 2026-08-08 → Monday 2026-08-10.
    expectVerdict(decideJson(pigeAt("2026-08-08T11:00:00+02:00")), "block", "2026-08-10T10:00:00+02:00");
  });

  test("a refusal pause spanning 2026-08-11 without consent: none; with consent, its end", () => {
    const refused = calls("refused_offer", "2026-07-01T11:00:00+02:00");
    // Pause through 2026-08-30 (Sunday), lifts 2026-08-31 (Monday).
    expectVerdict(
      decideJson(pigeAt("2026-08-05T11:00:00+02:00", { contact: { history: refused } })),
      "block",
      null,
    );
    expectVerdict(
      decideJson(
        pigeAt("2026-08-05T11:00:00+02:00", {
          contact: { history: refused, consents: [phoneConsent("2026-06-01")] },
        }),
      ),
      "block",
      "2026-08-31T10:00:00+02:00",
    );
  });

  test("a refusal from 2026-08-11 has no end (no-recontact), though the 60-day pause does", () => {
    const d = decideJson(
      pigeAt("2026-09-15T11:00:00+02:00", {
        contact: {
          history: calls("refused_offer", "2026-09-01T11:00:00+02:00"),
          consents: [phoneConsent("2026-06-01")],
        },
      }),
    );
    expectReason(d, "conso-d223-9/refusal-pause", "block");
    expectReason(d, "conso-l221-16/no-recontact", "block");
    expectVerdict(d, "block", null);
  });
});

describe("nextAllowedAt — DGCCRF cases (docs/law.md, G2)", () => {
  test("Optynergy-like: a Bloctel-registered consumer called in 2020 — no date will do", () => {
    const d = decideJson(
      pigeAt("2020-11-10T10:30:00+01:00", {
        campaign: { controller: "Optynergy" },
        contact: { bloctel: { registeredAt: "2018-02-01" } },
      }),
    );
    expectReason(d, "conso-l223-1/bloctel", "block");
    expectVerdict(d, "block", null);
  });

  test("Novecology-like: an energy-renovation call after a web-form request, out of hours — no date will do", () => {
    const d = decideJson(
      pigeAt("2023-06-13T20:15:00+02:00", {
        campaign: { controller: "Novecology", sector: "energy_renovation" },
        contact: { callbackRequestedAt: "2023-06-13T19:50:00+02:00" },
      }),
    );
    expectReason(d, "conso-l223-1/energy-ban", "block");
    expectReason(d, "conso-d223-9/hours", "block");
    expectVerdict(d, "block", null);
  });

  test("the same request under policy callbackExceptionInSectorBans: the next window, if still within 48 h", () => {
    const facts = (callbackRequestedAt: string) =>
      pigeAt("2023-06-13T20:15:00+02:00", {
        campaign: { sector: "energy_renovation" },
        contact: { callbackRequestedAt },
        policy: { callbackExceptionInSectorBans: true },
      });
    expectVerdict(decideJson(facts("2023-06-13T19:50:00+02:00")), "block", "2023-06-14T10:00:00+02:00");
    // Asked at 09:00 on the 12th: the window closes at 09:00 on the 14th, before 10:00.
    expectVerdict(decideJson(facts("2023-06-12T09:00:00+02:00")), "block", null);
  });
});

describe("decideWhenTimeAllows — the first instant no time rule blocks, whatever else does", () => {
  const ms = (iso: string) => parseInstant(iso) as number;
  const bloctel = { contact: { bloctel: { effectiveAt: "2024-01-01" } } };

  test("Bloctel on a Saturday: decided Monday 10:00, where only Bloctel blocks", () => {
    const f = facts(pigeAt("2025-03-08T11:00:00+01:00", bloctel));
    const open = decideWhenTimeAllows(f, ms("2025-03-14T20:00:00+01:00"));
    assert.equal(open?.at, ms("2025-03-10T10:00:00+01:00"));
    assert.deepEqual(
      open?.decision.reasons.filter((r) => r.effect === "block").map((r) => r.rule),
      ["conso-l223-1/bloctel"],
    );
    assert.deepEqual(open?.decision, decide({ ...f, at: open?.at as number }));
  });

  test("null when the time rules block up to `until`; the start itself when they do not block", () => {
    const saturday = facts(pigeAt("2025-03-08T11:00:00+01:00", bloctel));
    assert.equal(decideWhenTimeAllows(saturday, ms("2025-03-10T09:59:00+01:00")), null);
    assert.equal(
      decideWhenTimeAllows(saturday, ms("2025-03-10T10:00:00+01:00"))?.at,
      ms("2025-03-10T10:00:00+01:00"),
    );
    const tuesday = facts(pigeAt("2025-03-04T11:00:00+01:00"));
    assert.deepEqual(decideWhenTimeAllows(tuesday, tuesday.at), {
      at: tuesday.at,
      decision: decide(tuesday),
    });
  });

  test("a rule that starts blocking on the way is the engine's answer there", () => {
    // Saturday; registered 2025-02-08, effective 2025-03-10 00:00 — before Monday's window.
    const f = facts(
      pigeAt("2025-03-08T11:00:00+01:00", { contact: { bloctel: { registeredAt: "2025-02-08" } } }),
    );
    const open = decideWhenTimeAllows(f, ms("2025-03-14T20:00:00+01:00"));
    assert.equal(open?.at, ms("2025-03-10T10:00:00+01:00"));
    expectReason(open?.decision as Decision, "conso-l223-1/bloctel", "block");
  });
});
