// A Bloctel check listing one number on several rows (a return file repeats a number the office
// submitted twice, in two spellings): the rows are merged into one, registered if any row says so
// — never the last row winning, which cleared a registered number — and the check's digest is
// that of the merged rows, which is what the store keeps and the audit reads back.
// Numbers are told apart in pass 1 by a 64-bit fingerprint of their key (text-fingerprint.ts), 8
// to 16 bytes of table a number (a check can list millions): a fingerprint seen twice marks its
// key; only those keys' rows are kept, in a second reading of the file, to be merged.
import type { RegistryDigest } from "../../evidence/registry-digest.ts";
import { FINGERPRINT, fingerprintText } from "../../normalize/text-fingerprint.ts";
import type { RegistryEntry } from "../../store/store.ts";

/** Keys seen in pass 1; those seen twice (or sharing a fingerprint, which only costs a merge of one row). */
export class RepeatedKeys {
  #slots = new Uint32Array(2 * 1024);
  #size = 0;
  readonly repeated = new Set<string>();

  add(key: string): void {
    fingerprintText(key);
    // 0 marks an empty slot.
    if (!this.#insert((FINGERPRINT[0] as number) || 1, FINGERPRINT[1] as number)) this.repeated.add(key);
    if (this.#size * 4 > this.#slots.length * 1.5) this.#grow();
  }

  /** False when the fingerprint was there already. */
  #insert(hi: number, lo: number): boolean {
    const slots = this.#slots;
    const mask = slots.length / 2 - 1;
    for (let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      const h = slots[2 * i] as number;
      if (h === 0) {
        slots[2 * i] = hi;
        slots[2 * i + 1] = lo;
        this.#size++;
        return true;
      }
      if (h === hi && slots[2 * i + 1] === lo) return false;
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(old.length * 2);
    this.#size = 0;
    for (let i = 0; i < old.length; i += 2)
      if (old[i] !== 0) this.#insert(old[i] as number, old[i + 1] as number);
  }
}

/** The merge of rows of one number: registered if any says so, at the earliest dates they give. */
export function mergeEntries(a: RegistryEntry, b: RegistryEntry): RegistryEntry {
  if (a.registered !== b.registered) return a.registered ? a : b;
  if (!a.registered) return a;
  const earliest = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.min(x, y));
  return {
    pointKey: a.pointKey,
    registered: true,
    registeredAt: earliest(a.registeredAt, b.registeredAt),
    effectiveAt: earliest(a.effectiveAt, b.effectiveAt),
  };
}

/**
 * The repeated numbers' rows merged, as the file is read again (`take` each row, then `finish`),
 * and the digest made theirs: each of their rows taken out of it, each merged row put in.
 */
export class RepeatedMerge {
  readonly #repeated: ReadonlySet<string>;
  readonly #digest: RegistryDigest;
  readonly merged = new Map<string, RegistryEntry>();

  constructor(repeated: ReadonlySet<string>, digest: RegistryDigest) {
    this.#repeated = repeated;
    this.#digest = digest;
  }

  take(e: RegistryEntry): void {
    if (!this.#repeated.has(e.pointKey)) return;
    this.#digest.remove(e);
    const held = this.merged.get(e.pointKey);
    this.merged.set(e.pointKey, held === undefined ? e : mergeEntries(held, e));
  }

  finish(): void {
    for (const e of this.merged.values()) this.#digest.add(e);
  }
}
