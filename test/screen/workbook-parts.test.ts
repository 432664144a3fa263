// Workbooks whose parts are not where Excel itself puts them: a shared strings part spelt in
// another case, or named only by the workbook's relationships, as other generators write them.
// Each is read; a cell whose shared string cannot be found refuses the file, naming the cell —
// a list read as empty would be screened as nothing to screen, exit 0.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { openSheet, WorkbookError } from "../../src/io/xlsx/workbook.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-xlsx-parts-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const NS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`;
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const relsOf = (rels: string) =>
  `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`;
const SHEET = `<?xml version="1.0"?><worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>`;
const STRINGS = `<sst ${NS}><si><t>phone</t></si><si><t>0612345678</t></si></sst>`;

let n = 0;
function write(parts: Record<string, string>): { file: string; size: number } {
  const file = join(dir, `w${n++}.xlsx`);
  writeFileSync(file, zipSync(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, strToU8(v)]))));
  return { file, size: statSync(file).size };
}

/** A workbook at `book`, its sheet and shared strings where its relationships say. */
function workbook(o: { book?: string; sheet?: string; strings?: string | null; stringsRel?: string }) {
  const book = o.book ?? "xl/workbook.xml";
  const folder = book.slice(0, book.lastIndexOf("/") + 1);
  const name = book.slice(folder.length);
  const rels = [`<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>`];
  if (o.stringsRel !== undefined)
    rels.push(`<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="${o.stringsRel}"/>`);
  return write({
    "_rels/.rels": relsOf(`<Relationship Id="rId1" Type="${REL}/officeDocument" Target="${book}"/>`),
    [book]: `<?xml version="1.0"?><workbook ${NS}><sheets><sheet name="Liste" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    [`${folder}_rels/${name}.rels`]: relsOf(rels.join("")),
    [`${folder}worksheets/sheet1.xml`]: o.sheet ?? SHEET,
    ...(o.strings === null ? {} : { [o.strings ?? `${folder}sharedStrings.xml`]: STRINGS }),
  });
}

async function rows(w: { file: string; size: number }): Promise<string[][]> {
  const sheet = await openSheet(w.file, w.size);
  const out: string[][] = [];
  for await (const batch of sheet.rows) for (const r of batch) out.push([...r.cells]);
  return out;
}

const READ = [["phone"], ["0612345678"]];

describe("workbook parts", () => {
  test("shared strings spelt xl/SharedStrings.xml: read", async () => {
    assert.deepEqual(await rows(workbook({ strings: "xl/SharedStrings.xml" })), READ);
  });

  test("shared strings and workbook where the relationships say, in any case: read", async () => {
    assert.deepEqual(
      await rows(workbook({ strings: "xl/strings/texts.xml", stringsRel: "strings/texts.xml" })),
      READ,
    );
    assert.deepEqual(
      await rows(workbook({ strings: "xl/Strings.XML", stringsRel: "/xl/strings.xml" })),
      READ,
    );
    assert.deepEqual(
      await rows(workbook({ book: "book/main.xml", strings: "book/sst.xml", stringsRel: "../book/sst.xml" })),
      READ,
    );
  });

  test("a shared string that cannot be found (no part, an index past them): refused naming the cell", async () => {
    await assert.rejects(
      rows(workbook({ strings: null })),
      (e) =>
        e instanceof WorkbookError && /cell A1: shared string "0" is not in the workbook's 0/.test(e.message),
    );
    const past = `<?xml version="1.0"?><worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="B2" t="s"><v>2</v></c></row></sheetData></worksheet>`;
    await assert.rejects(
      rows(workbook({ sheet: past })),
      (e) =>
        e instanceof WorkbookError && /cell B2: shared string "2" is not in the workbook's 2/.test(e.message),
    );
  });
});
