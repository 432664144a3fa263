// The text encodings a contact list arrives in, and their conversion to the UTF-8 the CSV scanner
// reads. Excel on Windows saves "CSV (séparateur : point-virgule)" in Windows-1252, and "Texte
// Unicode" in UTF-16 with a byte-order mark; everything else is UTF-8. The rule, in full:
// 1. A byte-order mark decides: EF BB BF UTF-8, FF FE UTF-16 LE, FE FF UTF-16 BE.
// 2. Otherwise the bytes up to and including the first chunk holding a byte above 0x7F are read
//    as UTF-8: valid, the file is UTF-8 (ASCII alone is both); invalid, it is Windows-1252.
// 3. A NUL among the first bytes without a BOM is refused: UTF-16 without its mark, which this
//    rule cannot tell from binary.
// Windows-1252 is decoded with its own table rather than TextDecoder, which Node builds without
// full ICU lack; its five unassigned bytes (81 8D 8F 90 9D) are errors, not characters.

import { isAscii, isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";

export const TEXT_ENCODINGS = ["utf8", "utf16le", "utf16be", "windows-1252"] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** How the encoding was settled: by a byte-order mark, by reading the bytes, or by `--encoding`. */
export type EncodingSource = "bom" | "content" | "forced";

export interface DetectedEncoding {
  readonly encoding: TextEncoding;
  readonly source: EncodingSource;
}

/** Bytes that cannot be text in the encoding: the file is refused, naming the line. */
export class EncodingError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

const LF = 0x0a;

const NO_MARK =
  "NUL bytes: the file looks like UTF-16 without its byte-order mark (say --encoding utf16le or utf16be)";

/**
 * The encoding of JSON text — a JSON Lines list, facts — from its first bytes. JSON is UTF-8 (RFC
 * 8259), but Windows tools save "Unicode" text as UTF-16 with a byte-order mark: the mark decides,
 * as for a CSV list, and the text is read. Without one it is UTF-8 (a line that is not is
 * rejected, naming it), unless NUL bytes say UTF-16 without its mark: refused, rather than every
 * line rejected in garbled words. `head`: at least the first 4 bytes, or the whole input.
 */
export function jsonEncoding(head: Uint8Array): DetectedEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf16le", source: "bom" };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf16be", source: "bom" };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf8", source: "bom" };
  if (head.subarray(0, 4).includes(0)) {
    throw new EncodingError(
      1,
      "NUL bytes: the file looks like UTF-16 without its byte-order mark: save it as UTF-8, or as UTF-16 with its mark",
    );
  }
  return { encoding: "utf8", source: "content" };
}

/** A JSON text file's encoding: the one given (`--encoding`), else by `jsonEncoding`. */
export async function jsonEncodingOfFile(
  file: string,
  given: TextEncoding | undefined,
): Promise<DetectedEncoding> {
  if (given !== undefined) return { encoding: given, source: "forced" };
  const handle = await open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return jsonEncoding(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * A JSON text stream as UTF-8 (standard input, where no file can be opened twice), its encoding
 * settled by `jsonEncoding` from its first bytes; a UTF-8 byte-order mark is left in.
 */
export async function* jsonAsUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  const it = chunks[Symbol.asyncIterator]();
  for (;;) {
    const next = await it.next();
    if (next.done === true) break;
    head = Buffer.concat([head, next.value]);
    if (head.length >= 4) break;
  }
  const { encoding } = jsonEncoding(head);
  async function* rest(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const next = await it.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  yield* toUtf8(rest(), encoding);
}

/** A whole JSON text (a facts file) as a string, by `jsonEncoding`; a line not UTF-8 is refused. */
export function jsonTextOf(bytes: Buffer): string {
  const { encoding } = jsonEncoding(bytes);
  if (encoding === "utf8") {
    for (let line = 1, start = 0; ; line++) {
      const lf = bytes.indexOf(LF, start);
      const end = lf < 0 ? bytes.length : lf;
      if (!isUtf8(bytes.subarray(start, end))) throw new EncodingError(line, "not valid UTF-8");
      if (lf < 0) break;
      start = lf + 1;
    }
    return bytes.toString("utf8").replace(/^\uFEFF/, "");
  }
  const units = Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)));
  if (encoding === "utf16be") units.swap16();
  return units.toString("utf16le");
}

