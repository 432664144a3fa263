// The first difference between the state a store holds and the state rebuilt from its log: both
// are read table by table in key order and merged, so the store's side is streamed, never held.

import {
  type Cell,
  type ColumnType,
  compareKeys,
  STATE_TABLES,
  type StateRow,
  type StateTable,
} from "../store/state-tables.ts";
import type { RebuiltRow, StateRebuild } from "./rebuild.ts";

export interface StateDifference {
  readonly table: string;
  /** The event the rebuilt row came from (the last that changed it); null for a row no event gives. */
  readonly seq: number | null;
  readonly problem: string;
}

function shown(v: Cell, type: ColumnType): string {
  if (v === null) return "null";
  if (type === "time" && typeof v === "number") return new Date(v).toISOString();
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

function keyOf(t: StateTable, key: readonly Cell[]): string {
  return `(${t.key.map(([name, type], i) => `${name} ${shown(key[i] ?? null, type)}`).join(", ")})`;
}

const missing = (t: StateTable, r: RebuiltRow): StateDifference => ({
  table: t.name,
  seq: r.seq,
  problem: `${t.name} lacks the row ${keyOf(t, r.key)} that event ${r.seq} records: deleted from the state`,
});

const extra = (t: StateTable, r: StateRow): StateDifference => ({
  table: t.name,
  seq: null,
  problem: `${t.name} holds a row ${keyOf(t, r.key)} that no event records: added to the state`,
});

function altered(t: StateTable, stored: StateRow, rebuilt: RebuiltRow): StateDifference | null {
  for (const [i, [name, type]] of t.values.entries()) {
    const held = stored.values[i] ?? null;
    const given = rebuilt.values[i] ?? null;
    if (held !== given) {
      return {
        table: t.name,
        seq: rebuilt.seq,
        problem: `${t.name} row ${keyOf(t, stored.key)}: ${name} is ${shown(held, type)} where the log (event ${rebuilt.seq}) gives ${shown(given, type)}: altered in the state`,
      };
    }
  }
  return null;
}

/** Null when the store holds exactly the rebuilt state. `stored` must come as Store.stateRows reads it. */
export async function firstStateDifference(
  rebuilt: StateRebuild,
  stored: AsyncIterable<StateRow>,
): Promise<StateDifference | null> {
  let index = -1;
  let rows: RebuiltRow[] = [];
  let next = 0;
  /** Moves to table `upTo` (an index of STATE_TABLES): rebuilt rows left before it are missing. */
  const advance = (upTo: number): StateDifference | null => {
    while (index < upTo) {
      const t = STATE_TABLES[index];
      if (t !== undefined && next < rows.length) return missing(t, rows[next] as RebuiltRow);
      index++;
      const following = STATE_TABLES[index];
      rows = following === undefined ? [] : rebuilt.rows(following.name);
      next = 0;
    }
    return null;
  };
  for await (const row of stored) {
    const at = STATE_TABLES.findIndex((t) => t.name === row.table);
    if (at < index)
      throw new Error(`state rows out of order: ${row.table} after ${STATE_TABLES[index]?.name}`);
    const skipped = advance(at);
    if (skipped !== null) return skipped;
    const t = STATE_TABLES[at] as StateTable;
    const r = rows[next];
    const order = r === undefined ? 1 : compareKeys(r.key, row.key);
    if (order < 0) return missing(t, r as RebuiltRow);
    if (order > 0) return extra(t, row);
    next++;
    const d = altered(t, row, r as RebuiltRow);
    if (d !== null) return d;
  }
  return advance(STATE_TABLES.length);
}
