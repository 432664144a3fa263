// `vigie import` end to end with the built CLI: a generated consents file and an objections file
// (BENCH_IMPORT_ROWS rows each, default 100 000) into a fresh SQLite file and into PostgreSQL
// (VIGIE_TEST_DATABASE_URL, default the local `test` database, in a fresh schema). Prints rows/s
// beside a reference measured in the same run on the same file — the rows alone, durably
// committed into one table with one index (SQLite: a prepared INSERT per row in one transaction;
// PostgreSQL: COPY) — and the bytes each imported row takes on disk. A third figure on SQLite is
// the floor of the store's layout: the rows an imported consent makes, written alone.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { normalizePhone } from "../src/normalize/phone.ts";
import { TextNumbers } from "../src/store/sqlite/event-rows.ts";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { machineLine, rng } from "./machine.ts";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const DIR = "bench/data/import";
const CLI = "dist/cli/main.js";
const PG_URL = process.env.VIGIE_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function files(): { consents: string; objections: string } {
  mkdirSync(DIR, { recursive: true });
  const r = rng(7);
  // Random mobiles, kept to allocated ranges (as a real file would be).
  const phone = (): string => {
    for (;;) {
      const candidate = `06${String(Math.floor(r() * 1e8)).padStart(8, "0")}`;
      if (normalizePhone(candidate).ok) return candidate;
    }
  };
  const consents = ["phone,controller,channel,given_at,method,collection_point"];
  const objections = ["phone,at,controller,channel,via"];
  for (let i = 0; i < ROWS; i++) {
    consents.push(
      `${phone()},Agence Dupont,sms,2026-0${1 + (i % 9)}-1${i % 10},double_opt_in,https://agence.example/form`,
    );
    objections.push(`${phone()},2026-0${1 + (i % 9)}-2${i % 8},,all,stop_sms`);
  }
  const paths = { consents: join(DIR, "consents.csv"), objections: join(DIR, "objections.csv") };
  writeFileSync(paths.consents, `${consents.join("\n")}\n`);
  writeFileSync(paths.objections, `${objections.join("\n")}\n`);
  return paths;
}

function timed(args: string[], env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`vigie ${args.join(" ")}: ${r.stderr}`);
  return (performance.now() - t) / 1000;
}

