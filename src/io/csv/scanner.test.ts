import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, test } from "node:test";
import { type CsvEvent, type CsvOptions, CsvRecord, CsvScanner, readCsvHeader, scanCsv } from "./scanner.ts";

type Seen =
  | { header: readonly string[]; line: number; raw: string }
  | { line: number; start: number; end: number; fields: string[]; raw: string }
  | { error: string; line: number; column: number | undefined; raw: string | undefined; fatal: boolean };

function describeEvent(event: CsvEvent): Seen {
  if (event instanceof CsvRecord) {
    return {
      line: event.line,
      start: event.start,
      end: event.end,
      fields: event.fields(),
      raw: event.raw().toString("latin1"),
    };
  }
  if (event.kind === "header") {
    return { header: event.names, line: event.line, raw: event.record.raw().toString("latin1") };
  }
  return {
    error: event.message,
    line: event.line,
    column: event.column,
    raw: event.raw?.toString("latin1"),
    fatal: event.fatal,
  };
}

/** Scans `input` cut at `cuts` (byte positions), so records straddle chunks where the cuts fall. */
function scan(input: string | Buffer, options: CsvOptions = {}, cuts: readonly number[] = []): Seen[] {
  const bytes = typeof input === "string" ? Buffer.from(input) : input;
  const scanner = new CsvScanner(options);
  const events: CsvEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...scanner.push(bytes.subarray(from, cut)));
    from = cut;
  }
  events.push(...scanner.end());
  return events.map(describeEvent);
}

const everyByte = (length: number): number[] => Array.from({ length }, (_, i) => i + 1);

