// Whether a keyring belongs to a store. Points are keyed by HMAC under a secret kept outside the
// database, so a store opened with another keyring finds none of its evidence — objections and
// erasures included — and files new evidence under keys nobody else looks up, all without an
// error. A store therefore records the fingerprint of its keyring, and every session
// (session.ts) goes through keyRingFor before touching it: a keyring is created only for a new,
// empty store, and a store is never used with a keyring it was not keyed with.
import { hasFingerprint, keyRingFingerprint, shortFingerprint } from "../normalize/keyring-fingerprint.ts";
import { type KeyRing, loadOrCreateKeyRing, pointKey, readKeyRing } from "../normalize/keys.ts";
import type { Store } from "../store/store.ts";

/** The name under which the store keeps its keyring's fingerprint (Store.meta). */
export const KEYRING_FINGERPRINT = "keyring.fingerprint";

/** The keyring and the store do not belong together; the message says what to do (CLI: exit 2). */
export class KeyRingError extends Error {}

const NEVER_CREATED = "vigie never creates a keyring for a store that holds evidence";

/** How messages name the keyring: by the variable that chose it, when one did. */
const shown = (path: string): string => (process.env.VIGIE_KEYRING === path ? `VIGIE_KEYRING=${path}` : path);

/** The keyring at `path`; a file that is there but unreadable or malformed is a KeyRingError. */
function read(path: string): KeyRing | undefined {
  try {
    return readKeyRing(path);
  } catch (e) {
    throw new KeyRingError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * The keyring of `store` (named `name` in messages), read from `path`.
 * - The store records a fingerprint: the keyring must be there and match it.
 * - The store records none and holds no event (a new store): the keyring is created if missing,
 *   and its fingerprint recorded.
 * - The store records none but holds events (made before stores recorded their keyring): the
 *   keyring must be there and key a point whose value the store still holds to that point's
 *   stored key; then its fingerprint is recorded. When no such point is left (all erased, or
 *   only Bloctel rows), nothing proves the keyring right, and the store is refused until
 *   `vigie keyring adopt` records it on the operator's word (adoptKeyRing).
 */
export async function keyRingFor(store: Store, path: string, name: string): Promise<KeyRing> {
  const recorded = await store.meta(KEYRING_FINGERPRINT);
  if (recorded !== null) return matching(read(path), recorded, path, name);
  if ((await store.tenants()).length === 0) {
    const ring = read(path) ?? loadOrCreateKeyRing(path);
    return record(store, ring, path, name);
  }
  const ring = read(path);
  if (ring === undefined) {
    throw new KeyRingError(
      `${name} holds evidence but there is no keyring at ${shown(path)}: restore the keyring file of this store, or point VIGIE_KEYRING at it; ${NEVER_CREATED}`,
    );
  }
  const verified = await keysAPointOf(store, ring);
  if (verified === false) throw mismatch(path, name);
  if (verified === null) {
    throw new KeyRingError(
      `${name} holds evidence but no contact point whose value is still held, so the keyring at ${shown(path)} cannot be checked against it: if it is the keyring of this store, record it with \`vigie keyring adopt\``,
    );
  }
  return record(store, ring, path, name);
}

/**
 * Records the keyring at `path` as the store's on the operator's word, for a store that holds
 * evidence but nothing to check the keyring against. Never replaces a fingerprint, and never
 * adopts a keyring that a held point proves wrong. Returns whether it was recorded just now.
 */
export async function adoptKeyRing(
  store: Store,
  path: string,
  name: string,
): Promise<{ readonly ring: KeyRing; readonly adopted: boolean }> {
  const recorded = await store.meta(KEYRING_FINGERPRINT);
  const ring = read(path);
  if (recorded !== null) return { ring: matching(ring, recorded, path, name), adopted: false };
  if (ring === undefined) throw new KeyRingError(`there is no keyring at ${shown(path)} to adopt`);
  if ((await keysAPointOf(store, ring)) === false) throw mismatch(path, name);
  return { ring: await record(store, ring, path, name), adopted: true };
}

function matching(ring: KeyRing | undefined, recorded: string, path: string, name: string): KeyRing {
  const fp = shortFingerprint(recorded);
  if (ring === undefined) {
    throw new KeyRingError(
      `${name} was keyed with keyring ${fp}, but there is no keyring at ${shown(path)}: restore the keyring file of this store, or point VIGIE_KEYRING at it; ${NEVER_CREATED}`,
    );
  }
  if (!hasFingerprint(ring, recorded)) {
    throw new KeyRingError(
      `${name} was keyed with keyring ${fp}, but ${shown(path)} holds keyring ${shortFingerprint(keyRingFingerprint(ring))}: set VIGIE_KEYRING to the keyring that came with this store`,
    );
  }
  return ring;
}

const mismatch = (path: string, name: string): KeyRingError =>
  new KeyRingError(
    `${name} holds evidence keyed with another keyring than ${shown(path)} (a point it holds has another key under it): set VIGIE_KEYRING to the keyring that came with this store`,
  );

/**
 * Records the ring's fingerprint unless one is there already. Of two processes recording at once
 * (two commands on a new store, each with its own keyring), the first wins and the other is
 * refused, as it would be on its next run.
 */
async function record(store: Store, ring: KeyRing, path: string, name: string): Promise<KeyRing> {
  const held = await store.recordMeta(KEYRING_FINGERPRINT, keyRingFingerprint(ring));
  return matching(ring, held, path, name);
}

/**
 * Whether `ring` gives a point whose value the store still holds its stored key; null when the
 * store holds no such point. One point is proof enough: under another secret, its HMAC would
 * match by chance with probability 2^-256.
 */
async function keysAPointOf(store: Store, ring: KeyRing): Promise<boolean | null> {
  for (const tenant of await store.tenants()) {
    const key = await firstHeldPoint(store, tenant);
    if (key === null) continue;
    const point = (await store.evidence(tenant, [key])).point;
    if (point === null || point.value === null) continue;
    const version = Number(/^v(\d+):/.exec(key)?.[1]);
    if (!ring.versions.some((v) => v.version === version)) return false;
    return pointKey(ring, { type: point.type, value: point.value }, version) === key;
  }
  return null;
}

/** A point of the tenant not erased, whose value is therefore held (a retention candidate). */
async function firstHeldPoint(store: Store, tenant: string): Promise<string | null> {
  for await (const candidate of store.retentionCandidates(tenant)) return candidate.pointKey;
  return null;
}
