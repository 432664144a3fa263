// A compiled plan decides as decide() does (src/engine/plan.ts): on random facts — every channel,
// kind of person and zone, instants over the coverage and around where the law or the clock turns,
// evidence of every kind — the plan gives deep-equal decisions, alone and over a whole list
// sharing one campaign and instant — a list of rows that are a source and nothing else, their
// dates on the rules' thresholds, included. The seed is fixed; VIGIE_PROPERTY_RUNS and
// VIGIE_PROPERTY_SEED search further.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { decide } from "../../src/engine/decide.ts";
import type { Decision } from "../../src/engine/decision.ts";
import { compilePlan, decideBatch, PlanCache } from "../../src/engine/plan.ts";
import type { Contact, Facts } from "../../src/facts/types.ts";
import { addMonths } from "../../src/time/dates.ts";
import {
  campaignAtArb,
  contactArb,
  factsArb,
  listArb,
  waitingListArb,
} from "../support/facts-arbitraries.ts";

const RUNS = Number(process.env.VIGIE_PROPERTY_RUNS ?? 3000);
const DAY = 86_400_000;
const SEED = Number(process.env.VIGIE_PROPERTY_SEED ?? 20261202);

/** Effects the generated facts must reach, beside most of the rulebook: time rules, blocks by evidence. */
const MUST_REACH = [
  "conso-d223-9/hours:block",
  "conso-d223-9/hours:allow",
  "conso-d223-9/frequency:block",
  "conso-d223-9/refusal-pause:block",
  "conso-l221-16/no-recontact:block",
  "conso-l223-1/bloctel:block",
  "conso-l223-1/bloctel-scrub:block",
  "cnil/retention:block",
  "gdpr-14/information:block",
  "gdpr-21/objection:block",
];

/** What the generated decisions went through, so that the properties are not vacuous. */
class Reach {
  readonly rules = new Set<string>();
  blocked = 0;
  nextAllowed = 0;
  decisions = 0;

  check(minEffects: number, mustReach: readonly string[] = MUST_REACH): void {
    const missing = mustReach.filter((e) => !this.rules.has(e));
    assert.deepEqual(missing, [], "effects never reached");
    assert.ok(
      this.rules.size >= minEffects,
      `only ${this.rules.size} rule effects: ${[...this.rules].join(" ")}`,
    );
    assert.ok(
      this.nextAllowed >= this.decisions / 100,
      `only ${this.nextAllowed} with a next allowed instant`,
    );
    assert.ok(this.blocked <= this.decisions * 0.95, `${this.blocked} of ${this.decisions} blocked`);
  }

  add(d: Decision): void {
    this.decisions++;
    if (d.verdict === "block") this.blocked++;
    if (d.nextAllowedAt !== null) this.nextAllowed++;
    for (const r of d.reasons) this.rules.add(`${r.rule}:${r.effect}`);
  }
}

