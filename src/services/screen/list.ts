// Reading a contact list as one stream of rows, whatever its format: CSV in any common dialect
// (delimiter sniffed, BOM, quotes, CRLF, line breaks inside quotes; src/io/csv) or JSON Lines.
// Rows keep their own bytes so the outputs can pass them through untouched; the input is hashed
// as it is read, so the summary names exactly the bytes that were decided.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { extname } from "node:path";
import { type Reason, renderReason } from "../../i18n/reasons.ts";
import { cellsOfLine, type LineCells, LOOK_BELOW } from "../../io/csv/line-cells.ts";
import { repeatsHeader } from "../../io/csv/record.ts";
import { CsvRecord, grouped, MAX_COLUMNS, scanCsv } from "../../io/csv/scanner.ts";
import type { Delimiter } from "../../io/csv/sniff.ts";
import type { CsvWriter } from "../../io/csv/writer.ts";
import { readJsonl } from "../../io/jsonl/reader.ts";
import {
  type DetectedEncoding,
  EncodingError,
  encodingOfFile,
  jsonEncodingOfFile,
  readAs,
  type TextEncoding,
  toUtf8,
} from "../../io/text/encoding.ts";
import { withLineFeeds } from "../../io/text/line-ends.ts";
import { openSheet, type Sheet, WorkbookError } from "../../io/xlsx/workbook.ts";
import {
  type ColumnNames,
  columnIndex,
  headerBelow,
  LIST_COLUMNS,
  type ListColumn,
  ListFileError,
  recognise,
} from "./columns.ts";
import type { Cells } from "./row-facts.ts";

export type ListFormat = "csv" | "jsonl" | "xlsx";

/** How the list was written; the outputs are written the same way, so they open as it did. */
export interface ListDialect {
  readonly delimiter: Delimiter;
  /**
   * A UTF-8 byte-order mark: spreadsheets need it to read accents right. Outputs are UTF-8 whatever
   * the list's encoding, so a list in another encoding gets one.
   */
  readonly bom: boolean;
  readonly newline: "\n" | "\r\n";
}

export interface ListHeader {
  readonly kind: "header";
  readonly names: readonly string[];
  /** Writes the list's column names, then `extra`. */
  write(out: CsvWriter, extra: readonly string[]): void;
}

export interface ListRow extends Cells {
  readonly kind: "row";
  readonly line: number;
  /** The row as read, for rejected.csv. */
  raw(): string;
  /** Writes the row's own cells (its bytes, where it can), then `extra`. */
  write(out: CsvWriter, extra: readonly string[]): void;
}

export interface ListError {
  readonly kind: "error";
  readonly line: number;
  /** Why the row could not be read, as a code, in English in `message` (src/i18n/reasons.ts). */
  readonly reason: Reason;
  readonly message: string;
  /** The row as read, or "" when it was too long to keep or unreadable. */
  readonly raw: string;
}

export type ListEvent = ListHeader | ListRow | ListError;

const CHUNK = 1024 * 1024;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * A zip (PK\x03\x04) is an Excel workbook whatever its name, and a 97–2003 .xls is refused; then
 * `.jsonl`/`.ndjson` are JSON Lines, `.csv`/`.tsv`/`.txt` CSV; otherwise a first `{` means JSON Lines.
 */
