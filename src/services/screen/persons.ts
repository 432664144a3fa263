// The persons of a list: rows naming the same point (in any spelling: points are compared
// normalized) or sharing a point (a row with a phone and an e-mail joins the rows of either) are
// one person. Each person has a first row — the `duplicate_of` of the others — and the verdicts
// its rows got: rows of one person must all be blocked when one is (run.ts screens the list a
// second time when the first pass left a person both allowed and blocked).
//
// Memory grows with the list's points, not its bytes: a point is a slot of 12 bytes (its 64-bit
// hash and its person) in open-addressing tables 3/8 to 3/4 full, a person 14 bytes of typed
// columns — about 60 bytes a row of a phone and an e-mail. Columns grow a chunk at a time and the
// tables a 256th at a time, so no growth holds two copies of everything. Two points sharing a
// 64-bit hash would be taken for one (about once in 10^12 lists of 10 M points): they would only
// ever block more.
import { RULE_IDS, type RuleId } from "../../engine/rule-ids.ts";
import type { NormalizedPoint } from "../../normalize/point.ts";

const EMPTY = 0;

/** Two independent 32-bit FNV-1a lanes over `type:value`. */
function hashPoint(p: NormalizedPoint, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  const text = p.type === "phone" ? p.value : `@${p.value}`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  out[0] = a >>> 0;
  out[1] = b >>> 0;
}

/** Persons are kept in columns of chunks: growing never copies a column nor doubles it. */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const LOW = CHUNK - 1;

class Words {
  readonly #chunks: Uint32Array[] = [];

