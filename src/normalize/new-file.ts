// Secret files created whole and at most once: a complete temporary file, fsynced and mode 0600,
// published with link(), which — unlike rename() — fails if the file appeared meanwhile. Of two
// processes creating one at once, the loser keeps the winner's file instead of replacing it.
import { randomBytes } from "node:crypto";
import {
  closeSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname } from "node:path";

const hasCode = (error: unknown, code: string): boolean => (error as { code?: unknown })?.code === code;

/** Writes `text` to a fresh, fsynced, 0600 temporary file next to `path`. */
export function writeTemp(path: string, text: string): string {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temp;
}

/** Makes a link or rename durable: losing a secret file makes what it guards unusable. */
export function syncDirectory(path: string): void {
  if (process.platform === "win32") return; // directories cannot be opened there
  const fd = openSync(dirname(path), "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates `path` holding `text` (mode 0600, its directory 0700 if new) unless it exists: true
 * when this call created it, false when it was there (the caller then reads it).
 */
export function publishNewFile(path: string, text: string): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = writeTemp(path, text);
  try {
    linkSync(temp, path);
    syncDirectory(path);
    return true;
  } catch (error) {
    if (!hasCode(error, "EEXIST")) throw error;
    return false;
  } finally {
    unlinkSync(temp);
  }
}

/**
 * The text of the secret file at `path` (`what` names it in messages), or undefined if there is
 * none; refused when it is not a regular file or group or others may read it.
 */
export function readSecretFile(path: string, what: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if (hasCode(error, "ENOENT")) return undefined;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${what} ${path}: not a regular file`);
    // Windows has no POSIX modes to check.
    if (process.platform !== "win32" && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8);
      throw new Error(`${what} ${path}: group or others have access (mode ${mode}); chmod 600 it`);
    }
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}