describe("records", () => {
  test("header, records, line numbers and byte offsets", () => {
    assert.deepEqual(scan("id,name\n1,Zoé\n2,Luc\n"), [
      { header: ["id", "name"], line: 1, raw: "id,name" },
      { line: 2, start: 8, end: 14, fields: ["1", "Zoé"], raw: "1,Zo\xc3\xa9" },
      { line: 3, start: 15, end: 20, fields: ["2", "Luc"], raw: "2,Luc" },
    ]);
  });

  test("header names are trimmed, fields are not", () => {
    assert.deepEqual(scan(" id , name \n 1 , a \n")[0], {
      header: ["id", "name"],
      line: 1,
      raw: " id , name ",
    });
    assert.deepEqual(scan(" id , name \n 1 , a \n")[1], {
      line: 2,
      start: 12,
      end: 19,
      fields: [" 1 ", " a "],
      raw: " 1 , a ",
    });
  });

  test("a UTF-8 BOM is skipped, and offsets still count its 3 bytes", () => {
    const [header, record] = scan("\ufeffa,b\n1,2\n");
    assert.deepEqual(header, { header: ["a", "b"], line: 1, raw: "a,b" });
    assert.deepEqual(record, { line: 2, start: 7, end: 10, fields: ["1", "2"], raw: "1,2" });
  });

  test("Excel's `sep=` first line names the delimiter and is not read as the header, in every chunking", () => {
    const input = "\ufeffsep=;\r\nid;name,first\r\n1;Dupont, Jean\r\n";
    const expected = [
      { header: ["id", "name,first"], line: 2, raw: "id;name,first" },
      { line: 3, start: 25, end: 39, fields: ["1", "Dupont, Jean"], raw: "1;Dupont, Jean" },
    ];
    const bytes = Buffer.from(input);
    assert.deepEqual(scan(bytes), expected);
    for (const cut of everyByte(bytes.length - 1))
      assert.deepEqual(scan(bytes, {}, [cut]), expected, `cut ${cut}`);
    // Without a BOM, LF only, a tab; the caller's delimiter wins over the line's (which is still skipped).
    assert.deepEqual(scan("sep=\t\na,b\tc\n")[0], { header: ["a,b", "c"], line: 2, raw: "a,b\tc" });
    assert.deepEqual(scan("SEP=;\na,b;c\n", { delimiter: "," })[0], {
      header: ["a", "b;c"],
      line: 2,
      raw: "a,b;c",
    });
    // Anything else on the first line is the header.
    assert.deepEqual(scan("sep=;x\n1\n")[0], { header: ["sep=", "x"], line: 1, raw: "sep=;x" });
  });

  test("CRLF and LF line ends, mixed; the CR is not part of the record", () => {
    assert.deepEqual(scan("a,b\r\n1,2\n3,4\r\n"), [
      { header: ["a", "b"], line: 1, raw: "a,b" },
      { line: 2, start: 5, end: 8, fields: ["1", "2"], raw: "1,2" },
      { line: 3, start: 9, end: 12, fields: ["3", "4"], raw: "3,4" },
    ]);
  });

  test('quoted fields: "" escapes, delimiters, LF, CRLF and a lone CR kept as data', () => {
    const events = scan('a,b\n"x,""y""","1\n2\r\n3\r4"\n5,6\n');
    assert.deepEqual(events[1], {
      line: 2,
      start: 4,
      end: 24,
      fields: ['x,"y"', "1\n2\r\n3\r4"],
      raw: '"x,""y""","1\n2\r\n3\r4"',
    });
    // The record above spans lines 2–4 (a lone CR is no line break), so the next starts on line 5.
    assert.deepEqual(events[2], { line: 5, start: 25, end: 28, fields: ["5", "6"], raw: "5,6" });
  });

  test("a quote inside an unquoted field is data", () => {
    assert.deepEqual(scan('a,b\nDupont "Le Petit",x"\n')[1], {
      line: 2,
      start: 4,
      end: 24,
      fields: ['Dupont "Le Petit"', 'x"'],
      raw: 'Dupont "Le Petit",x"',
    });
  });

  test("a last record without a line end; a delimiter at the very end makes an empty last field", () => {
    assert.deepEqual(scan("a,b\n1,2").at(-1), { line: 2, start: 4, end: 7, fields: ["1", "2"], raw: "1,2" });
    assert.deepEqual(scan("a,b\n1,").at(-1), { line: 2, start: 4, end: 6, fields: ["1", ""], raw: "1," });
    assert.deepEqual(scan('a,b\n1,""').at(-1), { line: 2, start: 4, end: 8, fields: ["1", ""], raw: '1,""' });
  });

  test("empty lines are skipped but counted", () => {
    const events = scan("\n\r\na,b\n\n1,2\r\n\r\n\n3,4\n\n");
    assert.deepEqual(
      events.map((e) => e.line),
      [3, 5, 8],
    );
    assert.equal(events.length, 3);
  });

  test("a line of two quotes is a record with one empty field, not an empty line", () => {
    assert.deepEqual(scan('a\n""\nx\n', { delimiter: "," }), [
      { header: ["a"], line: 1, raw: "a" },
      { line: 2, start: 2, end: 4, fields: [""], raw: '""' },
      { line: 3, start: 5, end: 6, fields: ["x"], raw: "x" },
    ]);
  });

  test("fields decode lazily and fieldStart/fieldEnd/quoted point at the content", () => {
    const events = new CsvScanner({ delimiter: "," }).push(Buffer.from('a,b,c\n1,"x""y",\n'));
    const record = events[1];
    assert.ok(record instanceof CsvRecord);
    assert.equal(record.fieldCount, 3);
    assert.equal(record.field(1), 'x"y');
    assert.equal(record.buffer.toString("utf8", record.fieldStart(1), record.fieldEnd(1)), 'x""y');
    assert.deepEqual(
      [0, 1, 2].map((i) => record.quoted(i)),
      [false, true, false],
    );
    assert.equal(record.field(2), "");
    assert.throws(() => record.field(3), RangeError);
    assert.throws(() => record.field(-1), RangeError);
  });

  test("without a header, the first record sets the field count", () => {
    assert.deepEqual(scan("1,2\n3\n4,5\n", { header: false }), [
      { line: 1, start: 0, end: 3, fields: ["1", "2"], raw: "1,2" },
      {
        error: "expected 2 fields, as in the first record, found 1",
        line: 2,
        column: undefined,
        raw: "3",
        fatal: false,
      },
      { line: 3, start: 6, end: 9, fields: ["4", "5"], raw: "4,5" },
    ]);
  });

  test("0-byte input, a lone BOM and empty lines only: no event", () => {
    for (const input of ["", "\ufeff", "\n\r\n\n"]) assert.deepEqual(scan(input), [], JSON.stringify(input));
  });

  test("header-only input, with or without its line end", () => {
    for (const input of ["a;b", "a;b\n", "a;b\r\n\r\n"]) {
      assert.deepEqual(scan(input), [{ header: ["a", "b"], line: 1, raw: "a;b" }]);
    }
  });
});

