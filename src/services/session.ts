// What every evidence command needs: the store (SQLite file by default, PostgreSQL with a URL),
// the keyring that turns contact points into keys, and the tenant.

import { checkPoint } from "../facts/values.ts";
import { allPointKeys, defaultKeyRingPath, type KeyRing } from "../normalize/keys.ts";
import type { NormalizedPoint, PointType } from "../normalize/point.ts";
import type { Store } from "../store/store.ts";
import { keyRingFor } from "./keyring-check.ts";
import { sealLogs } from "./seal.ts";
import { defaultSigningKeyPath, type SigningKey, signingKeyFor } from "./signing-key.ts";

export const DEFAULT_STORE_FILE = "vigie.db";
export const DEFAULT_TENANT = "default";

export interface StoreLocation {
  /** A SQLite file (default `vigie.db`, or $VIGIE_STORE). */
  readonly store?: string | undefined;
  /** A PostgreSQL URL (or $VIGIE_DATABASE_URL); wins over the file. */
  readonly database?: string | undefined;
}

/** Which store a location means: a PostgreSQL URL, else a SQLite file. */
function resolve(where: StoreLocation): { readonly url: string } | { readonly file: string } {
  const url = where.database ?? process.env.VIGIE_DATABASE_URL;
  if (url !== undefined && url !== "") return { url };
  return { file: where.store ?? process.env.VIGIE_STORE ?? DEFAULT_STORE_FILE };
}

/** How messages name the store: its file, never a URL (it may hold a password). */
export function storeName(where: StoreLocation): string {
  const r = resolve(where);
  return "url" in r ? "the PostgreSQL store" : r.file;
}

export interface OpenOptions {
  /**
   * A long-lived process answering checks (`vigie serve`): a SQLite store keeps in memory which
   * of its tables hold rows about each point (src/store/sqlite/held-parts.ts).
   */
  readonly serving?: boolean;
}

/**
 * The store alone, its keyring unchecked: only for `vigie keyring adopt`, which sets that keyring.
 * A log written before the Merkle tree is verified and sealed first (seal.ts: a SealError if it
 * does not verify, and the store closed).
 */
export async function openStore(where: StoreLocation, opts: OpenOptions = {}): Promise<Store> {
  const r = resolve(where);
  let store: Store;
  if ("url" in r) {
    const { PostgresStore } = await import("../store/postgres/postgres-store.ts");
    store = await PostgresStore.open(r.url);
  } else {
    const { SqliteStore } = await import("../store/sqlite/sqlite-store.ts");
    store = new SqliteStore(r.file, { heldParts: opts.serving === true });
  }
  try {
    await sealLogs(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

export interface Session {
  readonly store: Store;
  readonly ring: KeyRing;
  readonly tenant: string;
  /**
   * The key that signs its heads (signing-key.ts); null for a store made before heads were
   * signed, absent where a session is built by hand (tests).
   */
  readonly signer?: SigningKey | null;
}

/**
 * The store with its keyring and its signing key, checked to belong together (keyring-check.ts,
 * signing-key.ts: a KeyRingError or a SigningKeyError otherwise, and the store closed).
 */
export async function openSession(
  where: StoreLocation & { readonly tenant?: string | undefined },
  opts: OpenOptions = {},
): Promise<Session> {
  const store = await openStore(where, opts);
  try {
    const name = storeName(where);
    const ring = await keyRingFor(store, defaultKeyRingPath(), name);
    const signer = await signingKeyFor(store, defaultSigningKeyPath(), name);
    return { store, ring, tenant: where.tenant ?? DEFAULT_TENANT, signer };
  } catch (e) {
    await store.close();
    throw e;
  }
}

export interface Subject {
  readonly point: NormalizedPoint;
  /** Its key under the current keyring version: what new events are recorded under. */
  readonly key: string;
  /** Its keys under every version: what evidence is looked up by. */
  readonly keys: readonly string[];
}

export type SubjectResult =
  | { readonly ok: true; readonly subject: Subject }
  | { readonly ok: false; readonly reason: string };

/**
 * A phone number or an e-mail address as a person gives it, normalized and keyed; `type` when the
 * caller knows which it is (an import column), else guessed from an "@".
 */
export function subjectOf(
  ring: KeyRing,
  raw: string,
  type: PointType = raw.includes("@") ? "email" : "phone",
): SubjectResult {
  if (type !== "phone" && type !== "email")
    return { ok: false, reason: `not a phone number or an e-mail address` };
  const normalized = checkPoint(type, raw);
  if (!normalized.ok) return { ok: false, reason: normalized.error };
  const point = normalized.value;
  // Current version first: one HMAC per keyring version, not one more for the current key.
  const keys = allPointKeys(ring, point);
  return { ok: true, subject: { point, key: keys[0] as string, keys } };
}
