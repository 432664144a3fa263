// RFC 4180 CSV scanner over bytes, fed chunk by chunk. It finds record and field boundaries and
// leaves decoding to the caller (CsvRecord.field), which is what makes 1 M rows/s possible
// (bench/csv.ts). It is strict: a malformed row becomes an error event naming its line and
// the scan goes on with the next row; only a header it cannot read ends the scan.
//
// A quote that is never closed on its line (a stray `"` typed in a free-text field, as scraped
// ads have) would make the rest of the file one field. So when a quoted field runs across a line
// end, the row it makes is invalid — the quote never closed, a field count unlike the header's,
// an error found past the line end, a row too long — and the quote's line is a whole row once that
// quote is read as data, the row is rejected only up to the end of that line and the scan reads on
// from the next: every line after it is still a row of its own, decided or rejected, and counted.
// A valid row with quoted line breaks (an address on two lines) is read whole, as RFC 4180 says;
// an invalid one whose first line is short of fields (the field does go on) is rejected whole.
//
// Accepted: a UTF-8 BOM (skipped); Excel's `sep=;` first line (naming the delimiter, skipped,
// counted in line numbers); LF and CRLF line ends; quoted fields with `""` escapes, line
// breaks and lone CRs inside; a quote inside an unquoted field, taken as data (`ab"c`); a last
// record without a line end. Empty lines are skipped, but count in line numbers.
// Rejected rows: a byte other than delimiter, CR or LF after a closing quote (`"ab"c`); a CR
// outside quotes not followed by LF (the row ends there, the next one begins after it); a field longer than maxFieldBytes or a record longer than
// maxRecordBytes (the scanner stops buffering the row and skips to its end, so memory stays
// bounded); invalid UTF-8 anywhere in the row; a field count unlike the header's.
//
// The scanner is a resumable state machine: at a chunk's end it keeps the bytes of the record in
// progress and its state, and goes on with the next chunk's first byte, so no byte is scanned
// twice. Records point into the chunks they were read from; only a record cut by a chunk boundary
// is copied, into a buffer of its own.

import { isUtf8 } from "node:buffer";
import { type Reason, renderReason } from "../../i18n/reasons.ts";
import { CsvRecord } from "./record.ts";
import { DELIMITERS, type Delimiter, sniffDelimiter } from "./sniff.ts";

export { CsvRecord } from "./record.ts";
export type { Delimiter } from "./sniff.ts";

export interface CsvOptions {
  /** Field separator; sniffed from the first records when absent (rule in sniff.ts). */
  readonly delimiter?: Delimiter;
  /** Whether the first non-empty record names the columns (default true). */
  readonly header?: boolean;
  /** Longest field content, in bytes as written (a `""` escape counts 2; default 1 MiB). */
  readonly maxFieldBytes?: number;
  /** Longest record, in bytes, line end excluded (default 16 MiB). */
  readonly maxRecordBytes?: number;
  /** Longest header record, in bytes (default MAX_HEADER_BYTES); with `header` only. */
  readonly maxHeaderBytes?: number;
  /** Most columns a header may name (default MAX_COLUMNS); with `header` only. */
  readonly maxColumns?: number;
}

// A header is read whole and its names shown and compared: past these an upload is refused, so
// that one hostile line cannot make every page and lookup built from the columns huge.
export const MAX_HEADER_BYTES = 64 * 1024;
export const MAX_COLUMNS = 1000;

/** 100000 → "100 000", as the limits are written in messages. */
export const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " ");

/** The header row: its record, and its fields decoded and trimmed. */
export interface CsvHeader {
  readonly kind: "header";
  readonly line: number;
  readonly names: readonly string[];
  readonly delimiter: Delimiter;
  readonly record: CsvRecord;
}

/** A rejected row. */
export interface CsvRowError {
  readonly kind: "error";
  /** 1-based line on which the row starts. */
  readonly line: number;
  /** 1-based field the error is in, when it is in one. */
  readonly column?: number;
  readonly message: string;
  /** The same as a code, for a report in another language (src/i18n/reasons.ts). */
  readonly reason: Reason;
  /** The row's bytes, when it was not too long to keep. */
  readonly raw?: Buffer;
  /** True when nothing after this error is read (an unreadable header, a quote left open at the input's end). */
  readonly fatal: boolean;
}

export type CsvEvent = CsvRecord | CsvHeader | CsvRowError;