describe("errors", () => {
  test("a character after a closing quote rejects the row, naming line and field; the next row is read", () => {
    assert.deepEqual(scan('a,b\n1,"ab"c\n"2",3\n'), [
      { header: ["a", "b"], line: 1, raw: "a,b" },
      {
        error: "unexpected character after the closing quote of field 2",
        line: 2,
        column: 2,
        raw: '1,"ab"c',
        fatal: false,
      },
      { line: 3, start: 12, end: 17, fields: ["2", "3"], raw: '"2",3' },
    ]);
  });

  test("an error on a row's first line rejects it whole: its quoted line breaks count, a quoted delimiter is skipped", () => {
    const events = scan('a,b\n"x"y,"1\n2,3"\n4,5\n');
    assert.equal(events.length, 3);
    assert.deepEqual(events[1], {
      error: "unexpected character after the closing quote of field 1",
      line: 2,
      column: 1,
      raw: '"x"y,"1\n2,3"',
      fatal: false,
    });
    assert.deepEqual(events[2], { line: 4, start: 17, end: 20, fields: ["4", "5"], raw: "4,5" });
  });

  test("a quote never closed rejects its line alone; the lines after it are rows of their own", () => {
    const input = 'a,b\n1,2\n3,"open\n4,5\n6,7\n';
    const expected = [
      { header: ["a", "b"], line: 1, raw: "a,b" },
      { line: 2, start: 4, end: 7, fields: ["1", "2"], raw: "1,2" },
      {
        error:
          "field 2: the quote opened on line 3 is not closed on that line, and read on across the lines after it gives no valid row: the row is rejected up to the end of line 3, and the next line is read as a row of its own",
        line: 3,
        column: 2,
        raw: '3,"open',
        fatal: false,
      },
      { line: 4, start: 16, end: 19, fields: ["4", "5"], raw: "4,5" },
      { line: 5, start: 20, end: 23, fields: ["6", "7"], raw: "6,7" },
    ];
    assert.deepEqual(scan(input), expected);
    for (const cut of everyByte(input.length - 1))
      assert.deepEqual(scan(input, {}, [cut]), expected, `cut ${cut}`);
    assert.deepEqual(scan(input, {}, everyByte(input.length - 1)), expected);
  });

  test("a stray quote that a later quote closes: its line is rejected, every later line read and counted", () => {
    // As a scraped ad's title may hold: the stray quote on line 2 pairs with the first quote of
    // line 4, which makes a row of the wrong width; valid quoted fields, line breaks included, stay.
    const input = 'a,b,c\n1,"stray,x\n2,y,z\n3,"ok ""q""",w\n4,"multi\nline",v\r\n5,"x"\r\n';
    const expected = [
      { header: ["a", "b", "c"], line: 1, raw: "a,b,c" },
      {
        error:
          "field 2: the quote opened on line 2 is not closed on that line, and read on across the lines after it gives no valid row: the row is rejected up to the end of line 2, and the next line is read as a row of its own",
        line: 2,
        column: 2,
        raw: '1,"stray,x',
        fatal: false,
      },
      { line: 3, start: 17, end: 22, fields: ["2", "y", "z"], raw: "2,y,z" },
      { line: 4, start: 23, end: 37, fields: ["3", 'ok "q"', "w"], raw: '3,"ok ""q""",w' },
      { line: 5, start: 38, end: 54, fields: ["4", "multi\nline", "v"], raw: '4,"multi\nline",v' },
      {
        error: "expected 3 fields, as in the header, found 2",
        line: 7,
        column: undefined,
        raw: '5,"x"',
        fatal: false,
      },
    ];
    assert.deepEqual(scan(input), expected);
    for (const cut of everyByte(input.length - 1))
      assert.deepEqual(scan(input, {}, [cut]), expected, `cut ${cut}`);
  });

  test("a quoted field that really goes on to the next line, in a row that is wrong: the row is rejected whole", () => {
    // Its first line is short of fields (the address goes on), so it is no stray quote: reading its
    // next line as a row would decide a fragment, its columns shifted.
    const input = 'a,b,c\n1,"addr\nline2",06 12 34 56 78,extra\n2,x,y\n';
    const expected = [
      { header: ["a", "b", "c"], line: 1, raw: "a,b,c" },
      {
        error: "expected 3 fields, as in the header, found 4",
        line: 2,
        column: undefined,
        raw: '1,"addr\nline2",06 12 34 56 78,extra',
        fatal: false,
      },
      { line: 4, start: 42, end: 47, fields: ["2", "x", "y"], raw: "2,x,y" },
    ];
    assert.deepEqual(scan(input), expected);
    for (const cut of everyByte(input.length - 1))
      assert.deepEqual(scan(input, {}, [cut]), expected, `cut ${cut}`);
  });

  test("a quote left open on a row with quoted line breaks before it: the row is rejected to the end of that quote's line", () => {
    const events = scan('a,b\n"x\ny","\nz,1\n');
    assert.deepEqual(events.slice(1), [
      {
        error:
          "field 2: the quote opened on line 3 is not closed on that line, and read on across the lines after it gives no valid row: the row is rejected up to the end of line 3, and the next line is read as a row of its own",
        line: 2,
        column: 2,
        raw: '"x\ny","',
        fatal: false,
      },
      { line: 4, start: 12, end: 15, fields: ["z", "1"], raw: "z,1" },
    ]);
  });

  test("a stray quote in a long file is cut before its field grows past the limit, in any chunking", () => {
    const lines = ["a,b", '1,"stray'];
    for (let i = 2; i < 40; i++) lines.push(`${i},v${i}`);
    const input = `${lines.join("\n")}\n`;
    const options = { maxFieldBytes: 32, maxRecordBytes: 64 };
    for (const step of [1, 7, 64, input.length]) {
      const cuts = Array.from({ length: Math.ceil(input.length / step) - 1 }, (_, i) => (i + 1) * step);
      const events = scan(input, options, cuts);
      const errors = events.filter((e) => "error" in e);
      assert.deepEqual(
        errors.map((e) => [e.line, e.raw]),
        [[2, '1,"stray']],
        `chunks of ${step}`,
      );
      const records = events.filter((e) => "fields" in e);
      assert.deepEqual(
        records.map((r) => ("fields" in r ? r.fields : [])),
        lines.slice(2).map((l) => l.split(",")),
      );
    }
  });

  test("a quote opened on the last line and never closed rejects that line", () => {
    assert.deepEqual(scan('a,b\n1,2\n3,"open').slice(2), [
      {
        error: "field 2: the quote opened on line 3 is never closed, so the rest of the input is inside it",
        line: 3,
        column: 2,
        raw: undefined,
        fatal: true,
      },
    ]);
  });

  test("a CR outside quotes without LF rejects the row, which ends there: what follows is a row", () => {
    // The CR counts as a line end, as Excel and most editors show it: "y" is on line 3.
    assert.deepEqual(scan("a,b\n1,x\ry\n2,3\n").slice(1), [
      {
        error: "carriage return outside quotes without a line feed after it",
        line: 2,
        column: 2,
        raw: "1,x",
        fatal: false,
      },
      {
        error: "expected 2 fields, as in the header, found 1",
        line: 3,
        column: undefined,
        raw: "y",
        fatal: false,
      },
      { line: 4, start: 10, end: 13, fields: ["2", "3"], raw: "2,3" },
    ]);
  });

  test("rows ending with a CR alone after a CRLF header are each rejected, none merged into another", () => {
    const events = scan("phone,kind\r\n0612345601,consumer\r0612345602,consumer\r0612345603,consumer\r");
    assert.deepEqual(
      events.map((e) => ("error" in e ? `${e.line}: ${e.raw}: ${e.error}` : e.line)),
      [
        1,
        "2: 0612345601,consumer: carriage return outside quotes without a line feed after it",
        "3: 0612345602,consumer: carriage return outside quotes without a line feed after it",
        "4: 0612345603,consumer: carriage return outside quotes without a line feed after it",
      ],
    );
    // Cut at any byte, the same events.
    const text = "a,b\r\n1,2\r3,4\r\n5,6\r";
    assert.deepEqual(scan(text, {}, everyByte(text.length - 1)), scan(text));
    assert.deepEqual(
      scan(text).map((e) => ("error" in e ? `${e.line}: ${e.raw}` : e.line)),
      [1, "2: 1,2", 3, "4: 5,6"],
    );
  });

  test("wrong field counts are rejected row by row, not fatally", () => {
    const events = scan("a,b,c\n1,2\n1,2,3\n1,2,3,4\n,,\n");
    assert.deepEqual(
      events.map((e) => ("error" in e ? `${e.line}: ${e.error}` : e.line)),
      [
        1,
        "2: expected 3 fields, as in the header, found 2",
        3,
        "4: expected 3 fields, as in the header, found 4",
        5,
      ],
    );
  });

  test("invalid UTF-8 (Latin-1 bytes) rejects the row, naming its line and column", () => {
    const latin1 = Buffer.from(
      "id,company,city\n1,Dupont,Paris\n2,Société Générale,Évry\n3,Zoé,Nîmes\n",
      "latin1",
    );
    const events = scan(latin1);
    assert.deepEqual(
      events.map((e) => ("error" in e ? `${e.line}:${e.column}: ${e.error}` : e.line)),
      [1, 2, "3:2: invalid UTF-8 in field 2 (company)", "4:2: invalid UTF-8 in field 2 (company)"],
    );
  });

  test("invalid UTF-8 only in a later column is found, in a row carried across chunks too", () => {
    const input = Buffer.concat([Buffer.from("a,b,c\nx,y,"), Buffer.from([0xe9]), Buffer.from("\n1,2,3\n")]);
    for (const cut of everyByte(input.length - 1)) {
      const events = scan(input, {}, [cut]);
      assert.equal(events.length, 3);
      assert.deepEqual(events[1], {
        error: "invalid UTF-8 in field 3 (c)",
        line: 2,
        column: 3,
        raw: "x,y,\xe9",
        fatal: false,
      });
    }
  });

  test("a header that cannot be read is one fatal error", () => {
    assert.deepEqual(scan('a,"b"x\n1,2\n'), [
      {
        error: "header: unexpected character after the closing quote of field 2",
        line: 1,
        column: 2,
        raw: 'a,"b"x',
        fatal: true,
      },
    ]);
    assert.deepEqual(scan(Buffer.from("caf\xe9,b\n1,2\n", "latin1")), [
      { error: "header: invalid UTF-8", line: 1, column: undefined, raw: "caf\xe9,b", fatal: true },
    ]);
  });

  test("a field over maxFieldBytes rejects its row, without its bytes, wherever the chunks are cut", () => {
    const input = `a,b\n1,${"x".repeat(40)}\n2,"${"y".repeat(20)}""${"y".repeat(20)}"\n3,${"z".repeat(32)}\n4,5\n`;
    const expected = [
      { header: ["a", "b"], line: 1, raw: "a,b" },
      { error: "field 2 is longer than 32 bytes", line: 2, column: 2, raw: undefined, fatal: false },
      { error: "field 2 is longer than 32 bytes", line: 3, column: 2, raw: undefined, fatal: false },
      { line: 4, start: 94, end: 128, fields: ["3", "z".repeat(32)], raw: `3,${"z".repeat(32)}` },
      { line: 5, start: 129, end: 132, fields: ["4", "5"], raw: "4,5" },
    ];
    assert.deepEqual(scan(input, { maxFieldBytes: 32 }), expected);
    for (const cut of everyByte(input.length - 1)) {
      assert.deepEqual(scan(input, { maxFieldBytes: 32 }, [cut]), expected, `cut at ${cut}`);
    }
  });

  test("a record over maxRecordBytes is rejected the same way", () => {
    const input = `a,b,c\n1,2,3\n${"x".repeat(10)},${"y".repeat(10)},${"z".repeat(10)}\n4,5,6\n`;
    const expected = scan(input, { maxRecordBytes: 24 });
    assert.deepEqual(
      expected.map((e) => ("error" in e ? `${e.line}: ${e.error}` : e.line)),
      [1, 2, "3: record is longer than 24 bytes", 4],
    );
    for (const cut of everyByte(input.length - 1)) {
      assert.deepEqual(scan(input, { maxRecordBytes: 24 }, [cut]), expected, `cut at ${cut}`);
    }
  });
});

