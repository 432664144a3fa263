// The outputs as Excel users open them: `--excel` writes the CSV files as French Excel does (UTF-8
// with BOM, `;`, CRLF) whatever the list's dialect, and `--xlsx` adds allowed.xlsx, blocked.xlsx and
// rejected.xlsx holding the CSV files' cells, read back here with vigie's own workbook reader.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse } from "csv-parse/sync";
import { SaxesParser } from "saxes";
import { guardFormula } from "../../src/io/csv/writer.ts";
import { openSheet } from "../../src/io/xlsx/workbook.ts";
import { MAX_CELL_CHARS, XlsxLimitError, XlsxWriter } from "../../src/io/xlsx/writer.ts";
import { zipEntries, zipEntry } from "../../src/io/xlsx/zip.ts";
import { loadCampaign } from "../../src/services/screen/campaign.ts";
import { columnNames } from "../../src/services/screen/columns.ts";
import { screenList } from "../../src/services/screen/run.ts";
import { unguarded } from "../../src/services/screen/xlsx-copies.ts";
import { CALL_2025, type Outputs, outputs, reconcile, tempDir, vigie } from "./helpers.ts";

const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;
const NAMES = ["allowed", "blocked", "rejected"] as const;
const EXCEL = { delimiter: ";", bom: true, newline: "\r\n" };

/** Screens `list` in-process with `--excel` / `--xlsx` as asked. */
async function run(
  list: string | Buffer,
  o: { excel?: boolean; xlsx?: boolean; dir?: string; listName?: string } = {},
): Promise<Outputs> {
  const dir = o.dir ?? tempDir();
  const file = join(dir, o.listName ?? "list.csv");
  writeFileSync(file, list);
  writeFileSync(join(dir, "campaign.json"), JSON.stringify(CALL_2025));
  const out = join(dir, "out");
  const summary = await screenList({
    list: file,
    campaignFile: join(dir, "campaign.json"),
    campaign: loadCampaign(join(dir, "campaign.json")),
    out,
    names: columnNames(undefined),
    excel: o.excel,
    xlsx: o.xlsx,
    lang: "en",
    evidence: null,
  });
  return outputs(out, summary);
}

/** Every record of a CSV output, header included. */
function csvRecords(o: Outputs, name: string): string[][] {
  const text = o.read(name).replace(/^\uFEFF/, "");
  return parse(text, { delimiter: o.summary.outputs.csv.delimiter }) as string[][];
}

/** Every row of a workbook output, header included, padded to the header's width. */
async function sheetRecords(file: string): Promise<string[][]> {
  const sheet = await openSheet(file, statSync(file).size);
  const rows: string[][] = [];
  for await (const batch of sheet.rows) for (const r of batch) rows.push([...r.cells]);
  const width = rows[0]?.length ?? 0;
  return rows.map((r) => [...r, ...Array<string>(Math.max(0, width - r.length)).fill("")]);
}

