// Evidence lookups on a thread of their own, for the SQLite store: better-sqlite3 is synchronous,
// so in the screening thread every lookup would stop the reading, deciding and writing of rows.
// Here they run on the machine's other core while the screening thread decides the rows whose
// evidence has come back (run.ts asks for a chunk's batches before deciding the first).
import type { Worker } from "node:worker_threads";
import { moduleWorker } from "../../io/module-worker.ts";
import type { Evidence } from "../../store/store.ts";
import type { LookupRequest } from "./lookup-worker.ts";

interface Pending {
  readonly resolve: (evidence: Evidence[]) => void;
  readonly reject: (error: Error) => void;
}

export class LookupThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #failed: Error | null = null;

  constructor(file: string) {
    this.#worker = moduleWorker(import.meta.url, "lookup-worker", { file });
    this.#worker.on("message", (m: { id: number; evidence?: Evidence[]; error?: string }) => {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.evidence ?? []);
    });
    const fail = (error: Error) => {
      this.#failed = error;
      for (const p of this.#pending.values()) p.reject(error);
      this.#pending.clear();
    };
    this.#worker.on("error", fail);
    this.#worker.on("exit", (code) => {
      if (this.#pending.size > 0) fail(new Error(`the evidence lookup thread exited (${code})`));
    });
  }

  evidenceMany(tenant: string, points: readonly (readonly string[])[]): Promise<Evidence[]> {
    if (this.#failed !== null) return Promise.reject(this.#failed);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, tenant, points } satisfies LookupRequest);
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
