// The sign-in gate alone, on a clock the test moves: backoff per (name, address), the per-name
// bucket that spares addresses which never failed, the cap on concurrent hashing, bounded memory.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_SIGN_IN_LIMITS, SignInGate } from "../../src/dashboard/sign-in-gate.ts";
import { LruMap } from "../../src/web/lru.ts";

const loose = { burst: 1e9, perSecond: 1e9 };

function gate(overrides = {}) {
  let now = 1_000_000;
  const g = new SignInGate({ ...DEFAULT_SIGN_IN_LIMITS, perAddress: loose, ...overrides }, () => now);
  const fail = (name: string, address: string) => {
    const a = g.admit(name, address);
    assert.ok(a.ok, `admitted ${name} from ${address}`);
    a.done(false);
  };
  return { g, fail, tick: (ms: number) => (now += ms) };
}

test("five failures from one address lock that (name, address) for a minute, doubling up to 15 minutes", () => {
  const { g, fail, tick } = gate();
  for (let i = 0; i < 5; i++) fail("dpo", "10.0.0.9");
  const locked = g.admit("dpo", "10.0.0.9");
  assert.deepEqual(locked, { ok: false, why: "locked", retryAfter: 60 });
  const other = g.admit("dpo", "10.0.0.1");
  assert.ok(other.ok, "the user's own address is not locked out");
  other.done(true);
  tick(60_000);
  fail("dpo", "10.0.0.9");
  assert.equal((g.admit("dpo", "10.0.0.9") as { retryAfter: number }).retryAfter, 120);
  for (let i = 0; i < 6; i++) {
    tick(15 * 60_000);
    fail("dpo", "10.0.0.9");
  }
  assert.equal((g.admit("dpo", "10.0.0.9") as { retryAfter: number }).retryAfter, 15 * 60, "capped");
  // Quiet for longer than the longest lock: the slate is clean.
  tick(31 * 60_000);
  fail("dpo", "10.0.0.9");
  const after = g.admit("dpo", "10.0.0.9");
  assert.ok(after.ok);
  after.done(true);
});

test("a name failing from many addresses: failed addresses wait, one that never failed still gets in", () => {
  const { g, fail } = gate();
  for (let i = 0; i < 20; i++) fail("dpo", `10.1.0.${i}`);
  const again = g.admit("dpo", "10.1.0.3");
  assert.equal(again.ok, false);
  const fresh = g.admit("dpo", "192.0.2.7");
  assert.ok(fresh.ok);
  fresh.done(true);
});

test("at most `concurrent` sign-ins hash at once; the others are told to retry at once", () => {
  const { g } = gate({ concurrent: 2 });
  const a = g.admit("x", "10.0.0.1");
  const b = g.admit("y", "10.0.0.2");
  assert.ok(a.ok && b.ok);
  assert.deepEqual(g.admit("z", "10.0.0.3"), { ok: false, why: "busy", retryAfter: 1 });
  a.done(false);
  a.done(false); // a second call changes nothing
  const c = g.admit("z", "10.0.0.3");
  assert.ok(c.ok);
  assert.deepEqual(g.admit("w", "10.0.0.4"), { ok: false, why: "busy", retryAfter: 1 });
});

test("each address has a bucket: ten sign-ins at once, then one each six seconds", () => {
  const { g, tick } = gate({ perAddress: DEFAULT_SIGN_IN_LIMITS.perAddress });
  for (let i = 0; i < 10; i++) {
    const a = g.admit(`n${i}`, "10.0.0.1");
    assert.ok(a.ok);
    a.done(false);
  }
  assert.deepEqual(g.admit("n", "10.0.0.1"), { ok: false, why: "address", retryAfter: 6 });
  tick(6_000);
  assert.ok(g.admit("n", "10.0.0.1").ok);
});

test("the counters are bounded: the least recently used are forgotten", () => {
  const m = new LruMap<number, number>(3);
  for (let i = 0; i < 1000; i++) m.set(i, i);
  assert.equal(m.size, 3);
  m.get(997);
  m.set(1000, 1000);
  assert.equal(m.get(998), undefined);
  assert.equal(m.get(997), 997);
});
