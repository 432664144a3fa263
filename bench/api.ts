// The HTTP API under load: `POST /v1/check` against a SQLite store holding BENCH_API_POINTS contact
// points (default 1 M: sources, consents and objections, imported once with the built CLI and
// kept in bench/data/api/), for random stored and unknown points and a stored SMS campaign; and,
// in the same run, `GET /healthz` of the same server as the hello-world reference.
// The server is `vigie serve` itself, built in dist/ (`npm run build`; `npm run bench` does it),
// logging each request (to /dev/null here) and applying each key's rate limit: the bench key is
// made by `vigie keys create --rate 0`, unlimited as a trusted internal service's would be, since
// the bench sends more than any rate. It runs alone on CPU 0 (`taskset -c 0`); autocannon runs in
// another process on CPU 1 for the saturated measures, and an evenly paced open-loop client
// (PACED, below) for the latency at half the rate.
// BENCH_API_SECONDS (default 10) per measure, BENCH_API_CONNECTIONS (default 10), BENCH_API_BATCH
// (default 1 000) points in each request of the batch measure (`POST /v1/check/batch`);
// BENCH_API_ONLY=check runs the saturated /healthz and check measures alone;
// BENCH_API_PROF=1 writes a CPU profile of the server (--cpu-prof) to bench/data/api/prof/;
// BENCH_API_NODE_FLAGS gives the server Node's flags ("--max-semi-space-size=32").
// BENCH_API_DATABASE=1 puts the store on PostgreSQL (VIGIE_TEST_DATABASE_URL, default the local
// `test` database) in a schema of its own, kept between runs like the SQLite file.
// Alone: `node --import tsx bench/api.ts`.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import {
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { normalizePhone } from "../src/normalize/phone.ts";
import { machineLine, rng } from "./machine.ts";

const POINTS = Number(process.env.BENCH_API_POINTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_API_CONNECTIONS ?? 10);
const PROFILE = process.env.BENCH_API_PROF === "1";
/** BENCH_API_ONLY=check: the saturated /healthz and check measures alone (to profile a check). */
const CHECK_ONLY = process.env.BENCH_API_ONLY === "check";
const DIR = resolve("bench/data/api");
const CLI = resolve("dist/cli/main.js");
const DIST = `${pathToFileURL(resolve("dist")).href}/`;
const SAMPLE = 20_000;
/** Points in each request of the batch measure (`POST /v1/check/batch`). */
const BATCH = Number(process.env.BENCH_API_BATCH ?? 1_000);
const ON_POSTGRES = process.env.BENCH_API_DATABASE === "1";
const PG_URL = process.env.VIGIE_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Where the store is: the CLI's options for it, a file marking it built, the campaigns file it reads. */
interface Location {
  readonly args: readonly string[];
  readonly name: string;
  readonly done: string;
  readonly campaigns: string;
  readonly keys: string;
  /** Empties it before it is built. */
  readonly reset: () => Promise<void>;
  /** What follows the imports that build it. */
  readonly built: () => Promise<void>;
}