describe("chunk boundaries", () => {
  const inputs = [
    'id;nom;ville\r\n1;"Zoé ""la"" Grande";Évry\r\n\r\n2;"a\r\nb";"x;y"\r\n3;😀;\r\n',
    '\ufeffa,b\n"",""""\n"\r",\r\n"é\n",ü\n\n"ab"c,1\n5,6',
    "a\tb\n1\t\n\t2\n3\t\x22x\x22\x22\x22\n",
    'a|b|c\n1|"2|3"|4\r\n5|6\r7|8\n9|10|11\n"open|12',
  ];

  for (const input of inputs) {
    test(`every split position, and byte by byte: ${JSON.stringify(input).slice(0, 40)}…`, () => {
      const bytes = Buffer.from(input);
      const whole = scan(bytes);
      assert.ok(whole.length >= 3);
      for (const cut of everyByte(bytes.length - 1))
        assert.deepEqual(scan(bytes, {}, [cut]), whole, `cut at ${cut}`);
      assert.deepEqual(scan(bytes, {}, everyByte(bytes.length - 1)), whole, "byte by byte");
    });
  }

  test("a stray quote cut at its line end after a record carried from the chunk before: the same rows as in one chunk", () => {
    // The record carried over is read from the chunk before's tail; the rest after the cut line
    // was taken from the wrong offset, losing or misreading the rows after it.
    const filler = Array.from(
      { length: 40 },
      (_, i) => `06200000${String(i).padStart(2, "0")};01/11/2026;Agence Dupont;all;letter\r\n`,
    );
    const carried = "0620888888;01/11/2026;Agence Dupont;all;letter\r\n";
    const input = Buffer.from(
      `phone;at;controller;channel;via\r\n${filler.join("")}${carried}` +
        '0611111111;01/11/2026;"Agence Dupont;all;letter\r\n' +
        "0612345678;01/11/2026;Agence Dupont;all;letter\r\n" +
        '0645108802;01/11/2026;"Durand; Fils";all;letter\r\n',
    );
    const whole = scan(input);
    assert.deepEqual(
      whole
        .filter((e) => "fields" in e)
        .map((e) => ("fields" in e ? e.fields[0] : ""))
        .slice(-3),
      ["0620888888", "0612345678", "0645108802"],
    );
    const at = input.indexOf(carried);
    for (let cut = at + 1; cut < at + carried.length; cut++)
      assert.deepEqual(scan(input, {}, [cut]), whole, `cut at ${cut}`);
  });

  test("records cut by a boundary are copied into a buffer of their own; the others point into the chunk", () => {
    const chunk1 = Buffer.from("a,b\n1,2\n3,");
    const chunk2 = Buffer.from("4\n5,6\n");
    const scanner = new CsvScanner({ delimiter: "," });
    const first = scanner.push(chunk1);
    const second = scanner.push(chunk2);
    const [r12] = first.filter((e) => e instanceof CsvRecord);
    const [r34, r56] = second.filter((e) => e instanceof CsvRecord);
    assert.ok(r12 && r34 && r56);
    const inside = (record: CsvRecord, chunk: Buffer): boolean =>
      record.buffer.buffer === chunk.buffer &&
      record.buffer.byteOffset >= chunk.byteOffset &&
      record.buffer.byteOffset + record.buffer.length <= chunk.byteOffset + chunk.length;
    assert.ok(inside(r12, chunk1));
    assert.ok(!inside(r34, chunk1) && !inside(r34, chunk2));
    assert.ok(inside(r56, chunk2));
    assert.deepEqual([r34.fields(), r34.start, r34.end], [["3", "4"], 8, 11]);
  });

  test("a record spanning many chunks is read whole", () => {
    const field = "é".repeat(5000);
    const input = Buffer.from(`a,b\n"${field}",2\n3,4\n`);
    const cuts = Array.from({ length: Math.floor(input.length / 7) }, (_, i) => 7 * (i + 1));
    const events = scan(input, {}, cuts);
    assert.deepEqual(
      events.map((e) => ("fields" in e ? e.fields : "header" in e ? e.header : e.error)),
      [
        ["a", "b"],
        [field, "2"],
        ["3", "4"],
      ],
    );
  });
});

