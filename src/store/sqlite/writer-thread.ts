// An import's SQL on a thread of its own, for a store in a file: better-sqlite3 is synchronous, so
// on the importing thread every batch's writes would stop the reading, keying and planning of the
// next. The thread holds a second connection to the file, on which the bulk's transaction runs;
// the store's own connection keeps reading the last committed state meanwhile (WAL), and its
// writes wait for the bulk's end (sqlite-store.ts `writeTurn`).
import type { Worker } from "node:worker_threads";
import { moduleWorker } from "../../io/module-worker.ts";
import type { BulkConnection } from "./batch-writes.ts";
import type { WriterCall } from "./writer-worker.ts";

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** The error a call failed with on the thread, its SQLite code kept. */
export class WriterThreadError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: unknown) {
    super(message);
    this.code = typeof code === "string" ? code : undefined;
  }
}

export class WriterThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #failed: Error | null = null;
  #closed = false;

  constructor(file: string) {
    this.#worker = moduleWorker(import.meta.url, "writer-worker", { file });
    // Kept alive only while a call is waited for: an idle thread does not hold the process open.
    this.#worker.unref();
    this.#worker.on("message", (m: { id: number; result?: unknown; error?: string; code?: unknown }) => {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (this.#pending.size === 0) this.#worker.unref();
      if (m.error !== undefined) p?.reject(new WriterThreadError(m.error, m.code));
      else p?.resolve(m.result);
    });
    const fail = (error: Error) => {
      this.#failed = error;
      for (const p of this.#pending.values()) p.reject(error);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) =>
      fail(
        new Error(
          this.#closed
            ? "the store's writer thread was closed"
            : `the store's writer thread exited (${code})`,
        ),
      ),
    );
  }

  /** Whether the thread is gone (it failed, or exited): a bulk then starts another. */
  get broken(): boolean {
    return this.#failed !== null;
  }

  /** The bulk connection the thread carries out. */
  readonly connection: BulkConnection = {
    begin: () => this.#call("begin", []),
    heads: (tenants) => this.#call("heads", [tenants]),
    lookup: (asked) => this.#call("lookup", [asked]),
    write: (batch) => this.#call("write", [batch]),
    registry: (tenant, seq, checkedAt, entries) => this.#call("registry", [tenant, seq, checkedAt, entries]),
    recordImport: (tenant, record) => this.#call("recordImport", [tenant, record]),
    commit: () => this.#call("commit", []),
    rollback: () => this.#call("rollback", []),
  };

  #call<T>(op: WriterCall["op"], args: readonly unknown[]): Promise<T> {
    if (this.#failed !== null) return Promise.reject(this.#failed);
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.#worker.postMessage({ id, op, args } satisfies WriterCall);
    });
  }

  /** Ends the thread: a transaction it holds is rolled back with its connection, calls pending fail. */
  async close(): Promise<void> {
    this.#closed = true;
    // A timer holds the process until the thread has exited: the thread itself is unreferenced
    // when idle, and referencing it again before terminate() does not always keep the event loop.
    const hold = setInterval(() => {}, 60_000);
    try {
      await this.#worker.terminate();
    } finally {
      clearInterval(hold);
    }
  }
}
