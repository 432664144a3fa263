// A plan keeps its decisions by the fields they read (src/engine/decision-memo.ts): contacts alike
// in every field a decision read share it; a field read that differs gives the contact its own;
// a decision that asked for a field the contact lacks is not kept; over long lists whose rows all
// differ the memo rests and comes back, deciding as decide() does throughout.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { decide } from "../../src/engine/decide.ts";
import { MEMO_AFTER } from "../../src/engine/decision-memo.ts";
import { compilePlan, decideBatch, type Plan } from "../../src/engine/plan.ts";
import type { Contact, Facts } from "../../src/facts/types.ts";
import { expectReason, facts, reasonOf } from "../support/facts.ts";
import { type CampaignAt, campaignAtArb, contactArb, listArb } from "../support/facts-arbitraries.ts";

const SEED = Number(process.env.VIGIE_PROPERTY_SEED ?? 20261204);

/** A consumer on a rented list, called before the consent regime, with a Bloctel check on file. */
function rented(phone: string, extra: Record<string, unknown> = {}): Facts {
  return facts({
    at: "2025-03-04T11:00:00+01:00",
    campaign: { controller: "Agence Dupont", channel: "voice_live", callerId: "+33948000000" },
    contact: {
      kind: "consumer",
      point: { type: "phone", value: phone },
      origin: {
        type: "broker",
        collectedAt: "2025-01-06",
        optOutOfferedAtCollection: true,
        informedAt: "2025-01-20",
      },
      lastBloctelScrubAt: "2025-02-24",
      ...extra,
    },
  });
}

/** A plan for `facts`, past the contacts it decides before its memo starts. */
function planPastWait(facts: Facts): Plan {
  const plan = compilePlan(facts);
  const other = rented("06 11 11 11 11", { kind: "professional" });
  for (let i = 0; i < MEMO_AFTER; i++) plan.decide(other.contact);
  return plan;
}

/** A plan for the campaign, its memo started: it has decided the list's contacts over and over. */
function warmed(facts: Pick<CampaignAt, "at" | "campaign" | "policy">, contacts: readonly Contact[]): Plan {
  const plan = compilePlan(facts);
  for (let i = 0; i < MEMO_AFTER; i++) plan.decide(contacts[i % contacts.length] as Contact);
  return plan;
}

