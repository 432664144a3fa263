// The lines a first pass wrote, read back in order by a second pass (run.ts): the rows of persons
// it does not decide again are copied from them byte for byte instead of being read, looked up and
// decided a second time. The files are the first pass's own CSV outputs, set aside in the partial
// directory (OutputDir.setAside): their first record is their header, skipped.
import { createReadStream } from "node:fs";
import { type CsvEvent, type CsvRecord, scanCsv } from "../../io/csv/scanner.ts";
import type { ListDialect } from "./list.ts";
import { ALLOWED, BLOCKED, type Outcome, REJECTED, type RowOutcomes } from "./row-outcomes.ts";

/** Records of one file, a chunk of them buffered at a time. */
class FileRecords {
  readonly #chunks: AsyncIterator<CsvEvent[]>;
  #events: CsvEvent[] = [];
  #next = 0;

  constructor(path: string, dialect: ListDialect) {
    // Our own output: no limit meant for hostile input applies (a cell of 1 MiB may have gained a quote).
    const events = scanCsv(createReadStream(path, { highWaterMark: 1 << 20 }), {
      header: false,
      delimiter: dialect.delimiter,
      maxFieldBytes: Number.MAX_SAFE_INTEGER,
      maxRecordBytes: Number.MAX_SAFE_INTEGER,
    });
    this.#chunks = events[Symbol.asyncIterator]();
  }

  /** The next record when it is buffered: most are, and an await per row costs. */
  next(): CsvRecord | undefined {
    if (this.#next >= this.#events.length) return undefined;
    const e = this.#events[this.#next++] as CsvEvent;
    if (e.kind !== "record") throw new Error(`screen: a first-pass output unreadable at line ${e.line}`);
    return e;
  }

  /** The next record, reading on. */
  async read(): Promise<CsvRecord> {
    for (;;) {
      const record = this.next();
      if (record !== undefined) return record;
      const chunk = await this.#chunks.next();
      if (chunk.done === true) throw new Error("screen: a first-pass output ended before its rows");
      this.#events = chunk.value;
      this.#next = 0;
    }
  }

  async close(): Promise<void> {
    await this.#chunks.return?.();
  }
}

export class FirstPass {
  /** Where each row went. */
  readonly outcomes: RowOutcomes;
  readonly #files: Record<Outcome, FileRecords>;

  private constructor(outcomes: RowOutcomes, files: Record<Outcome, FileRecords>) {
    this.outcomes = outcomes;
    this.#files = files;
  }

  /** `paths`: the first pass's rejected, allowed and blocked CSV files, in its dialect. */
  static async open(
    outcomes: RowOutcomes,
    paths: Readonly<Record<Outcome, string>>,
    dialect: ListDialect,
  ): Promise<FirstPass> {
    const files = {
      [REJECTED]: new FileRecords(paths[REJECTED], dialect),
      [ALLOWED]: new FileRecords(paths[ALLOWED], dialect),
      [BLOCKED]: new FileRecords(paths[BLOCKED], dialect),
    };
    for (const f of Object.values(files)) await f.read(); // the header
    return new FirstPass(outcomes, files);
  }

  /** The next line the first pass wrote to the output of `outcome`, as written. */
  async line(outcome: Outcome): Promise<Buffer> {
    return (await this.#files[outcome].read()).raw();
  }

  /** line(), without waiting when the line is at hand (undefined: call line()). */
  lineAtHand(outcome: Outcome): Buffer | undefined {
    return this.#files[outcome].next()?.raw();
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.#files).map((f) => f.close()));
  }
}
