// Keys of contact points: HMAC-SHA-256 of the normalized value under an installation secret.
// Never a plain hash: there are only ~10^9 French mobile numbers, so an unkeyed SHA-256 of one is
// reversed by brute force in minutes. The secret lives in a keyring file outside the database on
// purpose — a stolen database alone must not reveal the numbers — and is versioned so that it
// can be rotated while keys made under older versions still match.

import { randomBytes } from "node:crypto";
import { closeSync, openSync, renameSync, unlinkSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { HmacSha256 } from "./hmac.ts";
import { publishNewFile, readSecretFile, syncDirectory, writeTemp } from "./new-file.ts";
import type { NormalizedPoint } from "./point.ts";

export interface KeyVersion {
  readonly version: number;
  /** 32 random bytes. */
  readonly secret: Buffer;
  readonly createdAt: string;
}

export interface KeyRing {
  /** The highest version: new keys are made with it. */
  readonly current: KeyVersion;
  /** Every version, ascending, kept so that keys made before a rotation still match. */
  readonly versions: readonly KeyVersion[];
}

const SECRET_BYTES = 32;

// The HMAC's inner and outer states, computed once per version: a screening keys millions of
// points, and node:crypto's createHmac spends more on setting up each call than on hashing.
const hmacs = new WeakMap<KeyVersion, HmacSha256>();

function hmacOf(version: KeyVersion): HmacSha256 {
  let hmac = hmacs.get(version);
  if (hmac === undefined) {
    hmac = new HmacSha256(version.secret);
    hmacs.set(version, hmac);
  }
  return hmac;
}

/**
 * `v<version>:` + base64url(HMAC-SHA-256(secret, `<type>:<value>`)). The type prefix keeps a
 * phone and an e-mail from ever sharing a key; the version says which secret to check against.
 */
export function pointKey(ring: KeyRing, point: NormalizedPoint, version = ring.current.version): string {
  const key =
    version === ring.current.version ? ring.current : ring.versions.find((v) => v.version === version);
  if (key === undefined) throw new Error(`keyring has no version ${version}`);
  const mac = hmacOf(key).base64url(`${point.type}:${point.value}`);
  return `v${key.version}:${mac}`;
}

/** The point's key under every version, current first, then newest to oldest. */
export function allPointKeys(ring: KeyRing, point: NormalizedPoint): string[] {
  const others = ring.versions
    .filter((v) => v.version !== ring.current.version)
    .sort((a, b) => b.version - a.version);
  return [ring.current, ...others].map((v) => pointKey(ring, point, v.version));
}

/** $VIGIE_KEYRING, else `${XDG_CONFIG_HOME or ~/.config}/vigie/keyring.json`. */
export function defaultKeyRingPath(): string {
  const explicit = process.env.VIGIE_KEYRING;
  if (explicit) return explicit;
  const xdg = process.env.XDG_CONFIG_HOME;
  // The XDG base-directory spec says to ignore a relative (or empty) value.
  const config = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".config");
  return join(config, "vigie", "keyring.json");
}

const newVersion = (version: number): KeyVersion => ({
  version,
  secret: randomBytes(SECRET_BYTES),
  createdAt: new Date().toISOString(),
});

const ringOf = (versions: KeyVersion[]): KeyRing => {
  const sorted = versions.toSorted((a, b) => a.version - b.version);
  const current = sorted[sorted.length - 1];
  if (current === undefined) throw new Error("a keyring needs at least one version");
  return { current, versions: sorted };
};

const serialize = (ring: KeyRing): string =>
  `${JSON.stringify(
    {
      versions: ring.versions.map((v) => ({
        version: v.version,
        secret: v.secret.toString("base64"),
        createdAt: v.createdAt,
      })),
    },
    null,
    2,
  )}\n`;

function parse(path: string, text: string): KeyRing {
  const fail = (what: string): never => {
    throw new Error(`keyring ${path}: ${what}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail("not valid JSON");
  }
  const entries = (data as { versions?: unknown } | null)?.versions;
  if (!Array.isArray(entries) || entries.length === 0) return fail('expected {"versions": [at least one]}');
  const seen = new Set<number>();
  const versions = entries.map((entry: { version?: unknown; secret?: unknown; createdAt?: unknown }) => {
    const { version, secret, createdAt } = entry ?? {};
    if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1 || seen.has(version)) {
      return fail(`invalid or duplicate version ${JSON.stringify(version)}`);
    }
    seen.add(version);
    if (typeof secret !== "string") return fail(`version ${version} has no secret`);
    const bytes = Buffer.from(secret, "base64");
    if (bytes.toString("base64") !== secret) return fail(`version ${version}: secret is not base64`);
    if (bytes.length !== SECRET_BYTES) {
      return fail(`version ${version}: secret is ${bytes.length} bytes, expected ${SECRET_BYTES}`);
    }
    if (typeof createdAt !== "string" || Number.isNaN(Date.parse(createdAt))) {
      return fail(`version ${version}: invalid createdAt`);
    }
    return { version, secret: bytes, createdAt };
  });
  return ringOf(versions);
}

const hasCode = (error: unknown, code: string): boolean => (error as { code?: unknown })?.code === code;

/** The keyring at `path`, or undefined if there is no file: never creates one. */
export function readKeyRing(path: string): KeyRing | undefined {
  const text = readSecretFile(path, "keyring");
  return text === undefined ? undefined : parse(path, text);
}

/**
 * Loads the keyring, creating it (version 1, mode 0600, directory 0700) if there is none.
 * Creation publishes a complete temporary file with link(), which — unlike rename() — fails if
 * the keyring appeared meanwhile: of two processes starting together, the loser reads the
 * winner's secret instead of silently replacing it.
 */
export function loadOrCreateKeyRing(path: string): KeyRing {
  const existing = readKeyRing(path);
  if (existing) return existing;
  const ring = ringOf([newVersion(1)]);
  if (publishNewFile(path, serialize(ring))) return ring;
  const winner = readKeyRing(path);
  if (winner === undefined) throw new Error(`keyring ${path}: disappeared while being created`);
  return winner;
}

/**
 * Adds version n+1 and makes it current, keeping every older version. A lock file stops two
 * concurrent rotations from each installing a different n+1; readers see the old or the new file
 * whole, thanks to rename().
 */
export function rotateKeyRing(path: string): KeyRing {
  // Creating a ring here would hide a wrong path behind a fresh secret.
  const missing = (): Error => new Error(`keyring ${path}: does not exist, nothing to rotate`);
  const lock = `${path}.lock`;
  let lockFd: number;
  try {
    lockFd = openSync(lock, "wx", 0o600);
  } catch (error) {
    if (hasCode(error, "ENOENT")) throw missing();
    if (!hasCode(error, "EEXIST")) throw error;
    throw new Error(`keyring ${path}: ${lock} exists; another rotation is running (or crashed: delete it)`);
  }
  try {
    const ring = readKeyRing(path);
    if (ring === undefined) throw missing();
    const rotated = ringOf([...ring.versions, newVersion(ring.current.version + 1)]);
    const temp = writeTemp(path, serialize(rotated));
    try {
      renameSync(temp, path);
    } catch (error) {
      unlinkSync(temp);
      throw error;
    }
    syncDirectory(path);
    return rotated;
  } finally {
    closeSync(lockFd);
    unlinkSync(lock);
  }
}
