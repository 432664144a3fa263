// Signed heads and their check. The chain alone cannot show an attacker with write access to the
// database: deleting an event and recomputing every later hash gives a chain that verifies. A
// head signed when it was current, and kept outside the database (heads-file.ts), can: the
// Merkle tree of the first `size` events must still have the signed `root`, and any rewrite,
// deletion or insertion at or before `size` changes it. Inclusion proofs (evidence packs) and
// consistency proofs (`vigie audit consistency`) are made against these roots.
import type { KeyObject } from "node:crypto";
import { subtreeRoot, TreeError } from "../log/merkle.ts";
import type { ChainHead, Store } from "../store/store.ts";
import { headRoot, treeReader } from "../store/tree.ts";
import { type SignedHead, signatureHolds, signHead } from "./head-statement.ts";
import type { Session } from "./session.ts";
import { keyIdOf, publicKeyFingerprint, type SigningKey } from "./signing-key.ts";

/** The current head of each tenant given (those with a log), signed as of `at` (epoch ms). */
export async function signHeads(
  store: Store,
  key: SigningKey,
  tenants: readonly string[],
  at: number,
): Promise<SignedHead[]> {
  const signed: SignedHead[] = [];
  for (const tenant of tenants) {
    const head = await store.chainHead(tenant);
    const root = head === null ? null : headRoot(head);
    if (head === null || head.seq === 0 || root === null) continue;
    const iso = new Date(at).toISOString();
    signed.push(signHead(key, { v: 2, tenant, size: head.seq, root, at: iso }));
  }
  return signed;
}

/** The session tenant's head signed as of `at` (epoch ms): null without a signing key or a log. */
export function signHeadAt(session: Session, head: ChainHead | null, at: number): SignedHead | null {
  const { tenant, signer } = session;
  const root = head === null ? null : headRoot(head);
  if (signer === undefined || signer === null || head === null || head.seq === 0 || root === null)
    return null;
  return signHead(signer, { v: 2, tenant, size: head.seq, root, at: new Date(at).toISOString() });
}

/** A chain head, and the same signed (signedChainHead). */
export type SignedChainHead = ChainHead & { readonly signed: SignedHead | null };

/**
 * The session tenant's head, and — with a signing key — that head signed as of the instant its
 * last event was recorded: a statement true forever, which depends on the store alone, never on
 * the clock (a screening's summary must be the same bytes for the same inputs).
 */
export async function signedChainHead(session: Session): Promise<SignedChainHead | null> {
  const { store, tenant } = session;
  const head = await store.chainHead(tenant);
  if (head === null) return null;
  const last = head.seq === 0 ? null : await eventAt(store, tenant, head.seq);
  return { ...head, signed: last === null ? null : signHeadAt(session, head, last.recordedAt) };
}

/** The root of the tree of the tenant's first `size` events, or what keeps it from being read. */
async function rootAt(store: Store, tenant: string, size: number): Promise<string> {
  try {
    return (await subtreeRoot(treeReader(store, tenant), 0, size)).toString("hex");
  } catch (e) {
    if (e instanceof TreeError) return `unreadable (${e.message})`;
    throw e;
  }
}

async function eventAt(store: Store, tenant: string, seq: number) {
  for await (const e of store.events(tenant, seq)) return e.seq === seq ? e : null;
  return null;
}

export interface HeadProblem {
  /** Which statement: its tenant, size and instant. */
  readonly tenant: string;
  readonly size: number;
  readonly at: string;
  readonly problem: string;
}

export interface HeadsResult {
  readonly ok: boolean;
  readonly checked: number;
  readonly problems: readonly HeadProblem[];
}

/**
 * Checks each signed head against the store: signed by `publicKey` (another key's statements are
 * refused: they prove nothing), its event still there with its hash, and the chain head at or
 * beyond it. Run with `verifyAudit`, which checks the chain itself up to the current head.
 */
export async function verifyHeads(
  store: Store,
  statements: readonly SignedHead[],
  publicKey: KeyObject,
): Promise<HeadsResult> {
  const keyId = keyIdOf(publicKeyFingerprint(publicKey));
  const heads = new Map<string, ChainHead | null>();
  const problems: HeadProblem[] = [];
  for (const signed of statements) {
    const { tenant, size, root, at } = signed.statement;
    const problem = await (async (): Promise<string | null> => {
      if (signed.keyId !== keyId) {
        return `signed with key ${signed.keyId}, not with this store's signing key ${keyId}: an unknown key proves nothing`;
      }
      if (!signatureHolds(signed, publicKey)) {
        return "the signature does not hold: the statement was altered after it was signed";
      }
      if (!heads.has(tenant)) heads.set(tenant, await store.chainHead(tenant));
      const head = heads.get(tenant) ?? null;
      if (head === null) return `the store holds no log for tenant ${tenant}: the whole log is gone`;
      const event = await eventAt(store, tenant, size);
      if (event === null) {
        return head.seq < size
          ? `the log was rolled back: the chain head is now event ${head.seq}, and event ${size} is gone`
          : `event ${size} is gone from the log (truncated or deleted; the chain head still records event ${head.seq})`;
      }
      if (signed.statement.v === 1 && event.hash !== root) {
        return `event ${size} has hash ${event.hash}, not the signed ${root}: the log was rewritten at or before event ${size} (each event's hash covers the one before it)`;
      }
      if (signed.statement.v === 2) {
        const held = await rootAt(store, tenant, size);
        if (held !== root) {
          return `the Merkle tree of events 1 to ${size} has root ${held}, not the signed ${root}: the log was rewritten at or before event ${size}`;
        }
      }
      if (head.seq < size) {
        return `the log was rolled back: the chain head records event ${head.seq}, before the signed event ${size}`;
      }
      return null;
    })();
    if (problem !== null) problems.push({ tenant, size, at, problem });
  }
  return { ok: problems.length === 0, checked: statements.length, problems };
}
