// The Merkle tree against RFC 6962's own recursive definitions, computed naively over all leaves.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import {
  appendLeaves,
  consistencyProof,
  EMPTY_FRONTIER,
  frontierBytes,
  frontierFrom,
  type Hash,
  inclusionProof,
  leafHash,
  nodeHash,
  rootOf,
  STORED_LEVEL_STEP,
  subtreeRoot,
  type TreeNode,
  type TreeReader,
  verifyConsistency,
  verifyInclusion,
} from "../../src/log/merkle.ts";

const sha = (b: Buffer): Buffer => createHash("sha256").update(b).digest();

/** MTH of RFC 6962 §2.1, word for word. */
function mth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha(Buffer.alloc(0));
  if (leaves.length === 1) return leaves[0] as Buffer;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.concat([Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k))]));
}

function leaves(n: number): Hash[] {
  return Array.from({ length: n }, (_, i) =>
    leafHash(createHash("sha256").update(`event ${i}`).digest("hex")),
  );
}

/** A reader over leaves and the nodes appendLeaves gave to store, as a store keeps them. */
function reader(all: readonly Hash[], stored: readonly TreeNode[]): TreeReader {
  const byLevel = new Map<number, Map<number, Hash>>();
  for (const n of stored) {
    const level = byLevel.get(n.level) ?? new Map<number, Hash>();
    level.set(n.idx, n.hash);
    byLevel.set(n.level, level);
  }
  return {
    leaves: async (from, to) => all.slice(from, to),
    nodes: async (level, from, to) => {
      const out: Hash[] = [];
      for (let i = from; i < to; i++) {
        const h = byLevel.get(level)?.get(i);
        if (h !== undefined) out.push(h);
      }
      return out;
    },
  };
}

function grow(all: readonly Hash[]) {
  const { frontier, stored } = appendLeaves(EMPTY_FRONTIER, all);
  return { frontier, reader: reader(all, stored), stored };
}

describe("Merkle tree (RFC 6962)", () => {
  it("the leaf and node hashes are domain-separated", () => {
    const h = "ab".repeat(32);
    assert.deepEqual(leafHash(h), sha(Buffer.concat([Buffer.from([0]), Buffer.from(h, "hex")])));
    const a = Buffer.alloc(32, 1);
    const b = Buffer.alloc(32, 2);
    assert.deepEqual(nodeHash(a, b), sha(Buffer.concat([Buffer.from([1]), a, b])));
    // A stored hash that is not 32 bytes (tampered with) is hashed as it decodes, the same each time.
    for (const odd of ["ab".repeat(31), "ab".repeat(33), "abc", ""]) {
      assert.deepEqual(leafHash(odd), sha(Buffer.concat([Buffer.from([0]), Buffer.from(odd, "hex")])), odd);
    }
  });

  it("the frontier's root is MTH for every size from 0 to 300, appended at once or in batches", () => {
    const all = leaves(300);
    let f = EMPTY_FRONTIER;
    for (let n = 0; n <= 300; n++) {
      assert.deepEqual(rootOf(f), mth(all.slice(0, n)), `size ${n}`);
      assert.deepEqual(rootOf(appendLeaves(EMPTY_FRONTIER, all.slice(0, n)).frontier), mth(all.slice(0, n)));
      if (n < 300) f = appendLeaves(f, [all[n] as Hash]).frontier;
    }
  });

  it("stores the nodes of every fourth level, each the MTH of its leaves", () => {
    const all = leaves(530);
    const { stored } = grow(all);
    const levels = new Set(stored.map((n) => n.level));
    assert.deepEqual(
      [...levels].sort((a, b) => a - b),
      [4, 8],
    );
    assert.equal(stored.filter((n) => n.level === 4).length, Math.floor(530 / 16));
    assert.equal(stored.filter((n) => n.level === 8).length, Math.floor(530 / 256));
    for (const n of stored) {
      assert.equal(n.level % STORED_LEVEL_STEP, 0);
      const w = 2 ** n.level;
      assert.deepEqual(n.hash, mth(all.slice(n.idx * w, (n.idx + 1) * w)));
    }
  });

  it("a frontier survives its stored bytes, and refuses bytes of the wrong length", () => {
    const { frontier } = grow(leaves(77));
    assert.deepEqual(frontierFrom(77, frontierBytes(frontier)), frontier);
    assert.throws(() => frontierFrom(79, frontierBytes(frontier)), /subtree roots/);
  });

  it("subtreeRoot rebuilds MTH of any range from the stored hashes", async () => {
    const all = leaves(700);
    const { reader: r } = grow(all);
    for (const [from, to] of [
      [0, 700],
      [0, 1],
      [256, 512],
      [0, 333],
      [512, 700],
      [16, 32],
    ] as const) {
      assert.deepEqual(await subtreeRoot(r, from, to), mth(all.slice(from, to)), `[${from}, ${to})`);
    }
  });

  it("every leaf's inclusion proof verifies, and fails with another leaf, index, size, root or path", async () => {
    for (const size of [1, 2, 3, 5, 8, 17, 100, 257]) {
      const all = leaves(size);
      const { frontier, reader: r } = grow(all);
      const root = rootOf(frontier);
      const shorterRoot = mth(all.slice(0, size - 1));
      // (size, root) come together from a signed head: the size alone is not what a proof binds.
      for (let m = 0; m < size; m++) {
        const path = await inclusionProof(r, m, size);
        assert.ok(verifyInclusion(m, size, all[m] as Hash, path, root), `leaf ${m} of ${size}`);
        if (size > 1) {
          assert.ok(!verifyInclusion(m, size, all[(m + 1) % size] as Hash, path, root));
          assert.ok(!verifyInclusion((m + 1) % size, size, all[m] as Hash, path, root));
          const bent = path.map((p, i) => (i === 0 ? Buffer.from(p.map((b) => b ^ 1)) : p));
          assert.ok(!verifyInclusion(m, size, all[m] as Hash, bent, root));
          assert.ok(!verifyInclusion(m, size, all[m] as Hash, path.slice(1), root));
          assert.ok(!verifyInclusion(m, size, all[m] as Hash, [...path, root], root));
        }
        if (size > 1) assert.ok(!verifyInclusion(m, size, all[m] as Hash, path, shorterRoot));
      }
    }
  });

  it("consistency proofs verify between every pair of sizes up to 40, and fail when the log was rewritten", async () => {
    const all = leaves(40);
    const { reader: r } = grow(all);
    for (let n = 1; n <= 40; n++) {
      const newRoot = mth(all.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const oldRoot = mth(all.slice(0, m));
        const proof = await consistencyProof(r, m, n);
        assert.ok(verifyConsistency(m, n, oldRoot, newRoot, proof), `${m} → ${n}`);
        if (m < n) {
          const rewritten = [...all.slice(0, m - 1), leafHash("cd".repeat(32))];
          assert.ok(!verifyConsistency(m, n, mth(rewritten), newRoot, proof), `rewritten ${m} → ${n}`);
          if (proof.length > 0) assert.ok(!verifyConsistency(m, n, oldRoot, newRoot, proof.slice(1)));
        }
      }
    }
  });

  it("a missing stored node is an error, not a wrong hash", async () => {
    const all = leaves(64);
    const { stored } = grow(all);
    const r = reader(
      all,
      stored.filter((n) => !(n.level === 4 && n.idx === 2)),
    );
    await assert.rejects(subtreeRoot(r, 0, 64), /lacks level-4 nodes 0 to 3/);
  });
});
