// `vigie screen` end to end: the built CLI (`node dist/cli/main.js`, so `npm run build` first —
// `npm run bench` does) spawned on a seeded list of N contacts (BENCH_SCREEN_ROWS, default 1 M)
// with mixed phone formats, kinds and origins and ~1 % malformed rows; once on the list alone and
// once against a SQLite store holding N/10 objections, N/10 consents and a Bloctel-style snapshot
// of N/2 numbers (BENCH_SCREEN_BLOCTEL; 5 M at N = 10 M), a tenth of the list's numbers among
// them. The snapshot scales with N because importing it is the slow part of the set-up (≈ 20 k
// rows/s: 5 M take minutes; the store is kept in bench/data/ and reused). Whole processes are
// timed, Node's start included, with peak RSS and CPU seconds from /usr/bin/time. The same evidence
// is imported into PostgreSQL (a fresh schema in VIGIE_TEST_DATABASE_URL, default the local `test`
// database, dropped after; BENCH_SCREEN_POSTGRES=0 skips it) and the list screened against it
// too. BENCH_SCREEN_STORE=0 screens the list alone (for the largest lists, whose store takes long
// to import). The DuckDB reference runs the bare joins on the same files (anti-join on objections
// and on the snapshot, semi-join on consents, raw phone text, no normalization, no rule) in a
// process of its own. Figures, not pass/fail: `node --import tsx bench/screen.ts`. Data goes to
// bench/data/ (git-ignored).
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { normalizePhone } from "../src/normalize/phone.ts";
import { machineLine, median, rng } from "./machine.ts";

const ROWS = Number(process.env.BENCH_SCREEN_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_SCREEN_RUNS ?? 1);
const BLOCTEL = Number(process.env.BENCH_SCREEN_BLOCTEL ?? Math.round(ROWS / 2));
const STORE = process.env.BENCH_SCREEN_STORE !== "0";
const POSTGRES = STORE && process.env.BENCH_SCREEN_POSTGRES !== "0";
const PG_URL = process.env.VIGIE_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
/** The day of the Bloctel check, before the campaign. */
const BLOCTEL_DATE = "2026-11-15";
const DIR = resolve(`bench/data/screen-${ROWS}`);
const CLI = resolve("dist/cli/main.js");
const CAMPAIGN = {
  controller: "Agence Dupont",
  channel: "voice_live",
  callerId: "+33 1 44 00 00 00",
  habitualCaller: true,
  at: "2026-12-01T11:00:00+01:00",
};

interface Generated {
  readonly list: string;
  readonly objections: string;
  readonly consents: string;
  readonly bloctel: string;
  readonly malformed: number;
}

/** Writes text to a file a mebibyte at a time. */
async function writeLines(
  path: string,
  header: string,
  rows: (write: (line: string) => Promise<void>) => Promise<void>,
) {
  const out = createWriteStream(path);
  let text = `${header}\n`;
  await rows(async (line) => {
    text += `${line}\n`;
    if (text.length > 1 << 20) {
      if (!out.write(text)) await once(out, "drain");
      text = "";
    }
  });
  out.end(text);
  await once(out, "finish");
}

