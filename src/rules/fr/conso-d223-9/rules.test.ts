// Boundary tests for C. conso. D.223-9 (from 2023-03-01): calling days and hours on the
// consumer's clock, public holidays (national, Alsace-Moselle, overseas), DST, 4 calls per 30
// days and the 60-day pause after a refusal.
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
import { renderDecision } from "../../../i18n/decisions.ts";
import { pauseVerdict, weekdaysText } from "./rules.ts";

const D223_9 = "C. conso., art. D.223-9 (décret n° 2022-1313 du 13 octobre 2022)";

/** A consumer in a department (and, optionally, with a given number). */
const located = (department: string, extra: Record<string, unknown> = {}) => ({
  contact: { location: { department }, ...extra },
});

describe("conso-d223-9/hours — effective date", () => {
  test("no hours rule on 2023-02-28; from 2023-03-01 00:00 Paris", () => {
    for (const at of ["2023-02-28T21:00:00+01:00", "2023-02-28T23:59:00+01:00"]) {
      const d = decideJson(pigeAt(at));
      expectNoReason(d, "conso-d223-9/hours");
      expectVerdict(d, "allow");
    }
    for (const [at, next] of [
      ["2023-03-01T00:00:00+01:00", "2023-03-01T10:00:00+01:00"],
      ["2023-03-01T21:00:00+01:00", "2023-03-02T10:00:00+01:00"],
    ] as const) {
      const d = decideJson(pigeAt(at));
      expectCited(d, "conso-d223-9/hours", "block", D223_9);
      expectVerdict(d, "block", next);
    }
  });
});

