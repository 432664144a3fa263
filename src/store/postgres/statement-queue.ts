// Statements queued on one connection by vigie itself, each sent once the one before it has
// settled. A bulk import queues a batch's writes and builds its next batch meanwhile; node-postgres
// would queue them as well, but warns that it will stop doing so (pg 9).
import type pg from "pg";
import type { Queryable } from "./pool.ts";

export class StatementQueue implements Queryable {
  private readonly on: Queryable;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(on: Queryable) {
    this.on = on;
  }

  query(config: pg.QueryConfig): Promise<pg.QueryResult> {
    // After the one before, failed or not: a failure aborts the transaction, and the statements
    // after it fail in turn (the bulk reports the first failure, postgres-store.ts).
    const next = this.tail.then(
      () => this.on.query(config),
      () => this.on.query(config),
    );
    this.tail = next.catch(() => {});
    return next;
  }

  /** Settles once every statement queued so far has: before the transaction ends, either way. */
  async drained(): Promise<void> {
    await this.tail;
  }
}
