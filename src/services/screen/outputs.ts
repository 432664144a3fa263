// The output directory. Files are written into DIR/.partial-<pid>/ and renamed into DIR only at
// the very end, summary.json last and after any summary.json of an earlier run is removed: a run
// that is interrupted, at any point, leaves nothing in DIR that looks like a finished screening.
// A run killed outright (SIGKILL, a crash, a power cut) leaves its partial directory: the next run
// in DIR removes those whose process is gone, and leaves those of runs still going.
import { type FileHandle, mkdir, open, readdir, rename, rm, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { CsvWriter } from "../../io/csv/writer.ts";
import type { ListDialect } from "./list.ts";

/** Written into DIR in this order; summary.json, last, says the run finished. */
export const OUTPUT_FILES = [
  "allowed.csv",
  "blocked.csv",
  "rejected.csv",
  "report.html",
  "summary.json",
] as const;
export type OutputFile = (typeof OUTPUT_FILES)[number];

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
    const handle = await open(path, "wx");
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

  private constructor(dir: string, partial: string) {
    this.dir = dir;
    this.partial = partial;
  }

  static async create(dir: string): Promise<OutputDir> {
    await mkdir(dir, { recursive: true });
    const partial = join(dir, `.partial-${process.pid}`);
    for (const name of await readdir(dir)) {
      const pid = PARTIAL.exec(name)?.[1];
      // Ours is from a killed run that had our pid; a dead process's is from a killed run.
      if (pid !== undefined && (Number(pid) === process.pid || !alive(Number(pid)))) {
        await rm(join(dir, name), { recursive: true, force: true });
      }
    }
    await mkdir(partial);
    return new OutputDir(dir, partial);
  }

  csv(name: OutputFile, dialect: ListDialect): Promise<CsvFile> {
    return CsvFile.create(join(this.partial, name), dialect);
  }

  async text(name: OutputFile, content: string): Promise<void> {
    const handle = await open(join(this.partial, name), "wx");
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Moves every file into DIR, summary.json last, and removes the partial directory. */
  async publish(): Promise<void> {
    await rm(join(this.dir, "summary.json"), { force: true });
    for (const name of OUTPUT_FILES) await rename(join(this.partial, name), join(this.dir, name));
    await rmdir(this.partial);
    await syncDirectory(this.dir);
  }

  async discard(): Promise<void> {
    await rm(this.partial, { recursive: true, force: true });
  }
}

const PARTIAL = /^\.partial-(\d+)$/;

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