export interface CsvSummary {
  readonly delimiter: Delimiter;
  readonly header: readonly string[] | undefined;
  /** Records delivered, header excluded. */
  readonly records: number;
  readonly errors: number;
  readonly bytes: number;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const MIB = 1024 * 1024;
const EMPTY = Buffer.alloc(0);

// Where the scan stands; kept across chunks.
const FIELD = 0; // at the first byte of a field (or of a record, when no field is open)
const UNQUOTED = 1; // inside an unquoted field
const QUOTED = 2; // inside a quoted field
const AFTER_QUOTE = 3; // just after a quote inside a quoted field: an escape, or the field's end
const FIELD_END = 4; // a field's content is known; `p` is at its terminator (or at the input's end)
const AFTER_CR = 5; // just after a CR that ended a field: only LF may follow
type Mode = 0 | 1 | 2 | 3 | 4 | 5;

export class CsvScanner {
  readonly #header: boolean;
  readonly #maxField: number;
  readonly #maxRecord: number;
  readonly #maxHeader: number;
  readonly #maxColumns: number;
  /** The longest record for now: the header's limit until the header is read. */
  #recordLimit: number;
  #delimiter: Delimiter | undefined;
  #d = 0;

  #bytes = 0; // pushed so far
  #started = false; // BOM and delimiter settled
  #ended = false;
  #stopped = false; // after a fatal error
  #tail: Buffer = EMPTY; // the bytes of the record in progress, or the sample read before starting
  #origin = 0; // input offset of the next chunk (of the sample, before starting)
  #store: Buffer = EMPTY; // owned buffer a tail longer than one chunk grows in
  #storeUsed = 0;

  // The record in progress at the end of the last chunk.
  #mode: Mode = FIELD;
  #fieldStart = 0; // relative to the record's start
  #escaped = false;
  #fields = 0;
  #partial = new Int32Array(32);
  #rowLines = 0; // line breaks inside quoted fields so far
  #quoteLine = 0; // #rowLines when the open quote was opened
  #firstBreak = -1; // where the record's first quoted line break is, from its start (-1: none)
  #firstBreakField = 0; // the 1-based field it is in
  #openBreak = -1; // where the first line break of the current field is, from the record's start
  #keep = true; // false once the record is too long: its bytes are dropped, its end looked for
  #error: Reason | undefined;
  #errorColumn = 0;
  #errorAcross = false; // the error was found past a quoted line break of its row

  #line = 1;
  #expected = -1; // fields per record, from the header (or the first record)
  #names: readonly string[] | undefined;
  #records = 0;
  #errors = 0;
  #offsetsPerByte = 0.25; // field offsets per input byte, as last seen: sizes the next chunk's array

  constructor(options: CsvOptions = {}) {
    this.#header = options.header ?? true;
    this.#maxField = options.maxFieldBytes ?? MIB;
    this.#maxRecord = options.maxRecordBytes ?? 16 * MIB;
    this.#maxHeader = options.maxHeaderBytes ?? MAX_HEADER_BYTES;
    this.#maxColumns = options.maxColumns ?? MAX_COLUMNS;
    this.#recordLimit = this.#header ? Math.min(this.#maxHeader, this.#maxRecord) : this.#maxRecord;
    if (options.delimiter !== undefined) this.#setDelimiter(options.delimiter);
  }

  /** The delimiter, once given or sniffed. */
  get delimiter(): Delimiter | undefined {
    return this.#delimiter;
  }

  /** The header's names, trimmed, once read. */
  get header(): readonly string[] | undefined {
    return this.#names;
  }

  /**
   * Scans a chunk and returns the events of the records it completes. Records are views over the
   * input (`raw()` and `buffer` share its memory); the scanner never writes to a chunk it was given.
   */
  push(chunk: Uint8Array): CsvEvent[] {
    if (this.#ended) throw new Error("CsvScanner.push after end()");
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError("CsvScanner.push takes bytes: read the input without setEncoding()");
    }
    this.#bytes += chunk.length;
    const out: CsvEvent[] = [];
    if (this.#stopped) return out;
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.#started) {
      this.#scan(b, false, out);
    } else {
      const sample = this.#append(this.#tail, b);
      const body = this.#start(sample, false);
      if (body === undefined) this.#tail = sample;
      else this.#scan(body, false, out);
    }
    return out;
  }

