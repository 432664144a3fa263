// The output directory. Files are written into a partial directory beside DIR, `.<name>.partial-<pid>`
// in DIR's parent, and renamed into DIR only at the very end, summary.json last and after any
// summary.json of an earlier run is removed: a run that is interrupted, at any point, leaves
// nothing in DIR that looks like a finished screening. A run killed outright (SIGKILL, a crash, a
// power cut) leaves its partial directory: every run writing into the same parent removes those
// whose process is gone, and leaves those of runs still going. Outputs hold the list's rows: files
// 0600, folders 0700. The CSV files are in the list's dialect, or Excel's (`--excel`); `--xlsx`
// adds a workbook copy of each (xlsx-copies.ts).
import { readdirSync, rmSync } from "node:fs";
import { type FileHandle, mkdir, open, rename, rm, rmdir } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { Delimiter } from "../../io/csv/sniff.ts";
import { CsvWriter } from "../../io/csv/writer.ts";
import { makePrivateDirAsync, PRIVATE_DIR, PRIVATE_FILE } from "../../io/private-files.ts";
import { XlsxLimitError } from "../../io/xlsx/writer.ts";
import type { ListDialect } from "./list.ts";
import { copyToXlsx } from "./xlsx-copies.ts";

/** The CSV outputs; with `--xlsx`, a workbook copy of each follows them (xlsx-copies.ts). */
const CSV_FILES = ["allowed.csv", "blocked.csv", "rejected.csv"] as const;
export type CsvOutput = (typeof CSV_FILES)[number];
const XLSX_FILES = CSV_FILES.map((name) => name.replace(/\.csv$/, ".xlsx"));
/** Written last; summary.json, very last, says the run finished. */
const LAST_FILES = ["report.html", "summary.json"] as const;

/** Written into DIR in this order, whatever the options. */
export const OUTPUT_FILES = [...CSV_FILES, ...LAST_FILES] as const;
export type OutputFile = (typeof OUTPUT_FILES)[number];

/** CSV as Excel writes and opens it, in France: UTF-8 with a byte-order mark, `;`, CRLF. */
export const EXCEL_DIALECT: ListDialect = { delimiter: ";", bom: true, newline: "\r\n" };

/** How the outputs were written, as summary.json says. */
export interface OutputFormat {
  readonly csv: ListDialect;
  /** The list's own dialect (Excel's for a workbook), or Excel's because `--excel` said so. */
  readonly dialectFrom: "list" | "--excel";
  /** Whether allowed.xlsx, blocked.xlsx and rejected.xlsx were written (`--xlsx`). */
  readonly xlsx: boolean;
}

const FLUSH_BYTES = 1024 * 1024;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A CSV output: rows accumulate in a CsvWriter and go to disk a mebibyte at a time. */
export class CsvFile {
  readonly writer: CsvWriter;
  readonly #handle: FileHandle;

  private constructor(handle: FileHandle, dialect: ListDialect) {
    this.#handle = handle;
    this.writer = new CsvWriter({ delimiter: dialect.delimiter, newline: dialect.newline });
  }

  static async create(path: string, dialect: ListDialect): Promise<CsvFile> {
    const handle = await open(path, "wx", PRIVATE_FILE);
    if (dialect.bom) await handle.write(BOM);
    return new CsvFile(handle, dialect);
  }

  /** Writes what has accumulated, once there is enough of it to be worth a write. */
  async flush(): Promise<void> {
    if (this.writer.length >= FLUSH_BYTES) await this.#handle.write(this.writer.take());
  }

  /** Writes the rest and makes it durable, so a rename after it publishes whole files. */
  async close(): Promise<void> {
    try {
      if (this.writer.length > 0) await this.#handle.write(this.writer.take());
      await this.#handle.sync();
    } finally {
      await this.#handle.close();
    }
  }

  /** Closes without caring about the content: the run is being abandoned. */
  async abandon(): Promise<void> {
    await this.#handle.close();
  }
}

export class OutputDir {
  readonly dir: string;
  /** Where files are written until they are published. */
  readonly partial: string;
  /** The workbooks written into the partial directory. */
  readonly #workbooks: string[] = [];

  private constructor(dir: string, partial: string) {
    this.dir = dir;
    this.partial = partial;
  }

