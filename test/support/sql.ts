// SQL literals for tests that tamper with a store as an attacker with database access would.
/** `v` as a literal of the dialect: booleans are 0/1 in SQLite, true/false in PostgreSQL. */
export function sqlLiteral(
  dialect: "sqlite" | "postgres",
  v: string | number | boolean | Uint8Array | null,
): string {
  if (v === null) return "NULL";
  if (v instanceof Uint8Array) {
    const hex = Buffer.from(v).toString("hex");
    return dialect === "postgres" ? `'\\x${hex}'::bytea` : `X'${hex}'`;
  }
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return dialect === "postgres" ? String(v) : String(Number(v));
  return `'${v.replaceAll("'", "''")}'`;
}
