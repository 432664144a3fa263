// Differential test: the scanner against papaparse and csv-parse on seeded generated files full of
// the hard cases (quotes, `""` escapes, line breaks and lone CRs inside quotes, CRLF, every
// delimiter, accents, 4-byte characters, empty fields, stray quotes inside unquoted fields),
// each fed to the scanner in randomly cut chunks. Every record must have the same fields.

import assert from "node:assert/strict";
import { test } from "node:test";
import { parse as csvParse } from "csv-parse/sync";
import Papa from "papaparse";
import { rng } from "../../../bench/machine.ts";
import { CsvRecord, CsvScanner, type Delimiter } from "./scanner.ts";
import { DELIMITERS } from "./sniff.ts";

const FILES = 600;
const PIECES = [
  "",
  "a",
  "Zoé",
  "é",
  "😀",
  " ",
  '"',
  '""',
  "\n",
  "\r\n",
  "\r",
  "x y",
  "Société Générale",
  "0612",
];

interface Generated {
  text: string;
  delimiter: Delimiter;
  newline: "\n" | "\r\n";
  rows: string[][];
}

function generate(r: () => number): Generated {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const delimiter = pick(DELIMITERS);
  const newline = r() < 0.5 ? "\n" : "\r\n";
  const columns = 2 + Math.floor(r() * 5);
  const rows = Array.from({ length: 1 + Math.floor(r() * 30) }, () =>
    Array.from({ length: columns }, () => {
      let cell = "";
      for (let n = Math.floor(r() * 5); n > 0; n--) cell += r() < 0.1 ? pick(DELIMITERS) : pick(PIECES);
      return cell;
    }),
  );
  const encode = (cell: string): string => {
    const must = /["\r\n]/.test(cell) || cell.includes(delimiter);
    // A quote inside an unquoted field is data (not first: that would open a quoted field).
    const stray = !/[\r\n]/.test(cell) && !cell.includes(delimiter) && !cell.startsWith('"') && r() < 0.3;
    if ((must && !stray) || (!must && r() < 0.3)) return `"${cell.replaceAll('"', '""')}"`;
    return cell;
  };
  const lines = rows.map((row) => row.map(encode).join(delimiter));
  const text = lines.join(newline) + (r() < 0.5 ? newline : "");
  return { text, delimiter, newline, rows };
}

function scanned(bytes: Buffer, delimiter: Delimiter, r: () => number): string[][] {
  const scanner = new CsvScanner({ delimiter, header: false });
  const out: string[][] = [];
  const take = (events: ReturnType<CsvScanner["push"]>): void => {
    for (const event of events) {
      assert.ok(event instanceof CsvRecord, `unexpected ${JSON.stringify(event)}`);
      out.push(event.fields());
    }
  };
  let from = 0;
  while (from < bytes.length) {
    const to = Math.min(bytes.length, from + 1 + Math.floor(r() * 40));
    take(scanner.push(bytes.subarray(from, to)));
    from = to;
  }
  take(scanner.end());
  return out;
}

test(`${FILES} generated files read the same by the scanner, papaparse and csv-parse`, () => {
  const r = rng(0xc5f_2026);
  let records = 0;
  for (let file = 0; file < FILES; file++) {
    const { text, delimiter, newline, rows } = generate(r);
    const ours = scanned(Buffer.from(text), delimiter, r);
    const papa = Papa.parse<string[]>(text, { delimiter, newline, skipEmptyLines: true });
    assert.deepEqual(papa.errors, [], `papaparse errors on ${JSON.stringify(text)}`);
    const csv: string[][] = csvParse(text, {
      delimiter,
      record_delimiter: newline,
      relax_quotes: true,
      skip_empty_lines: true,
    });
    const context = `file ${file}: ${JSON.stringify(text)}`;
    assert.deepEqual(ours, rows, context);
    assert.deepEqual(papa.data, ours, `papaparse, ${context}`);
    assert.deepEqual(csv, ours, `csv-parse, ${context}`);
    records += ours.length;
  }
  assert.ok(records > FILES * 10, `only ${records} records`);
});
