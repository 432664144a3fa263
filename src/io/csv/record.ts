// One CSV record as a view over the scanner's input bytes: offsets only, fields decoded on demand,
// so a caller that reads 2 of 20 columns pays for 2 decodes, and a kept row can be copied out
// byte for byte. The scanner has already checked that the record is valid UTF-8.

const QUOTE = 0x22;

export class CsvRecord {
  readonly kind = "record";
  /** 1-based physical line on which the record starts. */
  readonly line: number;
  /** Byte offsets of the record in the whole input, end exclusive, line terminator excluded. */
  readonly start: number;
  readonly end: number;
  readonly fieldCount: number;
  /** The delimiter byte the record was split on. */
  readonly delimiter: number;
  /** The bytes the record lives in; `fieldStart`/`fieldEnd` index into it. Shared, never mutated. */
  readonly buffer: Buffer;
  readonly #offsets: Int32Array;
  readonly #base: number;
  readonly #from: number;
  readonly #to: number;

  /**
   * `offsets[base + 2i]`/`[base + 2i + 1]` bound field i's content, relative to `from`; a start
   * stored as `~start` marks a quoted field holding `""` escapes.
   */
  constructor(
    buffer: Buffer,
    origin: number,
    from: number,
    to: number,
    offsets: Int32Array,
    base: number,
    fieldCount: number,
    line: number,
    delimiter: number,
  ) {
    this.buffer = buffer;
    this.start = origin + from;
    this.end = origin + to;
    this.#from = from;
    this.#to = to;
    this.#offsets = offsets;
    this.#base = base;
    this.fieldCount = fieldCount;
    this.line = line;
    this.delimiter = delimiter;
  }

  /** Field i (0-based), unquoted and unescaped. */
  field(i: number): string {
    const j = this.#index(i);
    const start = this.#offsets[j] as number;
    const end = this.#from + (this.#offsets[j + 1] as number);
    if (start >= 0) return this.buffer.toString("utf8", this.#from + start, end);
    return this.buffer.toString("utf8", this.#from + ~start, end).replaceAll('""', '"');
  }

  /** Every field, decoded. */
  fields(): string[] {
    const out = new Array<string>(this.fieldCount);
    for (let i = 0; i < this.fieldCount; i++) out[i] = this.field(i);
    return out;
  }

  /**
   * Offset in `buffer` of field i's content: after the opening quote of a quoted field, with any
   * `""` escapes left in place. For reading bytes without making a string.
   */
  fieldStart(i: number): number {
    const start = this.#offsets[this.#index(i)] as number;
    return this.#from + (start < 0 ? ~start : start);
  }

  /** Offset in `buffer` just past field i's content (before its closing quote, if quoted). */
  fieldEnd(i: number): number {
    return this.#from + (this.#offsets[this.#index(i) + 1] as number);
  }

  /** Whether field i was quoted in the input. */
  quoted(i: number): boolean {
    const start = this.fieldStart(i);
    // The byte before an unquoted field is a delimiter, or not the record's at all.
    return start > this.#from && this.buffer[start - 1] === QUOTE;
  }

  /** The record's bytes exactly as read (quotes and escapes included), without its line terminator. */
  raw(): Buffer {
    return this.buffer.subarray(this.#from, this.#to);
  }

  #index(i: number): number {
    if (!(i >= 0 && i < this.fieldCount)) {
      throw new RangeError(`field ${i} out of range: the record has ${this.fieldCount} fields`);
    }
    return this.#base + 2 * i;
  }
}

/** A row's cells as `repeatsHeader` reads them: a CsvRecord, or a workbook's row. */
export interface RowFields {
  readonly fieldCount: number;
  field(i: number): string;
}

/**
 * Whether a row repeats the header — every cell the header's name, in any capitals: lists joined
 * one below the other keep the second one's header, which would otherwise be refused for its
 * phone cell ("contains letters") as if it were a contact.
 */
export function repeatsHeader(row: RowFields, names: readonly string[]): boolean {
  if (row.fieldCount !== names.length || names.length === 0) return false;
  for (let i = 0; i < names.length; i++) {
    if (row.field(i).trim().toLowerCase() !== (names[i] as string).trim().toLowerCase()) return false;
  }
  return true;
}
