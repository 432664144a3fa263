// `vigie import` end to end with the built CLI: a generated consents file and an objections file
// (BENCH_IMPORT_ROWS rows each, default 100 000) into a fresh SQLite file and into PostgreSQL
// (VIGIE_TEST_DATABASE_URL, default the local `test` database, in a fresh schema). Prints rows/s.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { normalizePhone } from "../src/normalize/phone.ts";
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
    for (const kind of ["consents", "objections"] as const) {
      const s = timed(["import", kind, f[kind], "--store", store], env);
      console.log(
        `SQLite      import ${kind.padEnd(10)} ${ROWS} rows  ${s.toFixed(2)} s  ${Math.round(ROWS / s).toLocaleString("en")} rows/s`,
      );
      if (pgUrl !== null) {
        const p = timed(["import", kind, f[kind], "--database", pgUrl], env);
        console.log(
          `PostgreSQL  import ${kind.padEnd(10)} ${ROWS} rows  ${p.toFixed(2)} s  ${Math.round(ROWS / p).toLocaleString("en")} rows/s`,
        );
      }
    }
  } finally {
    if (pgUrl !== null) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end().catch(() => {});
  }
}