  static async create(dir: string): Promise<OutputDir> {
    const out = resolve(dir);
    await makePrivateDirAsync(out);
    removeDeadPartials(dirname(out), basename(out));
    removeDeadPartials(out, null);
    let partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
    try {
      await mkdir(partial, { mode: PRIVATE_DIR });
    } catch (e) {
      // A parent we may not write to (DIR made for us in someone else's folder): inside DIR then.
      if (!["EACCES", "EPERM", "EROFS"].includes((e as NodeJS.ErrnoException).code ?? "")) throw e;
      partial = join(out, `.partial-${process.pid}`);
      await mkdir(partial, { mode: PRIVATE_DIR });
    }
    return new OutputDir(out, partial);
  }

  csv(name: CsvOutput, dialect: ListDialect): Promise<CsvFile> {
    return CsvFile.create(join(this.partial, name), dialect);
  }

  /**
   * Writes the workbook copy of a CSV output already closed. Past Excel's limits, throws an
   * XlsxLimitError naming the file, the row and the column.
   */
  async xlsx(csv: CsvOutput, delimiter: Delimiter): Promise<void> {
    const name = csv.replace(/\.csv$/, ".xlsx");
    const handle = await open(join(this.partial, name), "wx", PRIVATE_FILE);
    try {
      await copyToXlsx(join(this.partial, csv), delimiter, csv.replace(/\.csv$/, ""), handle);
      await handle.sync();
    } catch (e) {
      if (!(e instanceof XlsxLimitError)) throw e;
      throw new XlsxLimitError(`${name}: ${e.message} (${csv} holds it: screen without --xlsx)`);
    } finally {
      await handle.close();
    }
    this.#workbooks.push(name);
  }

  /**
   * Renames the CSV outputs written so far out of the way, within the partial directory, and
   * returns their paths: a second pass reads them as it writes the outputs again (first-pass.ts).
   */
  async setAside(): Promise<Record<CsvOutput, string>> {
    const paths = {} as Record<CsvOutput, string>;
    for (const name of CSV_FILES) {
      paths[name] = join(this.partial, `first-${name}`);
      await rename(join(this.partial, name), paths[name]);
    }
    return paths;
  }

  /** Removes what setAside() kept. */
  async dropAside(): Promise<void> {
    for (const name of CSV_FILES) await rm(join(this.partial, `first-${name}`), { force: true });
  }

  async text(name: OutputFile, content: string): Promise<void> {
    const handle = await open(join(this.partial, name), "wx", PRIVATE_FILE);
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /**
   * Moves every file into DIR, summary.json last, and removes the partial directory. Workbooks of
   * an earlier run that this one did not write go: none may sit beside CSV files they disagree with.
   */
  async publish(): Promise<void> {
    await rm(join(this.dir, "summary.json"), { force: true });
    for (const name of XLSX_FILES)
      if (!this.#workbooks.includes(name)) await rm(join(this.dir, name), { force: true });
    const names = [...CSV_FILES, ...this.#workbooks, ...LAST_FILES];
    for (const name of names) await rename(join(this.partial, name), join(this.dir, name));
    await rmdir(this.partial);
    await syncDirectory(this.dir);
  }

  async discard(): Promise<void> {
    await rm(this.partial, { recursive: true, force: true });
  }
}

/** `.<name>.partial-<pid>` beside DIR, or `.partial-<pid>` inside it (the parent was not writable). */
const PARTIAL = /^\.(?:(.+)\.)?partial-(\d+)$/;

/**
 * Removes the partial directories in `dir` left by killed runs: those of processes that are gone,
 * and — for `ours`, the directory this run writes to — one of an earlier process with our pid.
 * `ours` null: `dir` is DIR itself, where any partial directory with our pid is ours.
 */
export function removeDeadPartials(dir: string, ours: string | null): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = PARTIAL.exec(name);
    if (m === null || (ours === null) !== (m[1] === undefined)) continue;
    const pid = Number(m[2]);
    if (pid === process.pid ? ours === null || m[1] === ours : !alive(pid)) {
      rmSync(join(dir, name), { recursive: true, force: true });
    }
  }
}

/** Whether a process with this pid exists (one we may not signal exists too). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

/** Makes the renames durable (directories cannot be opened for that on Windows). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === "win32") return;
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
