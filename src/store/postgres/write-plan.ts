// Writing a planned batch (src/evidence/append-plan.ts): the events, their personal data, and the
// state tables they fold into. Rows of each kind gather in a buffer that becomes one statement (per
// chunk). Buffers that touch the same table are never pending together: before a row joins a
// buffer, the pending buffers sharing a table with it become statements first, so the statements
// keep the batch's order where order matters (a withdrawal after the consents it ends, an erasure
// after the personal data it deletes) and run grouped where it does not. An upsert buffer also
// closes before taking a second row with the same key (PostgreSQL refuses to update a row twice in
// one statement). The rows are the projection's (projection.ts `writeOf`); the SQLite adapter
// writes the same rows one at a time.
import type { AppendPlan } from "../../evidence/append-plan.ts";
import { writeOf } from "../../evidence/projection.ts";
import { eventValues } from "../rows.ts";
import type { Queryable } from "./pool.ts";
import { CONFLICTS, KINDS, type Kind, type Row } from "./row-kinds.ts";

/** Rows written per statement. */
const CHUNK = 5000;

/** Columns of a chunk of rows, one array per column (what `unnest` takes). */
function columnsOf(rows: readonly Row[], width: number): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  rows.forEach((row, i) => {
    for (let j = 0; j < width; j++) (columns[j] as unknown[])[i] = row[j];
  });
  return columns;
}

interface Statement {
  readonly kind: Kind;
  readonly rows: readonly Row[];
}

/** The statements of a batch, in the order they must run: built without I/O, then run. */
class Schedule {
  readonly statements: Statement[] = [];
  private readonly pending = new Map<Kind, { rows: Row[]; keys: Set<string> }>();

  add(kind: Kind, row: Row): void {
    for (const other of CONFLICTS.get(kind) ?? []) this.emit(other);
    let b = this.pending.get(kind);
    if (b === undefined) {
      b = { rows: [], keys: new Set() };
      this.pending.set(kind, b);
    }
    const key = kind.key?.(row);
    if (key !== undefined) {
      if (b.keys.has(key)) this.emit(kind);
      b.keys.add(key);
    }
    b.rows.push(row);
    if (b.rows.length >= CHUNK) this.emit(kind);
  }

  /** The statements, with whatever is still pending at the end. */
  finish(): Statement[] {
    for (const kind of this.pending.keys()) this.emit(kind);
    return this.statements;
  }

  private emit(kind: Kind): void {
    const b = this.pending.get(kind);
    if (b === undefined || b.rows.length === 0) return;
    this.statements.push({ kind, rows: b.rows });
    b.rows = [];
    b.keys.clear();
  }
}

export async function writePlan(c: Queryable, plan: AppendPlan): Promise<void> {
  const w = new Schedule();
  for (const { event: e, ops, texts, piiText } of plan.events) {
    w.add(KINDS.event, eventValues(e, texts));
    if (piiText !== null) w.add(KINDS.pii, [e.tenant, e.seq, e.pointKey, piiText]);
    for (const op of ops) {
      const { kind, values } = writeOf(e, op);
      w.add(KINDS[kind], values);
    }
  }
  // Queued on the connection in order, which runs them one after the other.
  await Promise.all(w.finish().map(({ kind, rows }) => kind.write(c, columnsOf(rows, rows[0]?.length ?? 0))));
}
