// Boundary tests for C. conso. L.223-1 to L.223-5: Bloctel (2016-06-01 → 2026-08-10), the file
// check, the file-sale ban, the press exception, the 2026 opt-in and the energy-renovation ban.
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
import { parseFacts } from "../../../facts/parse.ts";

const L121_34 = "C. conso., art. L.121-34 (loi n° 2014-344, art. 9)";
const L223_1_2016 = "C. conso., art. L.223-1";
const L223_1_2020 = "C. conso., art. L.223-1 al. 1-2 (loi n° 2020-901 du 24 juillet 2020)";
const SCRUB_DECREE = "Décret n° 2015-556 du 19 mai 2015 (ex-art. R.121-7-5 C. conso.)";
const SCRUB_2020 = "C. conso., art. L.223-1 al. 4 (loi n° 2020-901 du 24 juillet 2020)";
const FILE_SALE = "C. conso., art. L.223-3";
const PRESS_BLOCTEL = "C. conso., art. L.223-5 (ex-L.121-34 al. 3)";
const PRESS_OPT_IN = "C. conso., art. L.223-5";
const OPT_IN = "C. conso., art. L.223-1 al. 1-4 (loi n° 2025-594 du 30 juin 2025, art. 13)";
const ENERGY_2020 = "C. conso., art. L.223-1 al. 3 (loi n° 2020-901 du 24 juillet 2020)";
const ENERGY_2026 = "C. conso., art. L.223-1 al. 5 (loi n° 2025-594 du 30 juin 2025)";

const REGISTERED = { bloctel: { registeredAt: "2016-06-15", effectiveAt: "2016-06-15" } };
/** Registered on Bloctel long before any date tested after mid-2016. */
const onBloctel = (at: string, patch: Record<string, unknown> = {}) =>
  pigeAt(at, { ...patch, contact: { ...REGISTERED, ...((patch.contact as object) ?? {}) } });

describe("conso-l223-1/bloctel — periods and articles", () => {
  test("nothing before Bloctel opens; from 2016-06-01 00:00 Paris, L.121-34 blocks", () => {
    const facts = (at: string) =>
      pigeAt(at, { contact: { bloctel: { effectiveAt: "2016-06-01" }, lastBloctelScrubAt: "2016-06-01" } });
    const before = decideJson(facts("2016-05-31T23:59:00+02:00"));
    expectNoReason(before, "conso-l223-1/bloctel");
    expectNoReason(before, "conso-l223-1/bloctel-scrub");
    expectVerdict(before, "allow");
    const opening = decideJson(facts("2016-06-01T00:00:00+02:00"));
    expectCited(opening, "conso-l223-1/bloctel", "block", L121_34);
    expectVerdict(opening, "block");
    // 2016-05-31T22:00Z is the same instant as 2016-06-01T00:00+02:00.
    const utc = decideJson(facts("2016-05-31T22:00:00Z"));
    expectCited(utc, "conso-l223-1/bloctel", "block", L121_34);
  });

  test("recodification: L.121-34 through 2016-06-30, L.223-1 from 2016-07-01 00:00", () => {
    expectCited(decideJson(onBloctel("2016-06-30T23:59:00+02:00")), "conso-l223-1/bloctel", "block", L121_34);
    expectCited(
      decideJson(onBloctel("2016-07-01T00:00:00+02:00")),
      "conso-l223-1/bloctel",
      "block",
      L223_1_2016,
    );
  });

  test("loi Naegelen: the 2020 wording from 2020-07-26 00:00", () => {
    expectCited(
      decideJson(onBloctel("2020-07-25T23:59:00+02:00")),
      "conso-l223-1/bloctel",
      "block",
      L223_1_2016,
    );
    expectCited(
      decideJson(onBloctel("2020-07-26T00:00:00+02:00")),
      "conso-l223-1/bloctel",
      "block",
      L223_1_2020,
    );
  });

  test("Bloctel ends after 2026-08-10: a consented out-of-hours call is blocked at 23:59, allowed at 00:00", () => {
    const facts = (at: string) =>
      onBloctel(at, { contact: { consents: [phoneConsent("2026-07-01", { scope: "out_of_hours" })] } });
    const last = decideJson(facts("2026-08-10T23:59:00+02:00"));
    expectCited(last, "conso-l223-1/bloctel", "block", L223_1_2020);
    expectReason(last, "conso-d223-9/hours", "allow");
    expectNoReason(last, "conso-l223-1/phone-consent");
    expectVerdict(last, "block");
    const first = decideJson(facts("2026-08-11T00:00:00+02:00"));
    expectNoReason(first, "conso-l223-1/bloctel");
    expectNoReason(first, "conso-l223-1/bloctel-scrub");
    expectCited(first, "conso-l223-1/phone-consent", "allow", OPT_IN);
    expectVerdict(first, "allow");
  });
});

