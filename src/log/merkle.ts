// The log's Merkle tree, as RFC 6962 (and RFC 9162, §2.1) defines it: one leaf per event, leaves
// and interior nodes hashed with different prefixes (0x00, 0x01) so that a leaf can never pass for
// a node. A tree head (size, root) commits to every event up to `size`; an inclusion proof shows
// one event is in it without the others, a consistency proof shows a later head only extends an
// earlier one. Pure functions: the store keeps the hashes (see `TreeReader`), this module computes.
import { hash } from "node:crypto";

/** A SHA-256 hash: 32 bytes. */
export type Hash = Buffer;

export const HASH_BYTES = 32;

/**
 * Interior nodes stored, every STORED_LEVEL_STEP levels (levels 4, 8, 12…): any node is then
 * rebuilt from at most 2^3 stored hashes below it, for a sixteenth of the rows of storing them all.
 */
export const STORED_LEVEL_STEP = 4;

/** MTH({}) of RFC 6962: the hash of the empty string. */
export const EMPTY_ROOT: Hash = sha256(Buffer.alloc(0));

/** The leaf of an event: its hash (the SHA-256 of its canonical record), prefixed 0x00. */
export function leafHash(eventHashHex: string): Hash {
  const input = Buffer.allocUnsafe(1 + HASH_BYTES);
  input[0] = LEAF_PREFIX;
  // Anything but 32 bytes of hex (a stored hash tampered with) is hashed as it decodes, as before.
  if (input.write(eventHashHex, 1, "hex") !== HASH_BYTES || eventHashHex.length !== 2 * HASH_BYTES)
    return sha256(Buffer.concat([input.subarray(0, 1), Buffer.from(eventHashHex, "hex")]));
  return sha256(input);
}

export function nodeHash(left: Hash, right: Hash): Hash {
  const input = Buffer.allocUnsafe(1 + 2 * HASH_BYTES);
  input[0] = NODE_PREFIX;
  left.copy(input, 1);
  right.copy(input, 1 + HASH_BYTES);
  return sha256(input);
}

const LEAF_PREFIX = 0;
const NODE_PREFIX = 1;

/** One-shot: a log's worth of leaves and nodes spends half the time of createHash() on setup. */
function sha256(input: Buffer): Hash {
  return hash("sha256", input, "buffer") as unknown as Hash;
}

/** A node of the tree: the root of the perfect subtree over leaves [idx·2^level, (idx+1)·2^level). */
export interface TreeNode {
  readonly level: number;
  readonly idx: number;
  readonly hash: Hash;
}

/**
 * The roots of the perfect subtrees a tree of `size` leaves is made of, largest (leftmost)
 * first: one per bit set in `size`. With it, a leaf is appended and the root computed without
 * reading the tree.
 */
export interface Frontier {
  readonly size: number;
  readonly hashes: readonly Hash[];
}

export const EMPTY_FRONTIER: Frontier = { size: 0, hashes: [] };

/**
 * Appends leaves: the new frontier, and the interior nodes completed on the way that the store
 * keeps (levels that are multiples of STORED_LEVEL_STEP).
 */
export function appendLeaves(
  frontier: Frontier,
  leaves: readonly Hash[],
): { frontier: Frontier; stored: TreeNode[] } {
  const hashes = [...frontier.hashes];
  const stored: TreeNode[] = [];
  let size = frontier.size;
  for (const leaf of leaves) {
    let hash = leaf;
    let level = 0;
    // Each trailing 1 bit of `size` is a subtree of that height that the new leaf completes.
    for (let s = size; s % 2 === 1; s = (s - 1) / 2) {
      hash = nodeHash(hashes.pop() as Hash, hash);
      level++;
      if (level % STORED_LEVEL_STEP === 0) stored.push({ level, idx: Math.floor(size / 2 ** level), hash });
    }
    hashes.push(hash);
    size++;
  }
  return { frontier: { size, hashes }, stored };
}

/** The root of the tree the frontier describes: its subtrees folded from the right. */
export function rootOf(frontier: Frontier): Hash {
  const { hashes } = frontier;
  if (hashes.length === 0) return EMPTY_ROOT;
  let root = hashes[hashes.length - 1] as Hash;
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i] as Hash, root);
  return root;
}

/** The frontier as stored: its hashes end to end. */
export function frontierBytes(frontier: Frontier): Buffer {
  return Buffer.concat(frontier.hashes as Hash[]);
}

/** A stored frontier read back; throws if the bytes cannot be one for `size` leaves. */
export function frontierFrom(size: number, bytes: Uint8Array): Frontier {
  const count = popCount(size);
  if (bytes.length !== count * HASH_BYTES) {
    throw new Error(`a tree of ${size} leaves has ${count} subtree roots, not ${bytes.length / HASH_BYTES}`);
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hashes: Hash[] = [];
  for (let i = 0; i < count; i++)
    hashes.push(Buffer.from(buf.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES)));
  return { size, hashes };
}