  get(i: number): number {
    return (this.#chunks[i >>> CHUNK_BITS] as Uint32Array)[i & LOW] as number;
  }

  set(i: number, v: number): void {
    (this.#chunks[i >>> CHUNK_BITS] as Uint32Array)[i & LOW] = v;
  }

  /** Room for index i, the next one. */
  reach(i: number): void {
    if ((i & LOW) === 0) this.#chunks.push(new Uint32Array(CHUNK));
  }
}

class Bytes {
  readonly #chunks: Uint8Array[] = [];

  get(i: number): number {
    return (this.#chunks[i >>> CHUNK_BITS] as Uint8Array)[i & LOW] as number;
  }

  set(i: number, v: number): void {
    (this.#chunks[i >>> CHUNK_BITS] as Uint8Array)[i & LOW] = v;
  }

  reach(i: number): void {
    if ((i & LOW) === 0) this.#chunks.push(new Uint8Array(CHUNK));
  }
}

/**
 * Points, by their 64-bit hash, in 256 open-addressing tables chosen by the hash's top byte: each
 * grows on its own, so a growth holds two copies of a 256th of the points, not of all of them.
 * A slot is three words: hash high, hash low, person + 1 (0: empty).
 */
const TABLES = 256;

class PointTable {
  slots = new Uint32Array(3 * 64);
  mask = 63;
  size = 0;
}

/** A blocking rule of a person, as an index into RULE_IDS (a byte instead of a string). */
const RULE_INDEX = new Map<RuleId, number>(RULE_IDS.map((id, i) => [id, i]));

/** Bits of a person's flags. */
const ALLOWED = 1;
/** The person joined two persons of the first pass, whose rows' `duplicate_of` may change. */
const JOINED = 2;

export class ListPersons {
  readonly #tables = Array.from({ length: TABLES }, () => new PointTable());

  /** Union-find over persons. */
  readonly #parent = new Words();
  readonly #firstLine = new Words();
  readonly #blockedLine = new Words();
  readonly #blockedRule = new Bytes();
  readonly #flags = new Bytes();
  #persons = 0;

  /** Rows that repeat an earlier row's point or person. */
  duplicateRows = 0;
  /** Two persons joined by a later row: the first pass's `duplicate_of` of some rows was too early. */
  #merged = false;
  #mixed = false;
  readonly #h = new Uint32Array(2);

  /** Whether a second pass is needed: a person both allowed and blocked, or joined late. */
  get unsettled(): boolean {
    return this.#mixed || this.#merged;
  }

  /** The table of the point last hashed into #h, and its slot there (-1: absent, when not inserting). */
  #table: PointTable = this.#tables[0] as PointTable;

  #slot(p: NormalizedPoint, insert: boolean): number {
    hashPoint(p, this.#h);
    const hi = this.#h[0] as number;
    const lo = this.#h[1] as number;
    let t = this.#tables[hi >>> 24] as PointTable;
    if (insert && (t.size + 1) * 4 > (t.mask + 1) * 3) t = this.#grow(hi >>> 24);
    this.#table = t;
    const { slots, mask } = t;
    for (let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      if (slots[3 * i + 2] === EMPTY) return insert ? i : -1;
      if (slots[3 * i] === hi && slots[3 * i + 1] === lo) return i;
    }
  }

  #grow(n: number): PointTable {
    const old = this.#tables[n] as PointTable;
    const t = new PointTable();
    t.mask = 2 * old.mask + 1;
    t.slots = new Uint32Array(3 * (t.mask + 1));
    t.size = old.size;
    const from = old.slots;
    for (let j = 0; j < from.length; j += 3) {
      if (from[j + 2] === EMPTY) continue;
      const hi = from[j] as number;
      const lo = from[j + 1] as number;
      let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & t.mask;
      while (t.slots[3 * i + 2] !== EMPTY) i = (i + 1) & t.mask;
      t.slots.set(from.subarray(j, j + 3), 3 * i);
    }
    this.#tables[n] = t;
    return t;
  }

  #find(p: number): number {
    const parent = this.#parent;
    let root = p;
    while (parent.get(root) !== root) root = parent.get(root);
    // Path halving keeps later finds short.
    while (parent.get(p) !== root) {
      const next = parent.get(p);
      parent.set(p, root);
      p = next;
    }
    return root;
  }

  #newPerson(line: number): number {
    const p = this.#persons++;
    for (const column of [this.#parent, this.#firstLine, this.#blockedLine, this.#blockedRule, this.#flags])
      column.reach(p);
    this.#parent.set(p, p);
    this.#firstLine.set(p, line);
    return p;
  }

  /** Joins two persons; the earlier first row leads. */
  #union(a: number, b: number): number {
    const [keep, gone] = this.#firstLine.get(a) <= this.#firstLine.get(b) ? [a, b] : [b, a];
    this.#parent.set(gone, keep);
    const bk = this.#blockedLine.get(keep);
    const bg = this.#blockedLine.get(gone);
    if (bg !== 0 && (bk === 0 || bg < bk)) {
      this.#blockedLine.set(keep, bg);
      this.#blockedRule.set(keep, this.#blockedRule.get(gone));
    }
    this.#merged = true;
    this.#flags.set(keep, this.#flags.get(keep) | (this.#flags.get(gone) & ALLOWED) | JOINED);
    this.#check(keep);
    return keep;
  }

  /** Whether the person was both allowed and blocked. */
  #isMixed(p: number): boolean {
    return (this.#flags.get(p) & ALLOWED) !== 0 && this.#blockedLine.get(p) !== 0;
  }

  #check(p: number): void {
    if (this.#isMixed(p)) this.#mixed = true;
  }

  /**
   * Adds a row's points (first pass): returns its person and the first row of that person so far,
   * or null when the row is the first.
   */
  add(points: readonly NormalizedPoint[], line: number): { person: number; duplicateOf: number | null } {
    let person = -1;
    let seen = false;
    for (const point of points) {
      const i = this.#slot(point, true);
      const { slots } = this.#table;
      const held = slots[3 * i + 2] as number;
      if (held === EMPTY) {
        if (person < 0) person = this.#newPerson(line);
        slots[3 * i] = this.#h[0] as number;
        slots[3 * i + 1] = this.#h[1] as number;
        slots[3 * i + 2] = person + 1;
        this.#table.size++;
        continue;
      }
      seen = true;
      const other = this.#find(held - 1);
      if (person < 0) person = other;
      else if (other !== person) person = this.#union(person, other);
    }
    person = this.#find(person);
    if (!seen) return { person, duplicateOf: null };
    this.duplicateRows++;
    const first = this.#firstLine.get(person);
    return { person, duplicateOf: first === line ? null : first };
  }

  /** Records a row's verdict for its person (first pass). */
  verdict(person: number, line: number, blockedBy: RuleId | null): void {
    const p = this.#find(person);
    if (blockedBy === null) this.#flags.set(p, this.#flags.get(p) | ALLOWED);
    else if (this.#blockedLine.get(p) === 0) {
      this.#blockedLine.set(p, line);
      this.#blockedRule.set(p, RULE_INDEX.get(blockedBy) as number);
    }
    this.#check(p);
  }

  /**
   * A row's person as the whole list knows it (second pass): its first row, and the first row of
   * it that was blocked, with the rule.
   */
  settled(points: readonly NormalizedPoint[], line: number): Settled {
    const i = this.#slot(points[0] as NormalizedPoint, false);
    if (i < 0) throw new Error(`line ${line}: a point the first pass did not see`);
    const p = this.#find((this.#table.slots[3 * i + 2] as number) - 1);
    const first = this.#firstLine.get(p);
    const blockedLine = this.#blockedLine.get(p);
    return {
      duplicateOf: first === line ? null : first,
      changed: (this.#flags.get(p) & JOINED) !== 0 || this.#isMixed(p),
      blocked:
        blockedLine === 0 || blockedLine === line
          ? null
          : { line: blockedLine, rule: RULE_IDS[this.#blockedRule.get(p)] as RuleId },
    };
  }
}

export interface Settled {
  readonly duplicateOf: number | null;
  /**
   * Whether the person's rows may be written otherwise than the first pass wrote them: it was both
   * allowed and blocked, or joined persons. The rows of every other person come out the same.
   */
  readonly changed: boolean;
  /** The first row of the same person that was blocked, when another row. */
  readonly blocked: { readonly line: number; readonly rule: RuleId } | null;
}