describe("delimiter sniffing", () => {
  const delimiterOf = (input: string, cuts: readonly number[] = []): string | undefined => {
    const scanner = new CsvScanner();
    const bytes = Buffer.from(input);
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      scanner.push(bytes.subarray(from, cut));
      from = cut;
    }
    scanner.end();
    return scanner.delimiter;
  };

  test("each candidate is found", () => {
    assert.equal(delimiterOf("a,b,c\n1,2,3\n"), ",");
    assert.equal(delimiterOf("a;b;c\n1;2;3\n"), ";");
    assert.equal(delimiterOf("a\tb\tc\n1\t2\t3\n"), "\t");
    assert.equal(delimiterOf("a|b|c\n1|2|3\n"), "|");
  });

  test("delimiters inside quotes are not counted", () => {
    assert.equal(delimiterOf('"a,b,c";x\n"1,2";3\n'), ";");
  });

  test("a candidate counted the same in every record beats one that only the header has more of", () => {
    assert.equal(delimiterOf("nom;adresse, ville\nDupont;12 rue X\nMartin;3 place Y\n"), ";");
    assert.equal(delimiterOf("nom;adresse\nDupont;12, rue X\nMartin;3 place Y\n"), ";");
  });

  test("ties go to `,`, then `;`, `\\t`, `|`; a single column gets `,`", () => {
    assert.equal(delimiterOf("a,b;c\n1,2;3\n"), ",");
    assert.equal(delimiterOf("a|b;c\n1|2;3\n"), ";");
    assert.equal(delimiterOf("name\nZoé\n"), ",");
    assert.equal(delimiterOf(""), ",");
  });

  test("only the first 10 records count, however the input is cut", () => {
    const input = `a;b\n${"1;2\n".repeat(9)}${"x,y,z\n".repeat(20)}`;
    assert.equal(delimiterOf(input), ";");
    for (const cut of everyByte(input.length - 1)) assert.equal(delimiterOf(input, [cut]), ";");
  });

  test("a given delimiter is used as is", () => {
    assert.deepEqual(scan("a;b,c\n1;2,3\n", { delimiter: "," })[1], {
      line: 2,
      start: 6,
      end: 11,
      fields: ["1;2", "3"],
      raw: "1;2,3",
    });
  });
});

