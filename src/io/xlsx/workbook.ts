// Rows of one sheet of an Excel workbook (.xlsx), as text: shared and inline strings, numbers as
// Excel stores them (a phone number typed as a number has lost its leading 0 — the screening puts
// it back), booleans as true/false, and numbers formatted as dates (or date cells) as ISO dates,
// YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] in the workbook's wall-clock time. Formulas give their
// cached value. The workbook, its relations, styles and shared strings are read first; the sheet
// is then streamed through a SAX parser (saxes).
import { SaxesParser, type SaxesTagPlain } from "saxes";
import { type ZipEntry, ZipError, zipEntries, zipEntry } from "./zip.ts";

export class WorkbookError extends Error {}

export interface SheetRow {
  /** The row's number in the sheet (1-based), as Excel shows it. */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface Sheet {
  readonly name: string;
  /** Its rows holding at least one value, a batch at a time. */
  readonly rows: AsyncIterable<SheetRow[]>;
}

const BATCH = 1000;

/**
 * What a workbook may hold once inflated, and Excel's own bounds: past them the file is not one
 * Excel wrote (a zip bomb, a forged cell reference), and reading it would only exhaust the server.
 * The sheet is streamed; the shared strings are held in memory, hence their lower bound.
 */
export interface WorkbookLimits {
  /** workbook.xml, its relations, styles.xml. */
  readonly partBytes: number;
  readonly sharedStringsBytes: number;
  readonly sheetBytes: number;
}

export const WORKBOOK_LIMITS: WorkbookLimits = {
  partBytes: 64 * 1024 * 1024,
  sharedStringsBytes: 512 * 1024 * 1024,
  sheetBytes: 4 * 1024 * 1024 * 1024,
};

/** Excel's last column (XFD), 0-based, and the characters one of its cells holds. */
const LAST_COLUMN = 16_383;
const CELL_CHARS = 32_767;
const TOO_LONG = `longer than the ${CELL_CHARS.toLocaleString("fr-FR")} characters an Excel cell holds`;

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30). */
const DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/** A format code shows a date when, outside its quoted text and [colour] brackets, it has d, m, y, h or s. */
const isDateCode = (code: string): boolean =>
  /[dmyhs]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, "").replace(/General/gi, ""));

const local = (name: string): string => name.slice(name.indexOf(":") + 1);

/** Parses an XML entry, calling `on` for each open/close tag and text. */
async function parse(
  file: string,
  entry: ZipEntry | undefined,
  on: { open?(tag: SaxesTagPlain): void; close?(name: string): void; text?(text: string): void },
  maxBytes: number,
): Promise<void> {
  if (entry === undefined) return;
  const parser = new SaxesParser();
  if (on.open) parser.on("opentag", (t) => on.open?.({ ...t, name: local(t.name) }));
  if (on.close) parser.on("closetag", (t) => on.close?.(local(t.name)));
  if (on.text) parser.on("text", (t) => on.text?.(t));
  const decoder = new TextDecoder("utf-8");
  try {
    for await (const chunk of zipEntry(file, entry, maxBytes))
      parser.write(decoder.decode(chunk, { stream: true }));
    parser.close();
  } catch (e) {
    if (e instanceof ZipError) throw new WorkbookError(e.message);
    throw new WorkbookError(`${entry.name}: ${(e as Error).message}`);
  }
}

/**
 * The zip's entries by lower-cased name: Excel finds a part whatever its case (some generators
 * write xl/SharedStrings.xml), so a part missed for its case would read as absent — cells empty.
 */
function partsByName(entries: Map<string, ZipEntry>): Parts {
  const byName = new Map([...entries.values()].map((e) => [e.name.toLowerCase(), e]));
  return { get: (path) => byName.get(path.toLowerCase()) };
}

/** A workbook's parts, found by path in any case. */
interface Parts {
  get(path: string): ZipEntry | undefined;
}

interface Relation {
  readonly id: string;
  readonly type: string;
  /** The target part's path in the zip, resolved against the source part's folder. */
  readonly path: string;
}

/** The relationships of `source` ("" for the package's own), from its _rels part (OPC §9.3). */
async function relations(
  file: string,
  entries: Parts,
  source: string,
  limits: WorkbookLimits,
): Promise<Relation[]> {
  const at = source.lastIndexOf("/");
  const folder = source.slice(0, at + 1);
  const out: Relation[] = [];
  await parse(
    file,
    entries.get(`${folder}_rels/${source.slice(at + 1)}.rels`),
    {
      open(t) {
        if (t.name !== "Relationship" || t.attributes.TargetMode === "External") return;
        const target = t.attributes.Target ?? "";
        out.push({
          id: t.attributes.Id ?? "",
          type: t.attributes.Type ?? "",
          path: resolved(target.startsWith("/") ? target.slice(1) : `${folder}${target}`),
        });
      },
    },
    limits.partBytes,
  );
  return out;
}

