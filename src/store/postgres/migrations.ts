// The schema: the shared migrations (src/store/schema.ts) applied once, one process at a time.
import type pg from "pg";
import { MIGRATIONS, type Migration, refuseNewerSchema } from "../schema.ts";
import { StoreOpenError, StoreUpgradeError } from "../store.ts";
import { inTransaction } from "./pool.ts";

/**
 * The shared migrations in PostgreSQL's words. Text columns compare byte by byte (COLLATE "C"),
 * as SQLite's do, whatever the database's own collation: tenants, retention candidates and
 * registry rows come back in the same order from both adapters, and keys (ASCII) compare fast.
 */
function ddl(sql: string): string {
  return sql
    .replaceAll("{BIGINT}", "BIGINT")
    .replaceAll("{BOOL}", "BOOLEAN")
    .replaceAll("{BYTES}", "BYTEA")
    .replaceAll("{WITHOUT_ROWID}", "")
    .replaceAll("{DATA_CHANNEL}", "(data::json ->> 'channel')")
    .replace(/\bTEXT\b/g, 'TEXT COLLATE "C"');
}

/** The SQLSTATE a migration raises when it refuses a store (schema.ts, migration 18). */
const REFUSED = "VG017";
/** invalid_schema_name: nothing can be created, search_path naming only schemas that do not exist. */
const NO_SCHEMA = "3F000";

/** `migrations`: the store's (tests give fewer, to build a store as an older version left it). */
export async function migrate(
  pool: pg.Pool,
  schema: string | undefined,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<void> {
  try {
    await migrateNow(pool, schema, migrations);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === NO_SCHEMA) {
      throw new StoreOpenError(
        `the database's search_path names no schema that exists (${(e as Error).message}): create the schema first (CREATE SCHEMA name), or drop search_path from the URL`,
      );
    }
    // One transaction: the store is left as it was.
    if (code !== REFUSED) throw e;
    throw new StoreUpgradeError((e as Error).message);
  }
}

async function migrateNow(
  pool: pg.Pool,
  schema: string | undefined,
  migrations: readonly Migration[],
): Promise<void> {
  await inTransaction(pool, async (c) => {
    // Two processes starting together: the second waits here, then finds the migrations applied.
    await c.query(
      "SELECT pg_advisory_xact_lock(hashtext('vigie migrations ' || current_setting('search_path')))",
    );
    if (schema !== undefined) await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await refuseForeignSchema(c);
    await c.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    );
    const applied = new Set(
      (await c.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map(
        (r) => r.version,
      ),
    );
    refuseNewerSchema(applied);
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      if (m.sqliteOnly !== true) for (const sql of m.statements) await c.query(ddl(sql));
      await c.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
        m.version,
        m.name,
        Date.now(),
      ]);
    }
  });
}

/**
 * Refuses a schema another program's tables are in (an application's `public`): vigie's tables
 * would land among them, and a table of the same name (`campaigns`, `events`) would be taken for
 * vigie's. A schema with `schema_migrations` is vigie's; an empty one becomes vigie's.
 */
async function refuseForeignSchema(c: pg.PoolClient): Promise<void> {
  const { rows } = await c.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
  );
  const tables = rows.map((r) => r.name);
  if (tables.length === 0 || tables.includes("schema_migrations")) return;
  const shown = tables.slice(0, 5).join(", ") + (tables.length > 5 ? ", …" : "");
  throw new StoreOpenError(
    `the database's schema holds another program's tables (${shown}) and no vigie store: give vigie a database, or a schema, of its own (CREATE SCHEMA vigie, then ?options=-c%20search_path%3Dvigie in the URL); nothing was written`,
  );
}
