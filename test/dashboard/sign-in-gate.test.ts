// The sign-in gate alone, on a clock the test moves, over a SQLite store: backoff per (name,
// address), the per-name bucket that spares addresses which never failed, the cap on concurrent
// hashing, and counts two server processes (two gates on one store) share.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DEFAULT_SIGN_IN_LIMITS, SignInGate } from "../../src/dashboard/sign-in-gate.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { LruMap } from "../../src/web/lru.ts";

const loose = { burst: 1e9, perSecond: 1e9 };
const dir = mkdtempSync(join(tmpdir(), "vigie-sign-in-"));
const stores: SqliteStore[] = [];
after(async () => {
  for (const s of stores) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function gate(overrides = {}) {
  let now = 1_000_000;
  const store = new SqliteStore(join(dir, `gate-${n++}.db`));
  stores.push(store);
  const limits = { ...DEFAULT_SIGN_IN_LIMITS, perAddress: loose, ...overrides };
  const make = () => new SignInGate(limits, () => now, store, "default");
  const g = make();
  const fail = async (name: string, address: string, through = g) => {
    const a = await through.admit(name, address);
    assert.ok(a.ok, `admitted ${name} from ${address}`);
    await a.done(false);
  };
  return { g, make, fail, tick: (ms: number) => (now += ms) };
}

test("five failures from one address lock that (name, address) for a minute, doubling up to 15 minutes", async () => {
  const { g, fail, tick } = gate();
  for (let i = 0; i < 5; i++) await fail("dpo", "10.0.0.9");
  const locked = await g.admit("dpo", "10.0.0.9");
  assert.deepEqual(locked, { ok: false, why: "locked", retryAfter: 60 });
  const other = await g.admit("dpo", "10.0.0.1");
  assert.ok(other.ok, "the user's own address is not locked out");
  await other.done(true);
  tick(60_000);
  await fail("dpo", "10.0.0.9");
  assert.equal(((await g.admit("dpo", "10.0.0.9")) as { retryAfter: number }).retryAfter, 120);
  for (let i = 0; i < 6; i++) {
    tick(15 * 60_000);
    await fail("dpo", "10.0.0.9");
  }
  assert.equal(((await g.admit("dpo", "10.0.0.9")) as { retryAfter: number }).retryAfter, 15 * 60, "capped");
  // Quiet for longer than the longest lock: the slate is clean.
  tick(31 * 60_000);
  await fail("dpo", "10.0.0.9");
  const after = await g.admit("dpo", "10.0.0.9");
  assert.ok(after.ok);
  await after.done(true);
});

test("a name failing from many addresses: failed addresses wait, one that never failed still gets in", async () => {
  const { g, fail } = gate();
  for (let i = 0; i < 20; i++) await fail("dpo", `10.1.0.${i}`);
  const again = await g.admit("dpo", "10.1.0.3");
  assert.equal(again.ok, false);
  const fresh = await g.admit("dpo", "192.0.2.7");
  assert.ok(fresh.ok);
  await fresh.done(true);
});

test("at most `concurrent` sign-ins hash at once; the others are told to retry at once", async () => {
  const { g } = gate({ concurrent: 2 });
  const a = await g.admit("x", "10.0.0.1");
  const b = await g.admit("y", "10.0.0.2");
  assert.ok(a.ok && b.ok);
  assert.deepEqual(await g.admit("z", "10.0.0.3"), { ok: false, why: "busy", retryAfter: 1 });
  await a.done(false);
  await a.done(false); // a second call changes nothing
  const c = await g.admit("z", "10.0.0.3");
  assert.ok(c.ok);
  assert.deepEqual(await g.admit("w", "10.0.0.4"), { ok: false, why: "busy", retryAfter: 1 });
});

test("each address has a bucket: ten sign-ins at once, then one each six seconds", async () => {
  const { g, tick } = gate({ perAddress: DEFAULT_SIGN_IN_LIMITS.perAddress });
  for (let i = 0; i < 10; i++) {
    const a = await g.admit(`n${i}`, "10.0.0.1");
    assert.ok(a.ok);
    await a.done(false);
  }
  assert.deepEqual(await g.admit("n", "10.0.0.1"), { ok: false, why: "address", retryAfter: 6 });
  tick(6_000);
  assert.ok((await g.admit("n", "10.0.0.1")).ok);
});

test("two server processes on one store share the counts: failures from one lock the pair on the other", async () => {
  const { g, make, fail, tick } = gate();
  const other = make();
  for (let i = 0; i < 3; i++) await fail("dpo", "10.0.0.9");
  for (let i = 0; i < 2; i++) await fail("dpo", "10.0.0.9", other);
  assert.deepEqual(await other.admit("dpo", "10.0.0.9"), { ok: false, why: "locked", retryAfter: 60 });
  assert.deepEqual(await g.admit("dpo", "10.0.0.9"), { ok: false, why: "locked", retryAfter: 60 });
  tick(60_000);
  const back = await g.admit("dpo", "10.0.0.9");
  assert.ok(back.ok);
  await back.done(true);
  const clean = await other.admit("dpo", "10.0.0.9");
  assert.ok(clean.ok, "a success through one process clears the pair for both");
  await clean.done(false);
});

test("two server processes on one store share an address's bucket", async () => {
  const { g, make } = gate({ perAddress: DEFAULT_SIGN_IN_LIMITS.perAddress });
  const other = make();
  for (let i = 0; i < 10; i++) {
    const a = await (i % 2 === 0 ? g : other).admit(`n${i}`, "10.0.0.1");
    assert.ok(a.ok, `attempt ${i}`);
    await a.done(false);
  }
  assert.deepEqual(await other.admit("n", "10.0.0.1"), { ok: false, why: "address", retryAfter: 6 });
  assert.deepEqual(await g.admit("n", "10.0.0.1"), { ok: false, why: "address", retryAfter: 6 });
});

test("the API keys' in-memory counters are bounded: the least recently used are forgotten", () => {
  const m = new LruMap<number, number>(3);
  for (let i = 0; i < 1000; i++) m.set(i, i);
  assert.equal(m.size, 3);
  m.get(997);
  m.set(1000, 1000);
  assert.equal(m.get(998), undefined);
  assert.equal(m.get(997), 997);
});