describe("conso-l223-1/bloctel — when a registration takes effect", () => {
  test("registeredAt + 30 days when effectiveAt is absent", () => {
    const facts = (at: string) => pigeAt(at, { contact: { bloctel: { registeredAt: "2019-05-02" } } });
    const before = decideJson(facts("2019-05-31T23:59:00+02:00"));
    const info = expectCited(before, "conso-l223-1/bloctel", "info", L223_1_2016);
    assert.match(info.message.en, /effective on 2019-06-01 at the latest/);
    expectVerdict(before, "allow");
    const after = decideJson(facts("2019-06-01T00:00:00+02:00"));
    expectCited(after, "conso-l223-1/bloctel", "block", L223_1_2016);
    expectVerdict(after, "block");
  });

  test("the 30 days are calendar days across the spring DST change (fixed bug)", () => {
    // Registered 2022-03-15 (CET); 30 × 24 h later is 01:00 CEST on 2022-04-14, but the
    // registration is effective from the start of that day.
    const facts = (at: string) => pigeAt(at, { contact: { bloctel: { registeredAt: "2022-03-15" } } });
    expectReason(decideJson(facts("2022-04-13T23:59:00+02:00")), "conso-l223-1/bloctel", "info");
    expectReason(decideJson(facts("2022-04-14T00:30:00+02:00")), "conso-l223-1/bloctel", "block");
  });

  test("a registration with a time of day is effective from the start of day + 30", () => {
    const facts = (at: string) =>
      pigeAt(at, { contact: { bloctel: { registeredAt: "2019-05-02T18:00:00+02:00" } } });
    expectReason(decideJson(facts("2019-06-01T00:00:00+02:00")), "conso-l223-1/bloctel", "block");
  });

  test("effectiveAt, when given, wins over registeredAt + 30 days", () => {
    const facts = (at: string) =>
      pigeAt(at, { contact: { bloctel: { registeredAt: "2019-05-02", effectiveAt: "2019-05-10" } } });
    expectReason(decideJson(facts("2019-05-09T23:59:00+02:00")), "conso-l223-1/bloctel", "info");
    expectReason(decideJson(facts("2019-05-10T00:00:00+02:00")), "conso-l223-1/bloctel", "block");
  });

  // Fixed bug: a registration without dates was read as no registration, and the call allowed.
  test("registered with dates unknown: in force from the check that listed it (lastBloctelScrubAt)", () => {
    const facts = (at: string) =>
      pigeAt(at, {
        contact: { bloctel: { registeredAt: null, effectiveAt: null }, lastBloctelScrubAt: "2019-05-14" },
      });
    const before = decideJson(facts("2019-05-13T11:00:00+02:00"));
    const info = expectCited(before, "conso-l223-1/bloctel", "info", L223_1_2016);
    assert.match(
      info.message.en,
      /date unknown\) per the check of 2019-05-14, in force on that day at the latest/,
    );
    const on = decideJson(facts("2019-05-14T11:00:00+02:00"));
    const block = expectCited(on, "conso-l223-1/bloctel", "block", L223_1_2016);
    assert.match(block.message.en, /per the check of 2019-05-14 \(date of effect unknown/);
    expectVerdict(on, "block");
    expectReason(decideJson(facts("2019-05-20T11:00:00+02:00")), "conso-l223-1/bloctel", "block");
  });

  test("registered with dates unknown and no check date: held in force (fail closed)", () => {
    for (const bloctel of [{}, { registeredAt: null, effectiveAt: null }]) {
      const d = decideJson(
        pigeAt("2019-05-14T11:00:00+02:00", { contact: { bloctel, lastBloctelScrubAt: null } }),
      );
      const r = expectCited(d, "conso-l223-1/bloctel", "block", L223_1_2016);
      assert.match(r.message.en, /date of effect unknown: held registered and in force/);
      expectVerdict(d, "block");
    }
  });
});

