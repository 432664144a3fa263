// The other end of LookupThread (lookup-thread.ts): a SQLite connection of its own, on a thread of
// its own, answering Store.evidenceMany for the screening thread. Messages are served in order.
import { parentPort, workerData } from "node:worker_threads";
import { SqliteStore } from "../../store/sqlite/sqlite-store.ts";

export interface LookupRequest {
  readonly id: number;
  readonly tenant: string;
  readonly points: readonly (readonly string[])[];
}

const port = parentPort;
if (port === null) throw new Error("lookup-worker.ts runs as a worker thread");
const store = new SqliteStore((workerData as { file: string }).file);
port.on("message", (m: LookupRequest) => {
  store.evidenceMany(m.tenant, m.points).then(
    (evidence) => port.postMessage({ id: m.id, evidence }),
    (e: unknown) => port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
