// A store written before the Merkle tree (schema 3, test/files/stores/schema-3) migrates in place:
// its chain is verified, then sealed by the tree of its events; nothing is rewritten, the heads
// signed before still verify, and a store whose old log does not verify is not migrated.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { hashOf } from "../../src/evidence/events.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import { parseSignedHead, type SignedHead } from "../../src/services/head-statement.ts";
import { signHeads, verifyHeads } from "../../src/services/heads.ts";
import { SealError, sealLogs } from "../../src/services/seal.ts";
import { openStore } from "../../src/services/session.ts";
import { readSigningKey, type SigningKey } from "../../src/services/signing-key.ts";
import type { Store } from "../../src/store/store.ts";
import { vigie } from "../cli/vigie.ts";
import { copyOldStore } from "../support/old-store.ts";
import { postgresReady, testSchema } from "../support/postgres.ts";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the old store (test/support/old-store.ts) in a folder of its own. */
function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "vigie-seal-"));
  dirs.push(dir);
  return copyOldStore(dir);
}

/**
 * The events of the log, each column as the old version wrote it: read from the compact rows of
 * schema 17 once the store was opened (src/store/sqlite/event-rows.ts), as written before.
 */
function rows(file: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    const compact =
      db.prepare("SELECT 1 FROM pragma_table_info('events') WHERE name = 'prev_hash'").get() === undefined;
    return db
      .prepare(
        compact
          ? `SELECT e.tenant, e.seq, lower(hex(e.event_id)) AS event_id, e.type, e.point_key, e.controller,
               e.occurred_at, e.recorded_at, d.text AS data, p.text AS proof,
               CASE WHEN e.pii_hash IS NULL THEN NULL ELSE lower(hex(e.pii_hash)) END AS pii_hash,
               coalesce(nullif(lower(hex(pe.hash)), ''), '${"0".repeat(64)}') AS prev_hash, lower(hex(e.hash)) AS hash
             FROM events e JOIN event_texts d ON d.id = e.data JOIN event_texts p ON p.id = e.proof
             LEFT JOIN events pe ON pe.tenant = e.tenant AND pe.seq = e.seq - 1
             ORDER BY e.tenant, e.seq`
          : `SELECT tenant, seq, event_id, type, point_key, controller, occurred_at, recorded_at, data, proof,
               pii_hash, prev_hash, hash FROM events ORDER BY tenant, seq`,
      )
      .all();
  } finally {
    db.close();
  }
}

