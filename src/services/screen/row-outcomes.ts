// Which output each row of the first pass went to, two bits a row (25 MB for 100 M rows): a second
// pass copies the lines of the persons it does not decide again from the first pass's files, and
// must know which file holds each row's line without reading the row again.

export const REJECTED = 0;
export const ALLOWED = 1;
export const BLOCKED = 2;
export type Outcome = typeof REJECTED | typeof ALLOWED | typeof BLOCKED;

/** Rows a chunk of outcomes holds (a mebibyte). */
const CHUNK_ROWS = 1 << 22;

export class RowOutcomes {
  readonly #chunks: Uint8Array[] = [];
  #rows = 0;

  push(outcome: Outcome): void {
    const i = this.#rows++;
    if (i % CHUNK_ROWS === 0) this.#chunks.push(new Uint8Array(CHUNK_ROWS / 4));
    const chunk = this.#chunks[this.#chunks.length - 1] as Uint8Array;
    const j = i % CHUNK_ROWS;
    chunk[j >> 2] = (chunk[j >> 2] as number) | (outcome << (2 * (j & 3)));
  }

  /** The outcome of row `i`, counting rows from 0 in the order they were pushed. */
  at(i: number): Outcome {
    if (i >= this.#rows) throw new Error(`row ${i}: the first pass saw ${this.#rows} rows`);
    const chunk = this.#chunks[Math.floor(i / CHUNK_ROWS)] as Uint8Array;
    const j = i % CHUNK_ROWS;
    return (((chunk[j >> 2] as number) >> (2 * (j & 3))) & 3) as Outcome;
  }
}