/** An entry of a zip file as text. */
async function entryText(file: string, name: string): Promise<string> {
  const entry = (await zipEntries(file, statSync(file).size)).get(name);
  assert.ok(entry, `${file} has no ${name}`);
  const chunks: Uint8Array[] = [];
  for await (const chunk of zipEntry(file, entry)) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

// Cells a spreadsheet would run, cells it would change (a 0, a +), and cells XML must escape.
const TRICKY = [
  "id,phone,note,kind",
  '1,0612345678,"=HYPERLINK(""http://x"",""clic"")",consumer',
  '2,+33 6 12 34 56 79,"a;b ""c"" <d> & e",professional',
  "3,06 12 34 56 80,@SUM(A1),consumer",
  "4,06 12 34 56 81,-,professional",
  '5,06 12 34 56 82,"ligne 1\r\nligne 2\nligne 3",professional',
  "6,06 12 34 56 83,\u000btab\u0001 _x0041_ Hélène 🙂,professional",
  '7,06 12 34 56 84,"  espaces  ",professional',
  "8,not a phone,-12,consumer",
  "9,06 12 34 56 85,+1+1,professional",
].join("\n");

describe("--excel", () => {
  test("a `,` LF list gives Excel's CSV: the same cells with BOM, `;` and CRLF", async () => {
    const list = await run(`${TRICKY}\n`);
    const excel = await run(`${TRICKY}\n`, { excel: true });
    assert.deepEqual(list.summary.outputs, {
      csv: { delimiter: ",", bom: false, newline: "\n" },
      dialectFrom: "list",
      xlsx: false,
    });
    assert.deepEqual(excel.summary.outputs, { csv: EXCEL, dialectFrom: "--excel", xlsx: false });
    assert.deepEqual(JSON.parse(excel.read("summary.json")).outputs, excel.summary.outputs);
    assert.deepEqual(reconcile(excel), reconcile(list));
    for (const name of NAMES) {
      const text = excel.read(`${name}.csv`);
      assert.ok(text.startsWith("\uFEFF"), `${name}.csv starts with a BOM`);
      // Every line ends in CRLF; the LF alone of line 5's note is inside quotes.
      assert.equal(text.split("\r\n").at(-1), "");
      assert.ok(!/[^\r]\n(?!ligne 3)/.test(text), `${name}.csv: a line end that is no CRLF`);
      assert.deepEqual(csvRecords(excel, `${name}.csv`), csvRecords(list, `${name}.csv`));
    }
    assert.match(excel.read("allowed.csv"), /^\uFEFFid;phone;note;kind;duplicate_of;interpreted\r\n/);
    assert.match(
      excel.read("blocked.csv"),
      /\r\n1;0612345678;"'=HYPERLINK\(""http:\/\/x"",""clic""\)";consumer;/,
    );
  });

  test("without it, an Excel list's outputs stay Excel's, a workbook's become so", async () => {
    const excelList = Buffer.from(`\uFEFF${TRICKY.replaceAll(",", ";").replaceAll("\n", "\r\n")}\r\n`);
    const o = await run(excelList);
    assert.deepEqual(o.summary.outputs, { csv: EXCEL, dialectFrom: "list", xlsx: false });
    assert.ok(o.read("blocked.csv").startsWith("\uFEFFid;phone;note;kind;rule;"));
    const workbook = await run(readFileSync(join(EXAMPLES, "lists/pige-excel.xlsx")), {
      listName: "pige.xlsx",
    });
    assert.deepEqual(workbook.summary.outputs, { csv: EXCEL, dialectFrom: "list", xlsx: false });
  });
});

describe("--xlsx", () => {
  test("each workbook holds its CSV's rows and cells; counts reconcile in both", async () => {
    for (const excel of [false, true]) {
      const o = await run(`${TRICKY}\n`, { xlsx: true, excel });
      const counts = reconcile(o);
      assert.deepEqual(counts, { in: 9, allowed: 6, blocked: 2, rejected: 1 });
      assert.equal(o.summary.outputs.xlsx, true);
      const guarded: string[] = [];
      for (const name of NAMES) {
        const csv = csvRecords(o, `${name}.csv`);
        const xlsx = await sheetRecords(join(o.dir, `${name}.xlsx`));
        assert.equal(xlsx.length, csv.length, `${name}: as many rows`);
        assert.equal(xlsx.length - 1, counts[name], `${name}: its count in summary.json`);
        csv.forEach((record, r) => {
          assert.equal(xlsx[r]?.length, record.length, `${name} row ${r + 1}: as many cells`);
          record.forEach((cell, c) => {
            const x = xlsx[r]?.[c] as string;
            // The one difference: the `'` the CSV puts before a formula is Excel's quotePrefix.
            assert.equal(x, unguarded(cell), `${name} row ${r + 1} cell ${c + 1}`);
            assert.equal(guardFormula(x), cell, `${name} row ${r + 1} cell ${c + 1}`);
            if (x !== cell) guarded.push(x);
          });
        });
      }
      assert.deepEqual(guarded.sort(), ["-", '=HYPERLINK("http://x","clic")', "@SUM(A1)"].sort());
      const rows = [
        ...(await sheetRecords(join(o.dir, "allowed.xlsx"))).slice(1),
        ...(await sheetRecords(join(o.dir, "blocked.xlsx"))).slice(1),
      ];
      const cells = (id: string) => rows.find((r) => r[0] === id)?.slice(1, 3);
      assert.deepEqual(cells("1"), ["0612345678", '=HYPERLINK("http://x","clic")']);
      assert.deepEqual(cells("2"), ["+33 6 12 34 56 79", 'a;b "c" <d> & e']);
      assert.equal(cells("5")?.[1], "ligne 1\r\nligne 2\nligne 3");
      assert.equal(cells("6")?.[1], "\u000btab\u0001 _x0041_ Hélène 🙂");
      assert.equal(cells("7")?.[1], "  espaces  ");
    }
  });

  test("the packages are well-formed XML, every cell a string, formula-like text marked as text", async () => {
    const o = await run(`${TRICKY}\n`, { xlsx: true });
    for (const name of NAMES) {
      const file = join(o.dir, `${name}.xlsx`);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const entries = [...(await zipEntries(file, statSync(file).size)).keys()];
      assert.deepEqual(entries, [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
      ]);
      for (const entry of entries) {
        const parser = new SaxesParser({ xmlns: true });
        parser.write(await entryText(file, entry)).close(); // throws on XML that is not well-formed
      }
      const types = await entryText(file, "[Content_Types].xml");
      for (const part of ["/xl/workbook.xml", "/xl/worksheets/sheet1.xml", "/xl/styles.xml"])
        assert.ok(types.includes(`PartName="${part}"`), `${name}: ${part} has its content type`);
      assert.match(await entryText(file, "xl/workbook.xml"), new RegExp(`<sheet name="${name}"`));
      const sheet = await entryText(file, "xl/worksheets/sheet1.xml");
      assert.match(sheet, /<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"\/>/);
      assert.doesNotMatch(sheet, /<f>|<f /, "no formula");
      const cells = [...sheet.matchAll(/<c r="([A-Z]+)(\d+)" s="(\d)" t="([a-zA-Z]+)">/g)];
      assert.ok(cells.length > 0);
      for (const [, , row, style, type] of cells) {
        assert.equal(type, "inlineStr");
        assert.equal(Number(style) & 1, row === "1" ? 0 : 1, "the header bold, the rows not");
      }
      const styles = await entryText(file, "xl/styles.xml");
      assert.match(styles, /<cellXfs count="5">/);
      assert.equal([...styles.matchAll(/numFmtId="49"/g)].length, 4, "every cell style is Text (@)");
    }
    // The formula, @SUM, the "-" placeholder and the numbers starting with + carry quotePrefix.
    const quoted: string[] = [];
    for (const name of NAMES) {
      const sheet = await entryText(join(o.dir, `${name}.xlsx`), "xl/worksheets/sheet1.xml");
      for (const m of sheet.matchAll(/<c r="[A-Z]+\d+" s="3" t="inlineStr"><is><t>([^<]*)<\/t>/g))
        quoted.push(m[1] as string);
    }
    assert.deepEqual(
      quoted.sort(),
      [
        "=HYPERLINK(&quot;http://x&quot;,&quot;clic&quot;)",
        "+33 6 12 34 56 79",
        "@SUM(A1)",
        "-",
        "+1+1",
      ].sort(),
    );
  });

  test("the same list gives the same bytes; a run without --xlsx removes the workbooks of an earlier one", async () => {
    const dir = tempDir();
    const first = await run(`${TRICKY}\n`, { xlsx: true, dir });
    const bytes = NAMES.map((n) => readFileSync(join(first.dir, `${n}.xlsx`)));
    await run(`${TRICKY}\n`, { xlsx: true, dir });
    assert.deepEqual(
      NAMES.map((n) => readFileSync(join(first.dir, `${n}.xlsx`))),
      bytes,
    );
    await run(`${TRICKY}\n`, { dir });
    assert.deepEqual(
      readdirSync(join(dir, "out")).filter((f) => f.endsWith(".xlsx")),
      [],
    );
  });

  test("a cell Excel cannot hold fails the run, naming it, and leaves DIR as it was", async () => {
    const dir = tempDir();
    const before = await run(`${TRICKY}\n`, { xlsx: true, dir });
    const files = readdirSync(before.dir).sort();
    const contents = files.map((f) => readFileSync(join(before.dir, f)));
    const long = "x".repeat(MAX_CELL_CHARS + 1);
    await assert.rejects(
      run(`id,phone,note\n1,06 12 34 56 78,${long}\n`, { xlsx: true, dir }),
      (e) =>
        e instanceof XlsxLimitError &&
        e.message ===
          "blocked.xlsx: cell C2: 32 768 characters, more than the 32 767 an Excel cell holds (blocked.csv holds it: screen without --xlsx)",
    );
    assert.deepEqual(readdirSync(before.dir).sort(), files);
    assert.deepEqual(
      files.map((f) => readFileSync(join(before.dir, f))),
      contents,
    );
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes("partial")),
      [],
      "no partial directory left",
    );
  });

  test("the sheet is deflated and handed out as it is written, not held until the end", () => {
    const w = new XlsxWriter("allowed");
    w.row(["id", "phone"]);
    let taken = 0;
    let takes = 0;
    for (let i = 0; i < 50_000; i++) {
      w.row([String(i), `06${String(i).padStart(8, "0")}`]);
      if (w.length > 64 * 1024) {
        taken += w.take().length;
        takes++;
      }
    }
    assert.ok(takes > 1, "bytes came out while rows were written");
    w.end();
    taken += w.take().length;
    assert.ok(taken > 0);
    assert.throws(() => new XlsxWriter("a/b"), /not a sheet name Excel accepts/);
  });
});

