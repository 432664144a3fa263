// `vigie pack verify PACK.zip [--key FILE]`: an evidence pack checked offline (src/services/
// pack-verify.ts), against a public key the verifier trusts: the file given (the PEM `vigie audit
// key` prints, or its --json output), else this machine's signing key.
import { createPublicKey, type KeyObject } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { verifyPack } from "../../services/pack-verify.ts";
import { defaultSigningKeyPath, readSigningKey } from "../../services/signing-key.ts";
import { EXIT, UsageError } from "../exit.ts";

export interface PackVerifyOptions {
  key?: string;
  json?: boolean;
}

function trustedKey(file: string | undefined): KeyObject {
  if (file === undefined) {
    const path = defaultSigningKeyPath();
    const own = existsSync(path) ? readSigningKey(path) : undefined;
    if (own === undefined) {
      throw new UsageError(
        "no key to trust: give --key FILE, the public key the pack's maker published (vigie audit key)",
      );
    }
    return own.publicKey;
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`--key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const pem = text.trimStart().startsWith("{")
      ? (JSON.parse(text) as { publicKey?: unknown }).publicKey
      : text;
    const key = createPublicKey(String(pem));
    if (key.asymmetricKeyType !== "ed25519") throw new Error(`an ${key.asymmetricKeyType} key`);
    return key;
  } catch (e) {
    throw new UsageError(`--key ${file}: not an Ed25519 public key (${(e as Error).message})`);
  }
}

export function runPackVerify(file: string, o: PackVerifyOptions): number {
  const key = trustedKey(o.key);
  let zip: Uint8Array;
  try {
    zip = readFileSync(file);
  } catch (e) {
    throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const r = verifyPack(zip, key);
  if (o.json === true) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } else if (r.ok) {
    const head = r.head === null ? "" : ` against the head of ${r.head.size} events signed at ${r.head.at}`;
    const events = r.kind === "person" ? `; ${r.proven} of ${r.events} event(s) proven in the log` : "";
    process.stdout.write(`${file}: verified — ${r.kind} pack signed by key ${r.keyId}${head}${events}\n`);
  } else {
    process.stdout.write(`${file}: FAILED\n${r.problems.map((p) => `  - ${p}\n`).join("")}`);
  }
  return r.ok ? EXIT.ok : EXIT.blocked;
}
