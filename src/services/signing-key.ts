// The key that signs the chain heads (heads.ts). It is kept beside the keyring, never in the
// database: anyone who can write the database can recompute a consistent chain, but cannot sign
// a head with a key they do not hold. Like the keyring, a store records which signing key is its
// own (by fingerprint: a public key reveals nothing), and a signing key is created only with a
// new store, so a lost key file shows as a refusal instead of being silently replaced.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { defaultKeyRingPath } from "../normalize/keys.ts";
import { publishNewFile, readSecretFile } from "../normalize/new-file.ts";
import type { Store } from "../store/store.ts";

/** The name under which the store keeps its signing key's fingerprint (Store.meta). */
export const SIGNING_KEY_FINGERPRINT = "heads.signing-key";

/** The signing key and the store do not belong together, or the key cannot be read (CLI: exit 2). */
export class SigningKeyError extends Error {}

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SHA-256 of the raw 32-byte public key, hex: what the store records. */
  readonly fingerprint: string;
  /** Its first 8 bytes (16 hex digits): what each signed head names. */
  readonly keyId: string;
}

/** $VIGIE_SIGNING_KEY, else `signing-key.pem` in the keyring's directory. */
export function defaultSigningKeyPath(): string {
  return process.env.VIGIE_SIGNING_KEY || join(dirname(defaultKeyRingPath()), "signing-key.pem");
}

/** How messages name the key file: by the variable that chose it, when one did. */
const shown = (path: string): string =>
  process.env.VIGIE_SIGNING_KEY === path ? `VIGIE_SIGNING_KEY=${path}` : path;

/** The fingerprint of an Ed25519 public key: SHA-256 of its 32 raw bytes. */
export function publicKeyFingerprint(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url");
  return createHash("sha256").update(raw).digest("hex");
}

export const keyIdOf = (fingerprint: string): string => fingerprint.slice(0, 16);

/** The DER (PKCS #8, RFC 8410) of an Ed25519 private key up to its 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/**
 * A new Ed25519 private key: 32 random bytes are a seed (RFC 8032). Not generateKeyPairSync: on
 * Node 20 the job object it leaves to the garbage collector locks the key's mutex when collected,
 * and a collection that falls inside an export of that key (under the same mutex) deadlocks the
 * process for good — seen hanging the test run in CI.
 */
export function newEd25519Key(): KeyObject {
  const der = Buffer.concat([ED25519_PKCS8_PREFIX, randomBytes(32)]);
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
}

function signingKey(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const fingerprint = publicKeyFingerprint(publicKey);
  return { privateKey, publicKey, fingerprint, keyId: keyIdOf(fingerprint) };
}

/** The signing key at `path`, or undefined if there is no file: never creates one. */
export function readSigningKey(path: string): SigningKey | undefined {
  let pem: string | undefined;
  try {
    pem = readSecretFile(path, "signing key");
  } catch (e) {
    throw new SigningKeyError(e instanceof Error ? e.message : String(e));
  }
  if (pem === undefined) return undefined;
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new SigningKeyError(`signing key ${path}: not a PEM private key`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new SigningKeyError(`signing key ${path}: an ${key.asymmetricKeyType} key, expected Ed25519`);
  }
  return signingKey(key);
}

/** Loads the signing key, creating it (mode 0600, with link(): of two creators, one wins) if there is none. */
export function loadOrCreateSigningKey(path: string): SigningKey {
  const existing = readSigningKey(path);
  if (existing) return existing;
  const privateKey = newEd25519Key();
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  if (publishNewFile(path, pem)) return signingKey(privateKey);
  const winner = readSigningKey(path);
  if (winner === undefined) throw new SigningKeyError(`signing key ${path}: disappeared while being created`);
  return winner;
}

/**
 * The signing key of `store` (named `name` in messages), read from `path`:
 * - the store records a fingerprint: the key must be there and match it;
 * - the store records none and holds no event (a new store): the key is created if missing, and
 *   its fingerprint recorded;
 * - the store records none but holds events (made before stores signed their heads): null, heads
 *   unsigned, until `vigie audit key --create` gives it one on the operator's word
 *   (createSigningKeyFor).
 */
export async function signingKeyFor(store: Store, path: string, name: string): Promise<SigningKey | null> {
  const recorded = await store.meta(SIGNING_KEY_FINGERPRINT);
  if (recorded !== null) return matching(readSigningKey(path), recorded, path, name);
  if ((await store.tenants()).length > 0) return null;
  return record(store, loadOrCreateSigningKey(path), path, name);
}

/**
 * Gives a store without a signing key one: the key at `path`, created if missing. A store that
 * records one keeps it (checked as signingKeyFor does). Returns whether it was recorded just now.
 */
export async function createSigningKeyFor(
  store: Store,
  path: string,
  name: string,
): Promise<{ readonly key: SigningKey; readonly created: boolean }> {
  const recorded = await store.meta(SIGNING_KEY_FINGERPRINT);
  if (recorded !== null) return { key: matching(readSigningKey(path), recorded, path, name), created: false };
  return { key: await record(store, loadOrCreateSigningKey(path), path, name), created: true };
}

/** What a store without a signing key says when one is needed. */
export const noSigningKey = (name: string): SigningKeyError =>
  new SigningKeyError(
    `${name} has no signing key: its heads are not signed (it was made before vigie signed heads); give it one with \`vigie audit key --create\``,
  );

function matching(key: SigningKey | undefined, recorded: string, path: string, name: string): SigningKey {
  const id = keyIdOf(recorded);
  if (key === undefined) {
    throw new SigningKeyError(
      `${name} signs its heads with key ${id}, but there is no signing key at ${shown(path)}: restore the signing key of this store, or point VIGIE_SIGNING_KEY at it; vigie never creates a signing key for a store that holds evidence`,
    );
  }
  if (key.fingerprint !== recorded) {
    throw new SigningKeyError(
      `${name} signs its heads with key ${id}, but ${shown(path)} holds key ${key.keyId}: set VIGIE_SIGNING_KEY to the signing key that came with this store`,
    );
  }
  return key;
}

/** Records the key's fingerprint unless one is there already; of two at once, the first wins. */
async function record(store: Store, key: SigningKey, path: string, name: string): Promise<SigningKey> {
  return matching(key, await store.recordMeta(SIGNING_KEY_FINGERPRINT, key.fingerprint), path, name);
}
