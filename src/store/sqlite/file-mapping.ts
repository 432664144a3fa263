// A serving process maps its store's file (sqlite-store.ts): a page the OS already holds is then
// read without a system call. But whenever another connection has committed, SQLite drops the
// reader's whole mapping at its next read (pager.c, pagerBeginReadTransaction), and every page
// read after faults in again. Measured on bench/api.ts's store of 1 M points, batches of 1 000
// points read in one process while another process committed one row at a fixed interval
// (µs a point; where a range, of runs alternated in the same minutes):
//
//   other commits   none         every 2 s   every 0.5 s   every 0.2 s
//   mapped          4.9          7.7         8.8           13.1–19.2
//   not mapped      11.6         11.1        12.2          10.0–14.1 (each run below its pair)
//
// So the file is mapped while other connections commit seldom (one server alone, an import now
// and then) and unmapped while they commit often (several server processes on one file, each
// recording calls). `PRAGMA data_version` changes exactly when another connection committed: it
// is polled, and the mapping follows the rate it sees, with a gap between the two thresholds so
// that a rate near one of them does not switch it back and forth.
import type Database from "better-sqlite3";

/** Bytes mapped: SQLite's own ceiling (SQLITE_MAX_MMAP_SIZE). */
export const SERVING_MMAP = 0x7fff0000;

export interface MappingOptions {
  /** How often data_version is read. */
  readonly pollMs?: number;
  /** The polls whose changes are counted (a sliding window). */
  readonly window?: number;
  /** Unmapped when this many polls of the window saw another connection's commit… */
  readonly unmapAt?: number;
  /** …and mapped again when no more than this many did. */
  readonly mapAt?: number;
}

export class FileMapping {
  private readonly db: Database.Database;
  private readonly version: Database.Statement;
  private readonly seen: Uint8Array;
  private readonly unmapAt: number;
  private readonly mapAt: number;
  private readonly timer: NodeJS.Timeout;
  private next = 0;
  private changes = 0;
  private last: number;
  private on = true;

  /**
   * Maps the file now. By default data_version is read every 100 ms over the last 5 s (so at most
   * 10 commits a second are told apart): unmapped from 4 commits a second (mapping still won at 2,
   * lost at 5), mapped again at 1.
   */
  constructor(db: Database.Database, options: MappingOptions = {}) {
    this.db = db;
    this.version = db.prepare("PRAGMA data_version").pluck();
    this.seen = new Uint8Array(options.window ?? 50);
    this.unmapAt = options.unmapAt ?? 20;
    this.mapAt = options.mapAt ?? 5;
    this.last = this.version.get() as number;
    db.pragma(`mmap_size = ${SERVING_MMAP}`);
    this.timer = setInterval(() => this.poll(), options.pollMs ?? 100);
    this.timer.unref();
  }

  /** Whether the file is mapped now. */
  get mapped(): boolean {
    return this.on;
  }

  private poll(): void {
    // A transaction of this connection's own is open (an in-memory bulk never is: a file's
    // bulks run on the writer thread): no statement of its own in the middle of it.
    if (!this.db.open || this.db.inTransaction) return;
    try {
      const version = this.version.get() as number;
      const changed = version === this.last ? 0 : 1;
      this.last = version;
      this.changes += changed - (this.seen[this.next] as number);
      this.seen[this.next] = changed;
      this.next = (this.next + 1) % this.seen.length;
      if (this.on && this.changes >= this.unmapAt) this.set(false);
      else if (!this.on && this.changes <= this.mapAt) this.set(true);
    } catch {
      // The connection busy: a statement of its own left open across awaits (the log streamed
      // by `events()`), during which better-sqlite3 runs no pragma that sets, or the file busy
      // a moment. The mapping only changes speed, never an answer: the switch waits for a later
      // poll, and the server — this runs in a timer — is not thrown out.
    }
  }

  private set(on: boolean): void {
    this.db.pragma(`mmap_size = ${on ? SERVING_MMAP : 0}`);
    this.on = on;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
