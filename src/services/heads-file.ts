// The heads file: signed heads appended one JSON line each, for a DPO to copy elsewhere (and
// `--heads-hook`, to hand each statement to a command that publishes it). `<store>.heads.jsonl`
// beside a SQLite store, `heads.jsonl` beside the keyring for PostgreSQL, as src/api/paths.ts
// places the server's files. Append-only and fsynced: a head acknowledged is a head kept.
import { spawn } from "node:child_process";
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { defaultKeyRingPath } from "../normalize/keys.ts";
import { syncDirectory } from "../normalize/new-file.ts";
import type { Store } from "../store/store.ts";
import { parseSignedHead, type SignedHead } from "./head-statement.ts";
import { type HeadProblem, signHeads, verifyHeads } from "./heads.ts";
import { DEFAULT_STORE_FILE, type StoreLocation } from "./session.ts";
import type { SigningKey } from "./signing-key.ts";

export function headsFile(where: StoreLocation): string {
  const url = where.database ?? process.env.VIGIE_DATABASE_URL;
  if (url !== undefined && url !== "") return join(dirname(defaultKeyRingPath()), "heads.jsonl");
  return `${where.store ?? process.env.VIGIE_STORE ?? DEFAULT_STORE_FILE}.heads.jsonl`;
}

const lines = (heads: readonly SignedHead[]): string => heads.map((h) => `${JSON.stringify(h)}\n`).join("");

/** Appends the heads in one write (O_APPEND: concurrent writers never interleave a line), then fsyncs. */
export function appendHeads(path: string, heads: readonly SignedHead[]): void {
  if (heads.length === 0) return;
  const fd = openSync(path, "a", 0o600);
  try {
    writeSync(fd, lines(heads));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDirectory(path); // the file may be new
}

/** A line of a heads file: its signed head, or what is wrong with it. */
export type HeadsLine =
  | { readonly line: number; readonly signed: SignedHead }
  | { readonly line: number; readonly error: string };

/** Every non-empty line of a heads file, parsed. */
export function readHeads(path: string): HeadsLine[] {
  const out: HeadsLine[] = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((text, i) => {
      if (text.trim() === "") return;
      const line = i + 1;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        out.push({ line, error: "not valid JSON" });
        return;
      }
      const parsed = parseSignedHead(value);
      out.push("error" in parsed ? { line, error: parsed.error } : { line, signed: parsed });
    });
  return out;
}

const HOOK_TIMEOUT_MS = 60_000;

/**
 * Runs `command` with the shell, the heads on its standard input (one JSON line each). Resolves
 * with null when it exits 0, else with why not; never throws: the heads are in the file already.
 */
export function runHeadsHook(command: string, heads: readonly SignedHead[]): Promise<string | null> {
  if (heads.length === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", command], {
      stdio: ["pipe", "ignore", "inherit"],
      timeout: HOOK_TIMEOUT_MS,
    });
    child.on("error", (e) => resolve(`--heads-hook: ${e.message}`));
    child.on("close", (code, signal) =>
      resolve(code === 0 ? null : `--heads-hook exited ${signal ?? code}: the heads were not published`),
    );
    child.stdin.on("error", () => {}); // a hook that does not read its input is its own business
    child.stdin.end(lines(heads));
  });
}

export interface HeadsTarget {
  /** The heads file (headsFile). */
  readonly file: string;
  /** A shell command given each batch of heads on its standard input (`--heads-hook`). */
  readonly hook?: string | undefined;
}

/** Appends the heads to the file, then hands them to the hook: null, or why the hook failed. */
export async function publishHeads(heads: readonly SignedHead[], to: HeadsTarget): Promise<string | null> {
  appendHeads(to.file, heads);
  return to.hook === undefined ? null : runHeadsHook(to.hook, heads);
}

/**
 * For a long-running server: each `publish()` signs the heads of every tenant and publishes those
 * that moved since this publisher's last (all of them the first time), one publish at a time.
 * A failure is reported through `warn`, never thrown: the server keeps serving.
 */
export function headsPublisher(
  store: Store,
  key: SigningKey,
  to: HeadsTarget,
  warn: (message: string) => void,
  now: () => number = Date.now,
): { publish(): Promise<void> } {
  const last = new Map<string, string>();
  let running: Promise<void> = Promise.resolve();
  const once = async () => {
    const heads = (await signHeads(store, key, await store.tenants(), now())).filter(
      (h) => last.get(h.statement.tenant) !== `${h.statement.size}:${h.statement.root}`,
    );
    const failed = await publishHeads(heads, to);
    for (const h of heads) last.set(h.statement.tenant, `${h.statement.size}:${h.statement.root}`);
    if (failed !== null) warn(failed);
  };
  return {
    publish() {
      running = running.then(once).catch((e: unknown) => warn(`heads: ${(e as Error).message}`));
      return running;
    },
  };
}

export interface HeadsFileResult {
  readonly ok: boolean;
  readonly file: string;
  readonly checked: number;
  /** Each statement that fails, by its line: its tenant, size and instant when it could be read. */
  readonly problems: readonly (Partial<HeadProblem> & { readonly line: number; readonly problem: string })[];
}

/** `vigie audit verify --heads FILE`: every statement of the file, checked with verifyHeads. */
export async function checkHeadsFile(store: Store, key: SigningKey, file: string): Promise<HeadsFileResult> {
  const problems: HeadsFileResult["problems"][number][] = [];
  const lines = readHeads(file);
  for (const l of lines) {
    if ("error" in l) {
      problems.push({ line: l.line, problem: `not a signed head: ${l.error}` });
      continue;
    }
    const r = await verifyHeads(store, [l.signed], key.publicKey);
    for (const p of r.problems) problems.push({ line: l.line, ...p });
  }
  return { ok: problems.length === 0, file, checked: lines.length, problems };
}