  /** Ends the input: returns the events of the last record, or the error of one left open. */
  end(): CsvEvent[] {
    if (this.#ended) throw new Error("CsvScanner.end called twice");
    this.#ended = true;
    const out: CsvEvent[] = [];
    if (this.#stopped) return out;
    this.#scan((this.#started ? EMPTY : this.#start(this.#tail, true)) ?? EMPTY, true, out);
    return out;
  }

  summary(): CsvSummary {
    return {
      delimiter: this.#delimiter ?? ",",
      header: this.#names,
      records: this.#records,
      errors: this.#errors,
      bytes: this.#bytes,
    };
  }

  #setDelimiter(delimiter: Delimiter): void {
    this.#delimiter = delimiter;
    this.#d = delimiter.charCodeAt(0);
  }

  /**
   * Skips the BOM and settles the delimiter; returns the sample without its BOM, to be scanned as
   * a chunk, or undefined while more input is needed to do that.
   */
  #start(sample: Buffer, final: boolean): Buffer | undefined {
    if (sample.length < SEP_LINE_MAX && !final) return undefined; // a BOM or `sep=` line may still be coming
    const bom = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
    let body = bom ? sample.subarray(3) : sample;
    const sep = sepLine(body);
    if (sep !== null) {
      // The line names the delimiter (unless the caller did) and is not part of the table.
      if (this.#delimiter === undefined) this.#setDelimiter(sep.delimiter);
      body = body.subarray(sep.length);
      this.#line = 2;
    }
    if (this.#delimiter === undefined) {
      const sniffed = sniffDelimiter(body, final);
      if (sniffed === undefined) return undefined;
      this.#setDelimiter(sniffed);
    }
    this.#started = true;
    this.#tail = EMPTY;
    this.#origin = sample.length - body.length;
    return body;
  }

  /** `tail` followed by `chunk`, in a store that doubles, so a long record is copied O(1) times per byte. */
  #append(tail: Buffer, chunk: Buffer): Buffer {
    if (tail.length === 0) return chunk;
    const need = tail.length + chunk.length;
    const store = this.#store;
    const tailEndsStore =
      tail.buffer === store.buffer && tail.byteOffset + tail.length === store.byteOffset + this.#storeUsed;
    if (tailEndsStore && this.#storeUsed + chunk.length <= store.length) {
      chunk.copy(store, this.#storeUsed);
      this.#storeUsed += chunk.length;
      return store.subarray(this.#storeUsed - need, this.#storeUsed);
    }
    // Bytes records may point to are never overwritten: a new store, sized to absorb growth.
    const next = Buffer.allocUnsafeSlow(Math.max(2 * need, 64 * 1024));
    tail.copy(next, 0);
    chunk.copy(next, tail.length);
    this.#store = next;
    this.#storeUsed = need;
    return next.subarray(0, need);
  }

  /** Scans chunk `b`, continuing the record in progress. */
  #scan(b: Buffer, final: boolean, out: CsvEvent[]): void {
    let rest: Buffer | undefined = b;
    while (rest !== undefined) rest = this.#scanFrom(rest, final, out);
  }

  /**
   * Scans `b`; positions are indices in `b`. Returns the bytes to scan next when a row was cut at
   * the end of a line (`#cutAtLine`), else undefined.
   */
  #scanFrom(b: Buffer, final: boolean, out: CsvEvent[]): Buffer | undefined {
    const n = b.length;
    if (n > 0x7fffffff) throw new RangeError("CsvScanner: chunks must be under 2 GiB");
    const firstEvent = out.length;
    const d = this.#d;
    const maxField = this.#maxField;
    let mode = this.#mode;
    let p = 0;
    let k = this.#fields;
    // A record carried over starts before `b`, in #tail: its start is negative. (0 - length, not
    // -length: -0 is a double, and would turn every position into one.)
    let rowStart = 0 - this.#tail.length;
    let fs = this.#fieldStart + rowStart; // content start of the open field
    let fe = 0; // content end of the field being closed
    let esc = this.#escaped;
    let rowLines = this.#rowLines;
    let keep = this.#keep;
    let firstBreak = this.#firstBreak;
    let openBreak = this.#openBreak;
    /** Where to cut the record when it must be (`#cutAtLine`): its line end, the lines before it. */
    let cut = -1;
    let cutLines = 0;
    let cutField = 0;
    // Field offsets of this chunk's records, relative to each record's start; records share it.
    let offsets: Int32Array = new Int32Array(Math.ceil(this.#offsetsPerByte * n * 1.1) + 2 * k + 64);
    let top = 0; // where the open record's offsets begin in `offsets`
    let spent = 0; // offsets left behind in arrays outgrown during this chunk
    if (k > 0) offsets.set(this.#partial.subarray(0, 2 * k));
    let c = 0;

    scan: for (;;) {
      switch (mode) {
        case FIELD:
          if (p >= n) {
            if (k === 0 || !final) break scan; // between records, or waiting for more bytes
            fs = fe = p; // a delimiter ended the input: one more, empty, field
            esc = false;
            mode = FIELD_END;
            continue;
          }
          openBreak = -1;
          if (b[p] === QUOTE) {
            fs = ++p;
            esc = false;
            this.#quoteLine = rowLines;
            mode = QUOTED;
          } else {
            fs = p;
            mode = UNQUOTED;
          }
          continue;

        case UNQUOTED:
          for (; p < n; p++) {
            c = b[p] as number;
            if (c === d || c === LF || c === CR) break;
          }
          if (p >= n && !final) break scan;
          fe = p;
          esc = false;
          mode = FIELD_END;
          continue;

        case QUOTED:
          for (; p < n; p++) {
            c = b[p] as number;
            if (c === QUOTE) break;
            if (c === LF) {
              if (openBreak < 0) {
                openBreak = p - rowStart;
                if (firstBreak < 0) {
                  firstBreak = openBreak;
                  this.#firstBreakField = k + 1;
                }
              }
              rowLines++;
            }
          }
          if (p < n) {
            p++;
            mode = AFTER_QUOTE;
            continue;
          }
          if (!final) break scan;
          if (openBreak >= 0 && keep && this.#strayQuote(b, rowStart, openBreak)) {
            [cut, cutLines, cutField] = [openBreak, this.#quoteLine, k + 1];
            break scan;
          }
          this.#unterminated(k, out);
          break scan;

        case AFTER_QUOTE:
          if (p >= n) {
            if (!final) break scan;
          } else {
            c = b[p] as number;
            if (c === QUOTE) {
              esc = true;
              p++;
              mode = QUOTED;
              continue;
            }
            if (c !== d && c !== LF && c !== CR) {
              this.#fail({ code: "csv.after_quote", args: { field: k + 1 } }, k + 1, rowLines > 0);
              mode = UNQUOTED; // read on to the delimiter, as data, to find where the row ends
              continue;
            }
          }
          fe = p - 1;
          mode = FIELD_END;
          continue;

        case FIELD_END:
          if (keep) {
            if (top + 2 * k + 2 > offsets.length) {
              offsets = grow(offsets, top, 2 * k);
              spent += top;
              top = 0;
            }
            offsets[top + 2 * k] = esc ? ~(fs - rowStart) : fs - rowStart;
            offsets[top + 2 * k + 1] = fe - rowStart;
            // Too long after a quoted line break: cut while its bytes are still held.
            const over = fe - fs > maxField || fe - rowStart > this.#recordLimit;
            if (over && rowLines > 0) {
              const at = openBreak >= 0 ? openBreak : firstBreak;
              if (this.#strayQuote(b, rowStart, at)) {
                if (openBreak >= 0) [cut, cutLines, cutField] = [openBreak, this.#quoteLine, k + 1];
                else cut = firstBreak;
                break scan;
              }
            }
            if (fe - fs > maxField) {
              keep = this.#oversize(
                { code: "csv.field_too_long", args: { field: k + 1, bytes: maxField } },
                k + 1,
              );
            } else if (fe - rowStart > this.#recordLimit) {
              keep = this.#oversize(this.#tooLong(), 0);
            }
          }
          k++;
          mode = FIELD;
          if (p >= n) {
            if (rowLines > 0 && keep && this.#cutsAcross(k) && this.#strayQuote(b, rowStart, firstBreak)) {
              cut = firstBreak;
              break scan;
            }
            if (this.#endRecord(b, offsets, top, k, rowStart, p, rowLines, keep, out)) top += 2 * k;
            break scan;
          }
          c = b[p] as number;
          p++;
          if (c === CR) mode = AFTER_CR;
          else if (c === LF) {
            if (rowLines > 0 && keep && this.#cutsAcross(k) && this.#strayQuote(b, rowStart, firstBreak)) {
              cut = firstBreak;
              break scan;
            }
            if (this.#endRecord(b, offsets, top, k, rowStart, p - 1, rowLines, keep, out)) top += 2 * k;
            if (this.#stopped) break scan;
            rowStart = p;
            k = rowLines = 0;
            firstBreak = -1;
            keep = true;
          }
          continue;

        case AFTER_CR:
          if (p < n && b[p] === LF) {
            if (rowLines > 0 && keep && this.#cutsAcross(k) && this.#strayQuote(b, rowStart, firstBreak)) {
              cut = firstBreak;
              break scan;
            }
            if (this.#endRecord(b, offsets, top, k, rowStart, p - 1, rowLines, keep, out)) top += 2 * k;
            if (this.#stopped) break scan;
            rowStart = ++p;
            k = rowLines = 0;
            firstBreak = -1;
            keep = true;
            mode = FIELD;
            continue;
          }
          if (p >= n && !final) break scan;
          if (rowLines > 0 && keep && this.#cutsAcross(k) && this.#strayQuote(b, rowStart, firstBreak)) {
            cut = firstBreak;
            break scan;
          }
          // The row is rejected, and ends at the CR: read on to the next LF, a file whose rows end
          // with a CR alone after a CRLF header (two tools' output joined) was one rejected row, the
          // rows after the first merged into it, uncounted. Each is now a row of its own, rejected
          // for its CR; what follows a CR typed inside a cell is a row too, short of fields.
          this.#fail({ code: "csv.bare_cr" }, k, rowLines > 0);
          if (this.#endRecord(b, offsets, top, k, rowStart, p - 1, rowLines, keep, out)) top += 2 * k;
          if (this.#stopped || p >= n) break scan;
          rowStart = p;
          k = rowLines = 0;
          firstBreak = -1;
          keep = true;
          mode = FIELD;
          continue;
      }
    }

    if (n > 0) this.#offsetsPerByte = (spent + top) / n;
    this.#checkUtf8(b, out, firstEvent);
    // A record about to be dropped as too long while its bytes are still held is cut instead.
    if (cut < 0 && !final && !this.#stopped && rowLines > 0 && keep) {
      const over = overLimit(mode, p, fs, rowStart, this.#maxField, this.#recordLimit);
      const open = over === "field" && openBreak >= 0;
      if (over !== null && this.#strayQuote(b, rowStart, open ? openBreak : firstBreak)) {
        if (open) [cut, cutLines, cutField] = [openBreak, this.#quoteLine, k + 1];
        else cut = firstBreak;
      }
    }
    if (cut >= 0) return this.#cutAtLine(b, rowStart, cut, cutLines, cutField || this.#firstBreakField, out);
    if (final || this.#stopped) this.#tail = EMPTY;
    else this.#carry(b, mode, p, fs, esc, k, rowLines, keep, rowStart, offsets, top, firstBreak, openBreak);
    this.#origin += n;
    return undefined;
  }

  /**
   * Whether a record whose quoted field ran across a line end is cut at that line end rather than
   * rejected whole: it is invalid, and not for a reason seen on its first line alone.
   */
  #cutsAcross(fields: number): boolean {
    if (this.#expected < 0) return false; // the header, or the first record without one
    return this.#error === undefined ? fields !== this.#expected : this.#errorAcross;
  }

  /**
   * Whether the record in progress, up to the line end `at` bytes from its start, is a whole row
   * once its quote left open is read as data: the header's number of fields. That is what a stray
   * quote in a complete line looks like; a quoted field that really goes on to the next lines
   * leaves its first line short, and such a record is rejected whole, its lines never read as rows.
   */
  #strayQuote(b: Buffer, rowStart: number, at: number): boolean {
    if (this.#expected < 0) return false; // the header, or the first record without one
    const start = this.#tail.length + rowStart;
    const line = this.#recordBytes(b, start, start + at);
    const end = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    return fieldsWithStrayQuote(line.subarray(0, end), this.#d) === this.#expected;
  }

  /** Bytes `from` to `to` of the tail (the record in progress begun in an earlier chunk) then `b`. */
  #recordBytes(b: Buffer, from: number, to: number): Buffer {
    const tail = this.#tail;
    const t = tail.length;
    if (from >= t) return b.subarray(from - t, to - t);
    if (to <= t) return tail.subarray(from, to);
    return Buffer.concat([tail.subarray(from), b.subarray(0, to - t)]);
  }

  /**
   * Rejects the record in progress up to the line end `cut` bytes from its start (after `lines`
   * quoted line breaks), and returns the bytes after that line end — the rest of the record and of
   * `b` — to be scanned afresh from the next line.
   */
  #cutAtLine(
    b: Buffer,
    rowStart: number,
    cut: number,
    lines: number,
    field: number,
    out: CsvEvent[],
  ): Buffer {
    // The record in progress starts in the tail when it began in an earlier chunk.
    const t = this.#tail.length;
    const bytes = (from: number, to: number): Buffer => this.#recordBytes(b, from, to);
    const start = t + rowStart;
    const restart = start + cut + 1;
    const end = restart - 1 > start && bytes(restart - 2, restart - 1)[0] === CR ? restart - 2 : restart - 1;
    const line = this.#line;
    this.#error = undefined;
    this.#errorAcross = false;
    const reason: Reason = { code: "csv.quote_across_lines", args: { field, opened: line + lines } };
    this.#reject(out, line, reason, field, bytes(start, end));
    this.#line = line + lines + 1;
    this.#mode = FIELD;
    this.#fields = 0;
    this.#rowLines = 0;
    this.#keep = true;
    this.#escaped = false;
    this.#firstBreak = -1;
    this.#openBreak = -1;
    this.#fieldStart = 0;
    // Read before the tail is dropped: the offsets count from the tail's start.
    const rest = bytes(restart, t + b.length);
    this.#tail = EMPTY;
    this.#origin += restart - t;
    return rest;
  }

  /** Saves the record in progress at the end of a chunk, or drops it if it has grown too long. */
  #carry(
    b: Buffer,
    mode: Mode,
    p: number,
    fs: number,
    esc: boolean,
    k: number,
    rowLines: number,
    keep: boolean,
    rowStart: number,
    offsets: Int32Array,
    top: number,
    firstBreak: number,
    openBreak: number,
  ): void {
    const open = !(mode === FIELD && k === 0);
    let kept = keep && open;
    const over = kept ? overLimit(mode, p, fs, rowStart, this.#maxField, this.#recordLimit) : null;
    if (over === "field") {
      kept = this.#oversize(
        { code: "csv.field_too_long", args: { field: k + 1, bytes: this.#maxField } },
        k + 1,
      );
    } else if (over === "record") {
      kept = this.#oversize(this.#tooLong(), 0);
    }
    this.#mode = mode;
    this.#escaped = esc;
    this.#fields = k;
    this.#rowLines = rowLines;
    this.#firstBreak = firstBreak;
    this.#openBreak = openBreak;
    this.#keep = !open || kept;
    if (kept) {
      this.#tail = rowStart >= 0 ? b.subarray(rowStart) : this.#append(this.#tail, b);
      this.#fieldStart = fs - rowStart;
      if (this.#partial.length < 2 * k) this.#partial = new Int32Array(4 * k);
      this.#partial.set(offsets.subarray(top, top + 2 * k));
    } else {
      // Nothing to carry: between records, or skipping to the end of an oversize one.
      this.#tail = EMPTY;
      this.#fieldStart = 0;
    }
  }

  /**
   * First error of the row wins: later ones are usually consequences of it. `across`: it was found
   * past a quoted line break of the row.
   */
  #fail(reason: Reason, column: number, across = false): void {
    if (this.#error !== undefined) return;
    this.#error = reason;
    this.#errorColumn = column;
    this.#errorAcross = across;
  }

  #tooLong(): Reason {
    return this.#header && this.#expected < 0
      ? { code: "csv.header_too_long", args: { bytes: grouped(this.#recordLimit) } }
      : { code: "csv.record_too_long", args: { bytes: this.#maxRecord } };
  }

  #oversize(reason: Reason, column: number): false {
    this.#fail(reason, column);
    return false;
  }

  /** Turns a finished row into an event; true when its offsets are kept by a record. */
  #endRecord(
    b: Buffer,
    offsets: Int32Array,
    top: number,
    k: number,
    rowStart: number,
    end: number,
    rowLines: number,
    keep: boolean,
    out: CsvEvent[],
  ): boolean {
    const line = this.#line;
    this.#line = line + 1 + rowLines;
    const error = this.#error;
    if (error === undefined && end === rowStart) return false; // an empty line
    // A row begun in an earlier chunk gets a buffer of its own: the tail, then its end in `b`.
    let buffer = b;
    let origin = this.#origin;
    let from = rowStart;
    if (rowStart < 0) {
      const tail = this.#tail;
      buffer = end <= 0 ? tail : Buffer.concat([tail, b.subarray(0, end)]);
      origin -= tail.length;
      from = 0;
    }
    const to = from + end - rowStart;
    if (error !== undefined) {
      const column = this.#errorColumn;
      this.#error = undefined;
      this.#reject(out, line, error, column, keep ? buffer.subarray(from, to) : undefined);
      return false;
    }
    const record = new CsvRecord(buffer, origin, from, to, offsets, top, k, line, this.#d);
    if (this.#expected < 0) return this.#first(record, out);
    if (k !== this.#expected) {
      const code = this.#names === undefined ? "csv.field_count_first" : "csv.field_count";
      this.#reject(out, line, { code, args: { expected: this.#expected, found: k } }, 0, record.raw());
      return false;
    }
    this.#records++;
    out.push(record);
    return true;
  }

  /** The first record sets the field count, and is the header when there is one. */
  #first(record: CsvRecord, out: CsvEvent[]): boolean {
    this.#expected = record.fieldCount;
    if (!this.#header) {
      this.#records++;
      out.push(record);
      return true;
    }
    if (!isUtf8(record.raw())) {
      this.#reject(out, record.line, { code: "csv.invalid_utf8" }, 0, record.raw());
      return false;
    }
    if (record.fieldCount > this.#maxColumns) {
      const args = { columns: grouped(record.fieldCount), most: grouped(this.#maxColumns) };
      this.#reject(out, record.line, { code: "csv.too_many_columns", args }, 0, undefined);
      return false;
    }
    this.#recordLimit = this.#maxRecord;
    const names = record.fields().map((name) => name.trim());
    this.#names = names;
    const delimiter = this.#delimiter as Delimiter;
    out.push({ kind: "header", line: record.line, names, delimiter, record });
    return true;
  }

  #reject(
    out: CsvEvent[],
    line: number,
    reason: Reason,
    column: number,
    raw: Buffer | undefined,
    endsInput = false,
  ): void {
    // Without its header no row can be read right, so a bad header ends the scan.
    const inHeader = this.#header && this.#names === undefined;
    const fatal = endsInput || inHeader;
    const message = renderReason(reason, "en");
    const text = inHeader ? `header: ${message}` : message;
    const error: CsvRowError =
      raw === undefined
        ? { kind: "error", line, message: text, reason, fatal }
        : { kind: "error", line, message: text, reason, raw, fatal };
    out.push(column > 0 ? { ...error, column } : error);
    this.#errors++;
    if (fatal) this.#stopped = true;
  }

  /**
   * A quote still open at the end of the input that no line end can be cut at (opened on the last
   * line, in the header, or in a row already too long to hold): everything after it is in it.
   */
  #unterminated(k: number, out: CsvEvent[]): void {
    this.#error = undefined;
    const opened = this.#line + this.#quoteLine;
    this.#reject(
      out,
      this.#line,
      { code: "csv.unclosed_quote", args: { field: k + 1, opened } },
      k + 1,
      undefined,
      true,
    );
  }

  /**
   * One validity check over all the records of the chunk; only if it fails are the records
   * checked one by one and the bad ones turned into errors naming their field.
   */
  #checkUtf8(b: Buffer, out: CsvEvent[], from: number): void {
    let first: CsvRecord | undefined;
    let last: CsvRecord | undefined;
    let valid = true;
    for (let i = from; i < out.length; i++) {
      const event = out[i];
      if (!(event instanceof CsvRecord)) continue;
      if (event.buffer === b) {
        first ??= event;
        last = event;
      } else {
        valid &&= isUtf8(event.raw()); // a row carried over from the previous chunk
      }
    }
    if (first !== undefined && last !== undefined) {
      valid &&= isUtf8(b.subarray(first.start - this.#origin, last.end - this.#origin));
    }
    if (valid) return;
    for (let i = from; i < out.length; i++) {
      const record = out[i];
      if (!(record instanceof CsvRecord) || isUtf8(record.raw())) continue;
      let column = 0;
      while (column < record.fieldCount) {
        if (!isUtf8(record.buffer.subarray(record.fieldStart(column), record.fieldEnd(column)))) break;
        column++;
      }
      const name = this.#names?.[column];
      const reason: Reason = {
        code: "csv.invalid_utf8_field",
        args: { field: column + 1, named: name ? ` (${name})` : "" },
      };
      const error: CsvRowError = {
        kind: "error",
        line: record.line,
        column: column + 1,
        message: renderReason(reason, "en"),
        reason,
        raw: record.raw(),
        fatal: false,
      };
      out[i] = error;
      this.#records--;
      this.#errors++;
    }
  }
}

/** The longest first line `sepLine` reads: `sep=;` with CR LF, after a BOM. */
const SEP_LINE_MAX = 3 + 7;

/**
 * Excel's line naming the delimiter, `sep=;` (or `,`, tab, `|`) alone on the first line, as some
 * tools write it for Excel to open the file right: its delimiter, and its length with its line
 * end; null when the input does not start with one.
 */
function sepLine(body: Buffer): { readonly delimiter: Delimiter; readonly length: number } | null {
  if (body.length < 5 || body.toString("latin1", 0, 4).toLowerCase() !== "sep=") return null;
  const delimiter = DELIMITERS.find((d) => d.charCodeAt(0) === body[4]);
  if (delimiter === undefined) return null;
  if (body.length === 5) return { delimiter, length: 5 };
  if (body[5] === 0x0a) return { delimiter, length: 6 };
  if (body[5] === 0x0d && body[6] === 0x0a) return { delimiter, length: 7 };
  return null;
}

/**
 * The fields of a line whose last quote opening a field is never closed, that quote and what
 * follows it read as data (`"` inside a field is data anyway). `""` escapes are skipped.
 */
function fieldsWithStrayQuote(line: Buffer, d: number): number {
  let fields = 1;
  let quoted = false;
  let openedAt = -1;
  let fieldsAtOpen = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as number;
    if (quoted) {
      if (c !== QUOTE) continue;
      if (line[i + 1] === QUOTE) i++;
      else quoted = false;
    } else if (c === d) fields++;
    else if (c === QUOTE && (i === 0 || line[i - 1] === d)) {
      quoted = true;
      openedAt = i;
      fieldsAtOpen = fields;
    }
  }
  if (!quoted) return fields;
  let after = fieldsAtOpen;
  for (let i = openedAt + 1; i < line.length; i++) if (line[i] === d) after++;
  return after;
}

/**
 * Whether the record in progress at a chunk's end is already too long, its sizes counted as at a
 * field's end (a trailing quote or CR may not be content): its open field, or the whole record.
 */
function overLimit(
  mode: Mode,
  p: number,
  fs: number,
  rowStart: number,
  maxField: number,
  maxRecord: number,
): "field" | "record" | null {
  const inField = mode === UNQUOTED || mode === QUOTED || mode === AFTER_QUOTE;
  const seen = p - (mode === AFTER_QUOTE || mode === AFTER_CR ? 1 : 0);
  if (inField && seen - fs > maxField) return "field";
  return seen - rowStart > maxRecord ? "record" : null;
}

function grow(offsets: Int32Array, top: number, used: number): Int32Array {
  const next = new Int32Array(Math.max(2 * offsets.length, 2 * used + 64));
  next.set(offsets.subarray(top, top + used));
  return next;
}

/**
 * Scans a byte stream, yielding the events of each chunk as one array: a yield per record costs
 * more than the scan itself (measured in bench/csv.ts). Returns the summary.
 */
export async function* scanCsv(
  source: AsyncIterable<Uint8Array>,
  options: CsvOptions = {},
): AsyncGenerator<CsvEvent[], CsvSummary, undefined> {
  const scanner = new CsvScanner(options);
  for await (const chunk of source) {
    const events = scanner.push(chunk);
    if (events.length > 0) yield events;
  }
  const events = scanner.end();
  if (events.length > 0) yield events;
  return scanner.summary();
}

/**
 * Reads no further than the header row of a stream (breaking off iteration closes it). Throws,
 * naming the line, when the input is empty or its header cannot be read.
 */
export async function readCsvHeader(
  source: AsyncIterable<Uint8Array>,
  options: Omit<CsvOptions, "header"> = {},
): Promise<CsvHeader> {
  for await (const events of scanCsv(source, { ...options, header: true })) {
    const event = events[0];
    if (event?.kind === "header") return event;
    if (event?.kind === "error") throw new Error(`line ${event.line}: ${event.message}`);
  }
  throw new Error("empty input: no header row");
}
