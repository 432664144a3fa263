// Signed heads kept outside the database (src/services/heads.ts): an attacker with write access to
// the database can rewrite the log into a chain that verifies, but not past a head signed before.
// Each attack is run on SQLite and, when a server answers, PostgreSQL.
import assert from "node:assert/strict";
import { createPublicKey, randomBytes, sign, verify } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import pg from "pg";
import { hashOf, type StoredEvent } from "../../src/evidence/events.ts";
import { loadOrCreateKeyRing } from "../../src/normalize/keys.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import { proveConsistency } from "../../src/services/consistency.ts";
import {
  canonicalStatement,
  type SignedHead,
  signatureHolds,
  signHead,
} from "../../src/services/head-statement.ts";
import { signHeads, verifyHeads } from "../../src/services/heads.ts";
import { appendHeads, readHeads } from "../../src/services/heads-file.ts";
import { objectionEvent } from "../../src/services/record.ts";
import { subjectOf } from "../../src/services/session.ts";
import {
  loadOrCreateSigningKey,
  newEd25519Key,
  readSigningKey,
  SIGNING_KEY_FINGERPRINT,
  SigningKeyError,
  signingKeyFor,
} from "../../src/services/signing-key.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { postgresReady, TEST_DATABASE_URL } from "../support/postgres.ts";
import { retree } from "../support/retree.ts";
import { rewriteEventSql } from "../support/sql.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-heads-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(dir, `${name}-${n++}`);

const ring = loadOrCreateKeyRing(join(dir, "keyring.json"));
const key = loadOrCreateSigningKey(join(dir, "signing-key.pem"));
const AT = Date.parse("2026-11-30T10:00:00Z");

type Tamperable = Store & { unsafeExec(sql: string): unknown };

/** Six objections, one a day, to tenant t. */
async function fill(store: Store, from = 0, count = 6): Promise<void> {
  const events = Array.from({ length: count }, (_, i) => {
    const r = subjectOf(ring, `06 12 34 56 ${String(10 + from + i)}`);
    assert.ok(r.ok);
    const recording = { tenant: "t", subject: r.subject, proof: { recordedBy: "test" } };
    return objectionEvent(recording, "all", "stop_sms", Date.parse("2026-09-01") + (from + i) * 86_400_000);
  });
  await store.append(events);
}

async function eventsOf(store: Store): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of store.events("t")) out.push(e);
  return out;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * What an attacker with write access does: rewrites event `seq`'s data and recomputes its hash
 * and every later one, and the chain head, so that the chain verifies again.
 */
async function rewriteAndRechain(store: Tamperable, seq: number): Promise<void> {
  let prevHash: string | null = null;
  for (const e of await eventsOf(store)) {
    if (e.seq < seq) continue;
    const { hash: _, pii: __, ...rest } = e;
    const data =
      e.seq === seq && e.data.type === "objection.recorded"
        ? { ...e.data, channel: "email" as const }
        : e.data;
    const fields = { ...rest, data, prevHash: prevHash ?? e.prevHash };
    const hash = hashOf(fields);
    await store.unsafeExec(
      rewriteEventSql(store.dialect, { tenant: "t", seq: e.seq }, { data: JSON.stringify(data), hash }),
    );
    await store.unsafeExec(
      `UPDATE chain_head SET hash = ${quote(hash)} WHERE tenant = 't' AND seq = ${e.seq}`,
    );
    prevHash = hash;
  }
  await retree(store, "t");
}

