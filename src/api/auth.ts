// API keys: `vk_` + 32 random bytes in base64url, shown once when created. Only their SHA-256 is
// kept (a stolen store gives no usable key). Scopes: decide, read, write-evidence, admin; admin
// grants every scope. Each key carries its own rate limit; a revoked key stays (listed, with the
// date) and is refused. Keys live in the store (schema 13), each tenant's its own, so that every
// server process of one store — on any machine — knows a key created or revoked anywhere.
import { hash, randomBytes } from "node:crypto";
import { z } from "zod";
import { readJsonFile } from "../services/json-file.ts";
import type { Store } from "../store/store.ts";
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

/** One-shot (a third of createHash()'s time): every request hashes its key. */
const sha256 = (text: string): string => hash("sha256", text, "hex");

/** The key records of an earlier version's key file (`<store>.keys.json`); none when there is none. */
function keysOfFile(path: string): ApiKey[] {
  const raw = readJsonFile(path);
  if (raw === undefined) return [];
  const parsed = keyFile.safeParse(raw);
  if (!parsed.success) throw new Error(`${path}: not a vigie key file`);
  return parsed.data.keys;
}

/**
 * Reads an earlier version's key file into the store: its keys work as before, a key already
 * there stays as it is (a revocation made since holds). The file is left as it was.
 */
export async function importKeyFile(store: Store, tenant: string, path: string): Promise<void> {
  for (const k of keysOfFile(path)) await addKey(store, tenant, k);
}

async function addKey(store: Store, tenant: string, k: ApiKey): Promise<void> {
  await store.shared("keyAdd", [tenant, k.id, k.sha256, k.createdAt, JSON.stringify(k)]);
}

/** The tenant's keys, oldest first, revoked ones included. */
export async function listKeys(store: Store, tenant: string): Promise<ApiKey[]> {
  const rows = await store.shared("keysAll", [tenant]);
  return rows.map((r) => {
    const parsed = keyRecord.safeParse(JSON.parse(String(r.record)));
    if (!parsed.success) throw new Error("api_keys: a record that is not a vigie key");
    return parsed.data;
  });
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

export async function createKey(
  store: Store,
  tenant: string,
  k: NewKey,
  now = new Date(),
): Promise<{ key: string; record: ApiKey }> {
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
  await addKey(store, tenant, record);
  return { key, record };
}

/**
 * Revokes the key: it stays with `revokedAt`, and is refused. Returns the key as it was (already
 * revoked when it has `revokedAt`: nothing changes), or null for no such id.
 */
export async function revokeKey(
  store: Store,
  tenant: string,
  id: string,
  now = new Date(),
): Promise<ApiKey | null> {
  const key = (await listKeys(store, tenant)).find((k) => k.id === id);
  if (key === undefined || key.revokedAt !== undefined) return key ?? null;
  await store.shared("keyUpdate", [JSON.stringify({ ...key, revokedAt: now.toISOString() }), tenant, id]);
  return key;
}

/**
 * How long a server trusts the keys it read: a key revoked through another process is refused
 * at most this long after (one read of the tenant's keys a second, not one per request). An
 * unknown key reads them again at once — a key just created works at its first request — but at
 * most every MISS_READ_MS, so that a flood of made-up keys costs no more reads than that.
 */
export const KEYS_FRESH_MS = 1000;
const MISS_READ_MS = 100;

/** The tenant's unrevoked keys by hash, as a server checks them, read again every KEYS_FRESH_MS. */
export class ApiKeys {
  private readonly store: Store;
  private readonly tenant: string;
  private byHash = new Map<string, ApiKey>();
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;

  constructor(store: Store, tenant: string) {
    this.store = store;
    this.tenant = tenant;
  }

  /** The unrevoked key an `Authorization: Bearer vk_…` header names, or null. */
  async lookup(authorization: string | undefined): Promise<ApiKey | null> {
    // The scheme in any capitals (RFC 9110 §11.1), the key as issued.
    const token = /^bearer\s+(vk_[A-Za-z0-9_-]+)$/.exec(
      authorization?.replace(/^\S+/, (s) => s.toLowerCase()) ?? "",
    )?.[1];
    if (token === undefined) return null;
    const hash = sha256(token);
    const age = performance.now() - this.readAt;
    if (age > KEYS_FRESH_MS || (!this.byHash.has(hash) && age > MISS_READ_MS)) await this.refresh();
    return this.byHash.get(hash) ?? null;
  }

  /** One read for the requests that arrive while it runs. */
  private refresh(): Promise<void> {
    this.reading ??= listKeys(this.store, this.tenant)
      .then((keys) => {
        this.byHash = new Map(
          keys.filter((k) => k.revokedAt === undefined).map((k) => [k.sha256, k] as const),
        );
        this.readAt = performance.now();
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }
}

export function grants(key: ApiKey, scope: Scope): boolean {
  return key.scopes.includes(scope) || key.scopes.includes("admin");
}
