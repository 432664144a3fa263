// A one-sheet Excel workbook (.xlsx) written a row at a time: the smallest SpreadsheetML package
// Excel, LibreOffice and src/io/xlsx/workbook.ts open. Every cell is an inline string in the Text
// number format, so a phone number keeps its leading 0 or + and nothing is a formula; a cell
// starting with = + - @ (a formula if typed) is also marked quotePrefix, as Excel marks a cell typed
// with a leading ', so editing it keeps it text. The header row is bold and frozen. The sheet is
// deflated as it is written (fflate): the caller drains the package's bytes with `take()`, so
// memory holds only what was written since. Same rows, same bytes: entries carry a fixed date.
import { Zip, ZipDeflate } from "fflate";
import { grouped } from "../csv/scanner.ts";

/** A row or cell Excel cannot hold: its limits, not a flaw of the data. */
export class XlsxLimitError extends Error {}

/** Excel's limits (Microsoft, "Excel specifications and limits"). */
export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;
export const MAX_CELL_CHARS = 32_767;

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT = "application/vnd.openxmlformats-officedocument.spreadsheetml";
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Cell styles (cellXfs): Text format; bold for the header; quotePrefix for formula-like text. */
const TEXT = 1;
const BOLD = 1;
const QUOTED = 2;

/** The parts other than the sheet. */
function parts(sheetName: string): [string, string][] {
  const text = 'numFmtId="49" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"';
  return [
    [
      "[Content_Types].xml",
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${CT}.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/></Types>`,
    ],
    [
      "_rels/.rels",
      `<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      "xl/workbook.xml",
      `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews><sheets><sheet name="${xmlText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    ],
    [
      "xl/styles.xml",
      `<styleSheet xmlns="${MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf fontId="0" ${text}/><xf fontId="1" ${text} applyFont="1"/><xf fontId="0" ${text} quotePrefix="1"/><xf fontId="1" ${text} applyFont="1" quotePrefix="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
    ],
  ];
}

const SHEET_START = `${HEAD}<worksheet xmlns="${MAIN}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>`;
const SHEET_END = "</sheetData></worksheet>";

/**
 * Text as XML character data. A CR is a character reference (a parser would read a raw one as LF);
 * characters XML 1.0 cannot hold (C0 controls but tab and LF, U+FFFE, U+FFFF) are `_xHHHH_`, the
 * escape ECMA-376 defines (§22.9.2.19), which is why a `_` that starts such a sequence is `_x005F_`.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: those characters are what it finds
const SPECIAL = /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)/g;
const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "\r": "&#13;",
};
const xmlText = (text: string): string =>
  text.replace(
    SPECIAL,
    (c) => ENTITIES[c] ?? `_x${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0")}_`,
  );

/** The cells Excel would read as a formula if they were typed. */
const FORMULA_START = /^[=+\-@]/;

/** 0 → A, 25 → Z, 26 → AA. */
function columnName(i: number): string {
  let name = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Deflated sheet data is pushed a block at a time: fewer, larger pushes deflate faster. */
const PUSH_CHARS = 64 * 1024;
/** A fixed entry date, in local time as zip dates are: the same rows give the same bytes. */
const MTIME = new Date(1980, 0, 1);

/**
 * Level 1: deflate, in JavaScript, is most of a copy's time; level 6 costs 60 % more of it for a
 * file 17 % smaller (measured on 133 333 rows of blocked.csv).
 */
function entry(name: string): ZipDeflate {
  const part = new ZipDeflate(name, { level: 1 });
  part.mtime = MTIME;
  return part;
}

export class XlsxWriter {
  readonly #zip: Zip;
  readonly #sheet: ZipDeflate;
  readonly #columns: string[] = [];
  #out: Uint8Array[] = [];
  #length = 0;
  #xml = SHEET_START;
  #rows = 0;
  #error: Error | null = null;

  /** `sheetName`: at most 31 characters, none of : \ / ? * [ ]. */
  constructor(sheetName: string) {
    if (sheetName === "" || sheetName.length > 31 || /[:\\/?*[\]]/.test(sheetName))
      throw new Error(`${JSON.stringify(sheetName)}: not a sheet name Excel accepts`);
    this.#zip = new Zip((error, chunk) => {
      if (error !== null) this.#error = error;
      else {
        this.#out.push(chunk);
        this.#length += chunk.length;
      }
    });
    for (const [name, xml] of parts(sheetName)) {
      const part = entry(name);
      this.#zip.add(part);
      part.push(Buffer.from(HEAD + xml, "utf8"), true);
    }
    this.#sheet = entry("xl/worksheets/sheet1.xml");
    this.#zip.add(this.#sheet);
  }

  /** Package bytes written and not yet taken. */
  get length(): number {
    return this.#length;
  }

  /** Rows written. */
  get rows(): number {
    return this.#rows;
  }

  /**
   * Writes the next row; the first is the header. Throws XlsxLimitError, naming the row and the
   * column, past Excel's rows, columns or characters in a cell.
   */
  row(cells: readonly string[]): void {
    const r = this.#rows + 1;
    if (r > MAX_ROWS)
      throw new XlsxLimitError(
        `row ${grouped(r)}: more than the ${grouped(MAX_ROWS)} rows an Excel sheet holds`,
      );
    if (cells.length > MAX_COLUMNS) {
      throw new XlsxLimitError(
        `row ${grouped(r)}: ${grouped(cells.length)} columns, more than the ${grouped(MAX_COLUMNS)} an Excel sheet holds`,
      );
    }
    const bold = r === 1 ? BOLD : 0;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as string;
      if (cell === "") continue;
      const ref = this.#column(i) + r;
      if (cell.length > MAX_CELL_CHARS) {
        throw new XlsxLimitError(
          `cell ${ref}: ${grouped(cell.length)} characters, more than the ${grouped(MAX_CELL_CHARS)} an Excel cell holds`,
        );
      }
      const style = TEXT + bold + (FORMULA_START.test(cell) ? QUOTED : 0);
      const space = /^\s|\s$/.test(cell) ? ' xml:space="preserve"' : "";
      xml += `<c r="${ref}" s="${style}" t="inlineStr"><is><t${space}>${xmlText(cell)}</t></is></c>`;
    }
    this.#xml += `${xml}</row>`;
    this.#rows = r;
    if (this.#xml.length >= PUSH_CHARS) this.#push(false);
  }

  /** Ends the sheet and the package: `take()` then gives its last bytes. */
  end(): void {
    this.#xml += SHEET_END;
    this.#push(true);
    this.#zip.end();
    this.#check();
  }

  /** The package bytes written since the last call. */
  take(): Buffer {
    this.#check();
    const out = Buffer.concat(this.#out, this.#length);
    this.#out = [];
    this.#length = 0;
    return out;
  }

  #push(final: boolean): void {
    this.#sheet.push(Buffer.from(this.#xml, "utf8"), final);
    this.#xml = "";
    this.#check();
  }

  #check(): void {
    if (this.#error !== null) throw this.#error;
  }

  #column(i: number): string {
    while (this.#columns.length <= i) this.#columns.push(columnName(this.#columns.length));
    return this.#columns[i] as string;
  }
}