function popCount(n: number): number {
  let count = 0;
  for (let s = n; s > 0; s = Math.floor(s / 2)) count += s % 2;
  return count;
}

/** Where the hashes of a tree are read from: the leaves, and the stored interior nodes. */
export interface TreeReader {
  /** Leaves [from, to) (0-based: leaf i is event seq i + 1). */
  leaves(from: number, to: number): Promise<Hash[]>;
  /** Stored nodes of `level` (a multiple of STORED_LEVEL_STEP), indexes [from, to). */
  nodes(level: number, from: number, to: number): Promise<Hash[]>;
}

/** Thrown when the store lacks a hash the tree needs: the log or its nodes were tampered with. */
export class TreeError extends Error {}

/** The root of the perfect subtree `idx` at `level`, from the stored level at or below it. */
async function perfectNode(reader: TreeReader, level: number, idx: number): Promise<Hash> {
  const base = level - (level % STORED_LEVEL_STEP);
  const width = 2 ** (level - base);
  const from = idx * width;
  let row =
    base === 0 ? await reader.leaves(from, from + width) : await reader.nodes(base, from, from + width);
  if (row.length !== width) {
    throw new TreeError(
      `the tree lacks ${base === 0 ? "leaves" : `level-${base} nodes`} ${from} to ${from + width - 1}`,
    );
  }
  while (row.length > 1) {
    const up: Hash[] = [];
    for (let i = 0; i < row.length; i += 2) up.push(nodeHash(row[i] as Hash, row[i + 1] as Hash));
    row = up;
  }
  return row[0] as Hash;
}

/** The largest power of two smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[from:to]) of RFC 6962, from the stored hashes. */
export async function subtreeRoot(reader: TreeReader, from: number, to: number): Promise<Hash> {
  const n = to - from;
  if (n <= 0) return EMPTY_ROOT;
  if ((n & (n - 1)) === 0 && from % n === 0) return perfectNode(reader, Math.log2(n), from / n);
  const k = split(n);
  const [left, right] = await Promise.all([
    subtreeRoot(reader, from, from + k),
    subtreeRoot(reader, from + k, to),
  ]);
  return nodeHash(left, right);
}

/** PATH(m, D[0:size]) of RFC 6962: the audit path of leaf m, nearest sibling first. */
export async function inclusionProof(reader: TreeReader, m: number, size: number): Promise<Hash[]> {
  if (m < 0 || m >= size) throw new RangeError(`leaf ${m} is not in a tree of ${size}`);
  const path: Hash[] = [];
  const walk = async (leaf: number, from: number, to: number): Promise<void> => {
    if (to - from === 1) return;
    const k = split(to - from);
    if (leaf < from + k) {
      await walk(leaf, from, from + k);
      path.push(await subtreeRoot(reader, from + k, to));
    } else {
      await walk(leaf, from + k, to);
      path.push(await subtreeRoot(reader, from, from + k));
    }
  };
  await walk(m, 0, size);
  return path;
}

/** PROOF(m, D[0:size]) of RFC 6962: that the tree of `m` leaves is a prefix of the tree of `size`. */
export async function consistencyProof(reader: TreeReader, m: number, size: number): Promise<Hash[]> {
  if (m < 1 || m > size) throw new RangeError(`no consistency proof from ${m} to ${size} leaves`);
  const proof: Hash[] = [];
  const sub = async (m: number, from: number, to: number, complete: boolean): Promise<void> => {
    const n = to - from;
    if (m === n) {
      if (!complete) proof.push(await subtreeRoot(reader, from, to));
      return;
    }
    const k = split(n);
    if (m <= k) {
      await sub(m, from, from + k, complete);
      proof.push(await subtreeRoot(reader, from + k, to));
    } else {
      await sub(m - k, from + k, to, false);
      proof.push(await subtreeRoot(reader, from, from + k));
    }
  };
  await sub(m, 0, size, true);
  return proof;
}

/** RFC 9162 §2.1.3.2: whether `path` proves leaf `m` of a tree of `size` leaves with `root`. */
export function verifyInclusion(
  m: number,
  size: number,
  leaf: Hash,
  path: readonly Hash[],
  root: Hash,
): boolean {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(size)) || m < 0 || m >= size) return false;
  let fn = m;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: whether `proof` shows the tree (m, oldRoot) is a prefix of (size, newRoot). */
export function verifyConsistency(
  m: number,
  size: number,
  oldRoot: Hash,
  newRoot: Hash,
  proof: readonly Hash[],
): boolean {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(size)) || m < 1 || m > size) return false;
  if (m === size) return proof.length === 0 && oldRoot.equals(newRoot);
  const path = (m & (m - 1)) === 0 ? [oldRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = m - 1;
  let sn = size - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(oldRoot) && sr.equals(newRoot) && sn === 0;
}
