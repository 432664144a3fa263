// `vigie pack verify PACK.zip`: checks an evidence pack without the store, as the CNIL or a court
// expert would. The zip must be the one vigie wrote (rebuilt byte for byte from its files); its
// manifest must be signed by the key the verifier trusts and list every file with its SHA-256;
// the signed head must be signed by that key; and each event of a person's pack must hash to
// what it claims and be in the signed head's Merkle tree by its inclusion proof (RFC 9162).
import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";
import { strFromU8, unzipSync } from "fflate";
import { hashOf, piiHashOf } from "../evidence/events.ts";
import { type Hash, leafHash, verifyInclusion } from "../log/merkle.ts";
import type { PackEvent, PersonPack, ScreeningPack } from "./evidence-pack.ts";
import { parseSignedHead, type SignedHead, signatureHolds } from "./head-statement.ts";
import { MANIFEST, MANIFEST_FORMAT, MANIFEST_SIG, type PackManifest, zipEntries } from "./pack-zip.ts";
import { keyIdOf, publicKeyFingerprint } from "./signing-key.ts";

export interface PackVerification {
  readonly ok: boolean;
  readonly kind: "person" | "screening" | null;
  readonly tenant: string | null;
  /** The key that signed the pack, and whether it is the one trusted. */
  readonly keyId: string | null;
  /** The signed head the pack was made against. */
  readonly head: { readonly size: number; readonly root: string; readonly at: string } | null;
  /** Events in the pack, and how many of them its proofs put in the signed head's tree. */
  readonly events: number;
  readonly proven: number;
  /** What does not hold, one sentence each; empty when the pack verifies. */
  readonly problems: readonly string[];
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Checks a pack's zip against the public key trusted (the store's signing key, `vigie audit key`). */
export function verifyPack(zip: Uint8Array, trusted: KeyObject): PackVerification {
  const problems: string[] = [];
  const result = (over: Partial<PackVerification> = {}): PackVerification => ({
    ok: problems.length === 0,
    kind: null,
    tenant: null,
    keyId: null,
    head: null,
    events: 0,
    proven: 0,
    problems,
    ...over,
  });
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (e) {
    problems.push(`not a readable zip: ${(e as Error).message}`);
    return result();
  }
  const manifestBytes = files[MANIFEST];
  const sig = files[MANIFEST_SIG];
  if (manifestBytes === undefined || sig === undefined) {
    problems.push(
      `the pack has no ${MANIFEST} and ${MANIFEST_SIG}: it is not signed (made by a store without a signing key, or by a vigie that did not sign packs yet)`,
    );
    return result();
  }
  let manifest: PackManifest;
  try {
    manifest = JSON.parse(strFromU8(manifestBytes)) as PackManifest;
  } catch {
    problems.push(`${MANIFEST} is not JSON`);
    return result();
  }
  if (manifest?.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files)) {
    problems.push(`${MANIFEST}: not a ${MANIFEST_FORMAT} manifest`);
    return result();
  }
  const trustedId = keyIdOf(publicKeyFingerprint(trusted));
  const keyId = typeof manifest.keyId === "string" ? manifest.keyId : null;
  const signedBy = keyOf(manifest.publicKey);
  if (signedBy === null || keyIdOf(publicKeyFingerprint(signedBy)) !== trustedId || keyId !== trustedId) {
    problems.push(
      `signed with key ${keyId ?? "(none)"}, not with the key trusted (${trustedId}): compare the pack's key with the one the company published (vigie audit key)`,
    );
    return result({ keyId });
  }
  const signature = Buffer.from(strFromU8(sig).trim(), "base64");
  if (signature.length !== 64 || !verify(null, manifestBytes, trusted, signature)) {
    problems.push(`${MANIFEST_SIG} does not hold: the manifest was altered after it was signed`);
    return result({ keyId });
  }
  // Every file listed, with its bytes; none other.
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.name);
    const bytes = files[f.name];
    if (bytes === undefined) problems.push(`${f.name}: listed in the manifest, missing from the zip`);
    else if (createHash("sha256").update(bytes).digest("hex") !== f.sha256) {
      problems.push(`${f.name}: altered (its SHA-256 is not the one signed)`);
    }
  }
  for (const name of Object.keys(files)) {
    if (name !== MANIFEST && name !== MANIFEST_SIG && !listed.has(name)) {
      problems.push(`${name}: in the zip but not in the signed manifest`);
    }
  }
  if (problems.length > 0) return result({ keyId });
  let pack: PersonPack | ScreeningPack;
  try {
    pack = JSON.parse(strFromU8(files["pack.json"] as Uint8Array)) as PersonPack | ScreeningPack;
  } catch {
    problems.push("pack.json is not JSON");
    return result({ keyId });
  }
  // The container itself: rebuilt from its files, it must be the same bytes.
  const order = [...manifest.files.map((f) => f.name), MANIFEST, MANIFEST_SIG];
  const rebuilt = zipEntries(
    order.map((name) => [name, files[name] as Uint8Array]),
    String(pack.madeAt),
  );
  if (!Buffer.from(rebuilt).equals(Buffer.from(zip))) {
    problems.push(
      "the zip is not the one vigie wrote: its files verify, but bytes of the container (names, dates, order, headers) were changed",
    );
  }
  const base = { kind: pack.kind, tenant: pack.tenant, keyId };
  const head = parseSignedHead(pack.signedHead);
  if ("error" in head) {
    problems.push(`the pack's signed head: ${head.error}`);
    return result(base);
  }
  const { statement } = head;
  const shownHead = { size: statement.size, root: statement.root, at: statement.at };
  if (!signatureHolds(head, trusted)) problems.push("the signed head's signature does not hold");
  if (statement.tenant !== pack.tenant) {
    problems.push(`the signed head is tenant ${statement.tenant}'s, the pack tenant ${pack.tenant}'s`);
  }
  if (pack.kind !== "person") return result({ ...base, head: shownHead });
  const { events, proven } = proveEvents(pack, head, problems);
  return result({ ...base, head: shownHead, events, proven });
}

