// The persons of a list: rows naming the same point (in any spelling: points are compared
// normalized) or sharing a point (a row with a phone and an e-mail joins the rows of either) are
// one person. Each person has a first row — the `duplicate_of` of the others — and the verdicts
// its rows got: rows of one person must all be blocked when one is (run.ts screens the list a
// second time when the first pass left a person both allowed and blocked).
//
// Memory is bounded by the list's points, not its bytes: a point is 64 bits of hash in an open
// addressing table, a person a few typed-array cells. Two points sharing a 64-bit hash would be
// taken for one (about once in 10^12 lists of 10 M points): they would only ever block more.
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

function grow<T extends Uint32Array | Int32Array | Uint8Array>(a: T, size: number): T {
  if (size <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2));
  next.set(a);
  return next;
}

/** A blocking rule of a person, as an index into RULE_IDS (a byte instead of a string). */
const RULE_INDEX = new Map<RuleId, number>(RULE_IDS.map((id, i) => [id, i]));

export class ListPersons {
  #hi = new Uint32Array(1 << 12);
  #lo = new Uint32Array(1 << 12);
  /** Person + 1 of each slot; 0: empty. */
  #person = new Int32Array(1 << 12);
  #mask = (1 << 12) - 1;
  #points = 0;

  /** Union-find over persons. */
  #parent = new Int32Array(1 << 10);
  #firstLine = new Uint32Array(1 << 10);
  #blockedLine = new Uint32Array(1 << 10);
  #blockedRule = new Uint8Array(1 << 10);
  #allowed = new Uint8Array(1 << 10);
  /** 1: the person joined two persons of the first pass, whose rows' `duplicate_of` may change. */
  #joined = new Uint8Array(1 << 10);
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

  #slot(p: NormalizedPoint, insert: boolean): number {
    hashPoint(p, this.#h);
    const hi = this.#h[0] as number;
    const lo = this.#h[1] as number;
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & this.#mask;
    for (;;) {
      if (this.#person[i] === EMPTY) return insert ? i : -1;
      if (this.#hi[i] === hi && this.#lo[i] === lo) return i;
      i = (i + 1) & this.#mask;
    }
  }

  #rehash(): void {
    const { length } = this.#person;
    const [hi, lo, person] = [this.#hi, this.#lo, this.#person];
    this.#hi = new Uint32Array(length * 2);
    this.#lo = new Uint32Array(length * 2);
    this.#person = new Int32Array(length * 2);
    this.#mask = length * 2 - 1;
    for (let j = 0; j < length; j++) {
      if (person[j] === EMPTY) continue;
      let i = ((hi[j] as number) ^ Math.imul(lo[j] as number, 0x9e3779b1)) & this.#mask;
      while (this.#person[i] !== EMPTY) i = (i + 1) & this.#mask;
      this.#hi[i] = hi[j] as number;
      this.#lo[i] = lo[j] as number;
      this.#person[i] = person[j] as number;
    }
  }

  #find(p: number): number {
    let root = p;
    while (this.#parent[root] !== root) root = this.#parent[root] as number;
    // Path halving keeps later finds short.
    while (this.#parent[p] !== root) {
      const next = this.#parent[p] as number;
      this.#parent[p] = root;
      p = next;
    }
    return root;
  }

  #newPerson(line: number): number {
    const p = this.#persons++;
    const n = this.#persons;
    this.#parent = grow(this.#parent, n);
    this.#firstLine = grow(this.#firstLine, n);
    this.#blockedLine = grow(this.#blockedLine, n);
    this.#blockedRule = grow(this.#blockedRule, n);
    this.#allowed = grow(this.#allowed, n);
    this.#joined = grow(this.#joined, n);
    this.#parent[p] = p;
    this.#firstLine[p] = line;
    return p;
  }

  /** Joins two persons; the earlier first row leads. */
  #union(a: number, b: number): number {
    const [keep, gone] = (this.#firstLine[a] as number) <= (this.#firstLine[b] as number) ? [a, b] : [b, a];
    this.#parent[gone] = keep;
    this.#allowed[keep] = (this.#allowed[keep] as number) | (this.#allowed[gone] as number);
    const bk = this.#blockedLine[keep] as number;
    const bg = this.#blockedLine[gone] as number;
    if (bg !== 0 && (bk === 0 || bg < bk)) {
      this.#blockedLine[keep] = bg;
      this.#blockedRule[keep] = this.#blockedRule[gone] as number;
    }
    this.#merged = true;
    this.#joined[keep] = 1;
    this.#check(keep);
    return keep;
  }

  #check(p: number): void {
    if (this.#allowed[p] === 1 && this.#blockedLine[p] !== 0) this.#mixed = true;
  }

  /**
   * Adds a row's points (first pass): returns its person and the first row of that person so far,
   * or null when the row is the first.
   */
  add(points: readonly NormalizedPoint[], line: number): { person: number; duplicateOf: number | null } {
    let person = -1;
    let seen = false;
    for (const point of points) {
      if ((this.#points + 1) * 4 > this.#person.length * 3) this.#rehash();
      const i = this.#slot(point, true);
      if (this.#person[i] === EMPTY) {
        this.#hi[i] = this.#h[0] as number;
        this.#lo[i] = this.#h[1] as number;
        if (person < 0) person = this.#newPerson(line);
        this.#person[i] = person + 1;
        this.#points++;
        continue;
      }
      seen = true;
      const other = this.#find((this.#person[i] as number) - 1);
      if (person < 0) person = other;
      else if (other !== person) person = this.#union(person, other);
    }
    person = this.#find(person);
    if (!seen) return { person, duplicateOf: null };
    this.duplicateRows++;
    const first = this.#firstLine[person] as number;
    return { person, duplicateOf: first === line ? null : first };
  }

  /** Records a row's verdict for its person (first pass). */
  verdict(person: number, line: number, blockedBy: RuleId | null): void {
    const p = this.#find(person);
    if (blockedBy === null) this.#allowed[p] = 1;
    else if (this.#blockedLine[p] === 0) {
      this.#blockedLine[p] = line;
      this.#blockedRule[p] = RULE_INDEX.get(blockedBy) as number;
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
    const p = this.#find((this.#person[i] as number) - 1);
    const first = this.#firstLine[p] as number;
    const blockedLine = this.#blockedLine[p] as number;
    return {
      duplicateOf: first === line ? null : first,
      changed: this.#joined[p] === 1 || (this.#allowed[p] === 1 && blockedLine !== 0),
      blocked:
        blockedLine === 0 || blockedLine === line
          ? null
          : { line: blockedLine, rule: RULE_IDS[this.#blockedRule[p] as number] as RuleId },
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