async function location(): Promise<Location> {
  if (!ON_POSTGRES) {
    const store = join(DIR, `store-${POINTS}.db`);
    return {
      args: ["--store", store],
      name: "SQLite",
      done: `${store}.done`,
      campaigns: `${store}.campaigns.json`,
      keys: `${store}.keys.json`,
      reset: async () => {
        for (const suffix of ["", "-wal", "-shm"]) rmSync(store + suffix, { force: true });
      },
      built: async () => {},
    };
  }
  const schema = `vigie_bench_api_${POINTS}`;
  const url = `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const done = join(DIR, `${schema}.done`);
  // A marker left by a schema dropped since is not trusted.
  const exists = await admin(`SELECT 1 FROM pg_namespace WHERE nspname = '${schema}'`);
  if (exists.rowCount === 0) rmSync(done, { force: true });
  return {
    args: ["--database", url],
    name: `PostgreSQL (schema ${schema})`,
    done,
    // With a database, the files of earlier versions are looked for beside the keyring.
    campaigns: join(DIR, "api.campaigns.json"),
    keys: join(DIR, "api.keys.json"),
    reset: async () => {
      await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin(`CREATE SCHEMA ${schema}`);
    },
    // As autovacuum would within a minute of the import: without statistics PostgreSQL plans the
    // evidence read with scans of whole tables.
    built: async () => {
      const tables = await admin(`SELECT tablename FROM pg_tables WHERE schemaname = '${schema}'`);
      for (const { tablename } of tables.rows as { tablename: string }[]) {
        await admin(`ANALYZE ${schema}.${tablename}`);
      }
    },
  };
}

const CAMPAIGN = {
  controller: "Agence Dupont",
  channel: "sms",
  sector: "other",
  message: { senderIdentified: true, optOut: true },
};

/** The i-th of distinct valid mobile numbers under a prefix (a bijection on 8 digits, skipping unallocated ones). */
function numbers(prefix: "06" | "07", count: number, salt: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const n = `${prefix}${String((i * 48_271 + salt) % 100_000_000).padStart(8, "0")}`;
    if (normalizePhone(n).ok) out.push(n);
  }
  return out;
}

async function writeLines(path: string, header: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  for (const line of lines) if (!out.write(`${line}\n`)) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

/** The store, built once per size: half the points have a source, 30 % a consent, 20 % an objection. */
async function buildStore(store: Location, stored: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const day = (i: number) => `2026-0${1 + (i % 9)}-1${i % 10}`;
  const files = {
    contacts: join(DIR, "contacts.csv"),
    consents: join(DIR, "consents.csv"),
    objections: join(DIR, "objections.csv"),
  };
  const pick = (lo: number, hi: number) => stored.filter((_, i) => i % 10 >= lo && i % 10 < hi);
  await writeLines(
    files.contacts,
    "phone,kind,origin,controller,collected_at,informed_at",
    pick(0, 5).map((p, i) => `${p},consumer,direct,Agence Dupont,${day(i)},${day(i)}`),
  );
  await writeLines(
    files.consents,
    "phone,controller,channel,given_at,method,collection_point",
    pick(5, 8).map((p, i) => `${p},Agence Dupont,sms,${day(i)},double_opt_in,https://agence.example/form`),
  );
  await writeLines(
    files.objections,
    "phone,at,controller,channel,via",
    pick(8, 10).map((p, i) => `${p},${day(i)},,all,stop_sms`),
  );
  await store.reset();
  for (const [kind, file] of Object.entries(files)) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [CLI, "import", kind, file, ...store.args], {
      env,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`vigie import ${kind}: ${r.stderr}`);
    console.log(
      `set-up: vigie import ${kind} (${((performance.now() - t) / 1000).toFixed(1)} s, not counted)`,
    );
    rmSync(file);
  }
}

/** The load process: autocannon's API, one measure per invocation, its result as JSON. */
const LOAD = `
const [autocannonUrl, url, key, campaign, samplesPath, seconds, connections, mode, batch] = process.argv.slice(1);
const { default: autocannon } = await import(autocannonUrl);
const { readFileSync } = await import("node:fs");
const samples = JSON.parse(readFileSync(samplesPath, "utf8"));
let i = 0;
const opts = { url, connections: Number(connections), duration: Number(seconds) };
if (mode === "check") {
  opts.requests = [{
    method: "POST",
    path: "/v1/check",
    headers: { authorization: "Bearer " + key, "content-type": "application/json" },
    setupRequest(req) {
      // Stored and unknown points alternate; each list is walked in its random order.
      const list = i % 2 === 0 ? samples.stored : samples.unknown;
      const point = list[(i++ >> 1) % list.length];
      return { ...req, body: JSON.stringify({ point, campaign, at: "2026-12-01T11:00:00+01:00" }) };
    },
  }];
} else if (mode === "batch") {
  // A dialer's list: BATCH points a request, stored and unknown alternating, walked in order.
  opts.requests = [{
    method: "POST",
    path: "/v1/check/batch",
    headers: { authorization: "Bearer " + key, "content-type": "application/json" },
    setupRequest(req) {
      const points = [];
      for (let n = 0; n < Number(batch); n++, i++) {
        const list = i % 2 === 0 ? samples.stored : samples.unknown;
        points.push(list[(i >> 1) % list.length]);
      }
      return { ...req, body: JSON.stringify({ points, campaign, at: "2026-12-01T11:00:00+01:00" }) };
    },
  }];
} else {
  opts.requests = [{ method: "GET", path: "/healthz" }];
}
const r = await autocannon(opts);
process.stdout.write(JSON.stringify({
  rps: r.requests.average, total: r.requests.total, p50: r.latency.p50, p99: r.latency.p99,
  mean: r.latency.average, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx,
}));
`;