async function generate(): Promise<Generated> {
  const files = {
    list: join(DIR, "list.csv"),
    objections: join(DIR, "objections.csv"),
    consents: join(DIR, "consents.csv"),
    bloctel: join(DIR, "bloctel.csv"),
  };
  const marker = join(DIR, "generated.json");
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, "utf8")) as { malformed: number; bloctel?: number };
    if (m.bloctel === BLOCTEL) return { ...files, malformed: m.malformed };
    rmSync(join(DIR, "evidence.db"), { force: true }); // made from other files
  }
  mkdirSync(DIR, { recursive: true });
  const r = rng(2026);
  // The snapshot's draws come from a generator of their own: the list stays the same whatever its size.
  const rb = rng(2027);
  const registered: string[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join("");
  const pairs = (s: string) => s.match(/../g)?.join(" ") ?? s;
  /** A valid number in one of the ways lists write them, with its department. */
  const phone = (): [string, string] => {
    for (;;) {
      const kind = r();
      const rest = digits(8);
      const [text, department] =
        kind < 0.04
          ? [`0690 ${pairs(rest.slice(2))}`, "971"]
          : kind < 0.08
            ? [`0692 ${pairs(rest.slice(2))}`, "974"]
            : kind < 0.15
              ? [`01 ${pairs(rest)}`, "75"]
              : [
                  pick([
                    `06 ${pairs(rest)}`,
                    `06${rest}`,
                    `+33 6 ${pairs(rest)}`,
                    `+336${rest}`,
                    `0033 6 ${pairs(rest)}`,
                    `06.${pairs(rest).replaceAll(" ", ".")}`,
                    `07 ${pairs(rest)}`,
                  ]),
                  pick(["69", "13", "33", "59", "75", "57", "2A"]),
                ];
      if (normalizePhone(text).ok) return [text, department];
    }
  };
  const origins = [
    "scraped_public",
    "scraped_public",
    "directory",
    "partner",
    "broker",
    "direct",
    "",
  ] as const;
  const objections: string[] = [];
  const consents: string[] = [];
  let malformed = 0;
  await writeLines(
    files.list,
    "id,phone,email,kind,origin,collected_at,source_url,department,name",
    async (write) => {
      for (let i = 1; i <= ROWS; i++) {
        const [number, department] = phone();
        const k = r();
        const kind = k < 0.8 ? "consumer" : k < 0.95 ? "professional" : "legal_entity";
        const origin = pick(origins);
        const collected =
          origin === ""
            ? ""
            : `2026-${String(1 + Math.floor(r() * 11)).padStart(2, "0")}-${String(1 + Math.floor(r() * 28)).padStart(2, "0")}`;
        const url =
          origin === "scraped_public" || origin === "directory" ? `https://annonces.example/${i}` : "";
        const name = i % 3 === 0 ? `"Dupont, ${i}"` : `Martin ${i}`;
        let row = `${i},${number},p${i}@example.fr,${kind},${origin},${collected},${url},${r() < 0.7 ? department : ""},${name}`;
        const bad = r();
        if (bad < 0.01) {
          malformed++;
          row =
            bad < 0.0025
              ? `${i},06 12,,consumer,,,,,short number`
              : bad < 0.005
                ? `${row},extra column`
                : bad < 0.0075
                  ? `${i},${number},,consumer,direct,2026-13-40,,,bad date`
                  : `${i},${number},,consumer,rumour,,,,unknown origin`;
        }
        await write(row);
        // The evidence names the number exactly as the list writes it: the DuckDB joins compare text.
        if (r() < 0.1) objections.push(`${number},2026-06-01`);
        if (r() < 0.1) consents.push(`${number},Agence Dupont,voice_live,2026-09-01,double_opt_in`);
        if (registered.length < BLOCTEL && rb() < 0.1) registered.push(number);
      }
    },
  );
  await writeLines(files.objections, "phone,at", async (write) => {
    for (const line of objections) await write(line);
  });
  await writeLines(files.consents, "phone,controller,channel,given_at,method", async (write) => {
    for (const line of consents) await write(line);
  });
  // The rest of the snapshot: numbers not (or not knowingly) on the list, from the same mix.
  await writeLines(files.bloctel, "phone", async (write) => {
    for (const line of registered) await write(line);
    for (let i = registered.length; i < BLOCTEL; i++) await write(phone()[0]);
  });
  // Class balance: a skewed generator (a PRNG's parity artefact matching only even ids, say) makes
  // the figures lie.
  const share = malformed / ROWS;
  if (ROWS >= 10_000 && (share < 0.007 || share > 0.013)) throw new Error(`malformed share ${share}`);
  writeFileSync(marker, JSON.stringify({ malformed, bloctel: BLOCTEL }));
  return { ...files, malformed };
}

interface Timed {
  readonly seconds: number;
  readonly rssMiB: number;
  /** User and system CPU time of the process, every thread of it. */
  readonly cpuSeconds: number;
  readonly stdout: string;
}

const HAS_TIME = existsSync("/usr/bin/time");

