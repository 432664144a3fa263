// JSON Lines reader, fed chunk by chunk: one JSON value per line, LF or CRLF, 1-based line
// numbers. Strict, line by line: an empty (or blank) line, invalid UTF-8, a line that is not JSON
// or one longer than maxLineBytes is an error naming its line, and reading goes on with the next.
// A UTF-8 BOM before the first line is skipped. A line too long is not buffered past the limit:
// its bytes are dropped and its end looked for, so memory stays bounded.

import { isUtf8 } from "node:buffer";
import { type Reason, renderReason } from "../../i18n/reasons.ts";
import { duplicateName } from "../json-duplicates.ts";

export interface JsonlOptions {
  /** Longest line, in bytes, line end excluded (default 1 MiB). */
  readonly maxLineBytes?: number;
}

export interface JsonlValue {
  readonly kind: "value";
  readonly line: number;
  readonly value: unknown;
}

export interface JsonlError {
  readonly kind: "error";
  readonly line: number;
  readonly message: string;
  /** The same as a code, for a report in another language (src/i18n/reasons.ts). */
  readonly reason: Reason;
}

export type JsonlEvent = JsonlValue | JsonlError;

export interface JsonlSummary {
  readonly lines: number;
  readonly values: number;
  readonly errors: number;
  readonly bytes: number;
}

const LF = 0x0a;
const CR = 0x0d;

export class JsonlReader {
  readonly #maxLine: number;
  #pending: Buffer[] = []; // the start of the current line, from earlier chunks
  #pendingBytes = 0;
  #tooLong = false; // the current line passed the limit: its bytes are being skipped
  #line = 0; // lines finished
  #values = 0;
  #errors = 0;
  #bytes = 0;
  #ended = false;

  constructor(options: JsonlOptions = {}) {
    this.#maxLine = options.maxLineBytes ?? 1024 * 1024;
  }

  /** Reads a chunk; returns the events of the lines it completes. */
  push(chunk: Uint8Array): JsonlEvent[] {
    if (this.#ended) throw new Error("JsonlReader.push after end()");
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError("JsonlReader.push takes bytes: read the input without setEncoding()");
    }
    this.#bytes += chunk.length;
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const out: JsonlEvent[] = [];
    let start = 0;
    for (let lf = b.indexOf(LF); lf >= 0; lf = b.indexOf(LF, start)) {
      this.#finishLine(b.subarray(start, lf), out);
      start = lf + 1;
    }
    this.#hold(b.subarray(start));
    return out;
  }

  /** Ends the input: returns the event of a last line left without a line end. */
  end(): JsonlEvent[] {
    if (this.#ended) throw new Error("JsonlReader.end called twice");
    this.#ended = true;
    const out: JsonlEvent[] = [];
    if (this.#pendingBytes > 0 || this.#tooLong) this.#finishLine(Buffer.alloc(0), out);
    return out;
  }

  summary(): JsonlSummary {
    return { lines: this.#line, values: this.#values, errors: this.#errors, bytes: this.#bytes };
  }

  #hold(part: Buffer): void {
    if (this.#tooLong || part.length === 0) return;
    if (this.#pendingBytes + part.length > this.#maxLine + 1) {
      // +1: the line's CR, if it has one, may be all that passes the limit.
      this.#drop();
      return;
    }
    this.#pending.push(part);
    this.#pendingBytes += part.length;
  }

  #drop(): void {
    this.#tooLong = true;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  /** Ends the current line with `last`, its bytes in this chunk up to the LF. */
  #finishLine(last: Buffer, out: JsonlEvent[]): void {
    const line = ++this.#line;
    let bytes = last;
    if (this.#pendingBytes > 0) {
      this.#pending.push(last);
      bytes = Buffer.concat(this.#pending);
      this.#pending = [];
      this.#pendingBytes = 0;
    }
    if (bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, -1);
    const tooLong = this.#tooLong || bytes.length > this.#maxLine;
    this.#tooLong = false;
    if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    const reason: Reason | undefined = tooLong
      ? { code: "jsonl.line_too_long", args: { bytes: this.#maxLine } }
      : this.#parse(bytes, out, line);
    if (reason === undefined) return;
    out.push({ kind: "error", line, message: renderReason(reason, "en"), reason });
    this.#errors++;
  }

  /** Pushes the line's value; returns the error instead, if it has no value. */
  #parse(bytes: Buffer, out: JsonlEvent[], line: number): Reason | undefined {
    if (!isUtf8(bytes)) return { code: "csv.invalid_utf8" };
    const text = bytes.toString("utf8");
    if (text.trim() === "") return { code: "jsonl.empty_line" };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // The parser's own words: Node's, in English.
      return { code: "jsonl.invalid", args: { detail: (error as Error).message } };
    }
    const twice = duplicateName(text);
    if (twice !== null) return { code: "json.name_twice", args: { path: twice } };
    out.push({ kind: "value", line, value });
    this.#values++;
    return undefined;
  }
}

/** Reads a JSON Lines byte stream, yielding the events of each chunk as one array. */
export async function* readJsonl(
  source: AsyncIterable<Uint8Array>,
  options: JsonlOptions = {},
): AsyncGenerator<JsonlEvent[], JsonlSummary, undefined> {
  const reader = new JsonlReader(options);
  for await (const chunk of source) {
    const events = reader.push(chunk);
    if (events.length > 0) yield events;
  }
  const events = reader.end();
  if (events.length > 0) yield events;
  return reader.summary();
}
