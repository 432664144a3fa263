// A keyring's fingerprint: says which keyring keyed a store without revealing it. It is an HMAC
// of a fixed label under the secret of the ring's lowest version, which every later rotation
// keeps, so one fingerprint lasts the keyring's whole life. The label is no `type:value` of a
// contact point, so a fingerprint is never a point's key.
import { createHmac } from "node:crypto";
import type { KeyRing, KeyVersion } from "./keys.ts";

const LABEL = "vigie/keyring-fingerprint";

const FINGERPRINT = /^v(\d+):[0-9a-f]{64}$/;

const under = (v: KeyVersion): string =>
  `v${v.version}:${createHmac("sha256", v.secret).update(LABEL).digest("hex")}`;

/** `v<version>:` + 64 hex digits, taken under the ring's lowest version. */
export function keyRingFingerprint(ring: KeyRing): string {
  const lowest = ring.versions[0];
  if (lowest === undefined) throw new Error("a keyring needs at least one version");
  return under(lowest);
}

/** Whether `ring` is the keyring `fingerprint` was taken from: it holds that version, with that secret. */
export function hasFingerprint(ring: KeyRing, fingerprint: string): boolean {
  const version = Number(FINGERPRINT.exec(fingerprint)?.[1]);
  const v = ring.versions.find((k) => k.version === version);
  return v !== undefined && under(v) === fingerprint;
}

/** What messages show: 8 hex digits, enough to tell two keyrings apart by eye. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(fingerprint.indexOf(":") + 1).slice(0, 8);
}