const heads = (dir: string): SignedHead[] =>
  readFileSync(join(dir, "store.db.heads.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => parseSignedHead(JSON.parse(l)) as SignedHead);

describe("migrating a store of schema 3 to the Merkle tree", () => {
  it("verifies and seals each tenant's log, rewrites nothing, and the old signed heads still hold", async () => {
    const dir = copyFixture();
    const file = join(dir, "store.db");
    const before = rows(file);
    const store = await openStore({ store: file });
    try {
      assert.deepEqual(rows(file), before, "no event rewritten");
      for (const tenant of ["default", "agence-b"]) {
        const head = await store.chainHead(tenant);
        assert.ok(head?.tree !== null && head?.tree !== undefined, `${tenant} sealed`);
      }
      assert.equal((await store.treeNodeCount("default")) > 0, true, "84 events make level-4 nodes");
      const audit = await verifyAudit(store);
      assert.equal(audit.ok, true, JSON.stringify(audit.broken));
      const key = readSigningKey(join(dir, "signing-key.pem")) as SigningKey;
      const old = heads(dir);
      assert.ok(old.every((h) => h.statement.v === 1));
      assert.deepEqual((await verifyHeads(store, old, key.publicKey)).problems, []);
      // New heads sign the tree's root; the log goes on growing from the sealed tree.
      const now = await signHeads(store, key, ["default"], Date.now());
      assert.equal(now[0]?.statement.v, 2);
      assert.equal(await sealLogs(store).then((s) => s.length), 0, "sealed once");
    } finally {
      await store.close();
    }
  });

  it("from the command line: the first command seals, audit verify and verify --heads pass, imports go on", () => {
    const dir = copyFixture();
    const env = { VIGIE_KEYRING: join(dir, "keyring.json") };
    const store = ["--store", join(dir, "store.db")];
    const verified = vigie(
      ["audit", "verify", "--heads", join(dir, "store.db.heads.jsonl"), ...store],
      undefined,
      env,
    );
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /heads: the log extends all \d+ signed head\(s\)/);
    const imported = vigie(
      ["import", "objections", "examples/evidence/objections.csv", ...store, "--tenant", "agence-b"],
      undefined,
      env,
    );
    assert.equal(imported.status, 0, imported.stderr);
    const again = vigie(
      ["audit", "verify", "--heads", join(dir, "store.db.heads.jsonl"), ...store],
      undefined,
      env,
    );
    assert.equal(again.status, 0, again.stdout + again.stderr);
  });

  it("a store whose old log does not verify is not migrated: a clear refusal, the log left as it was", async () => {
    const dir = copyFixture();
    const file = join(dir, "store.db");
    const db = new Database(file);
    db.prepare("UPDATE events SET controller = 'agence martin' WHERE tenant = 'agence-b' AND seq = 5").run();
    db.close();
    const before = rows(file);
    await assert.rejects(openStore({ store: file }), (e: unknown) => {
      assert.ok(e instanceof SealError);
      assert.match(
        e.message,
        /the evidence log of tenant "agence-b" fails verification, so it was not migrated to the Merkle tree \(the log was left as it was\): event 5 \(.*\) was altered after it was recorded/,
      );
      return true;
    });
    assert.deepEqual(rows(file), before);
    const r = vigie(["audit", "verify", "--store", file], undefined, {
      VIGIE_KEYRING: join(dir, "keyring.json"),
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not migrated to the Merkle tree/);
  });
});

/** The same on PostgreSQL: a log made by this version, its tree removed as schema 3 had none. */
async function unsealed(store: Store & { unsafeExec(sql: string): Promise<void> }): Promise<void> {
  const { sourceEvent } = await import("../../src/services/record.ts");
  const { sourceData } = await import("../support/evidence.ts");
  for (let i = 0; i < 40; i++) {
    await store.append([
      sourceEvent(
        {
          tenant: "t",
          subject: { key: `k:${i}`, keys: [`k:${i}`], point: { type: "email", value: `p${i}@example.fr` } },
          controller: "c",
          proof: { recordedBy: "test" },
        },
        sourceData({ collectedAt: Date.parse("2026-01-01") + i }),
        null,
      ),
    ]);
  }
  await store.unsafeExec("UPDATE chain_head SET tree = NULL; DELETE FROM merkle_nodes");
}

if (await postgresReady("migrating a PostgreSQL store to the Merkle tree", "test/store/seal.test.ts")) {
  describe("migrating a PostgreSQL store to the Merkle tree", () => {
    it("seals a verified log, and refuses one that does not verify", async () => {
      const schema = testSchema("seal");
      const store = await schema.open();
      try {
        await unsealed(store);
        assert.deepEqual(await sealLogs(store), [{ tenant: "t", events: 40 }]);
        assert.equal(await store.treeNodeCount("t"), 2);
        assert.equal((await verifyAudit(store)).ok, true);
        await store.unsafeExec("UPDATE chain_head SET tree = NULL; DELETE FROM merkle_nodes");
        const [third] = await store.eventsOf("t", ["k:2"]);
        const forged = { ...third, controller: "d" } as NonNullable<typeof third>;
        await store.unsafeExec(
          `UPDATE events SET controller = 'd' WHERE tenant = 't' AND seq = ${third?.seq}`,
        );
        assert.notEqual(hashOf(forged), third?.hash);
        await assert.rejects(sealLogs(store), /fails verification, so it was not migrated/);
        assert.equal((await store.chainHead("t"))?.tree, null, "left as it was");
      } finally {
        await store.close();
        await schema.drop();
      }
    });
  });
}
