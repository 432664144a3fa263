// Stores vigie cannot be sure of are refused, not written: one a later version of vigie migrated
// (its evidence may be where this version does not look, and deciding without it fails open), on
// both adapters and through the CLI; and a SQLite database of another program.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { MIGRATIONS } from "../../src/store/schema.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { StoreNewerError, StoreOpenError } from "../../src/store/store.ts";
import { vigie } from "../cli/vigie.ts";
import { postgresReady, TEST_DATABASE_URL } from "../support/postgres.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-newer-schema-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const NEXT = Math.max(...MIGRATIONS.map((m) => m.version)) + 1;
const REFUSED = new RegExp(
  `migrated by a later version of vigie \\(schema ${NEXT}; this version knows up to ${NEXT - 1}\\)`,
);

describe("a store migrated by a later vigie", () => {
  it("SQLite: refused on opening, through the CLI with exit 2, and left as it was", async () => {
    const file = join(dir, "later.db");
    await new SqliteStore(file).close();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'later', 0)").run(NEXT);
    db.close();
    assert.throws(
      () => new SqliteStore(file),
      (e: unknown) => e instanceof StoreNewerError && REFUSED.test(e.message),
    );
    const cli = vigie(["audit", "verify", "--store", file], undefined, {
      VIGIE_KEYRING: join(dir, "keyring.json"),
    });
    assert.equal(cli.status, 2, cli.stderr);
    assert.match(cli.stderr, REFUSED);
    const after = new Database(file, { readonly: true });
    const versions = after.prepare("SELECT count(*) FROM schema_migrations").pluck().get();
    after.close();
    assert.equal(versions, MIGRATIONS.length + 1);
  });
});

describe("a SQLite database of another program", () => {
  it("is refused, naming its tables, and nothing is written into it", () => {
    const file = join(dir, "crm.db");
    const db = new Database(file);
    db.exec("CREATE TABLE customers (id INTEGER, name TEXT); INSERT INTO customers VALUES (1, 'Dupont')");
    db.close();
    assert.throws(
      () => new SqliteStore(file),
      (e: unknown) =>
        e instanceof StoreOpenError &&
        /not a vigie store — a database of another program \(its tables: customers\)/.test(e.message),
    );
    const csv = join(dir, "objections.csv");
    writeFileSync(csv, "phone,at,controller,channel,via\n0612345678,2026-03-01,,all,stop_sms\n");
    const cli = vigie(["import", "objections", csv, "--store", file], undefined, {
      VIGIE_KEYRING: join(dir, "keyring-crm.json"),
    });
    assert.equal(cli.status, 2, cli.stderr);
    assert.match(cli.stderr, /not a vigie store/);
    const after = new Database(file, { readonly: true });
    const tables = after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    after.close();
    assert.deepEqual(tables, ["customers"]);
  });
});

if (await postgresReady("a PostgreSQL store migrated by a later vigie", "test/store/newer-schema.test.ts")) {
  describe("a PostgreSQL schema holding another program's tables", () => {
    it("is refused, naming them, and nothing is written into it", async () => {
      const schema = `foreign_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.campaigns (id INTEGER)`);
        await assert.rejects(
          PostgresStore.open(TEST_DATABASE_URL, { schema }),
          (e: unknown) =>
            e instanceof StoreOpenError &&
            /holds another program's tables \(campaigns\) and no vigie store/.test(e.message),
        );
        const { rows } = await admin.query(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
          [schema],
        );
        assert.deepEqual(
          rows.map((r) => r.table_name),
          ["campaigns"],
        );
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      }
    });
  });

  describe("a PostgreSQL store migrated by a later vigie", () => {
    it("is refused on opening", async () => {
      const schema = `newer_${randomBytes(6).toString("hex")}`;
      await (await PostgresStore.open(TEST_DATABASE_URL, { schema })).close();
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        await admin.query(
          `INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES ($1, 'later', 0)`,
          [NEXT],
        );
        await assert.rejects(
          PostgresStore.open(TEST_DATABASE_URL, { schema }),
          (e: unknown) => e instanceof StoreNewerError && REFUSED.test(e.message),
        );
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      }
    });
  });
}
