// The Merkle tree of a tenant's log as the store keeps it: the leaves are the events' hashes, every
// fourth level of interior nodes is stored (merkle_nodes), and the head keeps the frontier.
import { frontierFrom, type Hash, leafHash, rootOf, type TreeReader } from "../log/merkle.ts";
import type { ChainHead, Store } from "./store.ts";

/** The root the head's frontier gives (hex), or null for a log not sealed yet. */
export function headRoot(head: ChainHead): string | null {
  return head.tree === null ? null : rootOf(frontierFrom(head.seq, head.tree)).toString("hex");
}

/** The tree's hashes, read from the store. */
export function treeReader(store: Store, tenant: string): TreeReader {
  return {
    leaves: async (from, to) => (await store.eventHashes(tenant, from + 1, to)).map(leafHash),
    nodes: async (level, from, to) =>
      (await store.treeNodes(tenant, level, from, to)).map((h) => Buffer.from(h) as Hash),
  };
}

/** A head as packs and summaries show it: its last event, and its tree's root (hex). */
export interface TreeHead {
  readonly seq: number;
  readonly hash: string;
  readonly root: string | null;
}

export function treeHeadOf(head: ChainHead | null): TreeHead | null {
  return head === null ? null : { seq: head.seq, hash: head.hash, root: headRoot(head) };
}