/** A part path with its `.` and `..` segments resolved. */
function resolved(path: string): string {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "..") out.pop();
    else if (segment !== "." && segment !== "") out.push(segment);
  }
  return out.join("/");
}

/** `which`: a sheet's name, or its number from 1; the first sheet by default. */
export async function openSheet(
  file: string,
  size: number,
  which?: string,
  limits: WorkbookLimits = WORKBOOK_LIMITS,
): Promise<Sheet> {
  let entries: Parts;
  try {
    entries = partsByName(await zipEntries(file, size));
  } catch (e) {
    if (e instanceof ZipError) throw new WorkbookError(e.message);
    throw e;
  }
  const book = (await relations(file, entries, "", limits)).find((r) => r.type.endsWith("/officeDocument"));
  const bookPath = book?.path ?? "xl/workbook.xml";
  if (entries.get(bookPath) === undefined)
    throw new WorkbookError(`a zip file, but not an Excel workbook (no ${bookPath})`);
  const sheets: { name: string; rel: string }[] = [];
  let date1904 = false;
  await parse(
    file,
    entries.get(bookPath),
    {
      open(t) {
        if (t.name === "workbookPr") date1904 = ["1", "true"].includes(t.attributes.date1904 ?? "");
        if (t.name === "sheet")
          sheets.push({ name: t.attributes.name ?? "", rel: t.attributes["r:id"] ?? "" });
      },
    },
    limits.partBytes,
  );
  const rels = await relations(file, entries, bookPath, limits);
  const part = (type: string, usual: string): string =>
    rels.find((r) => r.type.endsWith(`/${type}`))?.path ?? `xl/${usual}`;
  const names = sheets.map((s) => JSON.stringify(s.name)).join(", ");
  const n = which !== undefined && /^\d+$/.test(which) ? Number(which) : undefined;
  const sheet =
    which === undefined ? sheets[0] : n !== undefined ? sheets[n - 1] : sheets.find((s) => s.name === which);
  if (sheet === undefined) {
    throw new WorkbookError(
      which === undefined
        ? "the workbook has no sheet"
        : `no sheet ${JSON.stringify(which)}: the sheets are ${names}`,
    );
  }
  const path = rels.find((r) => r.id === sheet.rel)?.path ?? "";
  const sheetEntry = entries.get(path);
  if (sheetEntry === undefined)
    throw new WorkbookError(`sheet ${JSON.stringify(sheet.name)}: no ${path || sheet.rel} in the workbook`);

  const dateStyles: boolean[] = [];
  const customDates = new Set<number>();
  let inCellXfs = false;
  await parse(
    file,
    entries.get(part("styles", "styles.xml")),
    {
      open(t) {
        if (t.name === "numFmt" && isDateCode(t.attributes.formatCode ?? ""))
          customDates.add(Number(t.attributes.numFmtId));
        if (t.name === "cellXfs") inCellXfs = true;
        if (t.name === "xf" && inCellXfs) {
          const id = Number(t.attributes.numFmtId ?? 0);
          dateStyles.push(DATE_FORMATS.has(id) || customDates.has(id));
        }
      },
      close(name) {
        if (name === "cellXfs") inCellXfs = false;
      },
    },
    limits.partBytes,
  );

  const strings: string[] = [];
  let si = "";
  let inT = false;
  let phonetic = 0;
  await parse(
    file,
    entries.get(part("sharedStrings", "sharedStrings.xml")),
    {
      open(t) {
        if (t.name === "si") si = "";
        if (t.name === "rPh") phonetic++;
        if (t.name === "t" && phonetic === 0) inT = true;
      },
      text(text) {
        if (!inT) return;
        si += text;
        if (si.length > CELL_CHARS * 8) throw new Error(`string ${strings.length + 1}: ${TOO_LONG}`);
      },
      close(name) {
        if (name === "t") inT = false;
        if (name === "rPh") phonetic--;
        if (name === "si") {
          const text = unescaped(si);
          if (text.length > CELL_CHARS) throw new Error(`string ${strings.length + 1}: ${TOO_LONG}`);
          strings.push(text);
        }
      },
    },
    limits.sharedStringsBytes,
  );

  return {
    name: sheet.name,
    rows: sheetRows(file, sheetEntry, strings, dateStyles, date1904, limits.sheetBytes),
  };
}

