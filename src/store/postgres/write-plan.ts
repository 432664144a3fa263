// Writing a planned batch (src/evidence/append-plan.ts): the events, their personal data, and the
// state tables they fold into. Rows of each kind gather in a buffer that becomes one statement (per
// chunk). Buffers that touch the same table are never pending together: before a row joins a
// buffer, the pending buffers sharing a table with it become statements first, so the statements
// keep the batch's order where order matters (a withdrawal after the consents it ends, an erasure
// after the personal data it deletes) and run grouped where it does not. An upsert buffer also
// closes before taking a second row with the same key (PostgreSQL refuses to update a row twice in
// one statement). Statements that share no table then go together, as one statement of
// data-modifying WITH clauses (`waves`): a one-event append (an opt-out through the API) is one
// round trip of writes. The rows are the projection's (projection.ts `writeOf`); the SQLite
// adapter writes the same rows one at a time.
import { createHash } from "node:crypto";
import type { AppendPlan } from "../../evidence/append-plan.ts";
import { writeOf } from "../../evidence/projection.ts";
import { eventValues } from "../rows.ts";
import { BatchTexts } from "./event-rows.ts";
import { type Queryable, run, runPlanned } from "./pool.ts";
import { CONFLICTS, KINDS, type Kind, type Part, type Row } from "./row-kinds.ts";

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

/**
 * The parts in their order, as waves: a run of parts that share no table (read or written) is one
 * wave, sent as one statement. Parts of one wave run on one snapshot and cannot see each other's
 * rows, which is why they must share no table: the result is that of running them in order.
 */
export function waves(parts: readonly Part[]): Part[][] {
  const out: Part[][] = [];
  let wave: Part[] = [];
  const tables = new Set<string>();
  for (const part of parts) {
    if (part.tables.some((t) => tables.has(t))) {
      out.push(wave);
      wave = [];
      tables.clear();
    }
    wave.push(part);
    for (const t of part.tables) tables.add(t);
  }
  if (wave.length > 0) out.push(wave);
  return out;
}

/** Longest statement name sent as is: PostgreSQL keeps 63 bytes of a prepared statement's name. */
const NAME_BYTES = 56;

/** A wave as one statement: each part a data-modifying WITH clause, its parameters renumbered. */
export function waveStatement(wave: readonly Part[]): Part {
  if (wave.length === 1) return wave[0] as Part;
  const values: unknown[] = [];
  const clauses = wave.map((part, i) => {
    const offset = values.length;
    values.push(...part.values);
    return `w${i} AS (${part.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  const joined = wave.map((p) => p.name).join("+");
  const name =
    joined.length <= NAME_BYTES
      ? joined
      : `${joined.slice(0, NAME_BYTES - 13)}~${createHash("sha256").update(joined).digest("hex").slice(0, 12)}`;
  return {
    name,
    text: `WITH ${clauses.join(",\n")}\nSELECT 1`,
    values,
    tables: wave.flatMap((p) => p.tables),
    planned: wave.some((p) => p.planned),
  };
}

/**
 * Queues the batch's writes on `c`, then `after` (the chain head's and the tree's), in as few
 * statements as their tables allow: each statement is a round trip under the head's lock.
 */
export async function writePlan(c: Queryable, plan: AppendPlan, after: readonly Part[] = []): Promise<void> {
  const w = new Schedule();
  const texts = new BatchTexts();
  for (const { event: e, ops, texts: eventTexts, piiText } of plan.events) {
    w.add(
      KINDS.event,
      eventValues(e, eventTexts, (text) => texts.keyOf(e.tenant, text)),
    );
    if (piiText !== null) w.add(KINDS.pii, [e.tenant, e.seq, e.pointKey, piiText]);
    for (const op of ops) {
      const { kind, values } = writeOf(e, op);
      w.add(KINDS[kind], values);
    }
  }
  for (const row of texts.rows) w.add(KINDS.text, row);
  const parts = w
    .finish()
    .flatMap(({ kind, rows }) => kind.parts(columnsOf(rows, rows[0]?.length ?? 0)))
    .concat(after);
  // Queued on the connection in order, which runs them one after the other.
  await Promise.all(
    waves(parts).map((wave) => {
      const { name, text, values, planned } = waveStatement(wave);
      return (planned ? runPlanned : run)(c, name, text, values);
    }),
  );
}
