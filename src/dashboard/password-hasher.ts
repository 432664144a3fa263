// Password hashes for sign-in, off the event loop and behind it: scrypt runs on a worker thread of
// its own at the lowest CPU priority (nice 19, Linux: one thread's priority is set through its
// id), so that on a busy machine the server's requests always get the CPU before a hash does. A
// flood of sign-ins then slows sign-ins, not the server. (libuv's pool, where the async
// crypto.scrypt runs, cannot be deprioritised without slowing file reads too.)
import type { ScryptOptions } from "node:crypto";
import { Worker } from "node:worker_threads";

// Plain JavaScript evaluated in the worker: it needs no loader, from the sources or built.
const WORKER = `
const { parentPort } = require("node:worker_threads");
const { scryptSync } = require("node:crypto");
try {
  const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  require("node:os").setPriority(tid, 19);
} catch {}
parentPort.on("message", ({ id, password, salt, length, options }) => {
  try {
    parentPort.postMessage({ id, key: scryptSync(password, salt, length, options) });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message) });
  }
});
`;

interface Pending {
  readonly resolve: (key: Buffer) => void;
  readonly reject: (error: Error) => void;
}

export class PasswordHasher {
  #worker: Worker | null = null;
  readonly #pending = new Map<number, Pending>();
  #next = 0;

  scrypt(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
    const id = this.#next++;
    const worker = this.worker();
    worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, password, salt, length, options });
    });
  }

  /** Started at the first hash; it keeps the process alive only while a hash is pending. */
  private worker(): Worker {
    if (this.#worker !== null) return this.#worker;
    const worker = new Worker(WORKER, { eval: true });
    worker.on("message", (m: { id: number; key?: Uint8Array; error?: string }) => {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (this.#pending.size === 0) worker.unref();
      if (m.key !== undefined) p?.resolve(Buffer.from(m.key));
      else p?.reject(new Error(m.error ?? "scrypt failed"));
    });
    const fail = (error: Error) => {
      this.#worker = null;
      for (const p of this.#pending.values()) p.reject(error);
      this.#pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the password thread exited (${code})`)));
    this.#worker = worker;
    return worker;
  }
}
