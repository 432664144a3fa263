import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { StoreOpenError } from "../../src/store/store.ts";
import { auditStateContract } from "./audit-contract.ts";
import { bulkRollbackContract, storeContract } from "./contract.ts";
import { migration5Contract } from "./migration-5.ts";

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