describe("conso-l223-1/bloctel — exceptions", () => {
  const customer = (status: string, extra: Record<string, unknown> = {}) => ({
    contact: { relationship: { status, ...extra } },
  });

  test("2016-2020: any contract in force is a pre-existing relation, related offer or not", () => {
    const d = decideJson(onBloctel("2020-07-25T15:00:00+02:00", customer("active_contract")));
    const r = expectCited(d, "conso-l223-1/bloctel", "allow", L223_1_2016);
    assert.match(r.message.en, /pre-existing contractual relations/);
    expectVerdict(d, "allow");
  });

  test("the pre-existing-relations exception already existed under L.121-34", () => {
    const d = decideJson(onBloctel("2016-06-20T15:00:00+02:00", customer("active_contract")));
    expectCited(d, "conso-l223-1/bloctel", "allow", L121_34);
  });

  test("from 2020-07-26, only an ongoing contract *related to the offer* lifts Bloctel", () => {
    const unrelated = decideJson(onBloctel("2020-07-26T00:00:00+02:00", customer("active_contract")));
    expectCited(unrelated, "conso-l223-1/bloctel", "block", L223_1_2020);
    expectVerdict(unrelated, "block");
    const related = decideJson(
      onBloctel("2020-07-26T00:00:00+02:00", {
        ...customer("active_contract"),
        campaign: { relatedToContract: true },
      }),
    );
    const r = expectCited(related, "conso-l223-1/bloctel", "allow", L223_1_2020);
    assert.match(r.message.en, /ongoing contract, related to its object/);
    expectVerdict(related, "allow");
  });

  test("relatedToContract alone, without a contract in force, is no exception", () => {
    const d = decideJson(
      onBloctel("2021-03-02T11:00:00+01:00", {
        ...customer("past_customer", { endedAt: "2020-12-31" }),
        campaign: { relatedToContract: true },
      }),
    );
    expectReason(d, "conso-l223-1/bloctel", "block");
  });

  test("H3: a past customer counts as a pre-existing relation until 2020-07-25 (contested)", () => {
    const past = customer("past_customer", { since: "2015-01-01", endedAt: "2019-01-01" });
    const before = decideJson(onBloctel("2020-07-25T23:59:00+02:00", past));
    expectCited(before, "conso-l223-1/bloctel", "allow", L223_1_2016, true);
    expectVerdict(before, "allow");
    const after = decideJson(onBloctel("2020-07-26T00:00:00+02:00", past));
    expectCited(after, "conso-l223-1/bloctel", "block", L223_1_2020);
    expectVerdict(after, "block");
  });

  test("H3: policy pastCustomersArePreexistingRelations=false drops the reading", () => {
    const d = decideJson(
      onBloctel("2019-03-05T11:00:00+01:00", {
        ...customer("past_customer", { endedAt: "2019-01-01" }),
        policy: { pastCustomersArePreexistingRelations: false },
      }),
    );
    expectCited(d, "conso-l223-1/bloctel", "block", L223_1_2016);
  });

  test("H3: a relationship that ended 3 years ago or more is no longer pre-existing", () => {
    const facts = (at: string) =>
      onBloctel(at, customer("past_customer", { endedAt: "2016-07-01T00:00:00+02:00" }));
    expectReason(decideJson(facts("2019-06-30T23:59:00+02:00")), "conso-l223-1/bloctel", "allow");
    expectReason(decideJson(facts("2019-07-01T00:00:00+02:00")), "conso-l223-1/bloctel", "block");
  });

  test("H4: a callback the person asked for within callbackWindowHours is not canvassing (contested)", () => {
    const facts = (at: string, policy: Record<string, unknown> = {}) =>
      onBloctel(at, { contact: { callbackRequestedAt: "2025-03-03T11:00:00+01:00" }, policy });
    const inWindow = decideJson(facts("2025-03-05T11:00:00+01:00"));
    const r = expectCited(inWindow, "conso-l223-1/bloctel", "allow", L223_1_2020, true);
    assert.match(r.message.en, /asked to be called back less than 48 h ago/);
    expectVerdict(inWindow, "allow");
    const late = decideJson(facts("2025-03-05T11:01:00+01:00"));
    expectCited(late, "conso-l223-1/bloctel", "block", L223_1_2020);
    expectVerdict(late, "block");
    const wider = decideJson(facts("2025-03-05T11:01:00+01:00", { callbackWindowHours: 72 }));
    expectReason(wider, "conso-l223-1/bloctel", "allow");
  });

  test("H4: a requested slot and subject: the call is the person's inside the slot and about the subject only", () => {
    const asked = "2025-03-03T11:00:00+01:00";
    const slot = { from: "2025-03-10T14:00:00+01:00", to: "2025-03-10T16:00:00+01:00" };
    const call = (at: string, contact: Record<string, unknown>) =>
      decideJson(onBloctel(at, { contact: { callbackRequestedAt: asked, ...contact } }));
    const inSlot = call("2025-03-10T15:00:00+01:00", { callbackSlot: slot });
    const r = expectCited(inSlot, "conso-l223-1/bloctel", "allow", L223_1_2020, true);
    assert.match(r.message.en, /asked to be called back in this slot/);
    expectReason(call("2025-03-10T16:01:00+01:00", { callbackSlot: slot }), "conso-l223-1/bloctel", "block");
    expectReason(call("2025-03-03T12:00:00+01:00", { callbackSlot: slot }), "conso-l223-1/bloctel", "block");
    expectReason(
      call("2025-03-04T11:00:00+01:00", { callbackSubject: "other" }),
      "conso-l223-1/bloctel",
      "allow",
    );
    expectReason(
      call("2025-03-04T11:00:00+01:00", { callbackSubject: "insurance" }),
      "conso-l223-1/bloctel",
      "block",
    );
  });

  test("H4: a slot or a subject without the request, or a slot ending before it starts, is refused", () => {
    const bad = (contact: Record<string, unknown>) =>
      parseFacts(onBloctel("2025-03-04T11:00:00+01:00", { contact }));
    const paths = (r: ReturnType<typeof bad>) => (r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`));
    assert.deepEqual(paths(bad({ callbackSubject: "other" })), [
      "contact.callbackSubject: goes with callbackRequestedAt (when the person asked)",
    ]);
    assert.deepEqual(
      paths(
        bad({
          callbackRequestedAt: "2025-03-03",
          callbackSlot: { from: "2025-03-05T10:00:00+01:00", to: "2025-03-05T09:00:00+01:00" },
        }),
      ),
      ["contact.callbackSlot.to: ends before it starts"],
    );
  });

  test("H4: a callback requested after the call instant does not count", () => {
    const d = decideJson(
      onBloctel("2025-03-04T11:00:00+01:00", {
        contact: { callbackRequestedAt: "2025-03-04T11:30:00+01:00" },
      }),
    );
    expectReason(d, "conso-l223-1/bloctel", "block");
  });

  test("non-commercial calls are outside Bloctel and its check", () => {
    const d = decideJson(
      onBloctel("2025-03-04T11:00:00+01:00", {
        campaign: { sector: "non_commercial" },
        contact: { lastBloctelScrubAt: null },
      }),
    );
    const r = expectCited(d, "conso-l223-1/bloctel", "info", L223_1_2020);
    assert.match(r.message.en, /Non-commercial call/);
    expectNoReason(d, "conso-l223-1/bloctel-scrub");
    expectVerdict(d, "allow");
  });

  for (const kind of ["professional", "legal_entity"]) {
    test(`a ${kind} is not covered by Bloctel (no check required either)`, () => {
      const d = decideJson(
        onBloctel("2025-03-08T11:00:00+01:00", { contact: { kind, lastBloctelScrubAt: null } }),
      );
      const r = expectCited(d, "conso-l223-1/bloctel", "info", L223_1_2020);
      assert.match(r.message.en, /Not a consumer/);
      expectNoReason(d, "conso-l223-1/bloctel-scrub");
      expectNoReason(d, "conso-d223-9/hours");
      expectVerdict(d, "allow");
    });
  }

  test("G2 Optynergy (Nov 2020): calls to Bloctel-registered consumers", () => {
    const d = decideJson(
      pigeAt("2020-11-10T10:30:00+01:00", {
        campaign: { controller: "Optynergy", sector: "energy_renovation" },
        contact: { bloctel: { registeredAt: "2018-02-01" } },
      }),
    );
    expectCited(d, "conso-l223-1/bloctel", "block", L223_1_2020);
    expectCited(d, "conso-l223-1/energy-ban", "block", ENERGY_2020, true);
    expectVerdict(d, "block");
  });

  test("G2 TECH ENR (2025): a Bloctel-registered consumer, in hours, scrubbed — still blocked", () => {
    const d = decideJson(onBloctel("2025-07-08T15:00:00+02:00", { campaign: { controller: "TECH ENR" } }));
    expectCited(d, "conso-l223-1/bloctel", "block", L223_1_2020);
    expectReason(d, "conso-d223-9/hours", "info");
    expectVerdict(d, "block");
  });
});

describe("conso-l223-1/bloctel-scrub", () => {
  test("unscreened is not clean: no check on record blocks, even for an unregistered number", () => {
    const d = decideJson(pigeAt("2025-03-04T11:00:00+01:00", { contact: { lastBloctelScrubAt: null } }));
    const r = expectCited(d, "conso-l223-1/bloctel-scrub", "block", SCRUB_2020);
    assert.match(r.message.en, /Unscreened is not clean/);
    expectNoReason(d, "conso-l223-1/bloctel");
    expectVerdict(d, "block");
  });

  test("a check dated after the call is no check", () => {
    const d = decideJson(
      pigeAt("2025-03-04T11:00:00+01:00", { contact: { lastBloctelScrubAt: "2025-03-04T11:00:01+01:00" } }),
    );
    expectReason(d, "conso-l223-1/bloctel-scrub", "block");
  });

  test("habitual caller: a check from the start of the local day 30 days back is fresh", () => {
    const facts = (scrub: string) =>
      pigeAt("2025-03-04T11:00:00+01:00", { contact: { lastBloctelScrubAt: scrub } });
    const fresh = decideJson(facts("2025-02-02"));
    const r = expectCited(fresh, "conso-l223-1/bloctel-scrub", "info", SCRUB_2020);
    assert.match(r.message.en, /Checked against Bloctel on 2025-02-02/);
    expectVerdict(fresh, "allow");
    const stale = decideJson(facts("2025-02-01T23:59:00+01:00"));
    const s = expectCited(stale, "conso-l223-1/bloctel-scrub", "block", SCRUB_2020);
    assert.match(s.message.en, /at least monthly/);
    expectVerdict(stale, "block");
  });

  test("habitualCaller unknown is treated as habitual", () => {
    const d = decideJson(
      pigeAt("2025-03-04T11:00:00+01:00", {
        campaign: { habitualCaller: null, startsAt: "2025-01-15" },
        contact: { lastBloctelScrubAt: "2025-01-10" },
      }),
    );
    expectReason(d, "conso-l223-1/bloctel-scrub", "block");
  });

  test("occasional caller: a check in the 30 days before the campaign started", () => {
    const facts = (scrub: string) =>
      pigeAt("2025-06-03T11:00:00+02:00", {
        campaign: { habitualCaller: false, startsAt: "2025-03-01" },
        contact: { lastBloctelScrubAt: scrub },
      });
    // Months after the check: fine for an occasional caller, it was made for this campaign.
    expectReason(decideJson(facts("2025-01-30")), "conso-l223-1/bloctel-scrub", "info");
    const stale = decideJson(facts("2025-01-29T23:59:00+01:00"));
    const r = expectReason(stale, "conso-l223-1/bloctel-scrub", "block");
    assert.match(r.message.en, /before the campaign/);
    // A check during the campaign also counts for the calls after it.
    expectReason(decideJson(facts("2025-04-15")), "conso-l223-1/bloctel-scrub", "info");
  });

  test("occasional caller with no campaign start: 30 days before the call", () => {
    const facts = (scrub: string) =>
      pigeAt("2025-03-04T11:00:00+01:00", {
        campaign: { habitualCaller: false },
        contact: { lastBloctelScrubAt: scrub },
      });
    expectReason(decideJson(facts("2025-02-02")), "conso-l223-1/bloctel-scrub", "info");
    expectReason(decideJson(facts("2025-02-01")), "conso-l223-1/bloctel-scrub", "block");
  });

  test("regulatory duty (décret 2015-556) until 2020-07-25, statutory from 2020-07-26", () => {
    const unscreened = (at: string) => decideJson(pigeAt(at, { contact: { lastBloctelScrubAt: null } }));
    expectNoReason(unscreened("2016-05-31T23:59:00+02:00"), "conso-l223-1/bloctel-scrub");
    expectCited(unscreened("2016-06-01T00:00:00+02:00"), "conso-l223-1/bloctel-scrub", "block", SCRUB_DECREE);
    expectCited(unscreened("2020-07-25T23:59:00+02:00"), "conso-l223-1/bloctel-scrub", "block", SCRUB_DECREE);
    expectCited(unscreened("2020-07-26T00:00:00+02:00"), "conso-l223-1/bloctel-scrub", "block", SCRUB_2020);
    expectCited(unscreened("2026-08-10T23:59:00+02:00"), "conso-l223-1/bloctel-scrub", "block", SCRUB_2020);
    expectNoReason(unscreened("2026-08-11T00:00:00+02:00"), "conso-l223-1/bloctel-scrub");
  });

  test("the exceptions to Bloctel also excuse the check (ongoing related contract)", () => {
    const d = decideJson(
      pigeAt("2025-03-04T11:00:00+01:00", {
        campaign: { relatedToContract: true },
        contact: { lastBloctelScrubAt: null, relationship: { status: "active_contract" } },
      }),
    );
    expectCited(d, "conso-l223-1/bloctel-scrub", "allow", SCRUB_2020);
    expectVerdict(d, "allow");
  });

  test("not in scope for professionals or for automated calls", () => {
    const pro = decideJson(
      pigeAt("2025-03-04T11:00:00+01:00", { contact: { kind: "professional", lastBloctelScrubAt: null } }),
    );
    expectNoReason(pro, "conso-l223-1/bloctel-scrub");
    const robot = decideJson(
      pigeAt("2025-03-04T11:00:00+01:00", {
        campaign: { channel: "voice_automated" },
        contact: { lastBloctelScrubAt: null },
      }),
    );
    expectNoReason(robot, "conso-l223-1/bloctel-scrub");
  });
});

describe("conso-l223-3/file-sale", () => {
  const bought = (at: string, registeredAt: string, type = "broker") =>
    pigeAt(at, {
      contact: {
        origin: { type, collectedAt: "2025-02-20", optOutOfferedAtCollection: true },
        bloctel: { registeredAt },
      },
    });

  test("a bought file already holding a registered number: the supplier broke L.223-3", () => {
    const d = decideJson(bought("2025-03-04T11:00:00+01:00", "2024-01-01"));
    const r = expectCited(d, "conso-l223-3/file-sale", "info", FILE_SALE);
    assert.match(r.message.en, /file acquired on 2025-02-20/);
    expectReason(d, "conso-l223-1/bloctel", "block");
  });

  test("also for partner files; not when the number was registered after the file changed hands", () => {
    expectReason(
      decideJson(bought("2025-03-04T11:00:00+01:00", "2024-01-01", "partner")),
      "conso-l223-3/file-sale",
      "info",
    );
    expectNoReason(decideJson(bought("2025-04-04T11:00:00+02:00", "2025-02-21")), "conso-l223-3/file-sale");
  });

  test("not for data the caller collected or scraped itself", () => {
    expectNoReason(
      decideJson(bought("2025-03-04T11:00:00+01:00", "2024-01-01", "scraped_public")),
      "conso-l223-3/file-sale",
    );
  });

  test("ends with Bloctel on 2026-08-10", () => {
    const facts = (at: string) =>
      pigeAt(at, {
        contact: {
          origin: { type: "broker", collectedAt: "2026-08-01", optOutOfferedAtCollection: true },
          bloctel: { registeredAt: "2024-01-01" },
        },
      });
    expectReason(decideJson(facts("2026-08-10T23:59:00+02:00")), "conso-l223-3/file-sale", "info");
    expectNoReason(decideJson(facts("2026-08-11T00:00:00+02:00")), "conso-l223-3/file-sale");
  });
});

describe("conso-l223-5/press", () => {
  test("press canvassing of a Bloctel-registered consumer is allowed (L.223-5)", () => {
    const d = decideJson(onBloctel("2025-03-04T11:00:00+01:00", { campaign: { sector: "press" } }));
    const r = expectCited(d, "conso-l223-5/press", "allow", PRESS_BLOCTEL);
    assert.match(r.message.en, /Press exception/);
    expectNoReason(d, "conso-l223-1/bloctel");
    expectVerdict(d, "allow");
  });

  test("already under L.121-34 in June 2016", () => {
    const d = decideJson(onBloctel("2016-06-20T11:00:00+02:00", { campaign: { sector: "press" } }));
    expectCited(d, "conso-l223-5/press", "allow", PRESS_BLOCTEL);
    expectVerdict(d, "allow");
  });

  test("an unscreened press call is allowed: press is outside Bloctel", () => {
    const d = decideJson(
      pigeAt("2025-03-04T11:00:00+01:00", {
        campaign: { sector: "press" },
        contact: { lastBloctelScrubAt: null },
      }),
    );
    expectCited(d, "conso-l223-5/press", "allow", PRESS_BLOCTEL);
    expectVerdict(d, "allow");
  });

  test("after 2026-08-11 the press exception to the opt-in is contested", () => {
    const facts = (at: string) => pigeAt(at, { campaign: { sector: "press" } });
    const last = decideJson(onBloctel("2026-08-10T23:59:00+02:00", { campaign: { sector: "press" } }));
    expectCited(last, "conso-l223-5/press", "allow", PRESS_BLOCTEL, false);
    const first = decideJson(facts("2026-08-11T00:00:00+02:00"));
    expectCited(first, "conso-l223-5/press", "allow", PRESS_OPT_IN, true);
    expectNoReason(first, "conso-l223-1/phone-consent");
    // Blocked only by the hours of D.223-9, which cover the press too.
    expectReason(first, "conso-d223-9/hours", "block");
    expectVerdict(first, "block", "2026-08-11T10:00:00+02:00");
    expectVerdict(decideJson(facts("2026-09-15T11:00:00+02:00")), "allow");
  });

  test("the press is still bound by D.223-9's days", () => {
    const d = decideJson(onBloctel("2025-03-08T11:00:00+01:00", { campaign: { sector: "press" } }));
    expectReason(d, "conso-l223-5/press", "allow");
    expectReason(d, "conso-d223-9/hours", "block");
    expectVerdict(d, "block", "2025-03-10T10:00:00+01:00");
  });
});

describe("conso-l223-1/phone-consent (from 2026-08-11)", () => {
  const at = "2026-09-15T11:00:00+02:00";
  const withConsents = (consents: unknown[], patch: Record<string, unknown> = {}) =>
    decideJson(pigeAt(at, { ...patch, contact: { consents, ...((patch.contact as object) ?? {}) } }));

  test("no rule on 2026-08-10 23:59; from 2026-08-11 00:00 a call needs prior consent", () => {
    expectNoReason(decideJson(pigeAt("2026-08-10T23:59:00+02:00")), "conso-l223-1/phone-consent");
    const d = decideJson(pigeAt("2026-08-11T00:00:00+02:00"));
    const r = expectCited(d, "conso-l223-1/phone-consent", "block", OPT_IN);
    assert.match(r.message.en, /requires their proven prior consent\. A contract/);
    expectVerdict(d, "block");
  });

  test("a proven consent to calls allows", () => {
    const d = withConsents([phoneConsent("2026-06-01")]);
    const r = expectCited(d, "conso-l223-1/phone-consent", "allow", OPT_IN);
    assert.match(r.message.en, /given on 2026-06-01 \(unticked_checkbox\), proof held/);
    expectVerdict(d, "allow");
  });

  test("a consent given under Bloctel counts if it meets the new definition", () => {
    expectVerdict(withConsents([phoneConsent("2024-01-10", { method: "double_opt_in" })]), "allow");
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ["without proof", { proof: false }, "no_proof"],
    ["by pre-ticked box", { method: "pre_ticked_checkbox" }, "invalid_method"],
    ["by accepting terms", { method: "terms_acceptance" }, "invalid_method"],
    ["withdrawn before the call", { withdrawnAt: "2026-09-15T10:59:00+02:00" }, "withdrawn"],
  ];
  for (const [name, extra, status] of invalid) {
    test(`a consent ${name} does not count (${status})`, () => {
      const d = withConsents([phoneConsent("2026-06-01", extra)]);
      const r = expectCited(d, "conso-l223-1/phone-consent", "block", OPT_IN);
      assert.match(r.message.en, new RegExp(`recorded consent: ${status}`));
      expectVerdict(d, "block");
    });
  }

  test("withdrawn after the call instant: still valid at the call", () => {
    expectVerdict(
      withConsents([phoneConsent("2026-06-01", { withdrawnAt: "2026-09-15T11:00:01+02:00" })]),
      "allow",
    );
  });

  test("consent given after the call instant, to another controller or for another channel: none", () => {
    for (const consent of [
      phoneConsent("2026-09-15T11:00:01+02:00"),
      phoneConsent("2026-06-01", { controller: "Agence Martin" }),
      phoneConsent("2026-06-01", { channel: "sms" }),
      phoneConsent("2026-06-01", { channel: "email" }),
    ]) {
      const d = withConsents([consent]);
      expectReason(d, "conso-l223-1/phone-consent", "block");
    }
  });

  test("the controller is matched case- and space-insensitively", () => {
    expectVerdict(withConsents([phoneConsent("2026-06-01", { controller: "  agence   DUPONT " })]), "allow");
  });

  test("a broker's consent that did not name the controller does not count", () => {
    const d = withConsents([phoneConsent("2026-05-01")], {
      contact: {
        origin: {
          type: "broker",
          collectedAt: "2026-05-01",
          senderNamedAtCollection: false,
          optOutOfferedAtCollection: true,
          informedAt: "2026-05-02",
        },
      },
    });
    const r = expectReason(d, "conso-l223-1/phone-consent", "block");
    assert.match(r.message.en, /sender_not_named/);
  });

  test("ongoing contract related to its object: allowed without consent", () => {
    const d = decideJson(
      pigeAt(at, {
        campaign: { relatedToContract: true },
        contact: { relationship: { status: "active_contract" } },
      }),
    );
    const r = expectCited(d, "conso-l223-1/phone-consent", "allow", OPT_IN);
    assert.match(r.message.en, /ongoing contract/);
    expectVerdict(d, "allow");
  });

  test("a past customer or an unrelated offer is no exception any more", () => {
    for (const patch of [
      { contact: { relationship: { status: "past_customer", endedAt: "2026-01-01" } } },
      { contact: { relationship: { status: "active_contract" } } },
    ]) {
      expectReason(decideJson(pigeAt(at, patch)), "conso-l223-1/phone-consent", "block");
    }
  });

  test("H4: a requested callback is allowed, contested", () => {
    const d = decideJson(pigeAt(at, { contact: { callbackRequestedAt: "2026-09-14T18:00:00+02:00" } }));
    expectCited(d, "conso-l223-1/phone-consent", "allow", OPT_IN, true);
    expectVerdict(d, "allow");
  });

  for (const kind of ["professional", "legal_entity"]) {
    test(`a ${kind} needs no consent under L.223-1`, () => {
      const d = decideJson(pigeAt(at, { contact: { kind } }));
      const r = expectCited(d, "conso-l223-1/phone-consent", "info", OPT_IN);
      assert.match(r.message.en, /Not a consumer/);
      expectVerdict(d, "allow");
    });
  }

  test("non-commercial calls need no consent", () => {
    const d = decideJson(pigeAt(at, { campaign: { sector: "non_commercial" } }));
    expectCited(d, "conso-l223-1/phone-consent", "info", OPT_IN);
    expectVerdict(d, "allow");
  });

  test("automated calls are not governed by L.223-1 but by L.34-5", () => {
    expectNoReason(
      decideJson(pigeAt(at, { campaign: { channel: "voice_automated", callerId: "+33 9 48 00 00 00" } })),
      "conso-l223-1/phone-consent",
    );
  });
});

describe("conso-l223-1/energy-ban", () => {
  const energy = (at: string, patch: Record<string, unknown> = {}) =>
    pigeAt(at, {
      ...patch,
      campaign: { sector: "energy_renovation", ...((patch.campaign as object) ?? {}) },
    });

  test("starts 2020-07-26 00:00 Paris (loi Naegelen), contested (H5)", () => {
    const before = decideJson(energy("2020-07-25T23:59:00+02:00"));
    expectNoReason(before, "conso-l223-1/energy-ban");
    expectVerdict(before, "allow");
    const after = decideJson(energy("2020-07-26T00:00:00+02:00"));
    const r = expectCited(after, "conso-l223-1/energy-ban", "block", ENERGY_2020, true);
    assert.match(r.message.en, /even with the person's consent/);
    expectVerdict(after, "block");
  });

  test("cites al. 5 of the 2026 text from 2026-08-11", () => {
    expectCited(
      decideJson(energy("2026-08-10T23:59:00+02:00")),
      "conso-l223-1/energy-ban",
      "block",
      ENERGY_2020,
      true,
    );
    expectCited(
      decideJson(energy("2026-08-11T00:00:00+02:00")),
      "conso-l223-1/energy-ban",
      "block",
      ENERGY_2026,
      true,
    );
  });

  test("blocks even with a proven consent to calls", () => {
    const d = decideJson(
      energy("2026-09-15T11:00:00+02:00", { contact: { consents: [phoneConsent("2026-06-01")] } }),
    );
    expectReason(d, "conso-l223-1/phone-consent", "allow");
    expectCited(d, "conso-l223-1/energy-ban", "block", ENERGY_2026, true);
    expectVerdict(d, "block");
  });

  test("an ongoing contract related to its object is the only statutory exception", () => {
    const d = decideJson(
      energy("2025-03-04T11:00:00+01:00", {
        campaign: { relatedToContract: true },
        contact: { relationship: { status: "active_contract" } },
      }),
    );
    const r = expectCited(d, "conso-l223-1/energy-ban", "allow", ENERGY_2020, true);
    assert.match(r.message.en, /ongoing contract/);
    expectVerdict(d, "allow");
  });

  test("G2 Novecology (2023): a web-form callback request does not lift the ban by default", () => {
    const d = decideJson(
      energy("2023-06-13T11:00:00+02:00", {
        campaign: { controller: "Novecology" },
        contact: { callbackRequestedAt: "2023-06-13T09:00:00+02:00" },
      }),
    );
    expectCited(d, "conso-l223-1/energy-ban", "block", ENERGY_2020, true);
    expectVerdict(d, "block");
  });

  test("H4: policy callbackExceptionInSectorBans lifts it, within the window only", () => {
    const facts = (at: string) =>
      energy(at, {
        contact: { callbackRequestedAt: "2023-06-13T09:00:00+02:00" },
        policy: { callbackExceptionInSectorBans: true },
      });
    const inWindow = decideJson(facts("2023-06-14T10:00:00+02:00"));
    const r = expectCited(inWindow, "conso-l223-1/energy-ban", "allow", ENERGY_2020, true);
    assert.match(r.message.en, /the DGCCRF does not accept it/);
    expectVerdict(inWindow, "allow");
    // The last instant of the 48 h window is out of hours; by 10:00 the window has closed and
    // the ban blocks again, so no time rule alone lifts the block.
    const edge = decideJson(facts("2023-06-15T09:00:00+02:00"));
    expectReason(edge, "conso-l223-1/energy-ban", "allow");
    expectReason(edge, "conso-d223-9/hours", "block");
    expectVerdict(edge, "block", null);
    expectReason(decideJson(facts("2023-06-15T09:01:00+02:00")), "conso-l223-1/energy-ban", "block");
  });

  test("automated calls are covered; SMS before 2025-07-02 is not (H13)", () => {
    expectReason(
      decideJson(energy("2024-05-14T11:00:00+02:00", { campaign: { channel: "voice_automated" } })),
      "conso-l223-1/energy-ban",
      "block",
    );
    expectNoReason(
      decideJson(energy("2024-05-14T11:00:00+02:00", { campaign: { channel: "sms", callerId: "38000" } })),
      "conso-l223-1/energy-ban",
    );
  });

  test("professionals and other sectors are outside the ban", () => {
    expectNoReason(
      decideJson(energy("2024-05-14T11:00:00+02:00", { contact: { kind: "professional" } })),
      "conso-l223-1/energy-ban",
    );
    expectNoReason(
      decideJson(pigeAt("2024-05-14T11:00:00+02:00", { campaign: { sector: "home_adaptation" } })),
      "conso-l223-1/energy-ban",
    );
  });

  test("a ban is not a time rule: no nextAllowedAt even out of hours", () => {
    const d = decideJson(
      energy("2024-05-18T11:00:00+02:00", {
        contact: { history: calls("answered", "2024-05-02T11:00:00+02:00") },
      }),
    );
    expectReason(d, "conso-l223-1/energy-ban", "block");
    expectReason(d, "conso-d223-9/hours", "block");
    expectVerdict(d, "block", null);
  });
});
