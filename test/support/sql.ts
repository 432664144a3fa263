// SQL literals for tests that tamper with a store as an attacker with database access would.
import { createHash } from "node:crypto";
import type { StoredEvent } from "../../src/evidence/events.ts";

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

/** The SHA-256 of a text, as SQLite's `event_texts` keys it (src/store/sqlite/event-rows.ts). */
const textKey = (text: string): Buffer => createHash("sha256").update(text).digest();

/** SQL that makes sure SQLite holds an event text, and the expression of its number. */
function sqliteText(text: string): { add: string; id: string } {
  const key = sqlLiteral("sqlite", textKey(text));
  return {
    add: `INSERT OR IGNORE INTO event_texts (sha256, text) VALUES (${key}, ${sqlLiteral("sqlite", text)});`,
    id: `(SELECT id FROM event_texts WHERE sha256 = ${key})`,
  };
}

/** A hash or an event id as the dialect stores it: hex text on PostgreSQL, bytes on SQLite. */
export function hashLiteral(dialect: "sqlite" | "postgres", hex: string): string {
  return dialect === "postgres" ? sqlLiteral(dialect, hex) : `X'${hex}'`;
}

/**
 * SQL that writes a row into `events` behind the store's back, as an attacker would: the
 * columns of `e` as each dialect keeps them (SQLite: sqlite/event-rows.ts; it keeps no previous
 * hash). `data` and `proof` are the texts stored.
 */
export function insertEventSql(
  dialect: "sqlite" | "postgres",
  e: StoredEvent,
  texts: { data: string; proof: string } = { data: JSON.stringify(e.data), proof: JSON.stringify(e.proof) },
): string {
  const lit = (v: string | number | null) => sqlLiteral(dialect, v);
  const hash = (v: string | null) => (v === null ? "NULL" : hashLiteral(dialect, v));
  const head = [
    lit(e.tenant),
    lit(e.seq),
    hash(e.eventId),
    lit(e.data.type),
    lit(e.pointKey),
    lit(e.controller),
  ];
  const times = [lit(e.occurredAt), lit(e.recordedAt)];
  if (dialect === "postgres") {
    return `INSERT INTO events (tenant, seq, event_id, type, point_key, controller, occurred_at, recorded_at, data, proof, pii_hash, prev_hash, hash)
      VALUES (${[...head, ...times, lit(texts.data), lit(texts.proof), hash(e.piiHash), hash(e.prevHash), hash(e.hash)].join(", ")})`;
  }
  const data = sqliteText(texts.data);
  const proof = sqliteText(texts.proof);
  return `${data.add} ${proof.add}
    INSERT INTO events (tenant, seq, event_id, type, point_key, controller, occurred_at, recorded_at, data, proof, pii_hash, hash)
      VALUES (${[...head, ...times, data.id, proof.id, hash(e.piiHash), hash(e.hash)].join(", ")})`;
}

/**
 * SQL that rewrites an event's data text and hashes in place (PostgreSQL also its stored previous
 * hash; SQLite reads that from the event before).
 */
export function rewriteEventSql(
  dialect: "sqlite" | "postgres",
  where: { tenant: string; seq: number },
  to: { data: string; prevHash: string; hash: string },
): string {
  const at = `WHERE tenant = ${sqlLiteral(dialect, where.tenant)} AND seq = ${where.seq}`;
  if (dialect === "postgres") {
    const lit = (v: string) => sqlLiteral(dialect, v);
    return `UPDATE events SET data = ${lit(to.data)}, prev_hash = ${lit(to.prevHash)}, hash = ${lit(to.hash)} ${at}`;
  }
  const data = sqliteText(to.data);
  return `${data.add} UPDATE events SET data = ${data.id}, hash = ${hashLiteral(dialect, to.hash)} ${at}`;
}
