// Properties of decide() over arbitrary facts written in the contract's vocabularies
// (docs/contract.md §1): objections only ever block, valid consents never block, decisions are
// deterministic, and every decision is well formed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { decide } from "../../src/engine/decide.ts";
import type { Decision } from "../../src/engine/decision.ts";
import { RULE_IDS } from "../../src/engine/rule-ids.ts";
import { ruleById } from "../../src/engine/rulebook.ts";
import {
  CHANNELS,
  type Channel,
  CONSENT_METHODS,
  CONSENT_SCOPES,
  DIALERS,
  KINDS,
  OBJECTION_VIAS,
  ORIGIN_TYPES,
  OUTCOMES,
  POINT_TYPE_OF_CHANNEL,
  type PointType,
  RELATIONSHIP_STATUSES,
  SECTORS,
} from "../../src/facts/vocabulary.ts";
import { dayAfter, dayStart, isoDate } from "../../src/time/dates.ts";
import { decideJson, facts, type Json, merge } from "../support/facts.ts";

/**
 * Runs per property: the whole file stays within a few seconds on two cores. The seed is fixed so
 * that the suite (and the coverage check below) gives the same answer on every run; for a deeper
 * or different search set VIGIE_PROPERTY_RUNS (e.g. 20000) and VIGIE_PROPERTY_SEED.
 */
const RUNS = Number(process.env.VIGIE_PROPERTY_RUNS ?? 400);
const SEED = Number(process.env.VIGIE_PROPERTY_SEED ?? 20261127);
const params = { numRuns: RUNS, seed: SEED };

const FIRST = dayStart("2016-01-01");
const LAST = dayAfter("2030-12-31") - 1;
const YEAR_MS = 365 * 86_400_000;

const CONTROLLERS = ["Agence Dupont", "Boutique SAS"] as const;
/** The same controllers as evidence may spell them, and a stranger. */
const SPELLINGS: Readonly<Record<(typeof CONTROLLERS)[number], readonly string[]>> = {
  "Agence Dupont": ["Agence Dupont", "  agence   DUPONT "],
  "Boutique SAS": ["Boutique SAS", "BOUTIQUE sas"],
};
const ANY_CONTROLLER = [
  "Agence Dupont",
  "  agence   DUPONT ",
  "Boutique SAS",
  "BOUTIQUE sas",
  "Autre Société",
];

const POINT_VALUES: Readonly<Record<PointType, readonly string[]>> = {
  phone: ["06 12 34 56 78", "+33 1 44 00 00 00", "0590 12 34 56", "+262 692 00 00 00"],
  email: ["claire@example.fr", "contact@entreprise.example"],
  postal: ["12 rue des Lilas, 75011 Paris"],
  social: ["@claire.m"],
};

/** An instant written as the contract allows: UTC, with a Paris-like offset, or a bare Paris day. */
function text(ms: number): fc.Arbitrary<string> {
  return fc.constantFrom(
    new Date(ms).toISOString(),
    new Date(ms + 3_600_000).toISOString().replace("Z", "+01:00"),
    isoDate(ms),
  );
}

const anyInstant = fc.integer({ min: FIRST, max: LAST }).chain(text);

/**
 * Evidence instants (within 2016–2030): mostly in the recent past of the decided instant, where
 * retention, notice and consent rules turn; else anywhere in the range or shortly after it.
 */
function near(at: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      { arbitrary: fc.integer({ min: 0, max: 2 * YEAR_MS }).map((d) => at - d), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 6 * YEAR_MS }).map((d) => at - d), weight: 1 },
      { arbitrary: fc.integer({ min: FIRST, max: LAST }), weight: 1 },
      { arbitrary: fc.integer({ min: 0, max: 90 * 86_400_000 }).map((d) => at + d), weight: 1 },
    )
    .map((ms) => Math.min(LAST, Math.max(FIRST, ms)))
    .chain(text);
}

const nullableBool = fc.constantFrom(true, false, null);
/** Mostly true: messages and collections that follow the rules, so that some facts are allowed. */
const mostlyTrue = fc.constantFrom(true, true, true, false, null);