/**
 * Latency below saturation, open loop: requests sent on an even schedule (`rate` a second, spread
 * over CONNECTIONS keep-alive sockets), each timed from when it was due — a request held back by a
 * slow one before it counts the wait, so a stall cannot hide. autocannon cannot measure this: its
 * rate is a quota a second that each connection spends as fast as it can, then waits for the next
 * second — saturation for part of every second — and its correction for coordinated omission
 * takes a second for a millisecond (lib/httpClient.js, lib/run.js of autocannon 8). The first two
 * seconds are not counted: the client's first requests wait for its own warming up.
 */
const PACED = `
const [url, key, campaign, samplesPath, seconds, connections, mode, rate] = process.argv.slice(1);
const http = await import("node:http");
const { readFileSync } = await import("node:fs");
const samples = JSON.parse(readFileSync(samplesPath, "utf8"));
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
const target = new URL(url);
const interval = 1e9 / Number(rate);
const start = process.hrtime.bigint();
// The first 2 s warm the client and its sockets up (its first requests wait on both): not counted.
const warm = 2e9;
const end = warm + Number(seconds) * 1e9;
const latencies = [];
let sent = 0, done = 0, errors = 0, i = 0;
function send(due) {
  const check = mode === "check";
  let body;
  if (check) {
    const list = i % 2 === 0 ? samples.stored : samples.unknown;
    body = JSON.stringify({ point: list[(i++ >> 1) % list.length], campaign, at: "2026-12-01T11:00:00+01:00" });
  }
  const req = http.request({
    host: target.hostname, port: target.port, agent, method: check ? "POST" : "GET",
    path: check ? "/v1/check" : "/healthz",
    headers: check ? { authorization: "Bearer " + key, "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {},
  }, (res) => {
    res.resume();
    res.on("end", () => {
      if (res.statusCode !== 200) errors++;
      else if (due >= warm) latencies.push(Number(process.hrtime.bigint() - start) - due);
      done++;
    });
  });
  req.on("error", () => { errors++; done++; });
  req.end(body);
}
await new Promise((resolve) => {
  const tick = () => {
    const now = Number(process.hrtime.bigint() - start);
    while (sent * interval <= Math.min(now, end)) send(sent++ * interval);
    if (now < end || done < sent) setImmediate(tick);
    else resolve();
  };
  tick();
});
latencies.sort((a, b) => a - b);
const at = (q) => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) / 1e6;
process.stdout.write(JSON.stringify({ sent, ok: latencies.length, errors, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1) }));
agent.destroy();
`;

interface Paced {
  sent: number;
  ok: number;
  errors: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** `rate` requests a second of `mode` for `seconds`, evenly paced, on CPU 1 (PACED). */
function paced(target: Target, mode: "check" | "hello", seconds: number, rate: number): Paced {
  const out = onCpu1(PACED, [
    ...targetArgs(target),
    String(seconds),
    String(CONNECTIONS),
    mode,
    String(rate),
  ]);
  return JSON.parse(out) as Paced;
}

const pacedLine = (name: string, m: Paced) =>
  `${name.padEnd(38)} ${m.ok.toLocaleString("en").padStart(7)} answered   p50 ${m.p50.toFixed(2)} ms   p99 ${m.p99.toFixed(2)} ms   p99.9 ${m.p999.toFixed(2)} ms   max ${m.max.toFixed(1)} ms${m.errors > 0 ? `   (${m.errors} errors)` : ""}`;

const TICK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/** CPU time (user + system) the process has used, in seconds, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return Number.NaN;
  }
}

interface Measure {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  mean: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Server CPU time per request, µs: what the request costs, whatever else runs on the machine. */
  cpuUs: number;
  /** The share of its core the server got during the measure. */
  busy: number;
}

function pinned(cpu: number, args: string[]): [string, string[]] {
  return canPin ? ["taskset", ["-c", String(cpu), ...args]] : [args[0] as string, args.slice(1)];
}

const canPin = cpus().length >= 2 && spawnSync("taskset", ["-c", "0", "true"]).status === 0;

/** What a load script sends to: the server, the key, the campaign, the file of sample points. */
interface Target {
  readonly url: string;
  readonly key: string;
  readonly campaign: string;
  readonly samplesPath: string;
}

const targetArgs = (t: Target): string[] => [t.url, t.key, t.campaign, t.samplesPath];

