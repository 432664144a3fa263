// One-click unsubscribe links (RFC 8058). A token says who unsubscribes from what: the tenant, the
// contact point, the controller and the channel. It is sealed with AES-256-GCM under a secret kept
// beside the keyring (`unsubscribe.key`, mode 0600): GCM authenticates like an HMAC would — an
// altered or forged token does not open — and also keeps the address out of the link, where mail
// gateways and proxies would read and log it.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { CHANNELS } from "../facts/vocabulary.ts";
import { defaultKeyRingPath } from "../normalize/keys.ts";

const payload = z.strictObject({
  tenant: z.string(),
  point: z.string(),
  controller: z.string(),
  channel: z.union([z.literal("all"), z.enum(CHANNELS)]),
});
export type Unsubscribe = z.infer<typeof payload>;

/** The secret beside the keyring, created at first use; of two processes creating it, one wins. */
export function loadOrCreateUnsubscribeSecret(
  path = join(dirname(defaultKeyRingPath()), "unsubscribe.key"),
): Buffer {
  try {
    return Buffer.from(readFileSync(path, "utf8").trim(), "base64url");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return Buffer.from(readFileSync(path, "utf8").trim(), "base64url");
}

/** Seals any JSON value under the secret (AES-256-GCM): the double opt-in links use it too. */
export function sealValue(secret: Buffer, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secret, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

/** The sealed value, or undefined for any token this secret did not seal. */
export function openValue(secret: Buffer, token: string): unknown {
  const bytes = Buffer.from(token, "base64url");
  // One spelling per token: Node's decoder skips characters outside the alphabet and ignores the
  // last character's spare bits, so other strings would open the same seal.
  if (bytes.length < 29 || bytes.toString("base64url") !== token) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", secret, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return JSON.parse(
      Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8"),
    );
  } catch {
    return undefined;
  }
}

export function sealToken(secret: Buffer, u: Unsubscribe): string {
  return sealValue(secret, u);
}

/** The token's content, or null for any token this secret did not seal (or that is not an unsubscribe one). */
export function openToken(secret: Buffer, token: string): Unsubscribe | null {
  const parsed = payload.safeParse(openValue(secret, token));
  return parsed.success ? parsed.data : null;
}
