// A store knows its keyring (src/services/keyring-check.ts): every session checks it, a keyring is
// created only for a new, empty store, and a store is never used with another keyring — nor
// without one. On SQLite; the meta methods underneath are in the store contract for both.
import assert from "node:assert/strict";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { keyRingFingerprint, shortFingerprint } from "../../src/normalize/keyring-fingerprint.ts";
import { type KeyRing, loadOrCreateKeyRing, readKeyRing, rotateKeyRing } from "../../src/normalize/keys.ts";
import {
  adoptKeyRing,
  KEYRING_FINGERPRINT,
  KeyRingError,
  keyRingFor,
} from "../../src/services/keyring-check.ts";
import { consentEvent } from "../../src/services/record.ts";
import { openEvidence } from "../../src/services/screen/evidence.ts";
import { openSession, subjectOf } from "../../src/services/session.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-keyring-check-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(dir, `${name}-${n++}`);

/** Runs `body` with VIGIE_KEYRING set to `path`, as a command started in that shell would. */
async function withKeyRing<T>(path: string, body: () => Promise<T>): Promise<T> {
  const before = process.env.VIGIE_KEYRING;
  process.env.VIGIE_KEYRING = path;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.VIGIE_KEYRING;
    else process.env.VIGIE_KEYRING = before;
  }
}

async function open(store: string, keyring: string) {
  return withKeyRing(keyring, () => openSession({ store, tenant: "t" }));
}

async function recorded(file: string): Promise<string | null> {
  const store = new SqliteStore(file);
  try {
    return await store.meta(KEYRING_FINGERPRINT);
  } finally {
    await store.close();
  }
}

async function eventCount(file: string): Promise<number> {
  const store = new SqliteStore(file);
  try {
    return (await store.chainHead("t"))?.seq ?? 0;
  } finally {
    await store.close();
  }
}

const consent = (ring: KeyRing, phone: string) => {
  const r = subjectOf(ring, phone);
  assert.ok(r.ok);
  return consentEvent(
    { tenant: "t", subject: r.subject, controller: "Agence Dupont", proof: { recordedBy: "test" } },
    {
      channel: "voice_live",
      givenAt: Date.parse("2026-09-01"),
      method: "double_opt_in",
      scope: "standard",
      proof: true,
    },
  );
};

/** A store as vigie made them before stores recorded their keyring: events, no fingerprint. */
async function legacyStore(ring: KeyRing, options: { erased?: boolean } = {}): Promise<string> {
  const file = `${fresh("legacy")}.db`;
  const store = new SqliteStore(file);
  try {
    const event = consent(ring, "06 12 34 56 78");
    await store.append([event]);
    if (options.erased) {
      await store.append([
        {
          ...event,
          data: { type: "subject.erased", pointType: "phone", reason: "request" },
          controller: "",
          occurredAt: Date.parse("2026-10-01"),
          pii: null,
        },
      ]);
    }
    assert.equal(await store.meta(KEYRING_FINGERPRINT), null);
  } finally {
    await store.close();
  }
  return file;
}