describe("vigie screen --excel --xlsx", () => {
  test("the options are in --help; a run writes the six files, a cell too long exits 2", () => {
    const dir = tempDir();
    const help = vigie(["screen", "--help"], dir);
    assert.match(help.stdout, /--excel +CSV outputs as Excel opens them/);
    assert.match(help.stdout, /--xlsx +also write allowed\.xlsx, blocked\.xlsx/);
    writeFileSync(join(dir, "list.csv"), `${TRICKY}\n`);
    writeFileSync(join(dir, "campaign.json"), JSON.stringify(CALL_2025));
    const args = ["screen", "list.csv", "--campaign", "campaign.json", "--out", "out"];
    const r = vigie([...args, "--excel", "--xlsx"], dir);
    assert.equal(r.status, 2, r.stderr); // line 9: not a phone
    assert.equal(r.stdout, "list.csv: 9 rows = 6 allowed + 2 blocked + 1 rejected → out\n");
    for (const name of NAMES) {
      assert.ok(existsSync(join(dir, "out", `${name}.xlsx`)));
      assert.match(readFileSync(join(dir, "out", `${name}.csv`), "utf8"), /^\uFEFF(id|line);/);
    }
    writeFileSync(join(dir, "long.csv"), `id,phone,note\n1,06 12 34 56 78,${"x".repeat(40_000)}\n`);
    const long = vigie(["screen", "long.csv", "--campaign", "campaign.json", "--out", "long", "--xlsx"], dir);
    assert.equal(long.status, 2);
    assert.match(
      long.stderr,
      /vigie: long\.csv: blocked\.xlsx: cell C2: 40 000 characters, .*; nothing written\n$/,
    );
    assert.deepEqual(readdirSync(join(dir, "long")), []);
  });
});