describe("conso-d223-9/hours — windows [10:00, 13:00) and [14:00, 20:00), local time", () => {
  const edges: [string, "allow" | "block"][] = [
    ["09:59:59", "block"],
    ["10:00:00", "allow"],
    ["12:59:59", "allow"],
    ["13:00:00", "block"],
    ["13:59:00", "block"],
    ["14:00:00", "allow"],
    ["19:59:00", "allow"],
    ["20:00:00", "block"],
    ["00:00:00", "block"],
  ];
  for (const [time, verdict] of edges) {
    test(`Tuesday ${time} → ${verdict}`, () => {
      const d = decideJson(pigeAt(`2025-03-04T${time}+01:00`));
      if (verdict === "allow") {
        const r = expectCited(d, "conso-d223-9/hours", "info", D223_9);
        assert.match(r.message.en, /Monday–Friday 10:00–13:00, 14:00–20:00, consumer's time/);
        expectVerdict(d, "allow");
      } else {
        const r = expectCited(d, "conso-d223-9/hours", "block", D223_9, false);
        assert.match(r.message.en, new RegExp(`2025-03-04 ${time.slice(0, 5)}, outside the calling windows`));
        assert.match(r.message.en, /consumer's time, Europe\/Paris/);
        assert.equal(d.verdict, "block");
      }
    });
  }

  test("Saturday and Sunday are closed, whatever the hour", () => {
    for (const [at, name] of [
      ["2025-03-08T11:00:00+01:00", "Saturday"],
      ["2025-03-09T15:00:00+01:00", "Sunday"],
    ]) {
      const d = decideJson(pigeAt(at as string));
      const r = expectCited(d, "conso-d223-9/hours", "block", D223_9);
      assert.match(r.message.en, new RegExp(`, ${name} \\(consumer's time`));
    }
  });
});

describe("conso-d223-9/hours — public holidays (C. trav. L.3133-1)", () => {
  const holidays: [string, string][] = [
    ["2025-01-01", "Nouvel An"],
    ["2025-04-21", "Lundi de Pâques"],
    ["2025-05-01", "Fête du travail"],
    ["2025-05-08", "Fête de la Victoire 1945"],
    ["2025-05-29", "Ascension"],
    ["2025-06-09", "Lundi de Pentecôte"],
    ["2025-07-14", "Fête Nationale de la France"],
    ["2025-08-15", "Assomption"],
    ["2025-11-11", "Armistice 1918"],
    ["2025-12-25", "Noël"],
  ];
  for (const [date, name] of holidays) {
    test(`${date} (${name}) is closed everywhere, not contested`, () => {
      const offset = date >= "2025-03-30" && date < "2025-10-26" ? "+02:00" : "+01:00";
      const d = decideJson(pigeAt(`${date}T11:00:00${offset}`));
      const r = expectCited(d, "conso-d223-9/hours", "block", D223_9, false);
      assert.ok(r.message.en.includes(`public holiday (${name})`), r.message.en);
    });
  }

  test("the day after a holiday is open", () => {
    expectReason(decideJson(pigeAt("2025-04-22T11:00:00+02:00")), "conso-d223-9/hours", "info");
    expectReason(decideJson(pigeAt("2025-05-30T11:00:00+02:00")), "conso-d223-9/hours", "info");
  });
});

describe("conso-d223-9/hours — local holidays (H12, contested)", () => {
  for (const department of ["57", "67", "68"]) {
    test(`Good Friday and 26 December close calls in department ${department}`, () => {
      for (const at of ["2025-04-18T11:00:00+02:00", "2025-12-26T11:00:00+01:00"]) {
        const d = decideJson(pigeAt(at, located(department)));
        const r = expectCited(d, "conso-d223-9/hours", "block", D223_9, true);
        assert.match(r.message.en, /public holiday \((Vendredi saint|Lendemain de Noël)\)/);
      }
    });
  }

  test("…but not in the rest of metropolitan France", () => {
    for (const at of ["2025-04-18T11:00:00+02:00", "2025-12-26T11:00:00+01:00"]) {
      const d = decideJson(pigeAt(at, located("75")));
      expectReason(d, "conso-d223-9/hours", "info");
      expectVerdict(d, "allow");
    }
  });

  test("a 03 number does not place the consumer in Alsace-Moselle", () => {
    const d = decideJson(
      pigeAt("2025-04-18T11:00:00+02:00", { contact: { point: { type: "phone", value: "03 88 00 00 00" } } }),
    );
    expectReason(d, "conso-d223-9/hours", "info");
  });

  test("policy localHolidaysBlockCalls=false lifts local holidays, not national ones", () => {
    const policy = { localHolidaysBlockCalls: false };
    const goodFriday = decideJson(pigeAt("2025-04-18T11:00:00+02:00", { ...located("67"), policy }));
    expectReason(goodFriday, "conso-d223-9/hours", "info");
    expectVerdict(goodFriday, "allow");
    const christmas = decideJson(pigeAt("2025-12-25T11:00:00+01:00", { ...located("67"), policy }));
    expectCited(christmas, "conso-d223-9/hours", "block", D223_9, false);
  });

  const abolition: [string, string, string][] = [
    ["974", "2024-12-20T09:00:00+01:00", "Indian/Reunion"], // 12:00 in Réunion
    ["972", "2025-05-22T17:00:00+02:00", "America/Martinique"], // 11:00 in Martinique
    ["971", "2025-05-27T17:00:00+02:00", "America/Guadeloupe"],
    ["973", "2025-06-10T17:00:00+02:00", "America/Cayenne"],
  ];
  for (const [department, at, zone] of abolition) {
    test(`abolition-of-slavery day in ${department} is closed (contested); not in Paris`, () => {
      const d = decideJson(pigeAt(at, located(department)));
      const r = expectCited(d, "conso-d223-9/hours", "block", D223_9, true);
      assert.match(r.message.en, /Abolition de l’esclavage/);
      assert.ok(r.message.en.includes(zone), r.message.en);
      const lifted = decideJson(
        pigeAt(at, { ...located(department), policy: { localHolidaysBlockCalls: false } }),
      );
      expectReason(lifted, "conso-d223-9/hours", "info");
    });
  }
});

describe("conso-d223-9/hours — overseas consumers are judged on their own clock", () => {
  const reunion: [string, Record<string, unknown>][] = [
    ["department 974", located("974")],
    ["a 0262 number", { contact: { point: { type: "phone", value: "02 62 12 34 56" } } }],
    ["a 0692 number", { contact: { point: { type: "phone", value: "06 92 12 34 56" } } }],
    ["a +262 692 number", { contact: { point: { type: "phone", value: "+262 692 12 34 56" } } }],
  ];
  for (const [how, patch] of reunion) {
    test(`Réunion (${how}): 11:00 Paris in winter is 14:00 local → open; 10:30 Paris is 13:30 → closed`, () => {
      const open = decideJson(pigeAt("2025-03-04T11:00:00+01:00", patch));
      expectReason(open, "conso-d223-9/hours", "info");
      expectVerdict(open, "allow");
      const lunch = decideJson(pigeAt("2025-03-04T10:30:00+01:00", patch));
      const r = expectCited(lunch, "conso-d223-9/hours", "block", D223_9);
      assert.match(
        r.message.en,
        /2025-03-04 13:30, outside the calling windows \(consumer's time, Indian\/Reunion\)/,
      );
      expectVerdict(lunch, "block", "2025-03-04T14:00:00+04:00");
    });
  }

  test("Réunion: 09:00 Paris is 12:00 local → open although Paris is closed", () => {
    expectVerdict(decideJson(pigeAt("2025-03-04T09:00:00+01:00", located("974"))), "allow");
    expectVerdict(decideJson(pigeAt("2025-03-04T09:00:00+01:00")), "block", "2025-03-04T10:00:00+01:00");
  });

  test("Réunion has no DST: 11:00 Paris in summer is 13:00 local → closed", () => {
    const d = decideJson(pigeAt("2025-06-03T11:00:00+02:00", located("974")));
    expectReason(d, "conso-d223-9/hours", "block");
    expectVerdict(d, "block", "2025-06-03T14:00:00+04:00");
  });

  test("Réunion: 17:30 Paris in winter is 20:30 local → closed until the next day", () => {
    expectVerdict(
      decideJson(pigeAt("2025-03-04T17:30:00+01:00", located("974"))),
      "block",
      "2025-03-05T10:00:00+04:00",
    );
  });

  test("an explicit location.timeZone wins over the department's", () => {
    const d = decideJson(
      pigeAt("2025-03-04T10:30:00+01:00", {
        contact: { location: { department: "974", timeZone: "Europe/Paris" } },
      }),
    );
    expectReason(d, "conso-d223-9/hours", "info");
  });
});

describe("conso-d223-9/hours — DST days are judged on local wall time", () => {
  test("before the spring change 10:00 local is 09:00Z; after it, 08:00Z", () => {
    expectReason(decideJson(pigeAt("2025-03-28T08:59:00Z")), "conso-d223-9/hours", "block");
    expectReason(decideJson(pigeAt("2025-03-28T09:00:00Z")), "conso-d223-9/hours", "info");
    expectReason(decideJson(pigeAt("2025-03-31T07:59:00Z")), "conso-d223-9/hours", "block");
    expectReason(decideJson(pigeAt("2025-03-31T08:00:00Z")), "conso-d223-9/hours", "info");
    expectReason(decideJson(pigeAt("2025-03-31T17:59:00Z")), "conso-d223-9/hours", "info");
    expectReason(decideJson(pigeAt("2025-03-31T18:00:00Z")), "conso-d223-9/hours", "block");
  });

  test("after the autumn change 10:00 local is 09:00Z again", () => {
    expectReason(decideJson(pigeAt("2025-10-24T07:59:00Z")), "conso-d223-9/hours", "block");
    expectReason(decideJson(pigeAt("2025-10-24T08:00:00Z")), "conso-d223-9/hours", "info");
    expectReason(decideJson(pigeAt("2025-10-27T08:59:00Z")), "conso-d223-9/hours", "block");
    expectReason(decideJson(pigeAt("2025-10-27T09:00:00Z")), "conso-d223-9/hours", "info");
  });

  test("the change days themselves (Sundays) report the local wall clock", () => {
    const spring = decideJson(pigeAt("2025-03-30T01:30:00Z"));
    assert.match(expectReason(spring, "conso-d223-9/hours", "block").message.en, /2025-03-30 03:30, Sunday/);
    for (const at of ["2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z"]) {
      const autumn = decideJson(pigeAt(at));
      assert.match(
        expectReason(autumn, "conso-d223-9/hours", "block").message.en,
        /2025-10-26 02:30, Sunday/,
      );
    }
    expectVerdict(decideJson(pigeAt("2025-03-30T11:00:00+02:00")), "block", "2025-03-31T10:00:00+02:00");
    expectVerdict(decideJson(pigeAt("2025-10-26T11:00:00+01:00")), "block", "2025-10-27T10:00:00+01:00");
  });
});

describe("conso-d223-9/hours — consent to out-of-hours calls (H7)", () => {
  const saturday = "2025-03-08T11:00:00+01:00";
  const withConsent = (consent: unknown) =>
    decideJson(pigeAt(saturday, { contact: { consents: [consent] } }));

  test("an express, proven consent to out-of-hours calls lifts the days and hours", () => {
    const d = withConsent(phoneConsent("2025-01-10", { scope: "out_of_hours" }));
    const r = expectCited(d, "conso-d223-9/hours", "allow", D223_9);
    assert.match(
      r.message.en,
      /2025-03-08 11:00, Saturday: allowed by the express consent to out-of-hours calls of 2025-01-10/,
    );
    expectVerdict(d, "allow");
  });

  test("…holidays and late evenings included", () => {
    for (const at of ["2025-12-25T11:00:00+01:00", "2025-03-04T22:30:00+01:00"]) {
      const d = decideJson(
        pigeAt(at, { contact: { consents: [phoneConsent("2025-01-10", { scope: "out_of_hours" })] } }),
      );
      expectReason(d, "conso-d223-9/hours", "allow");
    }
  });

  test("a standard consent to calls does not (H7)", () => {
    const d = withConsent(phoneConsent("2025-01-10"));
    expectCited(d, "conso-d223-9/hours", "block", D223_9);
    expectVerdict(d, "block", "2025-03-10T10:00:00+01:00");
  });

  const flawed: [string, Record<string, unknown>][] = [
    ["without proof", { proof: false }],
    ["withdrawn", { withdrawnAt: "2025-03-01" }],
    ["to another controller", { controller: "Agence Martin" }],
    ["for SMS", { channel: "sms" }],
    ["given after the call", { givenAt: "2025-03-08T11:00:01+01:00" }],
    ["by pre-ticked box", { method: "pre_ticked_checkbox" }],
  ];
  for (const [name, extra] of flawed) {
    test(`an out-of-hours consent ${name} does not`, () => {
      expectReason(
        withConsent(phoneConsent("2025-01-10", { scope: "out_of_hours", ...extra })),
        "conso-d223-9/hours",
        "block",
      );
    });
  }

  test("after 2026-08-11 the rule and its consent exception still apply", () => {
    const at = "2026-09-19T11:00:00+02:00"; // Saturday
    const standard = decideJson(pigeAt(at, { contact: { consents: [phoneConsent("2026-06-01")] } }));
    expectReason(standard, "conso-l223-1/phone-consent", "allow");
    expectCited(standard, "conso-d223-9/hours", "block", D223_9);
    expectVerdict(standard, "block", "2026-09-21T10:00:00+02:00");
    const specific = decideJson(
      pigeAt(at, { contact: { consents: [phoneConsent("2026-06-01", { scope: "out_of_hours" })] } }),
    );
    expectReason(specific, "conso-d223-9/hours", "allow");
    expectVerdict(specific, "allow");
  });
});

describe("conso-d223-9/hours — scope", () => {
  const saturday = "2025-03-08T11:00:00+01:00";

  test("covers the press, ongoing-contract calls and automatic dialers", () => {
    for (const patch of [
      { campaign: { sector: "press" } },
      { campaign: { relatedToContract: true }, contact: { relationship: { status: "active_contract" } } },
      { campaign: { dialer: "automatic", callerId: "+33 9 48 00 00 00" } },
    ]) {
      expectReason(decideJson(pigeAt(saturday, patch)), "conso-d223-9/hours", "block");
    }
  });

  test("not non-commercial calls, professionals, legal entities, or non-voice channels", () => {
    for (const patch of [
      { campaign: { sector: "non_commercial" } },
      { contact: { kind: "professional" } },
      { contact: { kind: "legal_entity" } },
      { campaign: { channel: "sms", callerId: "38000" } },
    ]) {
      expectNoReason(decideJson(pigeAt(saturday, patch)), "conso-d223-9/hours");
    }
    expectVerdict(decideJson(pigeAt(saturday, { campaign: { sector: "non_commercial" } })), "allow");
  });
});

describe("conso-d223-9/frequency — at most 4 calls or attempts in any 30 calendar days", () => {
  const four = calls(
    "no_answer",
    "2025-03-03T11:00:00+01:00",
    "2025-03-05T11:00:00+01:00",
    "2025-03-10T11:00:00+01:00",
    "2025-03-12T11:00:00+01:00",
  );
  const withHistory = (at: string, history: unknown[]) => decideJson(pigeAt(at, { contact: { history } }));

  test("the 4th call is allowed", () => {
    const d = withHistory("2025-03-14T11:00:00+01:00", four.slice(0, 3));
    const r = expectCited(d, "conso-d223-9/frequency", "info", D223_9);
    assert.match(r.message.en, /3 call\(s\) or attempt\(s\) in the last 30 days \(at most 4\)/);
    expectVerdict(d, "allow");
  });

  test("the 5th is blocked until the oldest counted call leaves the window", () => {
    const d = withHistory("2025-03-14T11:00:00+01:00", four);
    const r = expectCited(d, "conso-d223-9/frequency", "block", D223_9);
    assert.match(r.message.en, /Already 4 calls or attempts since 2025-03-03/);
    expectVerdict(d, "block", "2025-04-02T10:00:00+02:00");
    // 2025-03-03 → 2025-04-01 is 30 calendar days; from 2025-04-02 00:00 it no longer counts.
    expectReason(withHistory("2025-04-01T19:59:00+02:00", four), "conso-d223-9/frequency", "block");
    const lifted = withHistory("2025-04-02T10:00:00+02:00", four);
    expectReason(lifted, "conso-d223-9/frequency", "info");
    expectVerdict(lifted, "allow");
  });

  test("the window is counted in the consumer's days (Réunion)", () => {
    // 22:00 Paris on 2025-03-03 is 01:00 on 2025-03-04 in Réunion: that call leaves a day later.
    const late = calls(
      "no_answer",
      "2025-03-03T22:00:00+01:00",
      "2025-03-05T11:00:00+01:00",
      "2025-03-10T11:00:00+01:00",
      "2025-03-12T11:00:00+01:00",
    );
    const d = decideJson(
      pigeAt("2025-03-14T11:00:00+01:00", { contact: { location: { department: "974" }, history: late } }),
    );
    expectVerdict(d, "block", "2025-04-03T10:00:00+04:00");
  });

  test("answered, refused and unanswered all count; another controller's or SMS do not", () => {
    const mixed = [
      ...calls("answered", "2025-03-03T11:00:00+01:00"),
      ...calls("no_answer", "2025-03-05T11:00:00+01:00"),
      {
        at: "2025-03-06T11:00:00+01:00",
        channel: "voice_automated",
        controller: "Agence Dupont",
        outcome: "no_answer",
      },
      {
        at: "2025-03-07T11:00:00+01:00",
        channel: "voice_live",
        controller: "AGENCE  DUPONT",
        outcome: "no_answer",
      },
    ];
    expectReason(withHistory("2025-03-14T11:00:00+01:00", mixed), "conso-d223-9/frequency", "block");
    const others = [
      ...mixed.slice(0, 3),
      {
        at: "2025-03-07T11:00:00+01:00",
        channel: "voice_live",
        controller: "Agence Martin",
        outcome: "no_answer",
      },
      { at: "2025-03-08T11:00:00+01:00", channel: "sms", controller: "Agence Dupont", outcome: "answered" },
    ];
    const d = withHistory("2025-03-14T11:00:00+01:00", others);
    assert.match(expectReason(d, "conso-d223-9/frequency", "info").message.en, /^3 call/);
  });

  test("calls at or after the decided instant are not counted", () => {
    const d = withHistory("2025-03-12T11:00:00+01:00", four);
    assert.match(expectReason(d, "conso-d223-9/frequency", "info").message.en, /^3 call/);
  });

  test("no cap before 2023-03-01, nor for non-commercial calls", () => {
    const many = calls(
      "no_answer",
      "2023-02-01T11:00:00+01:00",
      "2023-02-02T11:00:00+01:00",
      "2023-02-03T11:00:00+01:00",
      "2023-02-06T11:00:00+01:00",
      "2023-02-07T11:00:00+01:00",
    );
    const d = withHistory("2023-02-28T11:00:00+01:00", many);
    expectNoReason(d, "conso-d223-9/frequency");
    expectVerdict(d, "allow");
    expectReason(withHistory("2023-03-01T11:00:00+01:00", many), "conso-d223-9/frequency", "block");
    expectNoReason(
      decideJson(
        pigeAt("2025-03-14T11:00:00+01:00", {
          campaign: { sector: "non_commercial" },
          contact: { history: four },
        }),
      ),
      "conso-d223-9/frequency",
    );
  });

  test("no history, no reason", () => {
    expectNoReason(decideJson(pigeAt("2025-03-14T11:00:00+01:00")), "conso-d223-9/frequency");
  });
});

describe("conso-d223-9/refusal-pause — 60 calendar days from the refusal", () => {
  const refused = calls("refused_offer", "2025-03-03T11:00:00+01:00");
  const outOfHours = [phoneConsent("2025-01-10", { scope: "out_of_hours" })];
  const after = (at: string) =>
    decideJson(pigeAt(at, { contact: { history: refused, consents: outOfHours } }));

  test("blocked through day 60 (2025-05-02), allowed from the start of day 61", () => {
    const last = after("2025-05-02T23:59:00+02:00");
    const r = expectCited(last, "conso-d223-9/refusal-pause", "block", D223_9);
    assert.match(
      r.message.en,
      /refused on 2025-03-03: no new call before 2025-05-03 \(60 full calendar days\)/,
    );
    expectVerdict(last, "block", "2025-05-03T00:00:00+02:00");
    const first = after("2025-05-03T00:00:00+02:00");
    expectNoReason(first, "conso-d223-9/refusal-pause");
    expectVerdict(first, "allow");
  });

  test("the day after the refusal is blocked too", () => {
    expectReason(after("2025-03-04T11:00:00+01:00"), "conso-d223-9/refusal-pause", "block");
  });

  test("the latest refusal counts", () => {
    const d = decideJson(
      pigeAt("2025-05-05T11:00:00+02:00", {
        contact: {
          history: calls("refused_offer", "2025-03-03T11:00:00+01:00", "2025-04-01T11:00:00+02:00"),
        },
      }),
    );
    assert.match(expectReason(d, "conso-d223-9/refusal-pause", "block").message.en, /before 2025-06-01/);
  });

  test("only refusals of this controller, on a call, count", () => {
    for (const history of [
      calls("answered", "2025-03-03T11:00:00+01:00"),
      calls("no_answer", "2025-03-03T11:00:00+01:00"),
      [
        {
          at: "2025-03-03T11:00:00+01:00",
          channel: "voice_live",
          controller: "Agence Martin",
          outcome: "refused_offer",
        },
      ],
      [
        {
          at: "2025-03-03T11:00:00+01:00",
          channel: "sms",
          controller: "Agence Dupont",
          outcome: "refused_offer",
        },
      ],
    ]) {
      expectNoReason(
        decideJson(pigeAt("2025-03-14T11:00:00+01:00", { contact: { history } })),
        "conso-d223-9/refusal-pause",
      );
    }
  });

  test("no pause before 2023-03-01", () => {
    const d = decideJson(
      pigeAt("2023-02-28T11:00:00+01:00", {
        contact: { history: calls("refused_offer", "2023-02-27T11:00:00+01:00") },
      }),
    );
    expectNoReason(d, "conso-d223-9/refusal-pause");
    expectReason(
      decideJson(
        pigeAt("2023-03-01T11:00:00+01:00", {
          contact: { history: calls("refused_offer", "2023-02-27T11:00:00+01:00") },
        }),
      ),
      "conso-d223-9/refusal-pause",
      "block",
    );
  });

  test("days are the consumer's: a refusal at 22:00 Paris is the next day in Réunion", () => {
    const at = (when: string) =>
      decideJson(
        pigeAt(when, {
          contact: {
            location: { department: "974" },
            history: calls("refused_offer", "2025-03-04T22:00:00+01:00"),
            consents: outOfHours,
          },
        }),
      );
    // Refused on 2025-03-05 in Réunion: day 60 is 2025-05-04, allowed from 2025-05-05 00:00 local
    // (read in Paris days it would have lifted on 2025-05-04).
    expectReason(at("2025-05-04T23:59:00+04:00"), "conso-d223-9/refusal-pause", "block");
    expectVerdict(at("2025-05-04T23:59:00+04:00"), "block", "2025-05-05T00:00:00+04:00");
    expectNoReason(at("2025-05-05T00:00:00+04:00"), "conso-d223-9/refusal-pause");
  });
});

describe("conso-d223-9 — messages quote the parameters in force, not a copy of them", () => {
  test("the calling days are named from the dated weekdays", () => {
    assert.deepEqual(weekdaysText([1, 2, 3, 4, 5]), { fr: "lundi–vendredi", en: "Monday–Friday" });
    assert.deepEqual(weekdaysText([1, 2, 3, 4, 5, 6]), { fr: "lundi–samedi", en: "Monday–Saturday" });
    assert.deepEqual(weekdaysText([2, 4]), { fr: "mardi, jeudi", en: "Tuesday, Thursday" });
  });

  test("a pause of another length is said with that length", () => {
    const v = pauseVerdict({
      refusedAt: Date.parse("2026-10-01T09:00:00Z"),
      until: Date.parse("2026-12-30T23:00:00Z"),
      days: 90,
    });
    assert.match(renderDecision(v, "fr"), /\(90 jours calendaires pleins\)/);
    assert.match(renderDecision(v, "en"), /\(90 full calendar days\)/);
  });

  test("today's messages say what today's parameters hold", () => {
    const night = decideJson(pigeAt("2026-12-01T21:30:00+01:00"));
    const r = expectReason(night, "conso-d223-9/hours", "block");
    assert.match(r.message.fr, /appels permis lundi–vendredi 10:00–13:00, 14:00–20:00, hors jours fériés/);
  });
});