describe("memory", () => {
  // Hands out the same 64 KiB buffer again and again, so that the input itself costs no memory and
  // any growth is the scanner's.
  async function* bigField(quoted: boolean, megabytes: number): AsyncGenerator<Buffer> {
    const filler = Buffer.alloc(64 * 1024, "x");
    yield Buffer.from(`id,company\n1,${quoted ? '"' : ""}`);
    for (let i = 0; i < megabytes * 16; i++) {
      if (quoted && i === 100) yield Buffer.from('"",\n'); // an escape and a line break inside
      yield filler;
    }
    yield Buffer.from(`${quoted ? '"' : ""}\n2,ok\n`);
  }

  for (const quoted of [false, true]) {
    test(`a 50 MB ${quoted ? "quoted" : "unquoted"} field is one error; the next row is read; memory stays flat`, async () => {
      const before = process.memoryUsage();
      let peakBuffers = 0;
      const events: CsvEvent[] = [];
      const scanner = new CsvScanner();
      for await (const chunk of bigField(quoted, 50)) {
        events.push(...scanner.push(chunk));
        peakBuffers = Math.max(peakBuffers, process.memoryUsage().arrayBuffers - before.arrayBuffers);
      }
      events.push(...scanner.end());
      assert.deepEqual(
        events.map(describeEvent).map((e) => ("fields" in e ? e.fields : "header" in e ? e.header : e)),
        [
          ["id", "company"],
          {
            error: "field 2 is longer than 1048576 bytes",
            line: 2,
            column: 2,
            raw: undefined,
            fatal: false,
          },
          ["2", "ok"],
        ],
      );
      assert.equal(events.filter((e) => e instanceof CsvRecord)[0]?.line, quoted ? 4 : 3);
      assert.ok(peakBuffers < 8 * 1024 * 1024, `buffers grew by ${peakBuffers} bytes`);
      assert.ok(process.memoryUsage().rss - before.rss < 200 * 1024 * 1024);
    });
  }
});

