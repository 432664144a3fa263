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
 * A JSON file read again whenever it changes, so that a file another process rewrites — `vigie
 * keys create|revoke`, `vigie users add` — needs no restart to take effect. A change is told by
 * the inode, size and modification time together: file times advance by the kernel's tick (a few
 * ms), so two writes within one tick may share a time, but each write renames a new file over
 * the old one. `parse` gets undefined when the file does not exist.
 */
export class WatchedJsonFile<T> {
  readonly path: string;
  private readonly parse: (raw: unknown) => T;
  private version = "";
  private value: T | undefined;

  constructor(path: string, parse: (raw: unknown) => T) {
    this.path = path;
    this.parse = parse;
  }

  read(): T {
    let version: string;
    try {
      const s = statSync(this.path);
      version = `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      version = "none";
    }
    if (version !== this.version || this.value === undefined) {
      this.value = this.parse(readJsonFile(this.path));
      this.version = version;
    }
    return this.value;
  }

  write(value: unknown): void {
    writeJsonFile(this.path, value);
    this.version = "";
  }
}