describe("a plan's decisions kept by the fields they read", () => {
  test("contacts alike but for their number share one frozen decision, equal to decide()'s", () => {
    const [a, b] = [rented("06 12 34 56 78"), rented("06 98 76 54 32")];
    const plan = planPastWait(a);
    const [da, db] = decideBatch(plan, [a.contact, b.contact]);
    assert.deepStrictEqual(da, decide(a));
    assert.equal(db, da, "the second contact took the first one's decision");
    assert.ok(Object.isFrozen(da) && Object.isFrozen(da?.reasons));
  });

  test("a field a decision read that differs gives the contact a decision of its own", () => {
    const base = rented("06 12 34 56 78");
    const plan = planPastWait(base);
    const allowed = plan.decide(base.contact);
    assert.equal(allowed.verdict, "allow");
    const registered = rented("06 98 76 54 32", { bloctel: { registeredAt: "2024-06-01" } });
    const blocked = plan.decide(registered.contact);
    assert.deepStrictEqual(blocked, decide(registered));
    expectReason(blocked, "conso-l223-1/bloctel", "block");
    const old = rented("06 11 22 33 44", {
      origin: { type: "broker", collectedAt: "2019-01-06", informedAt: "2019-01-20" },
    });
    assert.deepStrictEqual(plan.decide(old.contact), decide(old));
    assert.equal(plan.decide(old.contact).verdict, "block");
    // The first contact's decision is still its own.
    assert.equal(plan.decide(base.contact), allowed);
  });

  test("a decision that asked for a field its contact lacks is not kept: the next contact is decided on its own", () => {
    // Without the field, the contract is not seen: had that decision been kept, it would have no
    // branch on the field, and the customer after it would take it.
    const old = { origin: { type: "broker", collectedAt: "2019-01-06", informedAt: "2019-01-20" } };
    const customer = rented("06 98 76 54 32", { ...old, relationship: { status: "active_contract" } });
    const { relationship: _, ...lacking } = rented("06 12 34 56 78", old).contact;
    const plan = planPastWait(customer);
    const first = plan.decide(lacking as Contact);
    expectReason(first, "cnil/retention", "block");
    assert.equal(Object.isFrozen(first), false, "not kept");
    assert.deepStrictEqual(plan.decide(customer.contact), decide(customer));
    assert.equal(reasonOf(plan.decide(customer.contact), "cnil/retention"), undefined);
  });

  test("one empty array under several fields (as a list's rows share one): each field is compared on its own", () => {
    const NONE = Object.freeze([]) as readonly never[];
    const shared = (f: Facts): Contact => ({ ...f.contact, consents: NONE, objections: NONE, history: NONE });
    const quiet = rented("06 12 34 56 78");
    const called = rented("06 98 76 54 32", {
      history: [
        {
          at: "2025-02-25T10:00:00+01:00",
          channel: "voice_live",
          controller: "Agence Dupont",
          outcome: "refused_offer",
        },
      ],
    });
    const plan = planPastWait(quiet);
    assert.equal(plan.decide(shared(quiet)).verdict, "allow");
    // Its history is its own array; its consents and objections, the shared one.
    const refused = { ...called.contact, consents: NONE, objections: NONE };
    assert.deepStrictEqual(plan.decide(refused), decide({ ...called, contact: refused }));
    assert.equal(plan.decide(refused).verdict, "block");
  });

  test("a long list whose first rows all differ, then rows alike: the memo rests and comes back, deciding as decide() does", () => {
    // 2 000 rows, each collected on its own day (the retention reason quotes the date): every
    // decision differs, the memo rests; then 40 000 rows alike but for their number.
    const unique = Array.from({ length: 2000 }, (_, i) =>
      rented(`0612${String(i).padStart(6, "0")}`, {
        origin: {
          type: "broker",
          collectedAt: new Date(Date.UTC(2019, 5, 1) + i * 86_400_000).toISOString().slice(0, 10),
          informedAt: "2024-12-01",
          optOutOfferedAtCollection: true,
        },
      }),
    );
    const alike = Array.from({ length: 40_000 }, (_, i) => rented(`0698${String(i).padStart(6, "0")}`));
    const plan = compilePlan(unique[0] as Facts);
    const all = [...unique, ...alike];
    const decisions = decideBatch(
      plan,
      all.map((f) => f.contact),
    );
    for (const i of [0, 1, 999, 1999]) assert.deepStrictEqual(decisions[i], decide(all[i] as Facts));
    const verdicts = new Set(decisions.slice(0, 2000).map((d) => d.verdict));
    assert.deepEqual([...verdicts].sort(), ["allow", "block"], "retention splits the unique rows");
    // Every decision checked against decide() would take seconds: the alike rows are checked by
    // value against the first one's, and their sharing shows the memo came back after resting.
    const expected = decide(alike[0] as Facts);
    const shared = decisions.slice(2000).filter((d) => d === decisions[decisions.length - 1]).length;
    for (const d of decisions.slice(2000)) assert.deepStrictEqual(d, expected);
    assert.ok(shared > 1000, `only ${shared} alike rows shared a kept decision`);
  });

  test("random lists of a few shapes on many rows, some with a number of their own: as decide() (fast-check)", () => {
    fc.assert(
      fc.property(
        campaignAtArb.chain((c) =>
          fc
            .array(contactArb(c.campaign, c.at, c.dates), { minLength: 1, maxLength: 8 })
            .chain((shapes) =>
              fc
                .array(fc.nat(2 * shapes.length - 1), { minLength: 50, maxLength: 400 })
                .map((picks) => ({ c, shapes, picks })),
            ),
        ),
        ({ c, shapes, picks }) => {
          const { at, campaign, policy } = c;
          // A pick past the shapes is a shape's row with a number or address of its own.
          const contacts = picks.map((p, i) => {
            const shape = shapes[p % shapes.length] as Contact;
            const point = shape.point && { ...shape.point, value: `${shape.point.value}${i}` };
            return p < shapes.length ? shape : { ...shape, point };
          });
          const plan = warmed({ at, campaign, policy }, contacts);
          const expected = contacts.map((contact) => decide({ at, campaign, contact, policy }));
          // Twice: the first pass files the decisions, the second takes them from the tree.
          assert.deepStrictEqual(decideBatch(plan, contacts), expected);
          assert.deepStrictEqual(decideBatch(plan, contacts), expected);
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  });

  test("random lists with evidence of every kind, decided twice: as decide(), the second time from the tree (fast-check)", () => {
    let [kept, decided] = [0, 0];
    fc.assert(
      fc.property(listArb, ({ at, campaign, policy, contacts }) => {
        const plan = warmed({ at, campaign, policy }, contacts);
        const expected = contacts.map((contact) => decide({ at, campaign, contact, policy }));
        const first = decideBatch(plan, contacts);
        assert.deepStrictEqual(first, expected);
        const again = decideBatch(plan, contacts);
        assert.deepStrictEqual(again, expected);
        kept += again.filter((d, i) => d === first[i]).length;
        decided += contacts.length;
      }),
      { numRuns: 300, seed: SEED },
    );
    assert.ok(kept >= 0.9 * decided, `only ${kept} of ${decided} decisions taken from the tree`);
  });
});
