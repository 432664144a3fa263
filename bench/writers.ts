// Appends to one tenant's log from 1, 2 and 4 writer processes at once, on PostgreSQL: what the
// API's writes (an opt-out, a consent captured, a call recorded) do when several server
// processes share a store. Each writer appends one event a transaction, as a request does, for
// BENCH_WRITERS_SECONDS (default 10), all in the same window after a warm-up; the figure is the appends a
// second of all writers together, beside one writer's in the same run. Every append locks the
// tenant's chain head (src/store/postgres/append.ts), so writers queue on that row: the ratio
// says how much of a second writer's work the log lets through.
// Figures, not pass/fail: `node --import tsx bench/writers.ts` (PostgreSQL at
// VIGIE_TEST_DATABASE_URL, default the local `test` database; a schema of its own, dropped after).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { cpus, loadavg } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { PostgresStore } from "../src/store/postgres/postgres-store.ts";
import { machineLine } from "./machine.ts";

const SECONDS = Number(process.env.BENCH_WRITERS_SECONDS ?? 10);
const URL = process.env.VIGIE_TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const TENANT = "bench";

/**
 * One writer: appends until `startAt + seconds` (epoch ms; before `startAt` it warms up), then
 * prints how many of its appends ended within the window.
 */
async function writer(schema: string, id: string, startAt: number, seconds: number): Promise<void> {
  const store = await PostgresStore.open(URL, { schema });
  const until = startAt + seconds * 1000;
  let n = 0;
  let counted = 0;
  while (Date.now() < until) {
    const result = await store.append([
      {
        tenant: TENANT,
        pointKey: `v1:${id}-${n}`,
        controller: "",
        occurredAt: Date.UTC(2026, 0, 1) + n,
        data: { type: "objection.recorded", channel: "all", via: "stop_sms" },
        proof: { recordedBy: `bench:${id}` },
        pii: { point: { type: "phone", value: `+3361${String(n % 1e7).padStart(7, "0")}` } },
      },
    ]);
    if (result.appended !== 1) throw new Error("bench: an event was not appended");
    n++;
    const now = Date.now();
    if (now >= startAt && now < until) counted++;
  }
  await store.close();
  process.stdout.write(`${counted}\n`);
}

/** `count` writer processes at once; appends a second of all of them together. */
async function measure(schema: string, count: number): Promise<number> {
  // Every writer counts the same window, once all have started (a process and tsx take a second).
  const startAt = Date.now() + 3000;
  const children = Array.from({ length: count }, (_, i) =>
    spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(import.meta.url),
        "--writer",
        schema,
        `w${count}-${i}`,
        String(startAt),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    ),
  );
  const counts = await Promise.all(
    children.map(async (child) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      const [code] = await once(child, "exit");
      if (code !== 0) throw new Error(`writer exited with ${code}`);
      return Number(out.trim());
    }),
  );
  return counts.reduce((a, b) => a + b, 0) / SECONDS;
}

export async function benchWriters(): Promise<void> {
  console.log(`writers — ${machineLine()}`);
  const admin = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 5000 });
  admin.on("error", () => {});
  try {
    await admin.connect();
  } catch (e) {
    console.log(`postgres  skipped: not reachable (${(e as Error).message})`);
    return;
  }
  const schema = `vigie_writers_${randomBytes(6).toString("hex")}`;
  try {
    // Made once, so that writers do not race to migrate it.
    await (await PostgresStore.open(URL, { schema })).close();
    console.log(
      `one tenant, one event a transaction, ${SECONDS} s a measure; ${cpus().length} cores shared by the writers and the database`,
    );
    let one = 0;
    for (const count of [1, 2, 4]) {
      const rate = await measure(schema, count);
      if (count === 1) one = rate;
      console.log(
        `${count} writer${count === 1 ? " " : "s"}  ${Math.round(rate).toLocaleString("en").padStart(7)} appends/s  ×${(rate / one).toFixed(2)} one writer's (load average ${loadavg()[0]?.toFixed(1)})`,
      );
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

if (process.argv[2] === "--writer") {
  await writer(process.argv[3] as string, process.argv[4] as string, Number(process.argv[5]), SECONDS);
} else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchWriters();
}