describe("streams", () => {
  const input = "id;email\r\n1;a@example.fr\r\n2;b@example.fr\r\n";

  test("scanCsv yields one array of events per chunk, and returns a summary", async () => {
    const batches: number[] = [];
    const chunks = [Buffer.from(input.slice(0, 20)), Buffer.from(input.slice(20))];
    const generator = scanCsv(Readable.from(chunks), { delimiter: ";" });
    let result = await generator.next();
    while (!result.done) {
      batches.push(result.value.length);
      result = await generator.next();
    }
    assert.deepEqual(batches, [1, 2]);
    assert.deepEqual(result.value, {
      delimiter: ";",
      header: ["id", "email"],
      records: 2,
      errors: 0,
      bytes: 42,
    });
  });

  test("readCsvHeader stops at the header, and throws on an empty input", async () => {
    const header = await readCsvHeader(Readable.from([Buffer.from(input)]));
    assert.deepEqual([header.names, header.delimiter, header.line], [["id", "email"], ";", 1]);
    await assert.rejects(readCsvHeader(Readable.from([Buffer.alloc(0)])), /empty input/);
    await assert.rejects(readCsvHeader(Readable.from([Buffer.from('"a\n')])), /line 1: header: field 1/);
  });

  test("text chunks are refused: offsets are in bytes", () => {
    const scanner = new CsvScanner();
    assert.throws(() => scanner.push("a,b\n" as unknown as Uint8Array), TypeError);
  });
});
