// The folded state as the audit compares it: the tables decisions read, each as key columns and
// value columns, read per tenant in key order (Store.stateRows) and rebuilt from the log
// (rebuild.ts). Both sides speak these cells, so the comparison never depends on a driver's types.

/** A cell: text, an integer (an instant or a seq), a boolean, or null. */
export type Cell = string | number | boolean | null;

/** How a column is read (`time`: epoch milliseconds, shown as ISO in messages). */
export type ColumnType = "text" | "int" | "time" | "bool";

export interface StateTable {
  readonly name: StateTableName;
  /** The primary key after the tenant, in order: rows come in this order. */
  readonly key: readonly (readonly [string, ColumnType])[];
  readonly values: readonly (readonly [string, ColumnType])[];
  /**
   * Rows stand for distinct key values rather than single rows: registry_entries is read as the
   * (check, day) pairs its rows hold — the rows themselves are vouched for by each check's digest.
   */
  readonly distinct?: true;
}

export type StateTableName =
  | "points"
  | "sources"
  | "consents"
  | "withdrawals"
  | "objections"
  | "contacts_made"
  | "notices"
  | "callback_requests"
  | "registry_snapshots"
  | "registry_entries"
  | "subject_links";

/** Every table the audit compares, in the order Store.stateRows reads them. */
export const STATE_TABLES: readonly StateTable[] = [
  {
    name: "points",
    key: [["point_key", "text"]],
    values: [
      ["type", "text"],
      ["value", "text"],
      ["erased_at", "time"],
    ],
  },
  {
    name: "sources",
    key: [
      ["point_key", "text"],
      ["controller", "text"],
      ["seq", "int"],
    ],
    values: [
      ["kind", "text"],
      ["origin_type", "text"],
      ["collected_at", "time"],
      ["sender_named", "bool"],
      ["opt_out_offered", "bool"],
      ["publisher_refused", "bool"],
      ["informed_at", "time"],
      ["relationship", "text"],
      ["customer_since", "time"],
      ["customer_until", "time"],
      ["last_inbound_at", "time"],
      ["department", "text"],
      ["time_zone", "text"],
      ["source_url", "text"],
      ["obtained_at", "time"],
      ["transfers", "int"],
      ["free_account_of_paid_model", "bool"],
    ],
  },
  {
    name: "consents",
    key: [
      ["point_key", "text"],
      ["controller", "text"],
      ["channel", "text"],
      ["given_at", "time"],
    ],
    values: [
      ["method", "text"],
      ["scope", "text"],
      ["proof", "bool"],
      ["withdrawn_at", "time"],
      ["collected_by", "text"],
      ["named_how", "text"],
    ],
  },
  {
    name: "withdrawals",
    key: [
      ["point_key", "text"],
      ["controller", "text"],
      ["channel", "text"],
      ["at", "time"],
    ],
    values: [],
  },
  {
    name: "objections",
    key: [
      ["point_key", "text"],
      ["controller", "text"],
      ["channel", "text"],
      ["at", "time"],
    ],
    values: [["via", "text"]],
  },
  {
    name: "contacts_made",
    key: [
      ["point_key", "text"],
      ["controller", "text"],
      ["channel", "text"],
      ["at", "time"],
    ],
    values: [
      ["outcome", "text"],
      ["advertiser", "text"],
      ["sector", "text"],
    ],
  },
  {
    name: "notices",
    key: [
      ["point_key", "text"],
      ["controller", "text"],
      ["at", "time"],
    ],
    values: [],
  },
  {
    name: "callback_requests",
    key: [
      ["point_key", "text"],
      ["controller", "text"],
      ["at", "time"],
    ],
    values: [
      ["slot_from", "time"],
      ["slot_to", "time"],
      ["subject", "text"],
    ],
  },
  {
    name: "registry_snapshots",
    key: [["seq", "int"]],
    values: [
      ["checked_at", "time"],
      ["complete", "bool"],
    ],
  },
  {
    name: "registry_entries",
    key: [
      ["snapshot_seq", "int"],
      ["checked_at", "time"],
    ],
    values: [],
    distinct: true,
  },
  {
    name: "subject_links",
    key: [
      ["point_key", "text"],
      ["other_key", "text"],
    ],
    values: [],
  },
];

/** A row of a state table, as Store.stateRows gives it. */
export interface StateRow {
  readonly table: StateTableName;
  readonly key: readonly Cell[];
  readonly values: readonly Cell[];
}

/** The columns a table is read with, keys first (what the adapters select, and order by). */
export function columnsOf(t: StateTable): readonly (readonly [string, ColumnType])[] {
  return [...t.key, ...t.values];
}

/** A driver's value as a cell: SQLite gives booleans as 0/1, PostgreSQL BIGINTs as numbers. */
export function cellOf(v: unknown, type: ColumnType): Cell {
  if (v === null || v === undefined) return null;
  if (type === "bool") return v === true || v === 1 || v === "1" || v === "t";
  if (type === "text") return String(v);
  return Number(v);
}

/** A driver's row (values in `columnsOf` order) as a state row. */
export function stateRowOf(t: StateTable, row: readonly unknown[]): StateRow {
  const n = t.key.length;
  return {
    table: t.name,
    key: t.key.map(([, type], i) => cellOf(row[i], type)),
    values: t.values.map(([, type], i) => cellOf(row[n + i], type)),
  };
}

/**
 * Text in byte order of its UTF-8 (SQLite's BINARY, PostgreSQL's COLLATE "C"): code point order,
 * which differs from JavaScript's `<` (UTF-16 units) only past U+FFFF.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) encode code points above every unit from U+E000.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Keys compared column by column, in the order the adapters read them. */
export function compareKeys(a: readonly Cell[], b: readonly Cell[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === "string" && typeof y === "string") return compareText(x, y);
    return Number(x) - Number(y);
  }
  return 0;
}

/**
 * Every tenant anything is held under (Store.tenants), in both dialects: the distinct tenants of
 * the log, the heads and every state table, each found by skipping along the index that starts
 * with the tenant (one lookup a tenant, not a scan of the rows).
 */
export const TENANTS_SQL = (() => {
  const tables = ["events", "chain_head", ...STATE_TABLES.map((t) => t.name)];
  const scans = tables.map(
    (table) => `t_${table}(tenant) AS (SELECT min(tenant) FROM ${table}
      UNION ALL SELECT (SELECT min(tenant) FROM ${table} WHERE tenant > t_${table}.tenant)
      FROM t_${table} WHERE t_${table}.tenant IS NOT NULL)`,
  );
  const unions = tables.map((table) => `SELECT tenant FROM t_${table} WHERE tenant IS NOT NULL`);
  return `WITH RECURSIVE ${scans.join(",\n")}\n${unions.join("\nUNION ")}\nORDER BY tenant`;
})();