describe("a compiled plan decides as decide() does (fast-check)", () => {
  test("one contact: compilePlan(facts).decide(contact) deep-equals decide(facts)", () => {
    const reach = new Reach();
    fc.assert(
      fc.property(factsArb, (facts) => {
        const expected = decide(facts);
        assert.deepStrictEqual(compilePlan(facts).decide(facts.contact), expected);
        reach.add(expected);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    reach.check(55, [...MUST_REACH, "cpce-l34-5/soft-opt-in:allow", "cnil/b2b:allow"]);
  });

  test("a list: one plan for the campaign and instant decides every contact as decide() does, twice over and in any order", () => {
    const reach = new Reach();
    fc.assert(
      fc.property(listArb, fc.integer(), ({ at, campaign, policy, contacts }, shuffle) => {
        const facts: Facts[] = contacts.map((contact) => ({ at, campaign, contact, policy }));
        const expected = facts.map(decide);
        const plan = compilePlan({ at, campaign, policy });
        assert.deepStrictEqual(decideBatch(plan, contacts), expected);
        // The plan's caches, filled by the first pass, answer the second in another order.
        const order = contacts
          .map((_, i) => i)
          .sort((a, b) => ((a * 7919 + shuffle) % 101) - ((b * 7919 + shuffle) % 101));
        for (const i of order)
          assert.deepStrictEqual(plan.decide(contacts[i] as (typeof contacts)[number]), expected[i]);
        for (const d of expected) reach.add(d);
      }),
      { numRuns: Math.ceil(RUNS / 10), seed: SEED },
    );
    reach.check(55);
  });

  test("a list of contacts with no evidence beyond their source, many alike but for a field, dates on the thresholds: decideBatch decides as decide() does", () => {
    const reach = new Reach();
    fc.assert(
      fc.property(sourceOnlyListArb, ({ at, campaign, policy, contacts }) => {
        const expected = contacts.map((contact) => decide({ at, campaign, contact, policy }));
        const plan = compilePlan({ at, campaign, policy });
        const decisions = decideBatch(plan, contacts);
        assert.deepStrictEqual(decisions, expected);
        // Again, last row first: the plan's caches filled by other rows.
        for (let i = contacts.length - 1; i >= 0; i--)
          assert.deepStrictEqual(plan.decide(contacts[i] as Contact), expected[i]);
        for (const d of expected) reach.add(d);
      }),
      { numRuns: Math.ceil(RUNS / 10), seed: SEED },
    );
    reach.check(30, ["conso-d223-9/hours:block", "cnil/retention:block", "gdpr-14/information:block"]);
  });

  test("a list waiting for its zones' next calling window: the plans of the later instants the contacts share decide as decide() does", () => {
    let waiting = 0;
    fc.assert(
      fc.property(waitingListArb, ({ at, campaign, policy, contacts }) => {
        const plan = compilePlan({ at, campaign, policy });
        for (const contact of contacts) {
          const expected = decide({ at, campaign, contact, policy });
          assert.deepStrictEqual(plan.decide(contact), expected);
          if (expected.nextAllowedAt !== null) waiting++;
        }
      }),
      { numRuns: Math.ceil(RUNS / 30), seed: SEED },
    );
    assert.ok(waiting >= RUNS / 3, `only ${waiting} contacts waiting for a later instant`);
  });

  test("facts of several campaigns and instants, interleaved: PlanCache decides each as decide() does, with and without its plans", () => {
    fc.assert(
      fc.property(fc.array(listArb, { minLength: 1, maxLength: 4 }), fc.array(fc.nat()), (lists, picks) => {
        const queues = lists.map(({ at, campaign, policy, contacts }) =>
          contacts.map((contact): Facts => ({ at, campaign, contact, policy })),
        );
        const facts: Facts[] = [];
        for (let i = 0; queues.some((q) => q.length > 0); i++) {
          const open = queues.filter((q) => q.length > 0);
          facts.push((open[(picks[i] ?? i) % open.length] as Facts[]).shift() as Facts);
        }
        const [planned, later] = [new PlanCache(1), new PlanCache(3)];
        for (const f of facts) {
          const expected = decide(f);
          assert.deepStrictEqual(planned.decide(f), expected);
          assert.deepStrictEqual(later.decide(f), expected);
        }
      }),
      { numRuns: Math.ceil(RUNS / 30), seed: SEED },
    );
  });
});

/**
 * Dates where the rules' thresholds fall at `at` (a month's notice, three years' retention, a
 * 30-day check, a 60-day pause), a millisecond or a day either side.
 */
function thresholds(at: number): number[] {
  const edges = [addMonths(at, -1), addMonths(at, -36), addMonths(at, -12), at - 30 * DAY, at - 60 * DAY];
  return edges.flatMap((edge) => [edge - DAY, edge - 1, edge, edge + 1, edge + DAY]);
}

/** A contact as a list row gives it: its source and what the list says, no other evidence. */
const sourceOnly = (contact: Contact): Contact => ({
  ...contact,
  consents: [],
  objections: [],
  history: [],
  erasedAt: null,
  callbackRequestedAt: null,
  callbackSlot: null,
  callbackSubject: null,
});

/**
 * `a`, each of its fields (those of its origin, relationship… one by one) `b`'s where `pick`
 * says so: a contact alike to another but for one field.
 */
function mixed(a: unknown, b: unknown, pick: () => boolean): unknown {
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object" || Array.isArray(a)) {
    return pick() ? b : a;
  }
  const from = b as Record<string, unknown>;
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, mixed(v, from[k], pick)]));
}

/**
 * One campaign at one instant, its evidence dates on the rules' thresholds too, and a list of
 * contacts with no evidence beyond their source: a few shapes, each on several rows, one field
 * of a row at times another shape's (a date on the other side of a threshold…).
 */
const sourceOnlyListArb = campaignAtArb.chain((c) => {
  const dates = [...c.dates, ...thresholds(c.at)];
  const shapes = fc.array(contactArb(c.campaign, c.at, dates).map(sourceOnly), {
    minLength: 1,
    maxLength: 6,
  });
  const row = (n: number) =>
    fc.record({
      shape: fc.nat(n - 1),
      other: fc.nat(n - 1),
      field: fc.nat(31),
    });
  return shapes.chain((base) =>
    fc.array(row(base.length), { minLength: 1, maxLength: 40 }).map((rows) => ({
      ...c,
      contacts: rows.map(({ shape, other, field }) => {
        let leaf = 0;
        return mixed(base[shape], base[other], () => leaf++ === field) as Contact;
      }),
    })),
  );
});
