// `vigie audit consistency OLD NEW`: that the log only grew between two signed heads. The proof is
// RFC 6962's (PROOF(m, D[n])), made from the store and checked against the two signed roots, so
// anyone holding the two statements can check it again with any RFC 9162 implementation.
import type { KeyObject } from "node:crypto";
import { consistencyProof, TreeError, verifyConsistency } from "../log/merkle.ts";
import type { Store } from "../store/store.ts";
import { treeReader } from "../store/tree.ts";
import { type SignedHead, signatureHolds } from "./head-statement.ts";

export interface ConsistencyResult {
  readonly ok: boolean;
  readonly tenant: string;
  readonly old: { readonly size: number; readonly root: string; readonly at: string };
  readonly new: { readonly size: number; readonly root: string; readonly at: string };
  /** The proof, hex hashes in RFC 6962 order; empty when it could not be made. */
  readonly proof: readonly string[];
  readonly problem: string | null;
}

export async function proveConsistency(
  store: Store,
  older: SignedHead,
  newer: SignedHead,
  publicKey: KeyObject,
): Promise<ConsistencyResult> {
  const o = older.statement;
  const n = newer.statement;
  const base = {
    tenant: o.tenant,
    old: { size: o.size, root: o.root, at: o.at },
    new: { size: n.size, root: n.root, at: n.at },
  };
  const fail = (problem: string, proof: readonly string[] = []): ConsistencyResult => ({
    ok: false,
    ...base,
    proof,
    problem,
  });
  for (const [which, h] of [
    ["OLD", older],
    ["NEW", newer],
  ] as const) {
    if (!signatureHolds(h, publicKey)) {
      return fail(`${which}: its signature does not hold under this store's signing key`);
    }
    if (h.statement.v !== 2) {
      return fail(
        `${which}: a version 1 head (before the Merkle tree) has no root to prove against; check it with vigie audit verify --heads`,
      );
    }
  }
  if (o.tenant !== n.tenant) return fail(`OLD is tenant ${o.tenant}'s head, NEW tenant ${n.tenant}'s`);
  if (o.size > n.size) return fail(`OLD holds ${o.size} events, NEW ${n.size}: give the older head first`);
  let proof: Buffer[];
  try {
    proof = await consistencyProof(treeReader(store, o.tenant), o.size, n.size);
  } catch (e) {
    if (e instanceof TreeError || e instanceof RangeError) {
      return fail(`the store cannot prove it: ${e.message} (the log lost events it had)`);
    }
    throw e;
  }
  const hex = proof.map((h) => h.toString("hex"));
  const holds = verifyConsistency(
    o.size,
    n.size,
    Buffer.from(o.root, "hex"),
    Buffer.from(n.root, "hex"),
    proof,
  );
  return holds
    ? { ok: true, ...base, proof: hex, problem: null }
    : fail(
        `the log of ${n.size} events held now does not extend the one signed at ${o.at}: events 1 to ${o.size} were rewritten, or NEW is not a head of this log`,
        hex,
      );
}