/**
 * Text with its `_xHHHH_` escapes read: the characters XML cannot hold (a CR Excel writes so too),
 * and `_x005F_` for a `_` that would start one (ECMA-376 §22.9.2.19).
 */
const unescaped = (text: string): string =>
  text.includes("_x")
    ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : text;

/** Column letters of a cell reference to a 0-based index: "C12" → 2. */
function columnOf(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** An Excel serial date (days since 1899-12-30, or since 1904-01-01) as an ISO date or date-time. */
export function serialDate(serial: number, date1904: boolean): string {
  const seconds = Math.round(serial * 86_400);
  const days = Math.floor(seconds / 86_400) - (date1904 ? 24_107 : 25_569);
  const d = new Date(days * 86_400_000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const s = seconds % 86_400;
  if (s === 0) return date;
  const time = `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}`;
  return s % 60 === 0 ? `${date}T${time}` : `${date}T${time}:${pad(s % 60)}`;
}

function numberText(v: string): string {
  if (!/e/i.test(v)) return v;
  const n = Number(v);
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n);
}

async function* sheetRows(
  file: string,
  entry: ZipEntry,
  strings: readonly string[],
  dateStyles: readonly boolean[],
  date1904: boolean,
  maxBytes: number,
): AsyncGenerator<SheetRow[]> {
  const parser = new SaxesParser();
  let batch: SheetRow[] = [];
  let line = 0;
  let cells: string[] = [];
  let cell = { ref: "", column: 0, type: "n", date: false };
  let text = "";
  let collect = false;
  parser.on("opentag", (t) => {
    const name = local(t.name);
    if (name === "row") {
      line = t.attributes.r === undefined ? line + 1 : Number(t.attributes.r);
      cells = [];
    } else if (name === "c") {
      const ref = t.attributes.r;
      cell = {
        ref: ref ?? `row ${line}`,
        column: ref === undefined ? cells.length : columnOf(ref),
        type: t.attributes.t ?? "n",
        date: dateStyles[Number(t.attributes.s ?? 0)] === true,
      };
      if (cell.column > LAST_COLUMN) throw new Error(`cell ${cell.ref}: past Excel's last column, XFD`);
      text = "";
    } else if (name === "v" || name === "t") {
      collect = true;
    }
  });
  parser.on("text", (t) => {
    if (!collect) return;
    text += t;
    // Escapes (_xHHHH_) take up to seven characters for one.
    if (text.length > CELL_CHARS * 7) throw new Error(`cell ${cell.ref}: ${TOO_LONG}`);
  });
  parser.on("closetag", (t) => {
    const name = local(t.name);
    if (name === "v" || name === "t") collect = false;
    else if (name === "c") {
      while (cells.length < cell.column) cells.push("");
      const value = cellText(text, cell.type, cell.date);
      if (value.length > CELL_CHARS) throw new Error(`cell ${cell.ref}: ${TOO_LONG}`);
      cells[cell.column] = value;
    } else if (name === "row" && cells.some((c) => c.trim() !== "")) {
      batch.push({ line, cells });
    }
  });
  const cellText = (v: string, type: string, date: boolean): string => {
    switch (type) {
      case "s": {
        const text = strings[Number(v)];
        // A string that cannot be found is refused, not read as an empty cell.
        if (text === undefined)
          throw new Error(
            `cell ${cell.ref}: shared string ${JSON.stringify(v)} is not in the workbook's ${strings.length.toLocaleString("fr-FR")} shared strings`,
          );
        return text;
      }
      case "b":
        return v === "1" ? "true" : v === "0" ? "false" : v;
      case "n":
        return v === "" ? "" : date ? serialDate(Number(v), date1904) : numberText(v);
      case "d":
        return v.replace(/(T00:00(:00(\.0+)?)?)?Z?$/, "");
      case "inlineStr":
      case "str": // a formula's text
        return unescaped(v);
      default:
        return v; // e (an error such as #N/A)
    }
  };
  const decoder = new TextDecoder("utf-8");
  try {
    for await (const chunk of zipEntry(file, entry, maxBytes)) {
      parser.write(decoder.decode(chunk, { stream: true }));
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    parser.close();
  } catch (e) {
    throw new WorkbookError(`${entry.name}: ${(e as Error).message}`);
  }
  if (batch.length > 0) yield batch;
}