/** Runs a load script (an ES module's text, given `args`) on CPU 1: what it prints. */
function onCpu1(script: string, args: readonly string[]): string {
  const [cmd, full] = pinned(1, [process.execPath, "--input-type=module", "-e", script, ...args]);
  const r = spawnSync(cmd, full, { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`load on CPU 1: ${r.stderr}`);
  return r.stdout;
}

function load(pid: number, target: Target, mode: "check" | "batch" | "hello", seconds: number): Measure {
  const cpu = cpuSeconds(pid);
  const out = onCpu1(LOAD, [
    import.meta.resolve("autocannon"),
    ...targetArgs(target),
    String(seconds),
    String(CONNECTIONS),
    mode,
    String(BATCH),
  ]);
  const used = cpuSeconds(pid) - cpu;
  const m = JSON.parse(out) as Omit<Measure, "cpuUs" | "busy">;
  return { ...m, cpuUs: (used / m.total) * 1e6, busy: used / seconds };
}

/** A port free now, for `vigie serve --port` (which prints its address only to its log). */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, "close");
  return port;
}

/** `vigie serve` over the store, once it answers /healthz. */
async function startServer(store: Location, env: NodeJS.ProcessEnv) {
  const profile = PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${join(DIR, "prof")}`] : [];
  // Node's own flags for the server, as a deployment would set them (NODE_OPTIONS).
  const flags = (process.env.BENCH_API_NODE_FLAGS ?? "").split(" ").filter((f) => f !== "");
  const port = await freePort();
  const [cmd, args] = pinned(0, [
    process.execPath,
    ...flags,
    ...profile,
    CLI,
    "serve",
    "--port",
    String(port),
    ...store.args,
  ]);
  // Its request log goes to /dev/null, written synchronously as `vigie serve > FILE` does.
  const devNull = openSync("/dev/null", "w");
  const child: ChildProcess = spawn(cmd, args, { env, stdio: ["ignore", devNull, "inherit"] });
  closeSync(devNull);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`vigie serve exited (${code}) before answering`))),
  );
  const up = (async () => {
    for (;;) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await Promise.race([up, exited]);
  return { url, child };
}

const line = (name: string, m: Measure) =>
  `${name.padEnd(38)} ${Math.round(m.rps).toLocaleString("en").padStart(7)} req/s   p50 ${m.p50} ms   p99 ${m.p99} ms   mean ${m.mean.toFixed(2)} ms   CPU ${m.cpuUs.toFixed(0)} µs/req${m.non2xx + m.errors + m.timeouts > 0 ? `   (${m.non2xx} non-2xx, ${m.errors} errors, ${m.timeouts} timeouts)` : ""}`;

export async function benchApi(): Promise<void> {
  console.log(`api — ${machineLine()}`);
  if (!existsSync(CLI)) throw new Error("bench/api.ts runs the built server: npm run build first");
  mkdirSync(DIR, { recursive: true });
  const env = { ...process.env, VIGIE_KEYRING: join(DIR, "keyring.json") };
  process.env.VIGIE_KEYRING = env.VIGIE_KEYRING;

  const stored = numbers("06", POINTS, 12_345);
  const r = rng(5);
  const sample = (list: readonly string[]) =>
    Array.from({ length: SAMPLE }, () => list[Math.floor(r() * list.length)] as string);
  const samples = { stored: sample(stored), unknown: numbers("07", SAMPLE, 777) };
  const store = await location();
  if (!existsSync(store.done)) {
    await buildStore(store, stored, env);
    await store.built();
    writeFileSync(store.done, new Date().toISOString());
  }
  console.log(
    `store: ${store.name}, ${POINTS.toLocaleString("en")} contact points (50 % sources, 30 % SMS consents, 20 % objections)${process.env.BENCH_API_POINTS === undefined ? "" : " — BENCH_API_POINTS"}`,
  );
  const samplesPath = join(DIR, "samples.json");
  writeFileSync(samplesPath, JSON.stringify(samples));

  // The key as users make it; the campaign in the file earlier versions kept beside the store,
  // which the server reads into the store on opening (src/services/campaigns.ts).
  const campaigns = store.campaigns;
  for (const f of [store.keys, campaigns]) rmSync(f, { force: true });
  const made = spawnSync(
    process.execPath,
    [CLI, "keys", "create", "--scope", "decide", "--name", "bench", "--rate", "0", ...store.args],
    { env, encoding: "utf8" },
  );
  if (made.status !== 0) throw new Error(`vigie keys create: ${made.stderr}`);
  const key = made.stdout.trim();
  console.log(
    "key: `vigie keys create --rate 0` — unlimited, as for a trusted internal service; the server applies it as `vigie serve` does",
  );
  const { parseCampaign } = (await import(`${DIST}facts/parse.js`)) as typeof import("../src/facts/parse.ts");
  if (!parseCampaign({ campaign: CAMPAIGN }).ok) throw new Error("bench campaign invalid");
  const campaign = "c_bench";
  writeFileSync(
    campaigns,
    JSON.stringify({
      campaigns: [{ id: campaign, createdAt: new Date().toISOString(), body: { campaign: CAMPAIGN } }],
    }),
  );

  const { url, child } = await startServer(store, env);
  try {
    // The evidence is found: a consent allows, an objection blocks, an unknown point is blocked.
    const verdicts = [];
    for (const point of [stored[5], stored[8], samples.unknown[0]]) {
      const res = await fetch(`${url}/v1/check`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ point, campaign, at: "2026-12-01T11:00:00+01:00" }),
      });
      verdicts.push(((await res.json()) as { verdict: string }).verdict);
    }
    console.log(`check: consent → ${verdicts[0]}, objection → ${verdicts[1]}, unknown → ${verdicts[2]}`);
    console.log(
      `server on CPU 0, autocannon on CPU 1${canPin ? "" : " — NOT PINNED (taskset or a 2nd CPU missing)"}; ${CONNECTIONS} connections, ${SECONDS} s each, after 3 s of warm-up`,
    );
    const pid = child.pid as number;
    const target: Target = { url, key, campaign, samplesPath };
    load(pid, target, "hello", 3);
    load(pid, target, "check", 3);
    const hello = load(pid, target, "hello", SECONDS);
    const check = load(pid, target, "check", SECONDS);
    console.log(line("GET /healthz (hello-world reference)", hello));
    console.log(line("POST /v1/check (stored / unknown)", check));
    if (CHECK_ONLY) {
      console.log(
        `server CPU per request: hello-world ${hello.cpuUs.toFixed(0)} µs, check ${check.cpuUs.toFixed(0)} µs`,
      );
      return;
    }
    // Latency below saturation: the same checks at half the rate just measured, evenly paced,
    // and /healthz at that rate, the reference.
    const rate = Math.max(1, Math.round(check.rps / 2));
    const half = paced(target, "check", SECONDS, rate);
    const helloHalf = paced(target, "hello", SECONDS, rate);
    console.log(pacedLine(`POST /v1/check, ${rate} req/s paced`, half));
    console.log(pacedLine(`GET /healthz, ${rate} req/s paced`, helloHalf));
    const ratio = check.rps / hello.rps;
    console.log(
      `ratio check/hello-world ${(ratio * 100).toFixed(0)} % (target ≥ 50 %: ${ratio >= 0.5 ? "met" : "missed"}); check p99 ${check.p99} ms saturated, ${half.p99.toFixed(1)} ms at half the rate evenly paced (/healthz ${helloHalf.p99.toFixed(1)} ms; target ≤ 5 ms: ${half.p99 <= 5 ? "met" : "missed"})`,
    );
    // A dialer loading its list: points a second through the batch endpoint.
    load(pid, target, "batch", 3);
    const batch = load(pid, target, "batch", SECONDS);
    console.log(line(`POST /v1/check/batch, ${BATCH} points`, batch));
    const points = batch.rps * BATCH;
    console.log(
      `batch: ${Math.round(points).toLocaleString("en")} points/s (target ≥ 100,000: ${points >= 100_000 ? "met" : "missed"}), ${(batch.cpuUs / BATCH).toFixed(1)} µs of server CPU a point; single checks: ${Math.round(check.rps).toLocaleString("en")} points/s`,
    );
    const cpuRatio = hello.cpuUs / check.cpuUs;
    console.log(
      `server CPU per request: hello-world ${hello.cpuUs.toFixed(0)} µs, check ${check.cpuUs.toFixed(0)} µs → on a core of its own check would reach ${Math.round(1e6 / check.cpuUs).toLocaleString("en")} req/s, ${(cpuRatio * 100).toFixed(0)} % of hello-world (the server got ${(hello.busy * 100).toFixed(0)} % / ${(check.busy * 100).toFixed(0)} % of CPU 0; load average ${loadavg()[0]?.toFixed(1)})`,
    );
  } finally {
    child.kill("SIGTERM");
    await once(child, "exit");
    if (PROFILE) console.log(`CPU profile of the server: ${join(DIR, "prof")}/`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await benchApi();
}