function keyOf(pem: unknown): KeyObject | null {
  if (typeof pem !== "string") return null;
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === "ed25519" ? key : null;
  } catch {
    return null;
  }
}

/** Each event of a person's pack: its hash recomputed, then its inclusion in the signed tree. */
function proveEvents(
  pack: PersonPack,
  head: SignedHead,
  problems: string[],
): { events: number; proven: number } {
  const { size, root } = head.statement;
  if (head.statement.v !== 2) {
    problems.push(
      "the signed head predates the Merkle tree (version 1): it carries no root to prove events against",
    );
    return { events: pack.events.length, proven: 0 };
  }
  const rootHash = Buffer.from(root, "hex");
  const proofs = new Map((pack.proofs ?? []).map((p) => [p.seq, p.path]));
  let proven = 0;
  for (const e of pack.events) {
    const problem = eventProblem(pack.tenant, e, proofs.get(e.seq), size, rootHash);
    if (problem === null) proven++;
    else problems.push(`event ${e.seq}: ${problem}`);
  }
  return { events: pack.events.length, proven };
}

function eventProblem(
  tenant: string,
  e: PackEvent,
  path: readonly string[] | undefined,
  size: number,
  root: Hash,
): string | null {
  const fields = {
    tenant,
    pointKey: e.pointKey,
    controller: e.controller,
    occurredAt: e.occurredAtMs,
    data: e.data,
    proof: e.proof,
    seq: e.seq,
    eventId: e.eventId,
    recordedAt: e.recordedAtMs,
    piiHash: e.piiHash,
    prevHash: e.prevHash,
  };
  if (typeof e.hash !== "string" || !HEX64.test(e.hash) || hashOf(fields) !== e.hash) {
    return "its fields do not give its hash: altered after it was recorded";
  }
  if (e.pii !== null && e.pii !== undefined && piiHashOf(e.pii) !== e.piiHash) {
    return "its personal data do not give the hash the event recorded";
  }
  if (path === undefined) return "no inclusion proof";
  if (!path.every((h) => typeof h === "string" && HEX64.test(h))) return "its inclusion proof is malformed";
  const hashes = path.map((h) => Buffer.from(h, "hex"));
  if (!verifyInclusion(e.seq - 1, size, leafHash(e.hash), hashes, root)) {
    return `its inclusion proof does not lead to the signed root of ${size} events`;
  }
  return null;
}
