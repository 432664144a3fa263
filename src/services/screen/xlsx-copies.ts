// `--xlsx`: each CSV output, once closed, copied into a one-sheet workbook (src/io/xlsx/writer.ts).
// The copy reads the CSV just written, a chunk at a time, so the workbook holds the same rows and
// cells by construction and memory stays bounded whatever the list's size.
import { createReadStream } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { scanCsv } from "../../io/csv/scanner.ts";
import type { Delimiter } from "../../io/csv/sniff.ts";
import { guardFormula } from "../../io/csv/writer.ts";
import { XlsxWriter } from "../../io/xlsx/writer.ts";

const CHUNK = 1024 * 1024;
/** Above any record an output holds: a list's record is at most 16 MiB, its quotes doubled 32. */
const MAX_RECORD = 64 * 1024 * 1024;

/**
 * The text a CSV cell stands for: without the `'` the CSV writer puts before what a spreadsheet
 * would run as a formula. The workbook keeps such text a string (writer.ts), as Excel keeps a
 * cell typed with that `'`.
 */
export function unguarded(cell: string): string {
  return cell.startsWith("'") && guardFormula(cell.slice(1)) === cell ? cell.slice(1) : cell;
}

/** Writes the workbook of the CSV file `csv` to `out`, its sheet named `sheet`. */
export async function copyToXlsx(
  csv: string,
  delimiter: Delimiter,
  sheet: string,
  out: FileHandle,
): Promise<void> {
  const xlsx = new XlsxWriter(sheet);
  const records = scanCsv(createReadStream(csv, { highWaterMark: CHUNK }), {
    delimiter,
    header: false,
    maxFieldBytes: MAX_RECORD,
    maxRecordBytes: MAX_RECORD,
  });
  for await (const events of records) {
    for (const e of events) {
      // The CSV writer wrote it: a row it cannot read back is a bug, never to be copied around.
      if (e.kind === "error") throw new Error(`${csv}: line ${e.line}: ${e.message}`);
      if (e.kind === "header") throw new Error(`${csv}: a header, read without one`);
      xlsx.row(e.fields().map(unguarded));
    }
    if (xlsx.length >= CHUNK) await out.write(xlsx.take());
  }
  xlsx.end();
  await out.write(xlsx.take());
}
