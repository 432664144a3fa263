// The other end of WriterThread (writer-thread.ts): a connection of its own on the store's file,
// carrying out a bulk's calls in the order they come (batch-writes.ts `sameThread`).
import { parentPort, workerData } from "node:worker_threads";
import { BatchWrites, type BulkConnection, sameThread } from "./batch-writes.ts";
import { openConnection } from "./statements.ts";

export interface WriterCall {
  readonly id: number;
  readonly op: keyof BulkConnection;
  readonly args: readonly unknown[];
}

const port = parentPort;
if (port === null) throw new Error("writer-worker.ts runs as a worker thread");
const db = openConnection((workerData as { file: string }).file);
const connection = sameThread(db, new BatchWrites(db));
port.on("message", (m: WriterCall) => {
  (connection[m.op] as (...args: readonly unknown[]) => Promise<unknown>)(...m.args).then(
    (result) => port.postMessage({ id: m.id, result }),
    (e: unknown) =>
      port.postMessage({
        id: m.id,
        error: e instanceof Error ? e.message : String(e),
        code: (e as { code?: unknown }).code,
      }),
  );
});
