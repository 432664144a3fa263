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

/** The SHA-256 of a text, as `event_texts` keys it (src/store/rows.ts). */
const textKey = (text: string): Buffer => createHash("sha256").update(text).digest();

/**
 * SQL that makes sure the store holds an event text for `tenant`, and the expression the event's
 * row holds for it: SQLite numbers its texts, PostgreSQL names each by its SHA-256.
 */
function eventText(
  dialect: "sqlite" | "postgres",
  tenant: string,
  text: string,
): { add: string; ref: string } {
  const key = sqlLiteral(dialect, textKey(text));
  const value = sqlLiteral(dialect, text);
  if (dialect === "postgres") {
    return {
      add: `INSERT INTO event_texts (tenant, sha256, text) VALUES (${sqlLiteral(dialect, tenant)}, ${key}, ${value}) ON CONFLICT DO NOTHING;`,
      ref: key,
    };
  }
  return {
    add: `INSERT OR IGNORE INTO event_texts (sha256, text) VALUES (${key}, ${value});`,
    ref: `(SELECT id FROM event_texts WHERE sha256 = ${key})`,
  };
}

/** A hash or an event id as both dialects store it: 32 bytes. */
export function hashLiteral(dialect: "sqlite" | "postgres", hex: string): string {
  return sqlLiteral(dialect, Buffer.from(hex, "hex"));
}

/**
 * SQL that writes a row into `events` behind the store's back, as an attacker would, the columns
 * of `e` as the store keeps them (src/store/rows.ts EventRow: no previous hash). `data` and
 * `proof` are the texts stored.
 */
export function insertEventSql(
  dialect: "sqlite" | "postgres",
  e: StoredEvent,
  texts: { data: string; proof: string } = { data: JSON.stringify(e.data), proof: JSON.stringify(e.proof) },
): string {
  const lit = (v: string | number) => sqlLiteral(dialect, v);
  const hash = (v: string | null) => (v === null ? "NULL" : hashLiteral(dialect, v));
  const data = eventText(dialect, e.tenant, texts.data);
  const proof = eventText(dialect, e.tenant, texts.proof);
  const values = [
    lit(e.tenant),
    lit(e.seq),
    hash(e.eventId),
    lit(e.data.type),
    lit(e.pointKey),
    lit(e.controller),
    lit(e.occurredAt),
    lit(e.recordedAt),
    data.ref,
    proof.ref,
    hash(e.piiHash),
    hash(e.hash),
  ];
  return `${data.add} ${proof.add}
    INSERT INTO events (tenant, seq, event_id, type, point_key, controller, occurred_at, recorded_at, data, proof, pii_hash, hash)
      VALUES (${values.join(", ")})`;
}

/** SQL that rewrites an event's data text and its hash in place. */
export function rewriteEventSql(
  dialect: "sqlite" | "postgres",
  where: { tenant: string; seq: number },
  to: { data: string; hash: string },
): string {
  const data = eventText(dialect, where.tenant, to.data);
  return `${data.add} UPDATE events SET data = ${data.ref}, hash = ${hashLiteral(dialect, to.hash)}
    WHERE tenant = ${sqlLiteral(dialect, where.tenant)} AND seq = ${where.seq}`;
}
