// Appending to the evidence log: 200,000 consents then 200,000 objections, in batches of 10,000
// events (one transaction each), into a fresh SQLite file and a fresh PostgreSQL schema. Every
// event carries its point's value, as the imports record them (src/services/record.ts), so each
// one writes an event, its personal data, the point and a consent or objection row.
// Figures, not pass/fail: `node --import tsx bench/store.ts` (VIGIE_BENCH_EVENTS=50000 for a
// shorter run; PostgreSQL at VIGIE_TEST_DATABASE_URL, default the local `test` database).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { planAppend } from "../src/evidence/append-plan.ts";
import type { NewEvent } from "../src/evidence/events.ts";
import { PostgresStore } from "../src/store/postgres/postgres-store.ts";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../src/store/store.ts";
import { machineLine, rng } from "./machine.ts";

const N = Number(process.env.VIGIE_BENCH_EVENTS ?? 200_000);
const BATCH = 10_000;
const TENANT = "bench";
const START = Date.parse("2025-01-01T00:00:00Z");

const r = rng(2026);
function randomKey(): string {
  const bytes = Buffer.allocUnsafe(32);
  for (let i = 0; i < 32; i += 4) bytes.writeUInt32LE(Math.floor(r() * 2 ** 32), i);
  return `v1:${bytes.toString("base64url")}`;
}
const digits = (n: number) => String(Math.floor(r() * 10 ** n)).padStart(n, "0");

const consents: NewEvent[] = Array.from({ length: N }, (_, i) => ({
  tenant: TENANT,
  pointKey: randomKey(),
  controller: "agence dupont",
  occurredAt: START + i * 1000,
  data: {
    type: "consent.given",
    consent: { channel: "email", method: "double_opt_in", scope: "standard", proof: true },
  },
  proof: {
    recordedBy: "import:bench",
    collectionPoint: "https://shop.example/newsletter",
    wordingVersion: "v3",
  },
  pii: { point: { type: "email", value: `client.${digits(9)}@example.fr` }, ip: `198.51.100.${i % 256}` },
}));
const objections: NewEvent[] = Array.from({ length: N }, (_, i) => ({
  tenant: TENANT,
  pointKey: randomKey(),
  controller: "",
  occurredAt: START + i * 1000,
  data: { type: "objection.recorded", channel: "all", via: "stop_sms" },
  proof: { recordedBy: "import:bench" },
  pii: { point: { type: "phone", value: `+336${digits(8)}` } },
}));

const rate = (rows: number, ms: number) => `${((rows / ms) * 1000).toFixed(0).padStart(7)} rows/s`;
const line = (store: string, what: string, rows: number, ms: number) =>
  console.log(
    `${store.padEnd(9)} ${what.padEnd(19)} ${String(rows).padStart(7)} in ${(ms / 1000).toFixed(1).padStart(5)} s ${rate(rows, ms)}`,
  );

async function appendAll(store: Store, events: readonly NewEvent[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < events.length; i += BATCH) {
    const result = await store.append(events.slice(i, i + BATCH));
    if (result.appended !== Math.min(BATCH, events.length - i))
      throw new Error("bench: events were not appended");
  }
  return performance.now() - start;
}

async function run(name: string, store: Store): Promise<void> {
  const c = await appendAll(store, consents);
  line(name, "consent.given", N, c);
  const o = await appendAll(store, objections);
  line(name, "objection.recorded", N, o);
  line(name, "total", 2 * N, c + o);
}

console.log(`store — ${machineLine()}`);
console.log(
  `${N} consent.given (pii: e-mail, IP) then ${N} objection.recorded (pii: phone), batches of ${BATCH} events, one transaction each`,
);

// The part of an append that is not SQL: event ids, personal-data hashes, chain hashes, folding.
{
  const start = performance.now();
  for (let i = 0; i < consents.length; i += BATCH) {
    planAppend(
      consents.slice(i, i + BATCH),
      { head: () => null, erasedAt: () => null, pointValue: () => null, has: () => false },
      0,
    );
  }
  line("(no SQL)", "plan consents", N, performance.now() - start);
}

{
  const dir = mkdtempSync(join(tmpdir(), "vigie-bench-"));
  try {
    const file = join(dir, "bench.db");
    const store = new SqliteStore(file);
    await run("sqlite", store);
    await store.close();
    console.log(`sqlite    file ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

{
  const url = process.env.VIGIE_TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  admin.on("error", () => {});
  let connected = false;
  try {
    await admin.connect();
    connected = true;
  } catch (e) {
    console.log(`postgres  skipped: not reachable (${(e as Error).message})`);
  }
  if (connected) {
    const schema = `vigie_bench_${randomBytes(6).toString("hex")}`;
    try {
      const version = (await admin.query("SHOW server_version")).rows[0].server_version;
      console.log(`postgres  ${version}, schema ${schema}`);
      const store = await PostgresStore.open(url, { schema });
      await run("postgres", store);
      await store.close();
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
}
