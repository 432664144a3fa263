import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rng } from "../../../bench/machine.ts";
import { type CsvOptions, CsvRecord, CsvScanner } from "./scanner.ts";
import { CsvWriter, formatCell, guardFormula } from "./writer.ts";

function records(input: string, options: CsvOptions = { delimiter: "," }): CsvRecord[] {
  const scanner = new CsvScanner({ header: false, ...options });
  return [...scanner.push(Buffer.from(input)), ...scanner.end()].filter((e) => e instanceof CsvRecord);
}

describe("formula injection", () => {
  test("cells a spreadsheet would run get a ' in front", () => {
    for (const cell of [
      "=1+1",
      '=HYPERLINK("http://x")',
      "@SUM(A1)",
      "+A1",
      "-2+3+cmd|' /C calc'!A0",
      "\t=1",
      "\r=1",
      "+",
      "-x",
    ]) {
      assert.equal(guardFormula(cell), `'${cell}`, JSON.stringify(cell));
    }
  });

  test("phone numbers and amounts, and everything else, are left alone", () => {
    for (const cell of [
      "+33612345678",
      "+33 6 12 34 56 78",
      "+1 (555) 010-0100",
      "-12,50",
      "-3.5",
      "",
      "a=1",
      "'=1",
      " =1",
    ]) {
      assert.equal(guardFormula(cell), cell, JSON.stringify(cell));
    }
  });
});

describe("cells", () => {
  test("quoted only when they must be", () => {
    assert.equal(formatCell("plain"), "plain");
    assert.equal(formatCell("a,b"), '"a,b"');
    assert.equal(formatCell('say "hi"'), '"say ""hi"""');
    assert.equal(formatCell("two\nlines"), '"two\nlines"');
    assert.equal(formatCell("cr\rhere"), '"cr\rhere"');
    assert.equal(formatCell(" padded"), '" padded"');
    assert.equal(formatCell("padded "), '"padded "');
    assert.equal(formatCell("a;b"), "a;b");
    assert.equal(formatCell("a;b", ";"), '"a;b"');
    assert.equal(formatCell("a\tb", "\t"), '"a\tb"');
    assert.equal(formatCell("a|b", "|"), '"a|b"');
  });

  test("guarded, then quoted", () => {
    assert.equal(formatCell("=1,2"), `"'=1,2"`);
    assert.equal(formatCell("\tx"), "'\tx");
  });
});

describe("CsvWriter", () => {
  test("rows, with the chosen delimiter and newline", () => {
    const writer = new CsvWriter({ delimiter: ";", newline: "\r\n" });
    writer.row(["id", "société", "note"]);
    writer.row(["1", "Dupont; fils", "=2*3"]);
    assert.equal(writer.take().toString(), 'id;société;note\r\n1;"Dupont; fils";\'=2*3\r\n');
    assert.equal(writer.length, 0);
    assert.equal(writer.take().length, 0);
  });

  test("a safe record is copied byte for byte, with the extra cells appended", () => {
    const input = 'id,phone,company\r\n1,+33 6 12 34 56 78,"Le ""Petit"", SARL"\r\n2,0612,"a\r\nb"';
    const writer = new CsvWriter();
    for (const record of records(input)) writer.record(record, ["allowed", "L34-5, CPCE"]);
    assert.equal(
      writer.take().toString(),
      'id,phone,company,allowed,"L34-5, CPCE"\n' +
        '1,+33 6 12 34 56 78,"Le ""Petit"", SARL",allowed,"L34-5, CPCE"\n' +
        '2,0612,"a\r\nb",allowed,"L34-5, CPCE"\n',
    );
  });

  test("a record with a cell to guard, a stray quote or another delimiter is re-encoded", () => {
    const writer = new CsvWriter();
    for (const record of records('1,"=cmd",x\n2,ab"c,y\n3,"@x""",z\n')) writer.record(record);
    for (const record of records("4;a,b;z\n", { delimiter: ";" })) writer.record(record, ["+ok"]);
    assert.equal(writer.take().toString(), '1,\'=cmd,x\n2,"ab""c",y\n3,"\'@x""",z\n4,"a,b",z,\'+ok\n');
  });

  test("the buffer grows past its first size", () => {
    const writer = new CsvWriter();
    const cell = "é".repeat(50_000);
    for (let i = 0; i < 3; i++) writer.row([cell, String(i)]);
    const text = writer.take().toString();
    assert.equal(text, `${cell},0\n${cell},1\n${cell},2\n`);
  });

  test("what is written reads back the same, guarded cells aside", () => {
    const r = rng(0x3177e);
    const alphabet = ["a", "é", "😀", " ", ",", ";", '"', "\n", "\r\n", "\r", "=", "+", "-", "@", "\t", "0"];
    const rows = Array.from({ length: 300 }, () =>
      Array.from({ length: 4 }, () => {
        let cell = "";
        for (let n = Math.floor(r() * 6); n > 0; n--) cell += alphabet[Math.floor(r() * alphabet.length)];
        return cell;
      }),
    );
    const writer = new CsvWriter({ delimiter: ";" });
    for (const row of rows) writer.row(row);
    const read = records(writer.take().toString(), { delimiter: ";" }).map((record) => record.fields());
    assert.deepEqual(
      read,
      rows.map((row) => row.map(guardFormula)),
    );
  });

  test("lines it wrote, read back, are written again byte for byte", () => {
    const r = rng(0x46a1);
    const alphabet = ["a", "é", " ", ";", '"', "\n", "\r\n", "=", "+33 6", "-", "@", "\t"];
    const writer = new CsvWriter({ delimiter: ";", newline: "\r\n" });
    for (let i = 0; i < 200; i++) {
      const cells = Array.from({ length: 3 }, () => alphabet[Math.floor(r() * alphabet.length)] as string);
      writer.row(cells);
    }
    const written = writer.take();
    for (const record of records(written.toString(), { delimiter: ";" })) writer.again(record.raw());
    assert.equal(writer.take().toString(), written.toString());
  });
});
