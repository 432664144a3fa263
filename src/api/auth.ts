// API keys: `vk_` + 32 random bytes in base64url, shown once when created. Only their SHA-256 is
// kept (a stolen key file gives no usable key). Scopes: decide, read, write-evidence, admin;
// admin grants every scope.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { readJsonFile, WatchedJsonFile, writeJsonFile } from "../services/json-file.ts";

export const SCOPES = ["decide", "read", "write-evidence", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

const keyRecord = z.strictObject({
  id: z.string(),
  name: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: z.string(),
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

export function createKey(
  path: string,
  scopes: readonly Scope[],
  name: string,
  now = new Date(),
): { key: string; record: ApiKey } {
  const key = `vk_${randomBytes(32).toString("base64url")}`;
  const record: ApiKey = {
    id: `k_${randomBytes(6).toString("base64url")}`,
    name,
    sha256: sha256(key),
    scopes: [...scopes],
    createdAt: now.toISOString(),
  };
  writeJsonFile(path, { keys: [...keysOf(path, readJsonFile(path)), record] });
  return { key, record };
}

/** The keys of a file, read again whenever it changes, so `vigie keys create` needs no restart. */
export class KeyFile {
  private readonly file: WatchedJsonFile<Map<string, ApiKey>>;

  constructor(path: string) {
    this.file = new WatchedJsonFile(path, (raw) => new Map(keysOf(path, raw).map((k) => [k.sha256, k])));
  }

  /** The key an `Authorization: Bearer vk_…` header names, or null. */
  lookup(authorization: string | undefined): ApiKey | null {
    const token = /^Bearer\s+(vk_[A-Za-z0-9_-]+)$/.exec(authorization ?? "")?.[1];
    if (token === undefined) return null;
    return this.file.read().get(sha256(token)) ?? null;
  }
}

export function grants(key: ApiKey, scope: Scope): boolean {
  return key.scopes.includes(scope) || key.scopes.includes("admin");
}