/** The encoding of a byte stream, by the rule above; reads only as far as it needs. */
export async function detectEncoding(chunks: AsyncIterable<Buffer>): Promise<DetectedEncoding> {
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let first = true;
  // The chunk read last ended inside a character, valid so far: the next bytes decide.
  let pending = false;
  for await (const chunk of chunks) {
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf)
        return { encoding: "utf8", source: "bom" };
      if (chunk[0] === 0xff && chunk[1] === 0xfe) return { encoding: "utf16le", source: "bom" };
      if (chunk[0] === 0xfe && chunk[1] === 0xff) return { encoding: "utf16be", source: "bom" };
      if (chunk.subarray(0, 4).includes(0)) throw new EncodingError(1, NO_MARK);
    }
    // ASCII is UTF-8 and leaves the decoder where it was (every chunk before was ASCII too):
    // decoding it would only make strings to throw away — a twentieth of screening an ASCII list.
    if (!pending && isAscii(chunk)) continue;
    try {
      utf8.decode(chunk, { stream: true });
    } catch {
      return { encoding: "windows-1252", source: "content" };
    }
    // A Windows-1252 "é" (E9) as a chunk's last byte reads as the start of a UTF-8 character.
    pending = endsMidCharacter(chunk);
    if (!pending) return { encoding: "utf8", source: "content" };
  }
  try {
    utf8.decode();
  } catch {
    return { encoding: "windows-1252", source: "content" };
  }
  return { encoding: "utf8", source: "content" };
}

/** Whether bytes valid as UTF-8 so far end before their last character does. */
function endsMidCharacter(b: Uint8Array): boolean {
  for (let i = b.length - 1, back = 1; i >= 0 && back <= 4; i--, back++) {
    const c = b[i] as number;
    if (c < 0x80) return false;
    if (c >= 0xc0) return back < (c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2);
  }
  return false;
}

/** A file's encoding: the one given (`--encoding`), else by the rule above, from its bytes. */
export function encodingOfFile(file: string, given: TextEncoding | undefined): Promise<DetectedEncoding> {
  if (given !== undefined) return Promise.resolve({ encoding: given, source: "forced" });
  return detectEncoding(createReadStream(file, { highWaterMark: 1 << 20 }));
}

/** How a file's bytes were read, as an error refusing it says: `read as windows-1252 (--encoding)`. */
export function readAs(e: DetectedEncoding): string {
  return e.source === "forced" ? `read as ${e.encoding} (--encoding)` : `read as ${e.encoding}`;
}

function countLf(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (bytes[i] === LF) n++;
  return n;
}

/**
 * The stream as UTF-8, without its byte-order mark for UTF-16 (a UTF-8 one is left to the CSV
 * scanner). Throws EncodingError at the first byte that is not text in `encoding`.
 */
export function toUtf8(chunks: AsyncIterable<Buffer>, encoding: TextEncoding): AsyncIterable<Buffer> {
  switch (encoding) {
    case "utf8":
      return chunks;
    case "windows-1252":
      return fromWindows1252(chunks);
    default:
      return fromUtf16(chunks, encoding === "utf16be");
  }
}

/** Windows-1252's 0x80–0x9F; 0 marks the five bytes it leaves unassigned. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];

async function* fromWindows1252(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let line = 1;
  for await (const chunk of chunks) {
    if (isAscii(chunk)) {
      line += countLf(chunk, 0, chunk.length);
      yield chunk;
      continue;
    }
    let text = "";
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (b < 0x80 || b > 0x9f) continue;
      const c = CP1252_HIGH[b - 0x80] as number;
      if (c === 0) {
        const hex = b.toString(16).toUpperCase();
        throw new EncodingError(line + countLf(chunk, 0, i), `byte 0x${hex} is no character in Windows-1252`);
      }
      text += chunk.toString("latin1", from, i) + String.fromCharCode(c);
      from = i + 1;
    }
    line += countLf(chunk, 0, chunk.length);
    yield Buffer.from(text + chunk.toString("latin1", from), "utf8");
  }
}

async function* fromUtf16(chunks: AsyncIterable<Buffer>, bigEndian: boolean): AsyncGenerator<Buffer> {
  let line = 1;
  let carry = Buffer.alloc(0); // bytes of a character cut by the chunk's end, in the file's order
  let first = true;
  let pendingHigh = false;
  for await (const chunk of chunks) {
    const bytes = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    let end = bytes.length - (bytes.length % 2);
    const units = Buffer.from(bytes.subarray(0, end)); // a copy: swap16 must not touch the chunk
    if (bigEndian) units.swap16();
    // A high surrogate whose low half is in the next chunk waits for it.
    if (end >= 2 && isHigh(units.readUInt16LE(end - 2))) end -= 2;
    carry = Buffer.from(bytes.subarray(end));
    for (let i = 0; i < end; i += 2) {
      const unit = units.readUInt16LE(i);
      if (unit === LF) line++;
      if (pendingHigh !== isLow(unit)) {
        throw new EncodingError(line, "a lone UTF-16 surrogate: the file is not valid UTF-16");
      }
      pendingHigh = isHigh(unit);
    }
    if (end === 0) continue;
    const skip = first && units.readUInt16LE(0) === 0xfeff ? 2 : 0;
    first = false;
    yield Buffer.from(units.toString("utf16le", skip, end), "utf8");
  }
  if (carry.length > 0) throw new EncodingError(line, "the file ends inside a UTF-16 character");
}

const isHigh = (u: number): boolean => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;
