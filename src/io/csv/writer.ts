// CSV output: RFC 4180 quoting, and formula-injection protection on every cell written.
//
// Formula injection (OWASP "CSV Injection"): a spreadsheet opening the file runs a cell that starts
// with `=`, `+`, `-`, `@`, tab or CR as a formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`). Every
// such cell is written with a `'` in front, which spreadsheets read as "this is text". One
// exception, on purpose: a cell that is a sign followed only by digits, spaces and `.,()+-` is
// left alone. It is a phone number (`+33 6 12 34 56 78`) or an amount (`-12,50`); no formula made
// of those characters can reach a cell, a function or a program, and a `'` in front of every
// E.164 number would corrupt the lists this program exists to produce.
//
// A cell is quoted when it holds the delimiter, a quote, CR or LF, or starts or ends with
// whitespace (which readers may trim). A scanned record is written as its raw input bytes when
// that is already safe (same delimiter, no cell to guard, no stray quote), so kept rows come out
// byte for byte as they came in.

import type { CsvRecord } from "./record.ts";
import type { Delimiter } from "./sniff.ts";

export interface CsvWriterOptions {
  readonly delimiter?: Delimiter;
  readonly newline?: "\n" | "\r\n";
}

const QUOTE = 0x22;
const TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);
const NUMBER = /^[+-](?=.*\d)[\d .,()+-]*$/;
const NEEDS_QUOTES: Record<Delimiter, RegExp> = {
  ",": /[",\r\n]|^\s|\s$/,
  ";": /[";\r\n]|^\s|\s$/,
  "\t": /["\t\r\n]|^\s|\s$/,
  "|": /["|\r\n]|^\s|\s$/,
};

/** `value`, with a `'` in front if a spreadsheet would run it as a formula (rule above). */
export function guardFormula(value: string): string {
  const first = value[0];
  if (first === undefined || !TRIGGERS.has(first)) return value;
  if ((first === "+" || first === "-") && NUMBER.test(value)) return value;
  return `'${value}`;
}

/** One cell, guarded against formula injection, then quoted if it must be. */
export function formatCell(value: string, delimiter: Delimiter = ","): string {
  const cell = guardFormula(value);
  return NEEDS_QUOTES[delimiter].test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * Accumulates CSV output in memory; the caller drains it with `take()` into a stream, e.g. when
 * `length` passes 1 MiB, awaiting 'drain' when the stream asks to.
 */
export class CsvWriter {
  readonly #delimiter: Delimiter;
  readonly #newline: string;
  #buffer = Buffer.allocUnsafe(64 * 1024);
  #length = 0;

  constructor(options: CsvWriterOptions = {}) {
    this.#delimiter = options.delimiter ?? ",";
    this.#newline = options.newline ?? "\n";
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.#length;
  }

  /** Writes one row of cells. */
  row(cells: readonly string[]): void {
    let line = "";
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) line += this.#delimiter;
      line += formatCell(cells[i] as string, this.#delimiter);
    }
    this.#text(line + this.#newline);
  }

  /**
   * Writes a scanned record (a header's record too) followed by `extra` cells: its raw bytes when
   * they can be copied as they are, its decoded fields re-encoded otherwise.
   */
  record(record: CsvRecord, extra: readonly string[] = []): void {
    const raw = record.raw();
    if (!this.#copyable(record, raw)) {
      this.row([...record.fields(), ...extra]);
      return;
    }
    this.#bytes(raw);
    let line = "";
    for (const cell of extra) line += this.#delimiter + formatCell(cell, this.#delimiter);
    this.#text(line + this.#newline);
  }

  /**
   * Writes a line this writer wrote before (read back by a scanner: `record.raw()`), as it is: it
   * is already guarded and quoted in this writer's dialect.
   */
  again(line: Buffer): void {
    this.#bytes(line);
    this.#text(this.#newline);
  }

  /** The bytes written since the last call. */
  take(): Buffer {
    const out = this.#buffer.subarray(0, this.#length);
    this.#buffer = Buffer.allocUnsafe(this.#buffer.length);
    this.#length = 0;
    return out;
  }

  #copyable(record: CsvRecord, raw: Buffer): boolean {
    if (record.delimiter !== this.#delimiter.charCodeAt(0)) return false;
    const { buffer } = record;
    const quotes = raw.includes(QUOTE);
    for (let i = 0; i < record.fieldCount; i++) {
      const start = record.fieldStart(i);
      const end = record.fieldEnd(i);
      if (start < end && TRIGGERS.has(String.fromCharCode(buffer[start] as number))) {
        const value = record.field(i);
        if (guardFormula(value) !== value) return false;
      }
      // A quote inside an unquoted field is read as data, but is not valid CSV to write.
      if (quotes && !record.quoted(i)) {
        for (let j = start; j < end; j++) if (buffer[j] === QUOTE) return false;
      }
    }
    return true;
  }

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(2 * this.#buffer.length, this.#length + bytes));
    this.#buffer.copy(next, 0, 0, this.#length);
    this.#buffer = next;
  }

  #text(text: string): void {
    this.#reserve(3 * text.length); // a UTF-16 unit is at most 3 UTF-8 bytes
    this.#length += this.#buffer.write(text, this.#length);
  }

  #bytes(bytes: Buffer): void {
    this.#reserve(bytes.length);
    this.#length += bytes.copy(this.#buffer, this.#length);
  }
}
