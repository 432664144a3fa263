// The heads file: signed heads appended one JSON line each, for a DPO to copy elsewhere (and
// `--heads-hook`, to hand each statement to a command that publishes it). `<store>.heads.jsonl`
// beside a SQLite store, `heads.jsonl` beside the keyring for PostgreSQL, as src/api/paths.ts
// places the server's files. Append-only and fsynced: a head acknowledged is a head kept.
import { spawn } from "node:child_process";
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { defaultKeyRingPath } from "../normalize/keys.ts";
import { syncDirectory } from "../normalize/new-file.ts";
import { parseSignedHead, type SignedHead } from "./head-statement.ts";
import { DEFAULT_STORE_FILE, type StoreLocation } from "./session.ts";

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
