// API keys: `vk_` + 32 random bytes in base64url, shown once when created. Only their SHA-256 is
// kept (a stolen key file gives no usable key). Scopes: decide, read, write-evidence, admin;
// admin grants every scope.
import { createHash, randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { z } from "zod";
import { readJsonFile, writeJsonFile } from "./json-file.ts";

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

function readKeys(path: string): ApiKey[] {
  const raw = readJsonFile(path);
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
  writeJsonFile(path, { keys: [...readKeys(path), record] });
  return { key, record };
}

/** The keys of a file, read again whenever it changes, so `vigie keys create` needs no restart. */
export class KeyFile {
  private byHash = new Map<string, ApiKey>();
  private mtimeMs = -1;
  private readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  private refresh(): void {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch {
      mtimeMs = 0;
    }
    if (mtimeMs === this.mtimeMs) return;
    this.byHash = new Map(readKeys(this.path).map((k) => [k.sha256, k]));
    this.mtimeMs = mtimeMs;
  }

  /** The key an `Authorization: Bearer vk_…` header names, or null. */
  lookup(authorization: string | undefined): ApiKey | null {
    const token = /^Bearer\s+(vk_[A-Za-z0-9_-]+)$/.exec(authorization ?? "")?.[1];
    if (token === undefined) return null;
    this.refresh();
    return this.byHash.get(sha256(token)) ?? null;
  }
}

export function grants(key: ApiKey, scope: Scope): boolean {
  return key.scopes.includes(scope) || key.scopes.includes("admin");
}