export async function listFormat(file: string): Promise<ListFormat> {
  const handle = await open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    if (buffer.readUInt32LE(0) === 0x04034b50) return "xlsx";
    if (buffer.readUInt32BE(0) === 0xd0cf11e0) {
      throw new ListFileError("an Excel 97–2003 workbook (.xls), which is not read: save it as .xlsx or CSV");
    }
    const ext = extname(file).toLowerCase();
    if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
    if (ext === ".csv" || ext === ".tsv" || ext === ".txt") return "csv";
    if (ext === ".xlsx") throw new ListFileError("not an Excel workbook: an .xlsx file is a zip archive");
    const head = buffer.subarray(0, bytesRead);
    // A UTF-16 file's first character is read as such (its mark says which order; without it, the
    // CSV reader refuses the file for its NUL bytes).
    const le = head[0] === 0xff && head[1] === 0xfe;
    const be = head[0] === 0xfe && head[1] === 0xff;
    const text = le
      ? head.toString("utf16le")
      : be
        ? Buffer.from(head.subarray(0, head.length & ~1))
            .swap16()
            .toString("utf16le")
        : head.toString("utf8");
    return text
      .replace(/^\uFEFF/, "")
      .trimStart()
      .startsWith("{")
      ? "jsonl"
      : "csv";
  } finally {
    await handle.close();
  }
}

/** How to read the list's bytes, when its own bytes cannot say. */
export interface ListInputOptions {
  /** `--encoding`: read the list in this encoding instead of detecting it. */
  readonly encoding?: TextEncoding | undefined;
  /** `--sheet`: a workbook's sheet, by name or number from 1 (default: the first). */
  readonly sheet?: string | undefined;
}

export class ListReader {
  readonly file: string;
  readonly format: ListFormat;
  #names: ColumnNames;
  readonly #point: "phone" | "email";
  readonly #onChunk: ((bytes: number) => void) | undefined;
  readonly #options: ListInputOptions;
  #encoding: DetectedEncoding = { encoding: "utf8", source: "content" };
  #sheet: string | null = null;
  readonly #hash = createHash("sha256");
  #bytes = 0;
  #sha256: string | undefined;
  #dialect: ListDialect = { delimiter: ",", bom: false, newline: "\n" };

  constructor(
    file: string,
    format: ListFormat,
    names: ColumnNames,
    point: "phone" | "email",
    onChunk?: (bytes: number) => void,
    options: ListInputOptions = {},
  ) {
    this.file = file;
    this.format = format;
    this.#names = names;
    this.#point = point;
    this.#onChunk = onChunk;
    this.#options = options;
  }

  /** The columns each recognised column is read from; settled by the time the header is yielded. */
  get names(): ColumnNames {
    return this.#names;
  }

  /** The workbook sheet read, for a workbook; settled by the time the header event is yielded. */
  get sheet(): string | null {
    return this.#sheet;
  }

  /** The list's text encoding; settled by the time the header event is yielded. */
  get encoding(): DetectedEncoding {
    return this.#encoding;
  }

  /** Settled by the time the header event is yielded. */
  get dialect(): ListDialect {
    return this.#dialect;
  }

  /** Bytes read; the whole file once `events()` is done. */
  get bytes(): number {
    return this.#bytes;
  }

  /** SHA-256 of the whole file, once `events()` is done. */
  get sha256(): string {
    this.#sha256 ??= this.#hash.digest("hex");
    return this.#sha256;
  }

  /** The list's events, a chunk's worth at a time; a header first, unless the file is empty. */
  events(): AsyncGenerator<ListEvent[]> {
    return this.format === "csv" ? this.#csv() : this.format === "xlsx" ? this.#xlsx() : this.#jsonl();
  }

