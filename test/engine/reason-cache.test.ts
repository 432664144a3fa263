// The reason caches of compiled twins (src/engine/reason-cache.ts): whatever the keys — instants
// that clash in the table, come back or never do, statuses, null — a cache answers what the
// rule answers for that key, and asks the rule again only when it must.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { Reason } from "../../src/engine/decision.ts";
import { CodedReason } from "../../src/engine/reason.ts";
import { type Key, ReasonCache, ReasonPairCache } from "../../src/engine/reason-cache.ts";

/** A rule whose reason is a function of the key its context carries, counting its calls. */
function rule() {
  const reasons = new Map<Key, Reason | null>();
  const calls = { n: 0 };
  const evaluate = (key: Key): Reason | null => {
    calls.n++;
    if (key === 0) return null;
    let r = reasons.get(key);
    if (r === undefined) {
      r = new CodedReason("gdpr-17/erased", "block", "x", "gdpr-17.erased", { erased: String(key) }, false);
      reasons.set(key, r);
    }
    return r;
  };
  return { evaluate, calls };
}

const DAY = 86_400_000;
const instant = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map((d) => Date.UTC(2025, 0, 1) + d * DAY),
  fc.integer({ min: -2e12, max: 3e12 }),
  fc.constantFrom(0, -1, 1, Date.UTC(2025, 0, 1) + 1, Date.UTC(2025, 0, 1) + 999),
);
const key: fc.Arbitrary<Key> = fc.oneof(instant, fc.constantFrom(null, undefined, "valid", "none"));

describe("reason caches", () => {
  test("a cache answers the rule's reason for every key, in any sequence", () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 6000 }), (keys) => {
        const { evaluate } = rule();
        const cache = new ReasonCache<Key>(evaluate);
        const pair = new ReasonPairCache<Key>(evaluate);
        for (const k of keys) {
          assert.equal(cache.get(k, k), evaluate(k));
          assert.equal(pair.get(k, typeof k === "number" ? "n" : "o", k), evaluate(k));
        }
      }),
      { numRuns: 60, seed: 13 },
    );
  });

  test("instants that come back are answered from the table", () => {
    const back = rule();
    const cache = new ReasonCache<Key>(back.evaluate);
    const days = Array.from({ length: 40 }, (_, d) => Date.UTC(2025, 0, 1) + d * DAY);
    for (let i = 0; i < 10_000; i++) cache.get(days[i % 40], days[i % 40]);
    assert.ok(back.calls.n < 200, `${back.calls.n} calls for 40 instants`);
  });

  test("an instant met once is asked again its second time, until the cache serves a list: then kept the first time", () => {
    const days = (from: number) =>
      Array.from({ length: 100 }, (_, d) => Date.UTC(2025, 0, 1) + (from + d) * DAY);
    const fresh = rule();
    const few = new ReasonCache<Key>(fresh.evaluate);
    for (const day of days(0)) for (let i = 0; i < 2; i++) few.get(day, day);
    assert.equal(fresh.calls.n, 200, "a plan of a few contacts keeps nothing met once");
    const list = rule();
    const cache = new ReasonCache<Key>(list.evaluate);
    const first = days(0)[0] as number;
    for (let i = 0; i < 1100; i++) cache.get(first, first);
    list.calls.n = 0;
    for (const day of days(1000)) for (let i = 0; i < 2; i++) cache.get(day, day);
    assert.equal(list.calls.n, 100, "once a new instant");
  });
});
