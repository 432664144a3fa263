// The examples of examples/lists, as Excel users send them, screened through the command line:
// a Windows-1252 `;` CSV with CRLF, and an .xlsx workbook.
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { serialDate } from "../../src/io/xlsx/workbook.ts";
import { ListFileError } from "../../src/services/screen/columns.ts";
import { CALL_2025, reconcile, screen, tempDir, vigie } from "./helpers.ts";

const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;

function setup(): string {
  const dir = tempDir();
  for (const f of ["lists/pige-excel.csv", "lists/pige-excel.xlsx", "lists/pige-sources.json"]) {
    copyFileSync(join(EXAMPLES, f), join(dir, f.slice(6)));
  }
  copyFileSync(join(EXAMPLES, "campaigns/pige-call-2025.json"), join(dir, "campaign.json"));
  return dir;
}

const summary = (dir: string) => JSON.parse(readFileSync(join(dir, "out", "summary.json"), "utf8"));

describe("Excel lists through vigie screen", () => {
  test("the Windows-1252 CSV: French headers, dates, stripped 0s, the list's own source words", () => {
    const dir = setup();
    const args = ["screen", "pige-excel.csv", "--campaign", "campaign.json", "--out", "out"];
    const refused = vigie(args, dir);
    assert.equal(refused.status, 2, "without --map-values, LeBonCoin is no origin");
    assert.match(
      readFileSync(join(dir, "out", "rejected.csv"), "utf8"),
      /--map-values origin=LeBonCoin:VALUE/,
    );
    const r = vigie(
      [...args, "--map-values-file", "pige-sources.json", "--set", "collected_at=01/02/2025"],
      dir,
    );
    assert.equal(r.status, 2, r.stderr); // line 8: 31/02/2025
    assert.equal(r.stdout, "pige-excel.csv: 7 rows = 1 allowed + 5 blocked + 1 rejected → out\n");
    const s = summary(dir);
    assert.equal(s.inputs.list.encoding, "windows-1252");
    assert.deepEqual(s.interpretations, {
      numbersCompleted: 5,
      datesFrench: 6,
      wordsSpelled: 0,
      valuesMapped: 6,
      valuesSet: 1,
      needsReview: 1,
    });
    assert.deepEqual(s.columns, {
      id: "Référence",
      phone: "Téléphone",
      kind: "Type de contact",
      origin: "Source",
      collected_at: "Date de collecte",
      publisher_refused: "Mention",
      department: "Dépt",
    });
    const rejected = readFileSync(join(dir, "out", "rejected.csv"), "utf8");
    assert.match(
      rejected,
      /^\uFEFFline;error;raw\r\n8;"collected_at: ""31\/02\/2025"": there is no 31 février 2025"/,
    );
    assert.match(
      readFileSync(join(dir, "out", "report.html"), "utf8"),
      /5 numéros complétés par leur 0 initial/,
    );
  });

  test("the .xlsx: first sheet or --sheet, number cells completed, date cells read, CSV outputs", () => {
    const dir = setup();
    const args = ["screen", "pige-excel.xlsx", "--campaign", "campaign.json", "--out", "out"];
    const r = vigie([...args, "--map-values-file", "pige-sources.json"], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "pige-excel.xlsx: 6 rows = 1 allowed + 5 blocked + 0 rejected → out\n");
    const s = summary(dir);
    assert.equal(s.inputs.list.format, "xlsx");
    assert.equal(s.inputs.list.sheet, "Annonces");
    assert.equal(s.interpretations.numbersCompleted, 5);
    const blocked = readFileSync(join(dir, "out", "blocked.csv"), "utf8");
    assert.ok(blocked.startsWith("\uFEFFRéférence;Nom;Prénom;Téléphone;Source;Date de collecte;"));
    assert.match(
      blocked,
      /\r\nA-101;Lefèvre;Hélène;612345678;LeBonCoin;2025-02-10;consumer;69;;Lyon;conso-l223-1\/bloctel-scrub;/,
    );
    const other = vigie([...args, "--sheet", "Notes"], dir);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /no "phone" column/);
    const missing = vigie([...args, "--sheet", "Feuil9"], dir);
    assert.match(missing.stderr, /no sheet "Feuil9": the sheets are "Annonces", "Notes"; nothing written/);
  });

  test("a sheet with blank cells beyond its header (a formatted empty cell, a space): the outputs keep their columns", async () => {
    const cell = (ref: string, text: string) =>
      `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${text}</t></is></c>`;
    const sheet = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
      <row r="1">${cell("A1", "id")}${cell("B1", "phone")}${cell("C1", "kind")}</row>
      <row r="2">${cell("A2", "1")}${cell("B2", "06 12 34 56 78")}${cell("C2", "consumer")}<c r="E2" s="1"/></row>
      <row r="3">${cell("A3", "2")}${cell("B3", "06 12 34 56 79")}${cell("C3", "consumer")}${cell("E3", " ")}</row>
      </sheetData></worksheet>`;
    const list = Buffer.from(
      zipSync({
        "xl/workbook.xml": strToU8(
          `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Liste" sheetId="1" r:id="rId1"/></sheets></workbook>`,
        ),
        "xl/_rels/workbook.xml.rels": strToU8(
          `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`,
        ),
        "xl/worksheets/sheet1.xml": strToU8(sheet),
      }),
    );
    const o = await screen({ list, listName: "list.xlsx", campaign: CALL_2025 });
    assert.deepEqual(reconcile(o), { in: 2, allowed: 0, blocked: 2, rejected: 0 });
    const header =
      o
        .read("blocked.csv")
        .replace(/^\uFEFF/, "")
        .split("\r\n")[0]
        ?.split(";") ?? [];
    for (const row of o.rows("blocked.csv")) {
      assert.equal(row.length, header.length, row.join(";"));
      assert.equal(
        row[header.indexOf("rule")]?.includes("/"),
        true,
        `the rule under its heading: ${row.join(";")}`,
      );
    }
  });

  test("--encoding names the encodings it knows", () => {
    const dir = setup();
    const r = vigie(
      ["screen", "pige-excel.csv", "--campaign", "campaign.json", "--out", "out", "--encoding", "latin9"],
      dir,
    );
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--encoding latin9: expected one of utf8, utf16le, utf16be, windows-1252/);
  });
});

