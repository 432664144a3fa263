// The first rows of an uploaded list, read as screening will read them — its encoding detected
// (a Windows-1252 export shows its accents), a workbook's first sheet — so the mapping page shows
// the real column names and can recognise the French ones (columns.ts) before the user maps
// anything. Only the file's first mebibyte is read, and cells are cut: the page stays small
// whatever the list.
import { createReadStream, statSync } from "node:fs";
import { MAX_COLUMNS, scanCsv } from "../../io/csv/scanner.ts";
import { readJsonl } from "../../io/jsonl/reader.ts";
import {
  type DetectedEncoding,
  detectEncoding,
  EncodingError,
  jsonEncodingOfFile,
  toUtf8,
} from "../../io/text/encoding.ts";
import { withLineFeeds } from "../../io/text/line-ends.ts";
import { openSheet, WorkbookError } from "../../io/xlsx/workbook.ts";
import { type ListFormat, tooManyKeys } from "./list.ts";

const PREVIEW_BYTES = 1024 * 1024;
const PREVIEW_ROWS = 5;
const PREVIEW_LINE_BYTES = 64 * 1024;
const PREVIEW_CELL_CHARS = 200;

export interface ListPreview {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** How a CSV's or JSON Lines' bytes were read; null for a workbook. */
  readonly encoding: DetectedEncoding | null;
  /** The sheet read, for a workbook. */
  readonly sheet: string | null;
  /** Why the list's columns cannot be read (its header is broken), in the reader's words. */
  readonly error: string | null;
}

const failed = (error: string): ListPreview => ({
  columns: [],
  rows: [],
  encoding: null,
  sheet: null,
  error,
});

const clip = (cell: string) =>
  cell.length > PREVIEW_CELL_CHARS ? `${cell.slice(0, PREVIEW_CELL_CHARS - 1)}…` : cell;

const head = (file: string) =>
  createReadStream(file, { start: 0, end: PREVIEW_BYTES - 1 }) as AsyncIterable<Buffer>;

/** The list's columns and its first rows. */
export async function previewList(file: string, format: ListFormat): Promise<ListPreview> {
  if (format === "xlsx") return previewSheet(file);
  let encoding: DetectedEncoding;
  try {
    if (format === "jsonl") {
      // Read as screening reads it: UTF-16 with its mark decoded, NUL bytes without one refused.
      encoding = await jsonEncodingOfFile(file, undefined);
      return await previewJsonl(toUtf8(head(file), encoding.encoding), encoding);
    }
    encoding = await detectEncoding(head(file));
    return await previewCsv(withLineFeeds(toUtf8(head(file), encoding.encoding)), encoding);
  } catch (e) {
    if (e instanceof EncodingError) return failed(e.message);
    throw e;
  }
}

async function previewCsv(source: AsyncIterable<Buffer>, encoding: DetectedEncoding): Promise<ListPreview> {
  let columns: readonly string[] | null = null;
  const rows: string[][] = [];
  for await (const events of scanCsv(source, { header: true, maxRecordBytes: PREVIEW_LINE_BYTES })) {
    for (const e of events) {
      if (e.kind === "header") columns = e.names;
      else if (e.kind === "error") {
        if (columns === null) return failed(`line ${e.line}: ${e.message}`);
      } else if (rows.length < PREVIEW_ROWS) rows.push(e.fields().map(clip));
    }
    if (columns !== null && rows.length >= PREVIEW_ROWS) break;
  }
  if (columns === null) return failed("empty file: no header row");
  return { columns, rows, encoding, sheet: null, error: null };
}

/** The first sheet, as screening reads it: its first row holding a value is the header. */
async function previewSheet(file: string): Promise<ListPreview> {
  try {
    const sheet = await openSheet(file, statSync(file).size);
    let columns: string[] | null = null;
    const rows: string[][] = [];
    for await (const batch of sheet.rows) {
      for (const r of batch) {
        if (columns === null) columns = r.cells.map((c) => c.trim());
        else if (rows.length < PREVIEW_ROWS) rows.push(r.cells.map(clip));
      }
      if (columns !== null && rows.length >= PREVIEW_ROWS) break;
    }
    if (columns === null) return failed(`sheet ${JSON.stringify(sheet.name)} is empty: no header row`);
    return { columns, rows, encoding: null, sheet: sheet.name, error: null };
  } catch (e) {
    if (e instanceof WorkbookError) return failed(e.message);
    throw e;
  }
}

async function previewJsonl(source: AsyncIterable<Buffer>, encoding: DetectedEncoding): Promise<ListPreview> {
  const keys = new Set<string>();
  const objects: Record<string, unknown>[] = [];
  for await (const events of readJsonl(source, { maxLineBytes: PREVIEW_LINE_BYTES })) {
    for (const e of events) {
      if (e.kind !== "value" || e.value === null || typeof e.value !== "object" || Array.isArray(e.value))
        continue;
      const value = e.value as Record<string, unknown>;
      for (const key of Object.keys(value)) keys.add(key);
      if (keys.size > MAX_COLUMNS) return failed(tooManyKeys(e.line, keys.size));
      if (objects.length < PREVIEW_ROWS) objects.push(value);
    }
  }
  if (keys.size === 0) return failed("no JSON object in the file's first mebibyte");
  const columns = [...keys];
  const cell = (v: unknown) =>
    clip(v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));
  return {
    columns,
    rows: objects.map((o) => columns.map((c) => cell(o[c]))),
    encoding,
    sheet: null,
    error: null,
  };
}