  /** The file's bytes, hashed and counted as they go by. */
  async *#read(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(this.file, {
      highWaterMark: CHUNK,
    }) as AsyncIterable<Buffer>) {
      this.#hash.update(chunk);
      this.#bytes += chunk.length;
      this.#onChunk?.(this.#bytes);
      yield chunk;
    }
  }

  /** The file as UTF-8, its line ends and byte-order mark noted from the first chunk. */
  async *#text(encoding: TextEncoding): AsyncGenerator<Buffer> {
    let first = true;
    for await (const chunk of withLineFeeds(toUtf8(this.#read(), encoding))) {
      if (first && chunk.length > 0) {
        first = false;
        const bom = encoding !== "utf8" || BOM.every((b, i) => chunk[i] === b);
        const lf = chunk.indexOf(0x0a);
        this.#dialect = { ...this.#dialect, bom, newline: lf > 0 && chunk[lf - 1] === 0x0d ? "\r\n" : "\n" };
      }
      yield chunk;
    }
  }

  /**
   * The recognised columns of a header, or the list refused; when the header has no column for
   * the point, the error says which of the lines `below` looks like the header (columns.ts).
   */
  #header(names: readonly string[], below: () => LineCells[]): Readonly<Record<ListColumn, number>> {
    const given = this.#names;
    try {
      this.#names = recognise(names, given);
      return columnIndex(names, this.#names, this.#point);
    } catch (e) {
      const hint = e instanceof ListFileError ? headerBelow(below(), given, this.#point) : null;
      throw hint === null ? e : new ListFileError(`${(e as Error).message}; ${hint}`);
    }
  }

  #csv(): AsyncGenerator<ListEvent[]> {
    return this.#decoded(
      () => encodingOfFile(this.file, this.#options.encoding),
      (e) => this.#csvRows(e),
    );
  }

  /**
   * The rows `read` finds in the file, decoded as `detect` finds once they are asked for. A file
   * that cannot be read as text (UTF-16 without its mark, bytes of no encoding) is refused whole,
   * as a header that cannot be read is.
   */
  async *#decoded(
    detect: () => Promise<DetectedEncoding>,
    read: (encoding: TextEncoding) => AsyncGenerator<ListEvent[]>,
  ): AsyncGenerator<ListEvent[]> {
    try {
      this.#encoding = await detect();
      yield* read(this.#encoding.encoding);
    } catch (e) {
      if (e instanceof EncodingError) throw new ListFileError(`${e.message} (${readAs(this.#encoding)})`);
      throw e;
    }
  }

  async *#csvRows(encoding: TextEncoding): AsyncGenerator<ListEvent[]> {
    let index: Readonly<Record<ListColumn, number>> | undefined;
    let header: readonly string[] | undefined;
    for await (const events of scanCsv(this.#text(encoding), { header: true })) {
      const out: ListEvent[] = [];
      for (const [i, e] of events.entries()) {
        if (e.kind === "header") {
          index = this.#header(e.names, () =>
            events.slice(i + 1, i + 1 + LOOK_BELOW).map((next) => ({
              line: next.line,
              cells: cellsOfLine(
                next instanceof CsvRecord ? next.raw() : next.kind === "error" ? next.raw : undefined,
              ),
            })),
          );
          this.#dialect = { ...this.#dialect, delimiter: e.delimiter };
          header = e.names;
          const record = e.record;
          out.push({ kind: "header", names: e.names, write: (w, extra) => w.record(record, extra) });
        } else if (e.kind === "error") {
          // Without its header no row can be read: the file is refused, not its rows.
          if (index === undefined) throw new ListFileError(`line ${e.line}: ${e.message}`);
          out.push({
            kind: "error",
            line: e.line,
            reason: e.reason,
            message: e.message,
            raw: e.raw?.toString("utf8") ?? "",
          });
        } else if (header !== undefined && repeatsHeader(e, header)) {
          out.push({ kind: "error", ...unread(e.line, HEADER_REPEATED), raw: e.raw().toString("utf8") });
        } else {
          out.push(new CsvRow(e, index as Readonly<Record<ListColumn, number>>));
        }
      }
      yield out;
    }
  }

  /**
   * A workbook's sheet: its first row holding a value is the header. The file is hashed first (its
   * parts are read out of order); the outputs are CSV as French Excel opens them: `;`, BOM, CRLF.
   */
  async *#xlsx(): AsyncGenerator<ListEvent[]> {
    for await (const _ of this.#read());
    this.#encoding = { encoding: "utf8", source: "content" };
    this.#dialect = { delimiter: ";", bom: true, newline: "\r\n" };
    let sheet: Sheet;
    try {
      sheet = await openSheet(this.file, this.#bytes, this.#options.sheet);
      this.#sheet = sheet.name;
      let index: Readonly<Record<ListColumn, number>> | undefined;
      let names: readonly string[] = [];
      let width = 0;
      for await (const rows of sheet.rows) {
        const out: ListEvent[] = [];
        for (const r of rows) {
          if (index === undefined) {
            names = r.cells.map((c) => c.trim());
            const at = rows.indexOf(r);
            index = this.#header(names, () =>
              rows.slice(at + 1, at + 1 + LOOK_BELOW).map((next) => ({ line: next.line, cells: next.cells })),
            );
            width = names.length;
            out.push({ kind: "header", names, write: (w, extra) => w.row([...names, ...extra]) });
            continue;
          }
          const cells = [...r.cells, ...Array<string>(Math.max(0, width - r.cells.length)).fill("")];
          const beyond = cells.slice(width).findIndex((c) => c.trim() !== "");
          if (repeatsHeader({ fieldCount: width, field: (i) => cells[i] as string }, names)) {
            out.push({ kind: "error", ...unread(r.line, HEADER_REPEATED), raw: rawRow(cells) });
          } else if (beyond >= 0) {
            const reason: Reason = {
              code: "sheet.beyond_header",
              args: { column: width + beyond + 1, width },
            };
            out.push({ kind: "error", ...unread(r.line, reason), raw: rawRow(cells) });
          } else out.push(new SheetListRow(r.line, cells.slice(0, width), index)); // blank cells beyond the header are not columns
        }
        yield out;
      }
    } catch (e) {
      if (e instanceof WorkbookError) throw new ListFileError(e.message);
      throw e;
    }
  }

  /**
   * Two passes: the first finds the columns (every key, in order of first appearance), so the
   * CSV outputs have one header; the second decides. Neither keeps more than a chunk of rows.
   */
  #jsonl(): AsyncGenerator<ListEvent[]> {
    return this.#decoded(
      () => jsonEncodingOfFile(this.file, this.#options.encoding),
      (e) => this.#jsonlRows(e),
    );
  }

  /** The JSON Lines in `encoding`, read as UTF-8 in both passes (decoded before lines are split). */
  async *#jsonlRows(encoding: TextEncoding): AsyncGenerator<ListEvent[]> {
    const keys = new Set<string>();
    let objects = 0;
    const bytes = createReadStream(this.file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>;
    for await (const events of readJsonl(toUtf8(bytes, encoding))) {
      for (const e of events) {
        if (e.kind !== "value" || !isObject(e.value)) continue;
        objects++;
        for (const key of Object.keys(e.value)) keys.add(key);
        if (keys.size > MAX_COLUMNS) throw new ListFileError(tooManyKeys(e.line, keys.size));
      }
    }
    const columns = [...keys];
    this.#names = recognise(columns, this.#names);
    if (objects > 0) columnIndex(columns, this.#names, this.#point);
    yield [{ kind: "header", names: columns, write: (w, extra) => w.row([...columns, ...extra]) }];
    for await (const events of readJsonl(this.#text(encoding))) {
      yield events.map((e): ListEvent => {
        if (e.kind === "error")
          return { kind: "error", line: e.line, reason: e.reason, message: e.message, raw: "" };
        if (!isObject(e.value)) {
          const reason: Reason = { code: "jsonl.not_object" };
          return { kind: "error", ...unread(e.line, reason), raw: JSON.stringify(e.value) };
        }
        const problem = badCell(e.value, this.#names);
        if (problem !== undefined)
          return { kind: "error", ...unread(e.line, problem), raw: JSON.stringify(e.value) };
        return new JsonlRow(e.line, e.value, this.#names, columns);
      });
    }
  }
}

/** The keys of a JSON Lines list are its columns: as many as a CSV header may name. */
export const tooManyKeys = (line: number, keys: number): string =>
  `line ${line}: ${grouped(keys)} keys so far, more than the ${grouped(MAX_COLUMNS)} columns a list may have`;

class CsvRow implements ListRow {
  readonly kind = "row";
  readonly #record: CsvRecord;
  readonly #index: Readonly<Record<ListColumn, number>>;

  constructor(record: CsvRecord, index: Readonly<Record<ListColumn, number>>) {
    this.#record = record;
    this.#index = index;
  }

  get line(): number {
    return this.#record.line;
  }

  cell(column: ListColumn): string | undefined {
    const i = this.#index[column];
    if (i < 0) return undefined;
    const v = this.#record.field(i).trim();
    return v === "" ? undefined : v;
  }

  raw(): string {
    return this.#record.raw().toString("utf8");
  }

  write(out: CsvWriter, extra: readonly string[]): void {
    out.record(this.#record, extra);
  }
}

/** A workbook row's cells as one CSV line, for rejected.csv. */
const rawRow = (cells: readonly string[]): string =>
  cells.map((c) => (/[;"\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(";");

class SheetListRow implements ListRow {
  readonly kind = "row";
  readonly line: number;
  readonly #cells: readonly string[];
  readonly #index: Readonly<Record<ListColumn, number>>;

  constructor(line: number, cells: readonly string[], index: Readonly<Record<ListColumn, number>>) {
    this.line = line;
    this.#cells = cells;
    this.#index = index;
  }

  cell(column: ListColumn): string | undefined {
    const i = this.#index[column];
    const v = i < 0 ? "" : (this.#cells[i] ?? "").trim();
    return v === "" ? undefined : v;
  }

  raw(): string {
    return rawRow(this.#cells);
  }

  write(out: CsvWriter, extra: readonly string[]): void {
    out.row([...this.#cells, ...extra]);
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function own(o: JsonObject, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** The columns read as yes or no, which a JSON line may also give as true or false. */
const YES_NO: readonly ListColumn[] = [
  "publisher_refused",
  "sender_named",
  "opt_out_offered",
  "free_account_of_paid_model",
];

/** A recognised column holding something other than text, a number, a yes/no boolean or null. */
function badCell(o: JsonObject, names: ColumnNames): Reason | undefined {
  for (const column of LIST_COLUMNS) {
    const v = own(o, names[column]);
    if (v === undefined || v === null || typeof v === "string" || typeof v === "number") continue;
    if (typeof v === "boolean" && YES_NO.includes(column)) continue;
    const found: Reason = {
      code: Array.isArray(v)
        ? "jsonl.an_array"
        : typeof v === "boolean"
          ? "jsonl.a_boolean"
          : "jsonl.an_object",
    };
    return { code: "jsonl.not_text", args: { name: names[column], found } };
  }
  return undefined;
}

const HEADER_REPEATED: Reason = { code: "list.header_repeated" };

/** A row that cannot be read: its line, the reason, and its English words. */
const unread = (line: number, reason: Reason) => ({ line, reason, message: renderReason(reason, "en") });

/** A JSON value as a CSV cell: strings as they are, other values as JSON, null as empty. */
function cellText(v: unknown): string {
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

class JsonlRow implements ListRow {
  readonly kind = "row";
  readonly line: number;
  readonly #value: JsonObject;
  readonly #names: ColumnNames;
  readonly #columns: readonly string[];

  constructor(line: number, value: JsonObject, names: ColumnNames, columns: readonly string[]) {
    this.line = line;
    this.#value = value;
    this.#names = names;
    this.#columns = columns;
  }

  cell(column: ListColumn): string | undefined {
    const v = cellText(own(this.#value, this.#names[column])).trim();
    return v === "" ? undefined : v;
  }

  raw(): string {
    return JSON.stringify(this.#value);
  }

  write(out: CsvWriter, extra: readonly string[]): void {
    const cells = this.#columns.map((k) => cellText(own(this.#value, k)));
    out.row(extra.length === 0 ? cells : [...cells, ...extra]);
  }
}
