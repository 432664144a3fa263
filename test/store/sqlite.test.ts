import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import type { NewEvent } from "../../src/evidence/events.ts";
import { registryDigest } from "../../src/evidence/registry-digest.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { StoreOpenError } from "../../src/store/store.ts";
import { auditStateContract } from "./audit-contract.ts";
import { bulkRollbackContract, source, storeContract } from "./contract.ts";
import { migration5Contract } from "./migration-5.ts";
import { CALL_ADVERTISER, CONSENT_METHOD, mergeMigrationContract } from "./migration-merges.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

storeContract("sqlite", async () => new SqliteStore(join(dir, "contract.db")));
bulkRollbackContract("sqlite", async () => new SqliteStore(join(dir, "rollback.db")));
auditStateContract("sqlite", async () => new SqliteStore(join(dir, "audit-state.db")));
migration5Contract(
  "sqlite",
  async () => new SqliteStore(join(dir, "migration-5.db")),
  async () => {
    const db = new Database(join(dir, "migration-5.db"), { readonly: true });
    try {
      return (
        db.prepare("SELECT version FROM schema_migrations ORDER BY version").all() as { version: number }[]
      ).map((r) => r.version);
    } finally {
      db.close();
    }
  },
);

for (const [version, mend] of [
  [20, CONSENT_METHOD],
  [22, CALL_ADVERTISER],
] as const) {
  const file = join(dir, `migration-${version}.db`);
  mergeMigrationContract(
    "sqlite",
    version,
    mend,
    async () => new SqliteStore(file),
    async (statements) => {
      const db = new Database(file);
      try {
        for (const sql of statements) db.exec(sql);
      } finally {
        db.close();
      }
    },
  );
}

test("a file that is no SQLite database is refused by name, its bytes left as they were", () => {
  for (const [name, bytes] of [
    ["random.db", randomBytes(5000)],
    ["text.db", Buffer.from("phone,controller\n0612345678,Agence\n".repeat(200))],
  ] as const) {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    assert.throws(
      () => new SqliteStore(file),
      (e: unknown) =>
        e instanceof StoreOpenError && e.message.includes(`${file}: not a vigie store, or a damaged one`),
    );
    assert.deepEqual(readFileSync(file), bytes);
    assert.equal(existsSync(`${file}-wal`), false);
  }
});

test("migration 19: sources and Bloctel entries of a store made before become tables without rowid, their rows kept and the audit verifying", async () => {
  const file = join(dir, "migration-19.db");
  const tenant = "m19";
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
  const made = new SqliteStore(file);
  const entries = [
    { pointKey: "k:yes", registered: true, registeredAt: day("2019-05-02"), effectiveAt: day("2019-05-30") },
    { pointKey: "k:no", registered: false, registeredAt: null, effectiveAt: null },
  ];
  const snapshot: NewEvent = {
    tenant,
    pointKey: "",
    controller: "",
    occurredAt: day("2025-02-25"),
    data: {
      type: "registry.snapshot",
      registry: "bloctel",
      complete: true,
      fileSha256: "a".repeat(64),
      rows: entries.length,
      entriesDigest: await registryDigest(entries),
    },
    proof: { recordedBy: "migration-test" },
    pii: null,
  };
  await made.append(
    ["k:yes", "k:no"].map((pointKey, i) => ({
      tenant,
      pointKey,
      controller: "agence dupont",
      occurredAt: day("2025-02-20") + i,
      data: { type: "source.recorded", source },
      proof: { recordedBy: "migration-test" },
      pii: { point: { type: "phone", value: `+3361234567${i}` }, sourceUrl: "https://annonces.example/1" },
    })),
  );
  await made.bulk(async (w) => {
    const seq = (await w.append([snapshot])).seqs[0] as number;
    await w.registry(tenant, seq, snapshot.occurredAt, entries);
  });
  const before = await Promise.all(["k:yes", "k:no"].map((k) => made.evidence(tenant, [k])));
  await made.close();

  // Back to how migration 18 left the two tables: rowid tables, the primary key a second tree.
  const db = new Database(file);
  const asRowid = (table: string) => {
    const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").pluck().get(table) as string;
    db.exec(`ALTER TABLE ${table} RENAME TO ${table}_19`);
    db.exec(sql.replace(/\) WITHOUT ROWID$/, ")"));
    db.exec(`INSERT INTO ${table} SELECT * FROM ${table}_19; DROP TABLE ${table}_19`);
  };
  db.transaction(() => {
    asRowid("sources");
    asRowid("registry_entries");
    db.exec("DELETE FROM schema_migrations WHERE version = 19");
  })();
  const rowidTables = () =>
    db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE name IN ('sources', 'registry_entries') AND sql NOT LIKE '%WITHOUT ROWID'",
      )
      .pluck()
      .all();
  assert.deepEqual(rowidTables(), ["sources", "registry_entries"]);
  db.close();

  const store = new SqliteStore(file);
  try {
    const after = await Promise.all(["k:yes", "k:no"].map((k) => store.evidence(tenant, [k])));
    assert.deepEqual(after, before);
    assert.equal(after[0]?.sources.length, 1);
    assert.equal(after[0]?.registry.length, 1);
    assert.equal((await verifyAudit(store)).ok, true);
  } finally {
    await store.close();
  }
  const reopened = new Database(file, { readonly: true });
  try {
    assert.deepEqual(
      reopened
        .prepare(
          "SELECT name FROM sqlite_schema WHERE name IN ('sources', 'registry_entries') AND sql NOT LIKE '%WITHOUT ROWID'",
        )
        .pluck()
        .all(),
      [],
    );
    assert.equal(
      reopened
        .prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'registry_entries_snapshot'")
        .pluck()
        .get(),
      1,
    );
  } finally {
    reopened.close();
  }
});