/** Runs `node ARGS` in DIR as its own process; wall time, and peak RSS when /usr/bin/time exists. */
function timed(args: readonly string[]): Timed {
  const command = HAS_TIME ? "/usr/bin/time" : process.execPath;
  const argv = HAS_TIME ? ["-f", "%M %U %S", process.execPath, ...args] : [...args];
  const start = performance.now();
  const r = spawnSync(command, argv, {
    cwd: DIR,
    encoding: "utf8",
    env: { ...process.env, VIGIE_KEYRING: join(DIR, "keyring.json") },
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0 && r.status !== 2)
    throw new Error(`node ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  const [kb, user, system] = HAS_TIME
    ? (r.stderr.trim().split("\n").at(-1) ?? "").split(" ").map(Number)
    : [Number.NaN, Number.NaN, Number.NaN];
  return {
    seconds,
    rssMiB: (kb as number) / 1024,
    cpuSeconds: (user as number) + (system as number),
    stdout: r.stdout,
  };
}

function best(label: string, run: () => Timed): Timed {
  const runs = Array.from({ length: RUNS }, run);
  const seconds = median(runs.map((t) => t.seconds));
  const rssMiB = Math.max(...runs.map((t) => t.rssMiB));
  const cpuSeconds = median(runs.map((t) => t.cpuSeconds));
  const rate = ROWS / seconds;
  // Rows per CPU-second: what a core screens, whichever threads the time was spent on.
  const perCore = Number.isNaN(cpuSeconds)
    ? ""
    : `, ${Math.round(ROWS / cpuSeconds).toLocaleString("en")}/s a core (${cpuSeconds.toFixed(1)} s CPU)`;
  console.log(
    `${label.padEnd(52)} ${seconds.toFixed(2).padStart(7)} s  ${Math.round(rate).toLocaleString("en").padStart(9)} contacts/s${perCore}  peak RSS ${Number.isNaN(rssMiB) ? "n/a" : `${rssMiB.toFixed(0)} MiB`}  (load ${loadavg()[0]?.toFixed(1)})`,
  );
  return { seconds, rssMiB, cpuSeconds, stdout: runs[0]?.stdout ?? "" };
}

/** The DuckDB reference: the bare joins, CSV in, CSV out, in a process of its own. */
const DUCKDB_SCRIPT = `
import { DuckDBInstance } from "@duckdb/node-api";
const db = await DuckDBInstance.create(":memory:");
const c = await db.connect();
const list = "read_csv('list.csv', header = true, all_varchar = true, ignore_errors = true)";
const objections = "read_csv('objections.csv', all_varchar = true)";
const bloctel = "read_csv('bloctel.csv', all_varchar = true)";
const consents = "read_csv('consents.csv', all_varchar = true)";
const t0 = performance.now();
await c.run(\`COPY (SELECT l.* FROM \${list} l ANTI JOIN \${objections} o ON l.phone = o.phone ANTI JOIN \${bloctel} b ON l.phone = b.phone) TO 'duck-not-objected.csv' (HEADER)\`);
const t1 = performance.now();
await c.run(\`COPY (SELECT l.* FROM \${list} l SEMI JOIN \${consents} k ON l.phone = k.phone) TO 'duck-consented.csv' (HEADER)\`);
const t2 = performance.now();
const kept = await c.runAndReadAll(\`SELECT count(*)::INTEGER AS n FROM \${list} l SEMI JOIN \${consents} k ON l.phone = k.phone ANTI JOIN \${objections} o ON l.phone = o.phone ANTI JOIN \${bloctel} b ON l.phone = b.phone\`);
console.log(JSON.stringify({ antiJoin: (t1 - t0) / 1000, semiJoin: (t2 - t1) / 1000, kept: kept.getRowObjects()[0].n }));
`;

function duckdbInstalled(): boolean {
  try {
    import.meta.resolve("@duckdb/node-api");
    return true;
  } catch {
    return false;
  }
}

/** The three imports of the bench's evidence, into the store `where` names. */
function importEvidence(g: Generated, where: readonly string[], name: string): void {
  // Each import is idempotent (a file imported before is a no-op): an interrupted set-up resumes.
  for (const [kind, file, extra] of [
    ["objections", g.objections, []],
    ["consents", g.consents, []],
    ["bloctel", g.bloctel, ["--date", BLOCTEL_DATE]],
  ] as const) {
    const t = timed([CLI, "import", kind, file, ...where, ...extra]);
    console.log(`set-up: vigie import ${kind} into ${name} (${t.seconds.toFixed(1)} s, not counted)`);
  }
}

/**
 * A fresh schema holding the bench's evidence, analyzed as autovacuum would after an import
 * (without statistics PostgreSQL plans the reads with scans of whole tables); null when
 * PostgreSQL cannot be reached. drop() removes it.
 */
async function postgresStore(
  g: Generated,
): Promise<{ readonly url: string; readonly drop: () => Promise<void> } | null> {
  const schema = `vigie_bench_screen_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
  } catch (e) {
    console.log(`PostgreSQL not reachable at ${PG_URL} (${(e as Error).message}): skipped`);
    await admin.end().catch(() => {});
    return null;
  }
  const drop = async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  };
  try {
    const url = `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    importEvidence(g, ["--database", url], "PostgreSQL");
    const tables = await admin.query(`SELECT tablename FROM pg_tables WHERE schemaname = $1`, [schema]);
    for (const { tablename } of tables.rows as { tablename: string }[])
      await admin.query(`ANALYZE ${schema}.${tablename}`);
    return { url, drop };
  } catch (e) {
    await drop();
    throw e;
  }
}

export async function benchScreen(): Promise<void> {
  if (!existsSync(CLI)) throw new Error("bench/screen.ts runs the built CLI: npm run build first");
  console.log(`screen — ${machineLine()}`);
  const g = await generate();
  const store = join(DIR, "evidence.db");
  if (STORE) importEvidence(g, ["--store", store], "SQLite");
  const postgres = POSTGRES ? await postgresStore(g) : null;
  try {
    console.log(
      `${ROWS.toLocaleString("en")} contacts, ${g.malformed.toLocaleString("en")} malformed; campaign voice_live at ${CAMPAIGN.at}; ${RUNS} run(s), median`,
    );
    if (STORE)
      console.log(
        `store: ${Math.round(ROWS / 10).toLocaleString("en")} objections and consents (≈ N/10 each), a Bloctel snapshot of ${BLOCTEL.toLocaleString("en")} numbers checked ${BLOCTEL_DATE} (N/2 unless BENCH_SCREEN_BLOCTEL; ≈ 10 % of the list in it)`,
      );
    writeFileSync(join(DIR, "campaign.json"), JSON.stringify(CAMPAIGN));
    const screen = (out: string, extra: readonly string[]) => () => {
      rmSync(join(DIR, out), { recursive: true, force: true });
      return timed([CLI, "screen", "list.csv", "--campaign", "campaign.json", "--out", out, ...extra]);
    };
    const ratios: [string, Timed][] = [];
    ratios.push(["list alone", best("vigie screen, list alone (no store)", screen("out-alone", []))]);
    if (STORE) {
      const sqlite = best(
        "vigie screen --store (objections, consents, Bloctel)",
        screen("out-store", ["--store", store]),
      );
      console.log(`  ${sqlite.stdout.trim()}`);
      ratios.push(["with the SQLite store", sqlite]);
    }
    if (postgres !== null) {
      const fed = best(
        "vigie screen --database (the same, on PostgreSQL)",
        screen("out-postgres", ["--database", postgres.url]),
      );
      console.log(`  ${fed.stdout.trim()}`);
      ratios.push(["with PostgreSQL", fed]);
    }

    if (!duckdbInstalled()) {
      console.log("DuckDB reference: @duckdb/node-api is not installed (npm install): skipped");
      return;
    }
    const duck = best("DuckDB 1.5.6: anti-join + semi-join, CSV→CSV", () =>
      timed(["--input-type=module", "-e", DUCKDB_SCRIPT]),
    );
    const joins = JSON.parse(duck.stdout) as { antiJoin: number; semiJoin: number; kept: number };
    console.log(
      `  of which anti-join on objections and Bloctel ${joins.antiJoin.toFixed(2)} s, semi-join on consents ${joins.semiJoin.toFixed(2)} s; ${joins.kept.toLocaleString("en")} rows consented, not objected, not on Bloctel`,
    );
    console.log(
      `ratio vigie/DuckDB (whole processes): ${ratios.map(([what, t]) => `${what} ${(t.seconds / duck.seconds).toFixed(1)}×`).join(", ")} — DuckDB compares raw text and applies no rule`,
    );
  } finally {
    await postgres?.drop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await benchScreen();
}
