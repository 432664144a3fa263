// An import (`store.bulk`) is one transaction that stays open across awaits while the file is
// read. On SQLite it holds the file's write lock all along (on the store's writer thread, or on
// its one connection for a store in memory, where an evidence write made meanwhile would land
// inside it and vanish if the import rolled back); the store makes its own writes wait for it
// (sqlite-store.ts `writeTurn`). So that every store orders writes alike, the API's writes pass
// through a gate: appends run together as before, an
// import waits for the appends already running and runs alone, and appends that arrive during it
// wait for its end (imports queue in arrival order). Reads are not gated.
import type { Session } from "../services/session.ts";
import type { Store } from "../store/store.ts";

export class WriteGate {
  /** Settles when the last import queued (and everything before it) is done; never rejects. */
  private barrier: Promise<void> = Promise.resolve();
  private readonly running = new Set<Promise<unknown>>();

  /** An append: after the imports queued before it. */
  shared<T>(op: () => Promise<T>): Promise<T> {
    const p = this.barrier.then(op);
    const settled = p.then(
      () => {},
      () => {},
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return p;
  }

  /** An import: after every write queued before it, and alone. */
  async exclusive<T>(op: () => Promise<T>): Promise<T> {
    const before = [this.barrier, ...this.running];
    let release = () => {};
    this.barrier = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await Promise.all(before);
      return await op();
    } finally {
      release();
    }
  }
}

/** The same session, its store's `append` and `bulk` passing through one gate. */
export function gatedWrites(session: Session): Session {
  const gate = new WriteGate();
  const target = session.store;
  const store = new Proxy(target, {
    get(t, prop) {
      if (prop === "append")
        return (events: Parameters<Store["append"]>[0]) => gate.shared(() => t.append(events));
      if (prop === "bulk") {
        return <T>(body: Parameters<Store["bulk"]>[0]) =>
          gate.exclusive(() => t.bulk(body as Parameters<Store["bulk"]>[0]) as Promise<T>);
      }
      const value = Reflect.get(t, prop, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
  return { ...session, store };
}