function attacks(name: string, open: () => Promise<Tamperable>): void {
  describe(`verify --heads on ${name}`, () => {
    const signedAt4 = async (store: Tamperable): Promise<SignedHead[]> => {
      await fill(store, 0, 4);
      const heads = await signHeads(store, key, ["t"], AT);
      await fill(store, 4, 2);
      return heads;
    };

    test("an intact log extends every head signed", async () => {
      const store = await open();
      try {
        const heads = await signedAt4(store);
        heads.push(...(await signHeads(store, key, ["t", "absent"], AT + 1)));
        assert.deepEqual(
          heads.map((h) => h.statement.size),
          [4, 6],
          "a tenant without a log has no head",
        );
        assert.deepEqual(await verifyHeads(store, heads, key.publicKey), {
          ok: true,
          checked: 2,
          problems: [],
        });
      } finally {
        await store.close();
      }
    });

    test("a rollback (last events deleted, chain head rewritten) is caught", async () => {
      const store = await open();
      try {
        const heads = await signedAt4(store);
        const third = (await eventsOf(store))[2] as StoredEvent;
        await store.unsafeExec("DELETE FROM events WHERE tenant = 't' AND seq > 3");
        await store.unsafeExec(
          `UPDATE chain_head SET seq = 3, hash = ${quote(third.hash)} WHERE tenant = 't'`,
        );
        await retree(store, "t");
        // The chain alone cannot tell (the full audit sees state rows no event records).
        assert.equal((await verifyAudit(store, { quick: true })).ok, true, "the chain alone cannot tell");
        const r = await verifyHeads(store, heads, key.publicKey);
        assert.equal(r.ok, false);
        assert.deepEqual(
          r.problems.map((p) => [p.tenant, p.size, p.at]),
          [["t", 4, new Date(AT).toISOString()]],
        );
        assert.match(
          r.problems[0]?.problem ?? "",
          /rolled back: the chain head is now event 3, and event 4 is gone/,
        );
      } finally {
        await store.close();
      }
    });

    test("a truncation (last events deleted, chain head left) is caught", async () => {
      const store = await open();
      try {
        const heads = await signedAt4(store);
        await store.unsafeExec("DELETE FROM events WHERE tenant = 't' AND seq >= 4");
        const r = await verifyHeads(store, heads, key.publicKey);
        assert.match(r.problems[0]?.problem ?? "", /event 4 is gone from the log/);
      } finally {
        await store.close();
      }
    });

    test("an earlier event rewritten, every later hash recomputed, is caught at the signed event", async () => {
      const store = await open();
      try {
        const heads = await signedAt4(store);
        await rewriteAndRechain(store, 2);
        assert.equal(
          (await verifyAudit(store, { quick: true })).ok,
          true,
          "the rewritten chain verifies on its own",
        );
        const r = await verifyHeads(store, heads, key.publicKey);
        assert.equal(r.ok, false);
        assert.match(
          r.problems[0]?.problem ?? "",
          /the Merkle tree of events 1 to 4 has root [0-9a-f]{64}, not the signed [0-9a-f]{64}: the log was rewritten at or before event 4/,
        );
      } finally {
        await store.close();
      }
    });
  });
}

attacks("SQLite", async () => new SqliteStore(`${fresh("store")}.db`));

describe("consistency proofs between two signed heads", () => {
  test("the log that grew is proven to extend the old head; rewritten, it is not", async () => {
    const store = new SqliteStore(`${fresh("store")}.db`);
    try {
      await fill(store, 0, 5);
      const [older] = await signHeads(store, key, ["t"], AT);
      await fill(store, 5, 20);
      const [newer] = await signHeads(store, key, ["t"], AT + 1);
      assert.ok(older !== undefined && newer !== undefined);
      const grown = await proveConsistency(store, older, newer, key.publicKey);
      assert.equal(grown.ok, true, grown.problem ?? "");
      assert.ok(grown.proof.length > 0);
      assert.equal((await proveConsistency(store, older, older, key.publicKey)).ok, true);
      assert.match(
        (await proveConsistency(store, newer, older, key.publicKey)).problem ?? "",
        /give the older head first/,
      );
      const v1 = signHead(key, { ...older.statement, v: 1 });
      assert.match((await proveConsistency(store, v1, newer, key.publicKey)).problem ?? "", /version 1 head/);
      // Rewritten at event 2 and re-signed now: the new head verifies alone, but not from the old one.
      await rewriteAndRechain(store, 2);
      const [forged] = await signHeads(store, key, ["t"], AT + 2);
      const r = await proveConsistency(store, older, forged as SignedHead, key.publicKey);
      assert.equal(r.ok, false);
      assert.match(r.problem ?? "", /does not extend the one signed at .*: events 1 to 5 were rewritten/);
    } finally {
      await store.close();
    }
  });
});

