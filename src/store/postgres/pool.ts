// The pool's connections: BIGINTs read as numbers, named statements, transactions.
import pg from "pg";

export type Client = pg.PoolClient;

/**
 * Where a statement runs: a connection of the pool (inside a transaction), the pool itself, or a
 * queue on a connection (statement-queue.ts).
 */
export interface Queryable {
  query(config: pg.QueryConfig): Promise<pg.QueryResult>;
}

// BIGINT (int8, OID 20) arrives as a string by default: every BIGINT here is an instant in epoch
// milliseconds or a sequence number, well inside the safe integers. Set on this pool's clients
// only, not on the global pg.types.
const INT8 = 20;
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${text} is outside JavaScript's safe integers`);
  return n;
}
export const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8 && format !== "binary"
      ? parseInt8
      : pg.types.getTypeParser(oid, format ?? "text")) as pg.CustomTypesConfig["getTypeParser"],
};

/** Sees each statement `run` or `runPlanned` sends, before it is sent. */
export type StatementObserver = (name: string, text: string, values: readonly unknown[]) => void;

let observer: StatementObserver | undefined;

/**
 * Sets the observer of every pool's statements in this process (undefined: none, the default).
 * For test/store/partitioned.test.ts, which lists the partitions each statement touches; unset,
 * `run` pays one comparison.
 */
export function observeStatements(o: StatementObserver | undefined): void {
  observer = o;
}

/** Runs a named statement (`vigie_<name>`): prepared once a connection, then run by name. */
export const run = (c: Queryable, name: string, text: string, values: unknown[]) => {
  observer?.(name, text, values);
  return c.query({ name: `vigie_${name}`, text, values });
};

/**
 * Runs a statement planned for the values it is given, unprepared (still observed as `name`). A
 * statement filtering a large batch on its keys (`point_key = ANY($n)`) wants this: planned with
 * them, PostgreSQL hashes the keys and keeps only their partitions, where a prepared statement's
 * generic plan compares each row with every key, in time quadratic in the batch.
 */
export const runPlanned = (c: Queryable, name: string, text: string, values: unknown[]) => {
  observer?.(name, text, values);
  return c.query({ text, values });
};

/** Runs `body` in a transaction on a connection of its own; a broken connection is discarded. */
export async function inTransaction<T>(pool: pg.Pool, body: (c: Client) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken = false;
  try {
    await c.query("BEGIN");
    const result = await body(c);
    await c.query("COMMIT");
    return result;
  } catch (e) {
    await c.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw e;
  } finally {
    c.release(broken);
  }
}
