// Small JSON files written whole: a temporary file renamed over the old one, so a crash leaves
// the old file or the new one, never half of one. Mode 0600: they hold key hashes and campaigns.
import { readFileSync, renameSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { makePrivateDir, writePrivateFile } from "../io/private-files.ts";

export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

export function writeJsonFile(path: string, value: unknown): void {
  makePrivateDir(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  writePrivateFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
}

/**
 * A JSON file read again whenever it changes (by modification time), so that a file another
 * process rewrites — `vigie keys create`, `vigie users add` — needs no restart to take effect.
 * `parse` gets undefined when the file does not exist.
 */
export class WatchedJsonFile<T> {
  readonly path: string;
  private readonly parse: (raw: unknown) => T;
  private mtimeMs = -1;
  private value: T | undefined;

  constructor(path: string, parse: (raw: unknown) => T) {
    this.path = path;
    this.parse = parse;
  }

  read(): T {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch {
      mtimeMs = 0;
    }
    if (mtimeMs !== this.mtimeMs || this.value === undefined) {
      this.value = this.parse(readJsonFile(this.path));
      this.mtimeMs = mtimeMs;
    }
    return this.value;
  }

  write(value: unknown): void {
    writeJsonFile(this.path, value);
    this.mtimeMs = -1;
  }
}
