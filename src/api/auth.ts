// API keys: `vk_` + 32 random bytes in base64url, shown once when created. Only their SHA-256 is
// kept (a stolen key file gives no usable key). Scopes: decide, read, write-evidence, admin;
// admin grants every scope. Each key carries its own rate limit; a revoked key stays in the file
// (listed, with the date) and is refused.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { readJsonFile, WatchedJsonFile, writeJsonFile } from "../services/json-file.ts";
import type { RateLimit } from "../web/rate-limit.ts";

export const SCOPES = ["decide", "read", "write-evidence", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * A key's limit when created without `--rate`, and of keys written before keys had one. Sized for
 * a call centre (docs/api.md, "Rate limits"): a predictive dialer for 100 agents checks a few
 * numbers per agent and second at its peaks, a batch check counting as one request.
 */
export const DEFAULT_KEY_RATE: RateLimit = { perSecond: 200, burst: 400 };

const keyRecord = z.strictObject({
  id: z.string(),
  name: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: z.string(),
  /** Requests per second; 0: unlimited. Absent in key files older than per-key rates. */
  rate: z.number().nonnegative().finite().optional(),
  /** Requests at once; absent with rate 0. */
  burst: z.number().min(1).finite().optional(),
  revokedAt: z.string().optional(),
});
export type ApiKey = z.infer<typeof keyRecord>;
const keyFile = z.strictObject({ keys: z.array(keyRecord) });

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The keys of a key file's JSON (undefined: no file yet). */
function keysOf(path: string, raw: unknown): ApiKey[] {
  if (raw === undefined) return [];
  const parsed = keyFile.safeParse(raw);
  if (!parsed.success) throw new Error(`${path}: not a vigie key file`);
  return parsed.data.keys;
}

/** The key's limit; null: unlimited. */
export function rateOf(key: ApiKey): RateLimit | null {
  if (key.rate === undefined) return DEFAULT_KEY_RATE;
  if (key.rate === 0) return null;
  return { perSecond: key.rate, burst: key.burst ?? Math.max(1, Math.ceil(2 * key.rate)) };
}

export interface NewKey {
  readonly scopes: readonly Scope[];
  readonly name: string;
  /** Default DEFAULT_KEY_RATE; null: unlimited. */
  readonly rate?: RateLimit | null;
}

export function createKey(path: string, k: NewKey, now = new Date()): { key: string; record: ApiKey } {
  const key = `vk_${randomBytes(32).toString("base64url")}`;
  const rate = k.rate === undefined ? DEFAULT_KEY_RATE : k.rate;
  const record: ApiKey = {
    id: `k_${randomBytes(6).toString("base64url")}`,
    name: k.name,
    sha256: sha256(key),
    scopes: [...k.scopes],
    createdAt: now.toISOString(),
    // Written even when it is the default, so that a later default does not change this key.
    ...(rate === null ? { rate: 0 } : { rate: rate.perSecond, burst: rate.burst }),
  };
  writeJsonFile(path, { keys: [...keysOf(path, readJsonFile(path)), record] });
  return { key, record };
}

export function listKeys(path: string): ApiKey[] {
  return keysOf(path, readJsonFile(path));
}

/**
 * Revokes the key: it stays in the file with `revokedAt`, and is refused. Returns the key as it
 * was (already revoked when it has `revokedAt`: nothing changes), or null for no such id.
 */
export function revokeKey(path: string, id: string, now = new Date()): ApiKey | null {
  const keys = listKeys(path);
  const key = keys.find((k) => k.id === id);
  if (key === undefined || key.revokedAt !== undefined) return key ?? null;
  writeJsonFile(path, {
    keys: keys.map((k) => (k === key ? { ...k, revokedAt: now.toISOString() } : k)),
  });
  return key;
}

/** The keys of a file, read again whenever it changes, so `vigie keys create|revoke` need no restart. */
export class KeyFile {
  private readonly file: WatchedJsonFile<Map<string, ApiKey>>;

  constructor(path: string) {
    this.file = new WatchedJsonFile(
      path,
      (raw) =>
        new Map(
          keysOf(path, raw)
            .filter((k) => k.revokedAt === undefined)
            .map((k) => [k.sha256, k] as const),
        ),
    );
  }

  /** The unrevoked key an `Authorization: Bearer vk_…` header names, or null. */
  lookup(authorization: string | undefined): ApiKey | null {
    const token = /^Bearer\s+(vk_[A-Za-z0-9_-]+)$/.exec(authorization ?? "")?.[1];
    if (token === undefined) return null;
    return this.file.read().get(sha256(token)) ?? null;
  }
}

export function grants(key: ApiKey, scope: Scope): boolean {
  return key.scopes.includes(scope) || key.scopes.includes("admin");
}
