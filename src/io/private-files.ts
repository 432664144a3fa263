// Files that hold personal data are 0600 and their folders 0700, whatever the umask. A mode given
// on creation is masked by the umask (which can only take bits away) and ignored for a file that
// already exists, so files written over are chmod-ed explicitly. The umask itself is left alone:
// setting it is process-wide and throws in worker threads (the screening's lookup worker).
import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, statSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";

export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/** Creates the folder and any missing parent 0700; an existing folder is left as it is. */
export function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR });
}

export async function makePrivateDirAsync(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR });
}

/** Writes the whole file, 0600 even when it existed with a wider mode. */
export function writePrivateFile(
  path: string,
  data: string | Uint8Array,
  flag: "w" | "wx" | "a" = "w",
): void {
  const fd = openSync(path, flag, PRIVATE_FILE);
  try {
    fchmodSync(fd, PRIVATE_FILE);
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/**
 * Takes group and other bits off an existing file (not one another user owns: that is theirs to
 * fix, and reading it already depends on its mode). A missing file is fine.
 */
export function keepPrivate(path: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(path, mode & 0o700);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") throw e;
  }
}
