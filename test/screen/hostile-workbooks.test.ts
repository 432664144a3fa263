// Workbooks no Excel wrote, as an attacker uploads them: a zip bomb in the shared strings or the
// sheet, a cell reference past Excel's last column, a cell longer than Excel's. Each is refused
// quickly, naming the part or cell, before it can exhaust the server's memory or time.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { openSheet, WORKBOOK_LIMITS, WorkbookError } from "../../src/io/xlsx/workbook.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-hostile-xlsx-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const WORKBOOK = `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Liste" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const RELS = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`;
const sheetOf = (rows: string) =>
  `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

let n = 0;
/** A workbook file of these parts (deflated, as Excel writes them). */
function workbook(parts: { sheet: string; strings?: string }): { file: string; size: number } {
  const file = join(dir, `w${n++}.xlsx`);
  writeFileSync(
    file,
    zipSync({
      "xl/workbook.xml": strToU8(WORKBOOK),
      "xl/_rels/workbook.xml.rels": strToU8(RELS),
      "xl/worksheets/sheet1.xml": strToU8(parts.sheet),
      ...(parts.strings === undefined ? {} : { "xl/sharedStrings.xml": strToU8(parts.strings) }),
    }),
  );
  return { file, size: statSync(file).size };
}

async function rows(file: string, size: number, limits = WORKBOOK_LIMITS): Promise<string[][]> {
  const sheet = await openSheet(file, size, undefined, limits);
  const out: string[][] = [];
  for await (const batch of sheet.rows) for (const r of batch) out.push([...r.cells]);
  return out;
}

describe("hostile workbooks", () => {
  test("a well-formed workbook is read (the fixture is sound)", async () => {
    const w = workbook({
      sheet: sheetOf(
        `<row r="1"><c r="A1" t="inlineStr"><is><t>phone</t></is></c></row><row r="2"><c r="A2" t="s"><v>0</v></c></row>`,
      ),
      strings: `<sst><si><t>0612345678</t></si></sst>`,
    });
    assert.deepEqual(await rows(w.file, w.size), [["phone"], ["0612345678"]]);
  });

  test("shared strings that inflate past their bound: refused, naming the part", async () => {
    const big = `<sst>${"<si><t>aaaaaaaaaaaaaaaa</t></si>".repeat(100_000)}</sst>`; // 2.7 MB, a few KB deflated
    const w = workbook({ sheet: sheetOf(""), strings: big });
    assert.ok(w.size < 100_000, `the bomb is small: ${w.size}`);
    await assert.rejects(
      rows(w.file, w.size, { ...WORKBOOK_LIMITS, sharedStringsBytes: 1024 * 1024 }),
      (e) =>
        e instanceof WorkbookError && /xl\/sharedStrings\.xml: more than 1 MiB once inflated/.test(e.message),
    );
  });

  test("a sheet that inflates past its bound: refused, though streamed", async () => {
    const row = `<row><c t="inlineStr"><is><t>0612345678</t></is></c></row>`;
    const w = workbook({ sheet: sheetOf(row.repeat(50_000)) });
    await assert.rejects(
      rows(w.file, w.size, { ...WORKBOOK_LIMITS, sheetBytes: 1024 * 1024 }),
      (e) => e instanceof WorkbookError && /sheet1\.xml: more than 1 MiB once inflated/.test(e.message),
    );
  });

  test("a cell past column XFD (which would fill a row with millions of blanks): refused at once", async () => {
    const w = workbook({
      sheet: sheetOf(`<row r="1"><c r="ZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>`),
    });
    const started = performance.now();
    await assert.rejects(
      rows(w.file, w.size),
      (e) => e instanceof WorkbookError && /cell ZZZZZZZ1: past Excel's last column, XFD/.test(e.message),
    );
    assert.ok(performance.now() - started < 5000);
    const last = workbook({
      sheet: sheetOf(`<row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>`),
    });
    assert.equal((await rows(last.file, last.size))[0]?.length, 16_384);
  });

  test("a cell or a shared string longer than an Excel cell holds: refused, naming it", async () => {
    const long = "a".repeat(32_768);
    const inline = workbook({
      sheet: sheetOf(`<row r="1"><c r="B1" t="inlineStr"><is><t>${long}</t></is></c></row>`),
    });
    await assert.rejects(
      rows(inline.file, inline.size),
      (e) => e instanceof WorkbookError && /cell B1: longer than the 32.767 characters/.test(e.message),
    );
    const shared = workbook({
      sheet: sheetOf(""),
      strings: `<sst><si><t>x</t></si><si><t>${long}</t></si></sst>`,
    });
    await assert.rejects(
      rows(shared.file, shared.size),
      (e) => e instanceof WorkbookError && /string 2: longer than the 32.767 characters/.test(e.message),
    );
    const fits = workbook({
      sheet: sheetOf(`<row r="1"><c r="A1" t="inlineStr"><is><t>${long.slice(1)}</t></is></c></row>`),
    });
    assert.equal((await rows(fits.file, fits.size))[0]?.[0]?.length, 32_767);
  });
});
