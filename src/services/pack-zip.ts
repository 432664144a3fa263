// The zip of an evidence pack: `pack.json`, `pack.html`, any extra files, and — with a signing
// key — `manifest.json` (each file's SHA-256) with `manifest.sig` (Ed25519 over the manifest's
// bytes). The entries are stored, not compressed, and dated when the pack was made: one pack gives
// one zip, byte for byte, whatever the version of the zip library, so `vigie pack verify` can
// rebuild the container and refuse any byte changed in it, headers included.
import { createHash, sign } from "node:crypto";
import { zipSync } from "fflate";
import type { PersonPack, ScreeningPack } from "./evidence-pack.ts";
import { renderPersonPack, renderScreeningPack } from "./evidence-pack-html.ts";
import type { SigningKey } from "./signing-key.ts";

export const MANIFEST = "manifest.json";
export const MANIFEST_SIG = "manifest.sig";
export const MANIFEST_FORMAT = "vigie-pack-manifest/1";

export interface PackManifest {
  readonly format: typeof MANIFEST_FORMAT;
  /** The signing key's id (signing-key.ts) and its public key (SPKI PEM), to compare with one trusted. */
  readonly keyId: string;
  readonly publicKey: string;
  /** Every other file of the zip, in zip order. */
  readonly files: readonly { readonly name: string; readonly sha256: string; readonly bytes: number }[];
}

const enc = new TextEncoder();

/**
 * The zip of `entries` in their order, stored, every entry dated `madeAt` in UTC (DOS time has no
 * zone, and 2-second steps).
 */
export function zipEntries(entries: readonly (readonly [string, Uint8Array])[], madeAt: string): Uint8Array {
  // fflate writes a Date's local fields: shift it so they read as UTC, whatever the host's zone.
  const made = Date.parse(madeAt);
  const mtime = new Date(made + new Date(made).getTimezoneOffset() * 60_000);
  const files: Record<string, [Uint8Array, { mtime: Date; level: 0 }]> = {};
  for (const [name, bytes] of entries) files[name] = [bytes, { mtime, level: 0 }];
  return zipSync(files);
}

export function manifestOf(
  entries: readonly (readonly [string, Uint8Array])[],
  signer: SigningKey,
): PackManifest {
  return {
    format: MANIFEST_FORMAT,
    keyId: signer.keyId,
    publicKey: signer.publicKey.export({ type: "spki", format: "pem" }).toString(),
    files: entries.map(([name, bytes]) => ({
      name,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      bytes: bytes.length,
    })),
  };
}

/** The pack as a zip; signed when a signing key is given (null: a store without one). */
export function zipPack(
  pack: PersonPack | ScreeningPack,
  signer: SigningKey | null | undefined,
  extra: Readonly<Record<string, string>> = {},
): Uint8Array {
  const html = pack.kind === "person" ? renderPersonPack(pack) : renderScreeningPack(pack);
  const entries: [string, Uint8Array][] = [
    ["pack.json", enc.encode(`${JSON.stringify(pack, null, 2)}\n`)],
    ["pack.html", enc.encode(html)],
    ...Object.entries(extra).map(([name, text]): [string, Uint8Array] => [name, enc.encode(text)]),
  ];
  if (signer !== null && signer !== undefined) {
    const manifest = enc.encode(`${JSON.stringify(manifestOf(entries, signer), null, 2)}\n`);
    const sig = sign(null, manifest, signer.privateKey).toString("base64");
    entries.push([MANIFEST, manifest], [MANIFEST_SIG, enc.encode(`${sig}\n`)]);
  }
  return zipEntries(entries, pack.madeAt);
}
