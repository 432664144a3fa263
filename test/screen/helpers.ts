// Shared by the screen tests: temporary lists and campaigns, in-process runs, and the CLI.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after } from "node:test";
import { parse } from "csv-parse/sync";
import { loadCampaign } from "../../src/services/screen/campaign.ts";
import { columnNames } from "../../src/services/screen/columns.ts";
import type { EvidenceSource } from "../../src/services/screen/evidence.ts";
import type { ListInputOptions } from "../../src/services/screen/list.ts";
import type { ListValues } from "../../src/services/screen/list-values.ts";
import { screenList } from "../../src/services/screen/run.ts";
import type { ScreenSummary } from "../../src/services/screen/summary.ts";

/** A fresh temporary directory, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "vigie-screen-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A Tuesday morning in March 2025: Bloctel era, before the 2026 opt-in for phone canvassing. */
export const CALL_2025 = {
  controller: "Agence Dupont",
  channel: "voice_live",
  callerId: "+33 1 44 00 00 00",
  habitualCaller: true,
  at: "2025-03-04T11:00:00+01:00",
};

/** A newsletter sent by a shop to e-mail addresses it holds. */
export const EMAIL_2026 = {
  controller: "Boutique SAS",
  channel: "email",
  at: "2026-12-01T10:00:00+01:00",
  message: { senderIdentified: true, optOut: true },
};

export interface Outputs {
  readonly summary: ScreenSummary;
  readonly dir: string;
  read(name: string): string;
  /** The CSV output's data rows (header excluded), as arrays of cells. */
  rows(name: "allowed.csv" | "blocked.csv" | "rejected.csv"): string[][];
}

export function outputs(dir: string, summary: ScreenSummary): Outputs {
  const read = (name: string) => readFileSync(join(dir, name), "utf8");
  return {
    summary,
    dir,
    read,
    rows(name) {
      const text = read(name).replace(/^\uFEFF/, "");
      if (text === "") return [];
      const records = parse(text, { delimiter: sniff(text), relax_column_count: false }) as string[][];
      return records.slice(1);
    },
  };
}

/** Outputs use the list's delimiter: the first of ; tab , found in their header line. */
function sniff(text: string): string {
  const header = text.slice(0, text.indexOf("\n"));
  return header.includes(";") ? ";" : header.includes("\t") ? "\t" : ",";
}

export interface ScreenInput {
  /** The list's bytes, or text (written as UTF-8). */
  readonly list: string | Buffer;
  readonly listName?: string;
  readonly campaign?: object;
  readonly map?: string;
  /** How to read the list (`--encoding`, …). */
  readonly input?: ListInputOptions;
  /** `--set`, `--map-values`. */
  readonly values?: ListValues;
  readonly lang?: "fr" | "en";
  readonly evidence?: EvidenceSource | null;
  /** Where to write the inputs and the outputs (default: a new temp dir). */
  readonly dir?: string;
  readonly out?: string;
}

/** Screens in-process and returns the outputs. */
export async function screen(input: ScreenInput): Promise<Outputs> {
  const dir = input.dir ?? tempDir();
  const list = join(dir, input.listName ?? "list.csv");
  const campaignFile = join(dir, "campaign.json");
  writeFileSync(list, input.list);
  writeFileSync(campaignFile, JSON.stringify(input.campaign ?? CALL_2025));
  const out = join(dir, input.out ?? "out");
  const summary = await screenList({
    list,
    campaignFile,
    campaign: loadCampaign(campaignFile),
    out,
    names: columnNames(input.map),
    input: input.input,
    values: input.values,
    lang: input.lang ?? "en",
    evidence: input.evidence ?? null,
  });
  return outputs(out, summary);
}

/** Asserts nothing but the counts: in = allowed + blocked + rejected, in the summary and in the files. */
export function reconcile(o: Outputs): { in: number; allowed: number; blocked: number; rejected: number } {
  const s = o.summary;
  const files = {
    allowed: o.rows("allowed.csv").length,
    blocked: o.rows("blocked.csv").length,
    rejected: o.rows("rejected.csv").length,
  };
  const fromFile = JSON.parse(o.read("summary.json")) as ScreenSummary;
  if (fromFile.in !== s.allowed + s.blocked + s.rejected) throw new Error(`summary.json does not reconcile`);
  if (files.allowed !== s.allowed || files.blocked !== s.blocked || files.rejected !== s.rejected) {
    throw new Error(`files ${JSON.stringify(files)} disagree with the summary ${JSON.stringify(s)}`);
  }
  if ([o.dir, dirname(o.dir)].some((dir) => readdirSync(dir).some((name) => name.includes(".partial-"))))
    throw new Error("a partial directory is left");
  return { in: s.in, ...files };
}

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const TSX = import.meta.resolve("tsx");

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `vigie ARGS` in `cwd`, with its own keyring. */
export function vigie(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, ["--import", TSX, MAIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, VIGIE_KEYRING: join(cwd, "keyring.json"), ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `vigie ARGS` without waiting for it. */
export function vigieChild(args: readonly string[], cwd: string) {
  return spawn(process.execPath, ["--import", TSX, MAIN, ...args], {
    cwd,
    env: { ...process.env, VIGIE_KEYRING: join(cwd, "keyring.json") },
    stdio: ["ignore", "ignore", "pipe"],
  });
}
