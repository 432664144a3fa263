// The PostgreSQL the tests use (VIGIE_TEST_DATABASE_URL, default the local server's `test`
// database), and what a test file does when it is not there: without a server its suite is
// skipped, saying why; with VIGIE_REQUIRE_POSTGRES=1 (CI) that is a failure instead.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import pg from "pg";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";

export const TEST_DATABASE_URL =
  process.env.VIGIE_TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const required = process.env.VIGIE_REQUIRE_POSTGRES === "1";
const START = "start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`";

/** Errors that mean no server answers there (as opposed to one that refuses us). */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "57P03",
]);

function shown(u: string): string {
  try {
    const parsed = new URL(u);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}

/** null when the server answers; otherwise why not, and whether it is only unreachable. */
async function probe(): Promise<{ reason: string; unreachable: boolean } | null> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 10_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (e) {
    const err = e as Error & { code?: string };
    const code = err.code ?? (/timeout/i.test(err.message) ? "ETIMEDOUT" : undefined);
    const message = err.message || code || String(e);
    return {
      reason: code !== undefined && !message.includes(code) ? `${code} (${message})` : message,
      unreachable: code !== undefined && UNREACHABLE.has(code),
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Whether the suite `title` of `file` can run. When it cannot, registers the one test that says
 * why: skipped while the server is only unreachable, failed when it refuses us or when CI
 * requires it.
 */
export async function postgresReady(title: string, file: string): Promise<boolean> {
  // A loaded machine (the suite runs files side by side) can be slow to accept a connection:
  // a timeout is asked again, twice, before the server is taken for absent.
  let problem = await probe();
  for (let attempt = 1; attempt < 3 && problem !== null && problem.reason.includes("ETIMEDOUT"); attempt++) {
    problem = await probe();
  }
  if (problem === null) return true;
  const url = shown(TEST_DATABASE_URL);
  const why = problem.unreachable
    ? `PostgreSQL not reachable at ${url}: ${problem.reason} — ${START}`
    : `PostgreSQL at ${url} refused the test connection: ${problem.reason} (set VIGIE_TEST_DATABASE_URL)`;
  if (problem.unreachable && !required) {
    process.stderr.write(`${file}: skipped: ${why}\n`);
    test(title, { skip: why }, () => {});
  } else {
    test(title, () => {
      assert.fail(required ? `${why} (VIGIE_REQUIRE_POSTGRES=1: the server must be up)` : why);
    });
  }
  return false;
}

/**
 * A schema of its own for one test file: `open` gives a store in it (created on first use),
 * `drop` removes it and everything in it.
 */
export function testSchema(prefix: string): {
  open: () => Promise<PostgresStore>;
  drop: () => Promise<void>;
} {
  const schema = `${prefix}_${randomBytes(6).toString("hex")}`;
  return {
    open: () => PostgresStore.open(TEST_DATABASE_URL, { schema }),
    drop: async () => {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