describe("signed heads", () => {
  const statement = {
    v: 1,
    tenant: "t",
    size: 4,
    root: "a".repeat(64),
    at: new Date(AT).toISOString(),
  } as const;

  test("a signature round trip; canonical JSON has its keys in order", () => {
    const signed = signHead(key, statement);
    assert.equal(
      canonicalStatement(statement),
      `{"at":"2026-11-30T10:00:00.000Z","root":"${"a".repeat(64)}","size":4,"tenant":"t","v":1}`,
    );
    assert.equal(signed.keyId, key.fingerprint.slice(0, 16));
    assert.equal(signatureHolds(signed, key.publicKey), true);
    assert.deepEqual(signHead(key, statement), signed, "Ed25519 signs deterministically");
    for (const altered of [
      { size: 5 },
      { root: "b".repeat(64) },
      { at: "2026-12-01T00:00:00.000Z" },
      { tenant: "u" },
    ]) {
      assert.equal(
        signatureHolds({ ...signed, statement: { ...statement, ...altered } }, key.publicKey),
        false,
      );
    }
  });

  test("a statement altered in the heads file, or another key's, is refused by name", async () => {
    const store = new SqliteStore(`${fresh("store")}.db`);
    try {
      await fill(store);
      const file = `${fresh("heads")}.jsonl`;
      appendHeads(file, await signHeads(store, key, ["t"], AT));
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const other = loadOrCreateSigningKey(`${fresh("other")}.pem`);
      appendHeads(file, await signHeads(store, other, ["t"], AT));
      writeFileSync(file, readFileSync(file, "utf8").replace('"size":6', '"size":5'));
      const lines = readHeads(file);
      const heads = lines.flatMap((l) => ("signed" in l ? [l.signed] : []));
      const r = await verifyHeads(store, heads, key.publicKey);
      assert.deepEqual(
        r.problems.map((p) => [p.size, p.problem.split(":")[0]]),
        [
          [5, "the signature does not hold"],
          [6, `signed with key ${other.keyId}, not with this store's signing key ${key.keyId}`],
        ],
      );
      writeFileSync(file, "{\n");
      assert.deepEqual(readHeads(file), [{ line: 1, error: "not valid JSON" }]);
    } finally {
      await store.close();
    }
  });
});

describe("the signing key", () => {
  test("is an Ed25519 key from 32 random bytes: a new one each time, that signs and verifies", () => {
    const [a, b] = [newEd25519Key(), newEd25519Key()];
    assert.equal(a.asymmetricKeyType, "ed25519");
    const der = (k: typeof a) => k.export({ format: "der", type: "pkcs8" }).toString("hex");
    assert.notEqual(der(a), der(b));
    const message = Buffer.from("tête signée");
    const signature = sign(null, message, a);
    assert.equal(verify(null, message, createPublicKey(a), signature), true);
    assert.equal(verify(null, message, createPublicKey(b), signature), false);
  });

  test("is created 0600 with a new store only, and recorded", async () => {
    const path = `${fresh("key")}.pem`;
    const store = new SqliteStore(`${fresh("store")}.db`);
    try {
      const created = await signingKeyFor(store, path, "s.db");
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(await store.meta(SIGNING_KEY_FINGERPRINT), created?.fingerprint);
      assert.deepEqual(readSigningKey(path)?.keyId, created?.keyId);
      assert.equal((await signingKeyFor(store, path, "s.db"))?.keyId, created?.keyId);
    } finally {
      await store.close();
    }
  });

  test("a store with evidence is never given one unasked", async () => {
    const path = `${fresh("key")}.pem`;
    const store = new SqliteStore(`${fresh("store")}.db`);
    try {
      await fill(store);
      assert.equal(await signingKeyFor(store, path, "s.db"), null);
      assert.equal(existsSync(path), false);
    } finally {
      await store.close();
    }
  });

  test("a missing or another signing key is refused", async () => {
    const path = `${fresh("key")}.pem`;
    const store = new SqliteStore(`${fresh("store")}.db`);
    try {
      const own = await signingKeyFor(store, path, "s.db");
      await fill(store);
      rmSync(path);
      await assert.rejects(
        signingKeyFor(store, path, "s.db"),
        (e: Error) =>
          e instanceof SigningKeyError &&
          e.message.includes(
            `s.db signs its heads with key ${own?.keyId}, but there is no signing key at ${path}`,
          ),
      );
      assert.equal(existsSync(path), false, "never re-created");
      loadOrCreateSigningKey(path);
      await assert.rejects(
        signingKeyFor(store, path, "s.db"),
        /holds key [0-9a-f]{16}: set VIGIE_SIGNING_KEY/,
      );
    } finally {
      await store.close();
    }
  });
});

if (await postgresReady("verify --heads: postgres", "test/services/heads.test.ts")) {
  const schema = `vigie_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  after(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema}_1, ${schema}_2, ${schema}_3, ${schema}_4 CASCADE`);
    await admin.end();
  });
  let s = 0;
  attacks("PostgreSQL", () => PostgresStore.open(TEST_DATABASE_URL, { schema: `${schema}_${++s}` }));
}