/** Often empty, else up to three items: evidence that blocks should not drown every decision. */
function fewOf<T>(item: fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc.oneof(
    { arbitrary: fc.constant<T[]>([]), weight: 2 },
    { arbitrary: fc.array(item, { minLength: 1, maxLength: 3 }), weight: 1 },
  );
}

function campaignArb(channel: Channel, controller: string) {
  return fc
    .record(
      {
        sector: fc.constantFrom(...SECTORS),
        relatedToContract: fc.boolean(),
        analogousProducts: fc.boolean(),
        relatedToProfession: fc.boolean(),
        callerId: fc.constantFrom("+33 9 48 00 00 00", "masked", "06 98 76 54 32", "01 44 00 00 00"),
        dialer: fc.constantFrom(...DIALERS),
        habitualCaller: fc.boolean(),
        startsAt: anyInstant,
        message: fc.record({ senderIdentified: mostlyTrue, optOut: mostlyTrue }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    )
    .map((fields) => ({ controller, channel, ...fields }));
}

function contactArb(at: number, channel: Channel) {
  const pointType = POINT_TYPE_OF_CHANNEL[channel];
  const evidence = near(at);
  return fc.record(
    {
      kind: fc.constantFrom(...KINDS),
      point: fc.constantFrom(...POINT_VALUES[pointType]).map((value) => ({ type: pointType, value })),
      location: fc.record(
        {
          country: fc.constant("FR"),
          department: fc.constantFrom("75", "57", "2A", "971", "974"),
          timeZone: fc.constantFrom("Europe/Paris", "America/Guadeloupe", "Indian/Reunion"),
        },
        { requiredKeys: [] },
      ),
      origin: fc.record(
        {
          type: fc.constantFrom(...ORIGIN_TYPES),
          collectedAt: fc.option(evidence, { nil: null }),
          sourceUrl: fc.constantFrom("https://annonces.example/123", null),
          senderNamedAtCollection: nullableBool,
          optOutOfferedAtCollection: mostlyTrue,
          publisherRefusedCanvassing: fc.constantFrom(false, null, false, false, true),
          informedAt: fc.option(evidence, { nil: null }),
        },
        { requiredKeys: ["type"] },
      ),
      relationship: fc.record(
        {
          status: fc.constantFrom(...RELATIONSHIP_STATUSES),
          since: fc.option(evidence, { nil: null }),
          endedAt: fc.option(evidence, { nil: null }),
          lastInboundAt: fc.option(evidence, { nil: null }),
        },
        { requiredKeys: ["status"] },
      ),
      consents: fc.array(
        fc.record(
          {
            channel: fc.oneof(fc.constant(channel), fc.constantFrom(...CHANNELS)),
            controller: fc.constantFrom(...ANY_CONTROLLER),
            givenAt: evidence,
            withdrawnAt: fc.option(evidence, { nil: null, freq: 3 }),
            method: fc.option(fc.constantFrom(...CONSENT_METHODS), { nil: null, freq: 6 }),
            proof: nullableBool,
            scope: fc.constantFrom(...CONSENT_SCOPES),
          },
          { requiredKeys: ["channel", "controller", "givenAt"] },
        ),
        { maxLength: 3 },
      ),
      objections: fewOf(
        fc.record(
          {
            at: evidence,
            channel: fc.constantFrom("all", ...CHANNELS),
            controller: fc.option(fc.constantFrom(...ANY_CONTROLLER), { nil: null }),
            via: fc.constantFrom(...OBJECTION_VIAS),
          },
          { requiredKeys: ["at"] },
        ),
      ),
      bloctel: fc.record(
        { registeredAt: fc.option(evidence, { nil: null }), effectiveAt: fc.option(evidence, { nil: null }) },
        { requiredKeys: [] },
      ),
      lastBloctelScrubAt: evidence,
      callbackRequestedAt: fc.option(evidence, { nil: null }),
      history: fewOf(
        fc.record({
          at: evidence,
          channel: fc.oneof(fc.constant(channel), fc.constantFrom(...CHANNELS)),
          controller: fc.constantFrom(...ANY_CONTROLLER),
          outcome: fc.constantFrom(...OUTCOMES),
        }),
      ),
    },
    { requiredKeys: ["kind"] },
  );
}

const policyArb = fc.record(
  {
    softOptInForFreeAccounts: fc.boolean(),
    softOptInForAutomatedCalls: fc.boolean(),
    callbackWindowHours: fc.integer({ min: 0, max: 744 }),
    callbackExceptionInSectorBans: fc.boolean(),
    localHolidaysBlockCalls: fc.boolean(),
    hoursForAutomatedCalls: fc.boolean(),
    phoneConsentMaxAgeDays: fc.option(fc.integer({ min: 1, max: 3650 }), { nil: null }),
    pastCustomersArePreexistingRelations: fc.boolean(),
  },
  { requiredKeys: [] },
);

interface Generated {
  readonly json: Json;
  readonly at: number;
  readonly controller: (typeof CONTROLLERS)[number];
  readonly channel: Channel;
}

/** Facts as the JSON contract writes them, with the instant decided and the campaign's keys. */
const factsArb: fc.Arbitrary<Generated> = fc
  .record({
    at: fc.integer({ min: FIRST, max: LAST }),
    channel: fc.constantFrom(...CHANNELS),
    controller: fc.constantFrom(...CONTROLLERS),
  })
  .chain(({ at, channel, controller }) =>
    fc
      .record(
        {
          at: text(at),
          campaign: campaignArb(channel, controller),
          contact: contactArb(at, channel),
          policy: policyArb,
        },
        { requiredKeys: ["at", "campaign", "contact"] },
      )
      // A bare day is read as Paris midnight: decide at the instant actually written.
      .map((json) => ({ json: json as Json, at: facts(json as Json).at, controller, channel })),
  );

/** An instant at or before `at` (at most ten years, not before 2016), as the contract writes instants. */
function before(at: number): fc.Arbitrary<string> {
  return fc
    .integer({ min: 0, max: 10 * YEAR_MS })
    .map((d) => new Date(Math.max(FIRST, at - d)).toISOString())
    .chain((iso) => fc.constantFrom(iso, iso.replace(/\.\d{3}Z$/, "Z")))
    .filter((iso) => Date.parse(iso) <= at);
}

/**
 * When a consent is given: before the decided instant, or — as partners' forms do — at the very
 * instant the data were collected, if that is before it.
 */
function consentInstant(g: Generated): fc.Arbitrary<string> {
  const collected = facts(g.json).contact.origin?.collectedAt ?? null;
  if (collected === null || collected > g.at) return before(g.at);
  return fc.oneof(before(g.at), fc.constant(new Date(collected).toISOString()));
}

function addToContact(json: Json, key: "objections" | "consents", item: Json): Json {
  const contact = json.contact as Json;
  const list = (contact[key] as Json[] | undefined) ?? [];
  return merge(json, { contact: { [key]: [...list, item] } });
}

function describeReasons(d: Decision): string {
  return d.reasons.map((r) => `${r.rule}:${r.effect}`).join(", ");
}

describe("decide() properties over arbitrary facts (fast-check)", () => {
  test("adding an objection to every channel or to the campaign's (as of at, by this controller or by none) always blocks — never turns a block into an allow (D3; an objection limited to another channel can be set aside by a later consent, H17)", () => {
    const arb = factsArb.chain((g) =>
      fc
        .record({
          at: before(g.at),
          channel: fc.constantFrom("all", g.channel),
          controller: fc.constantFrom(null, undefined, ...SPELLINGS[g.controller]),
          via: fc.constantFrom(null, ...OBJECTION_VIAS),
        })
        .map((o) => {
          const objection: Json = { at: o.at, channel: o.channel, via: o.via };
          if (o.controller !== undefined) objection.controller = o.controller;
          return { g, objection };
        }),
    );
    fc.assert(
      fc.property(arb, ({ g, objection }) => {
        const withObjection = decideJson(addToContact(g.json, "objections", objection));
        assert.equal(withObjection.verdict, "block", describeReasons(withObjection));
        const reason = withObjection.reasons.find((r) => r.rule === "gdpr-21/objection");
        assert.equal(reason?.effect, "block");
      }),
      params,
    );
  });

  test("an erasure (before or after at) always blocks under gdpr-17/erased, whatever consents are held", () => {
    const arb = factsArb.chain((g) =>
      fc
        .integer({ min: FIRST, max: LAST })
        .map((erased) => ({ g, erasedAt: new Date(erased).toISOString() })),
    );
    fc.assert(
      fc.property(arb, ({ g, erasedAt }) => {
        const d = decideJson(merge(g.json, { contact: { erasedAt } }));
        assert.equal(d.verdict, "block", describeReasons(d));
        assert.equal(d.reasons.find((r) => r.rule === "gdpr-17/erased")?.effect, "block");
      }),
      params,
    );
  });

  test("adding a valid consent (this channel, this controller, before at, proven, clear act, not withdrawn) never turns an allow into a block (A1, D4)", () => {
    let allowedBefore = 0;
    const arb = factsArb.chain((g) =>
      fc
        .record({
          givenAt: consentInstant(g),
          controller: fc.constantFrom(...SPELLINGS[g.controller]),
          method: fc.constantFrom("unticked_checkbox", "double_opt_in"),
          withdrawn: fc.constantFrom("null", "absent"),
        })
        .map((c) => {
          const consent: Json = {
            channel: g.channel,
            controller: c.controller,
            givenAt: c.givenAt,
            method: c.method,
            proof: true,
          };
          if (c.withdrawn === "null") consent.withdrawnAt = null;
          return { g, consent };
        }),
    );
    fc.assert(
      fc.property(arb, ({ g, consent }) => {
        const without = decideJson(g.json);
        if (without.verdict !== "allow") return;
        allowedBefore++;
        const withConsent = decideJson(addToContact(g.json, "consents", consent));
        assert.equal(withConsent.verdict, "allow", describeReasons(withConsent));
      }),
      params,
    );
    // The property says nothing unless some generated facts were allowed to begin with.
    assert.ok(allowedBefore >= RUNS / 10, `only ${allowedBefore} allowed facts out of ${RUNS}`);
  });

  test("decide is deterministic: the same facts twice, and a JSON round-trip of the input, give deep-equal decisions", () => {
    fc.assert(
      fc.property(factsArb, ({ json }) => {
        const first = decide(facts(json));
        const again = decide(facts(json));
        assert.deepEqual(again, first);
        const roundTrip = decide(facts(JSON.parse(JSON.stringify(json)) as Json));
        assert.deepEqual(roundTrip, first);
        assert.equal(JSON.stringify(roundTrip), JSON.stringify(first));
      }),
      params,
    );
  });

  test("every decision is well formed: known rules with an article and both messages; block iff a blocking reason; obligations are the conditions of an allow (docs/contract.md §1)", () => {
    const known = new Set<string>(RULE_IDS);
    const seen = new Set<string>();
    fc.assert(
      fc.property(factsArb, ({ json }) => {
        const d = decideJson(json);
        for (const r of d.reasons) {
          assert.ok(known.has(r.rule), `unknown rule ${r.rule}`);
          assert.ok(ruleById(r.rule) !== undefined, `rule ${r.rule} is not in the rulebook`);
          assert.ok(r.article.trim().length > 0, `${r.rule}: empty article`);
          assert.ok(r.message.fr.trim().length > 0, `${r.rule}: empty French message`);
          assert.ok(r.message.en.trim().length > 0, `${r.rule}: empty English message`);
          assert.ok(["block", "allow", "condition", "info"].includes(r.effect), `${r.rule}: ${r.effect}`);
          assert.equal(typeof r.contested, "boolean");
          seen.add(r.rule);
        }
        const blocks = d.reasons.some((r) => r.effect === "block");
        assert.equal(d.verdict, blocks ? "block" : "allow", describeReasons(d));
        if (d.verdict === "allow") {
          assert.deepEqual(
            d.obligations,
            d.reasons.filter((r) => r.effect === "condition"),
          );
        } else {
          assert.deepEqual(d.obligations, []);
        }
      }),
      params,
    );
    // The generator reaches most of the rulebook (a weak generator would make the above vacuous).
    assert.ok(seen.size >= 25, `only ${seen.size} rules seen: ${[...seen].join(", ")}`);
  });
});
