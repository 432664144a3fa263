// Compiles the regular-expression subset that libphonenumber's national-number patterns use
// (digits, `\d`, `[…]` classes with ranges, `(?:…|…)` groups, `{n}` counts) into a digit trie.
// Classifying a number is then a walk of at most `length` array reads instead of a dozen regex
// tests. Anything outside that subset throws, so a metadata update that starts using new syntax
// fails loudly instead of silently diverging from libphonenumber.

/** One 10-bit digit mask per position (bit d set = digit d allowed). */
type Sequence = number[];

const ANY = 0x3ff;
/** Guards against a pattern whose alternatives multiply out to an absurd number of sequences. */
const MAX_SEQUENCES = 100_000;

class PatternParser {
  private readonly source: string;
  private i = 0;

  constructor(source: string) {
    this.source = source;
  }

  parse(): Sequence[] {
    const result = this.alternation();
    if (this.i !== this.source.length) this.fail("unexpected character");
    return result;
  }

  private alternation(): Sequence[] {
    const result = this.sequence();
    while (this.source[this.i] === "|") {
      this.i++;
      result.push(...this.sequence());
    }
    return result;
  }

  private sequence(): Sequence[] {
    let result: Sequence[] = [[]];
    while (this.i < this.source.length && this.source[this.i] !== "|" && this.source[this.i] !== ")") {
      let atom = this.atom();
      if (this.source[this.i] === "{") {
        const count = this.count();
        let repeated: Sequence[] = [[]];
        for (let k = 0; k < count; k++) repeated = concat(repeated, atom);
        atom = repeated;
      }
      result = concat(result, atom);
      if (result.length > MAX_SEQUENCES) this.fail("too many alternatives");
    }
    return result;
  }

  private atom(): Sequence[] {
    const c = this.source[this.i];
    if (c !== undefined && c >= "0" && c <= "9") {
      this.i++;
      return [[1 << Number(c)]];
    }
    if (this.source.startsWith("\\d", this.i)) {
      this.i += 2;
      return [[ANY]];
    }
    if (c === "[") return [[this.characterClass()]];
    if (this.source.startsWith("(?:", this.i)) {
      this.i += 3;
      const inner = this.alternation();
      if (this.source[this.i] !== ")") this.fail("unclosed group");
      this.i++;
      return inner;
    }
    return this.fail("unsupported syntax");
  }

  private characterClass(): number {
    const end = this.source.indexOf("]", this.i);
    if (end < 0) this.fail("unclosed class");
    const body = this.source.slice(this.i + 1, end);
    if (!/^(?:\d-\d|\d)+$/.test(body)) this.fail("unsupported class");
    let mask = 0;
    for (const [, from, to] of body.matchAll(/(\d)(?:-(\d))?/g)) {
      for (let d = Number(from); d <= Number(to ?? from); d++) mask |= 1 << d;
    }
    this.i = end + 1;
    return mask;
  }

  private count(): number {
    const match = /^\{(\d+)\}/.exec(this.source.slice(this.i));
    if (!match?.[1]) return this.fail("unsupported quantifier");
    this.i += match[0].length;
    return Number(match[1]);
  }

  private fail(what: string): never {
    throw new Error(`phone pattern /${this.source}/: ${what} at offset ${this.i}`);
  }
}

function concat(heads: Sequence[], tails: Sequence[]): Sequence[] {
  return heads.flatMap((head) => tails.map((tail) => [...head, ...tail]));
}

// Build-time node: each of the 10 slots is a child node or a leaf label mask (0 = no pattern).
type Node = (Node | number)[];

function newNode(fill: number): Node {
  return new Array<Node | number>(10).fill(fill);
}

function orAll(slot: Node | number, label: number): Node | number {
  return typeof slot === "number" ? slot | label : slot.map((child) => orAll(child, label));
}

function insert(node: Node, sequence: Sequence, pos: number, end: number, label: number): void {
  const mask = sequence[pos] ?? ANY;
  for (let d = 0; d < 10; d++) {
    if ((mask & (1 << d)) === 0) continue;
    const slot = node[d] ?? 0;
    if (pos + 1 >= end) {
      // Every remaining position is \d: label the whole subtree instead of expanding it.
      node[d] = orAll(slot, label);
    } else {
      const child = typeof slot === "number" ? newNode(slot) : slot;
      node[d] = child;
      insert(child, sequence, pos + 1, end, label);
    }
  }
}

export interface LabelledPattern {
  readonly pattern: string;
  /** A single bit; a number matched by several patterns gets the OR of their labels. */
  readonly label: number;
}

/**
 * Builds a flat trie for numbers of exactly `length` digits. `codeOf` turns the OR of the labels of
 * all patterns a number matches into the positive code `lookupTrie` returns (0 = no match).
 */
export function compileTrie(
  patterns: readonly LabelledPattern[],
  length: number,
  codeOf: (labels: number) => number,
): Int32Array {
  const root = newNode(0);
  for (const { pattern, label } of patterns) {
    for (const sequence of new PatternParser(pattern).parse()) {
      if (sequence.length !== length) continue;
      let end = sequence.length;
      while (end > 1 && sequence[end - 1] === ANY) end--;
      insert(root, sequence, 0, end, label);
    }
  }
  // Flatten breadth-first: a slot holds a child's offset (> 0), -code for a leaf, or 0.
  const nodes: Node[] = [root];
  const slots: number[] = [];
  for (let n = 0; n < nodes.length; n++) {
    for (const slot of nodes[n] ?? []) {
      if (typeof slot === "number") {
        slots.push(slot === 0 ? 0 : -codeOf(slot));
      } else {
        slots.push(nodes.length * 10);
        nodes.push(slot);
      }
    }
  }
  return Int32Array.from(slots);
}

/** Code of the `length` digits of `digits` starting at `start` (ASCII digits only), 0 if none. */
export function lookupTrie(trie: Int32Array, digits: string, start: number, length: number): number {
  let offset = 0;
  for (let i = 0; i < length; i++) {
    const slot = trie[offset + digits.charCodeAt(start + i) - 48] ?? 0;
    if (slot <= 0) return slot < 0 ? -slot : 0;
    offset = slot;
  }
  return 0;
}

/** Whether some number that starts with `prefix` has a non-zero code. */
export function trieHasPrefix(trie: Int32Array, prefix: string): boolean {
  let offset = 0;
  for (let i = 0; i < prefix.length; i++) {
    const slot = trie[offset + prefix.charCodeAt(i) - 48] ?? 0;
    if (slot <= 0) return slot < 0;
    offset = slot;
  }
  return subtreeHasCode(trie, offset);
}

function subtreeHasCode(trie: Int32Array, offset: number): boolean {
  for (let d = 0; d < 10; d++) {
    const slot = trie[offset + d] ?? 0;
    if (slot < 0 || (slot > 0 && subtreeHasCode(trie, slot))) return true;
  }
  return false;
}