/** The reference: the file's rows into one indexed SQLite table, read and committed as vigie does. */
function sqliteReference(file: string, dir: string): number {
  const path = join(dir, "reference.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
  const t = performance.now();
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  const [header, ...lines] = readFileSync(file, "utf8").trimEnd().split("\n");
  const columns = (header as string).split(",");
  db.exec(
    `CREATE TABLE ref (${columns.map((c) => `${c} TEXT`).join(", ")}); CREATE INDEX ref_phone ON ref (phone)`,
  );
  const insert = db.prepare(`INSERT INTO ref VALUES (${columns.map(() => "?").join(", ")})`);
  db.transaction(() => {
    for (const line of lines) insert.run(...line.split(","));
  })();
  db.close();
  const s = (performance.now() - t) / 1000;
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
  return s;
}

/**
 * The floor of the layout: the three rows one imported consent makes — its event, its point, its
 * consent — written by the store's own prepared statements (read off the SqliteStore, so the
 * floor cannot drift from what it runs) into a fresh store, with values made in advance, in one
 * durable transaction: what an import would take if reading, keying, planning and hashing were free.
 */
async function sqliteRowsAlone(rows: number, dir: string): Promise<number> {
  const path = join(dir, "rows-alone.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
  const store = new SqliteStore(path);
  const inside = store as unknown as {
    db: Database.Database;
    sql: Record<"insertEvent" | "point" | "consent", Database.Statement>;
  };
  const texts = new TextNumbers(inside.db);
  const bytes32 = () => randomBytes(32);
  const made = Array.from({ length: rows }, (_, i) => ({
    key: `v1:${bytes32().toString("base64url")}`,
    id: bytes32(),
    hash: bytes32(),
    pii: bytes32(),
    at: Date.UTC(2026, 0, 1) + i * 1000,
  }));
  const t = performance.now();
  inside.db
    .transaction(() => {
      const data = texts.idOf('{"type":"consent.given"}');
      const proof = texts.idOf('{"recordedBy":"bench"}');
      made.forEach((r, i) => {
        inside.sql.insertEvent.run(
          "default",
          i + 1,
          r.id,
          "consent.given",
          r.key,
          "agence dupont",
          r.at,
          r.at,
          data,
          proof,
          r.pii,
          r.hash,
        );
        inside.sql.point.run("default", r.key, "phone", "+33612345678");
        inside.sql.consent.run(
          "default",
          r.key,
          "agence dupont",
          "sms",
          r.at,
          "double_opt_in",
          "standard",
          1,
          null,
          null,
        );
      });
    })
    .immediate();
  const s = (performance.now() - t) / 1000;
  await store.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
  return s;
}

/** The reference on PostgreSQL: COPY of the file into one indexed table (null if COPY is not allowed). */
async function postgresReference(client: pg.Client, schema: string, file: string): Promise<number | null> {
  const columns = (readFileSync(file, "utf8").split("\n", 1)[0] as string).split(",");
  await client.query(`DROP TABLE IF EXISTS ${schema}.ref`);
  await client.query(`CREATE TABLE ${schema}.ref (${columns.map((c) => `${c} TEXT`).join(", ")})`);
  await client.query(`CREATE INDEX ON ${schema}.ref (phone)`);
  const t = performance.now();
  try {
    // Server-side COPY reads the file itself: the bench runs beside its database, as a superuser.
    await client.query(`COPY ${schema}.ref FROM '${resolve(file)}' WITH (FORMAT csv, HEADER true)`);
  } catch (e) {
    console.log(`PostgreSQL  reference COPY not allowed here (${(e as Error).message})`);
    return null;
  } finally {
    await client.query(`DROP TABLE ${schema}.ref`).catch(() => {});
  }
  return (performance.now() - t) / 1000;
}

const rate = (rows: number, s: number): string => `${Math.round(rows / s).toLocaleString("en")} rows/s`;

/** The store's size on disk: the file and its write-ahead log. */
function sqliteBytes(path: string): number {
  return ["", "-wal"].reduce(
    (n, suffix) => n + (existsSync(path + suffix) ? statSync(path + suffix).size : 0),
    0,
  );
}

async function postgresBytes(client: pg.Client, schema: string): Promise<number> {
  const r = await client.query(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
    [schema],
  );
  return Number((r.rows[0] as { bytes: string }).bytes);
}

export async function benchImport(): Promise<void> {
  console.log(`import — ${machineLine()}`);
  const f = files();
  const env = { VIGIE_KEYRING: join(DIR, "keyring.json") };
  const store = join(DIR, "bench.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(store + suffix, { force: true });
  const schema = `vigie_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  let pgUrl: string | null = null;
  try {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    pgUrl = `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  } catch (e) {
    console.log(`PostgreSQL not reachable at ${PG_URL} (${(e as Error).message}): SQLite only`);
  }
  try {
    const alone = await sqliteRowsAlone(ROWS, DIR);
    console.log(
      `SQLite      the rows of ${ROWS} consents (event, point, consent) written alone: ${alone.toFixed(2)} s  ${rate(ROWS, alone)} — the floor of this layout`,
    );
    for (const kind of ["consents", "objections"] as const) {
      const ref = sqliteReference(f[kind], DIR);
      const s = timed(["import", kind, f[kind], "--store", store], env);
      console.log(
        `SQLite      import ${kind.padEnd(10)} ${ROWS} rows  ${s.toFixed(2)} s  ${rate(ROWS, s)}  (reference INSERT: ${rate(ROWS, ref)}, ${(s / ref).toFixed(1)}× its time)`,
      );
      if (pgUrl !== null) {
        const refPg = await postgresReference(admin, schema, f[kind]);
        const p = timed(["import", kind, f[kind], "--database", pgUrl], env);
        console.log(
          `PostgreSQL  import ${kind.padEnd(10)} ${ROWS} rows  ${p.toFixed(2)} s  ${rate(ROWS, p)}${refPg === null ? "" : `  (reference COPY: ${rate(ROWS, refPg)}, ${(p / refPg).toFixed(1)}× its time)`}`,
        );
      }
    }
    console.log(`SQLite      on disk: ${Math.round(sqliteBytes(store) / (2 * ROWS))} bytes per imported row`);
    if (pgUrl !== null) {
      await admin.query(`VACUUM ANALYZE`).catch(() => {});
      console.log(
        `PostgreSQL  on disk: ${Math.round((await postgresBytes(admin, schema)) / (2 * ROWS))} bytes per imported row`,
      );
    }
  } finally {
    if (pgUrl !== null) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end().catch(() => {});
  }
}