describe("workbooks", () => {
  test("Excel serial dates, 1900 and 1904 systems, with times", () => {
    assert.equal(serialDate(45698, false), "2025-02-10");
    assert.equal(serialDate(45698.5, false), "2025-02-10T12:00");
    assert.equal(serialDate(44236, true), "2025-02-10");
  });

  test("a workbook is found by its bytes whatever its name; an .xls or a false .xlsx is refused", async () => {
    const xlsx = readFileSync(join(EXAMPLES, "lists/pige-excel.xlsx"));
    const o = await screen({
      list: xlsx,
      listName: "export.csv",
      values: { set: { origin: "direct" }, maps: {} },
    });
    assert.equal(o.summary.inputs.list.format, "xlsx");
    reconcile(o);
    await assert.rejects(
      screen({ list: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), listName: "old.xls" }),
      (e) => e instanceof ListFileError && /Excel 97–2003 workbook \(\.xls\)/.test(e.message),
    );
    await assert.rejects(
      screen({ list: "id,phone\n", listName: "renamed.xlsx" }),
      (e) => e instanceof ListFileError && /not an Excel workbook/.test(e.message),
    );
    const dir = tempDir();
    writeFileSync(join(dir, "broken.xlsx"), Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(100)]));
    await assert.rejects(
      screen({ list: readFileSync(join(dir, "broken.xlsx")), listName: "broken.xlsx" }),
      (e) => e instanceof ListFileError && /not a zip file/.test(e.message),
    );
  });
});