describe("a new store", () => {
  test("gets a keyring created, and records its fingerprint", async () => {
    const store = `${fresh("new")}.db`;
    const keyring = join(fresh("keys"), "keyring.json");
    const session = await open(store, keyring);
    await session.store.close();
    const ring = readKeyRing(keyring);
    assert.ok(ring, "keyring created");
    assert.equal(await recorded(store), keyRingFingerprint(ring));
    assert.match(keyRingFingerprint(ring), /^v1:[0-9a-f]{64}$/);
  });

  test("adopts a keyring that is already there", async () => {
    const store = `${fresh("new")}.db`;
    const keyring = `${fresh("keyring")}.json`;
    const ring = loadOrCreateKeyRing(keyring);
    const session = await open(store, keyring);
    await session.store.close();
    assert.deepEqual(session.ring, ring);
    assert.equal(await recorded(store), keyRingFingerprint(ring));
  });

  test("two processes creating it at once, each with its own keyring: one fingerprint, the other refused", async () => {
    const file = `${fresh("race")}.db`;
    const stores = [new SqliteStore(file), new SqliteStore(file)];
    const keyrings = [`${fresh("a")}.json`, `${fresh("b")}.json`];
    try {
      // Both read "no fingerprint, no event" before either records: the insert decides.
      const results = await Promise.allSettled(
        stores.map((store, i) => keyRingFor(store, keyrings[i] as string, file)),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(lost[0]?.reason instanceof KeyRingError);
      const winner = (won[0] as PromiseFulfilledResult<KeyRing>).value;
      assert.equal(await stores[0]?.meta(KEYRING_FINGERPRINT), keyRingFingerprint(winner));
    } finally {
      for (const s of stores) await s.close();
    }
  });
});

describe("a store that records its keyring", () => {
  const setUp = async () => {
    const store = `${fresh("keyed")}.db`;
    const keyring = `${fresh("keyring")}.json`;
    const session = await open(store, keyring);
    await session.store.append([consent(session.ring, "06 12 34 56 78")]);
    await session.store.close();
    return { store, keyring, ring: session.ring };
  };

  test("refuses another keyring, saying which is which and what to do; writes nothing", async () => {
    const { store, ring } = await setUp();
    const other = `${fresh("other")}.json`;
    const otherRing = loadOrCreateKeyRing(other);
    await assert.rejects(open(store, other), (e: Error) => {
      assert.ok(e instanceof KeyRingError);
      assert.equal(
        e.message,
        `${store} was keyed with keyring ${shortFingerprint(keyRingFingerprint(ring))}, but VIGIE_KEYRING=${other} holds keyring ${shortFingerprint(keyRingFingerprint(otherRing))}: set VIGIE_KEYRING to the keyring that came with this store`,
      );
      return true;
    });
    assert.equal(await recorded(store), keyRingFingerprint(ring), "the fingerprint stays");
    assert.equal(await eventCount(store), 1);
  });

  test("refuses a missing keyring, and creates none", async () => {
    const { store } = await setUp();
    const missing = join(fresh("gone"), "keyring.json");
    await assert.rejects(
      open(store, missing),
      (e: Error) =>
        e instanceof KeyRingError &&
        e.message.includes(`there is no keyring at VIGIE_KEYRING=${missing}`) &&
        e.message.includes("vigie never creates a keyring for a store that holds evidence"),
    );
    assert.equal(existsSync(missing), false);
  });

  test("accepts a copy of its keyring, and the keyring after rotations", async () => {
    const { store, keyring, ring } = await setUp();
    const copy = `${fresh("copy")}.json`;
    copyFileSync(keyring, copy);
    await (await open(store, copy)).store.close();
    rotateKeyRing(keyring);
    rotateKeyRing(keyring);
    const session = await open(store, keyring);
    await session.store.close();
    assert.equal(session.ring.current.version, 3);
    assert.equal(
      keyRingFingerprint(session.ring),
      keyRingFingerprint(ring),
      "rotation keeps the fingerprint",
    );
  });

  test("refuses an unreadable keyring as a KeyRingError", async () => {
    const { store, keyring } = await setUp();
    chmodSync(keyring, 0o644);
    await assert.rejects(
      open(store, keyring),
      (e: Error) => e instanceof KeyRingError && /group or others have access/.test(e.message),
    );
    chmodSync(keyring, 0o600);
  });

  test("screening goes through the same check", async () => {
    const { store, keyring } = await setUp();
    const other = `${fresh("other")}.json`;
    loadOrCreateKeyRing(other);
    await assert.rejects(
      withKeyRing(other, () => openEvidence({ store, tenant: "t" })),
      (e: Error) => e instanceof KeyRingError && e.message.includes("was keyed with keyring"),
    );
    const missing = `${fresh("missing")}.json`;
    await assert.rejects(
      withKeyRing(missing, () => openEvidence({ store, tenant: "t" })),
      KeyRingError,
    );
    assert.equal(existsSync(missing), false);
    await (await withKeyRing(keyring, () => openEvidence({ store, tenant: "t" })))?.close();
  });
});

describe("a store made before stores recorded their keyring", () => {
  test("adopts its own keyring, checked against a point it holds, and records it", async () => {
    const keyring = `${fresh("keyring")}.json`;
    const ring = loadOrCreateKeyRing(keyring);
    const store = await legacyStore(ring);
    await (await open(store, keyring)).store.close();
    assert.equal(await recorded(store), keyRingFingerprint(ring));
  });

  test("adopts its keyring after a rotation: the point's key says which version to check", async () => {
    const keyring = `${fresh("keyring")}.json`;
    loadOrCreateKeyRing(keyring);
    const store = await legacyStore(rotateKeyRing(keyring));
    await (await open(store, keyring)).store.close();
    assert.equal(await recorded(store), keyRingFingerprint(readKeyRing(keyring) as KeyRing));
  });

  test("refuses another keyring, and records nothing", async () => {
    const store = await legacyStore(loadOrCreateKeyRing(`${fresh("own")}.json`));
    const other = `${fresh("other")}.json`;
    loadOrCreateKeyRing(other);
    await assert.rejects(
      open(store, other),
      (e: Error) =>
        e instanceof KeyRingError &&
        e.message ===
          `${store} holds evidence keyed with another keyring than VIGIE_KEYRING=${other} (a point it holds has another key under it): set VIGIE_KEYRING to the keyring that came with this store`,
    );
    assert.equal(await recorded(store), null);
  });

  test("refuses a missing keyring, and creates none", async () => {
    const store = await legacyStore(loadOrCreateKeyRing(`${fresh("own")}.json`));
    const missing = `${fresh("missing")}.json`;
    await assert.rejects(open(store, missing), /holds evidence but there is no keyring at/);
    assert.equal(existsSync(missing), false);
    assert.equal(await recorded(store), null);
  });

  test("with every point erased, refuses any keyring until one is adopted, then keeps to it", async () => {
    const keyring = `${fresh("keyring")}.json`;
    const ring = loadOrCreateKeyRing(keyring);
    const store = await legacyStore(ring, { erased: true });
    await assert.rejects(open(store, keyring), /cannot be checked against it: .*`vigie keyring adopt`/);
    assert.equal(await recorded(store), null);
    const s = new SqliteStore(store);
    try {
      assert.deepEqual(await adoptKeyRing(s, keyring, store), { ring, adopted: true });
      assert.deepEqual(await adoptKeyRing(s, keyring, store), { ring, adopted: false });
      const other = `${fresh("other")}.json`;
      loadOrCreateKeyRing(other);
      await assert.rejects(adoptKeyRing(s, other, store), /was keyed with keyring/, "never replaced");
    } finally {
      await s.close();
    }
    await (await open(store, keyring)).store.close();
  });

  test("never adopts a keyring that a held point proves wrong", async () => {
    const store = await legacyStore(loadOrCreateKeyRing(`${fresh("own")}.json`));
    const other = `${fresh("other")}.json`;
    loadOrCreateKeyRing(other);
    const s = new SqliteStore(store);
    try {
      await assert.rejects(adoptKeyRing(s, other, store), /keyed with another keyring/);
      assert.equal(await s.meta(KEYRING_FINGERPRINT), null);
    } finally {
      await s.close();
    }
  });
});
