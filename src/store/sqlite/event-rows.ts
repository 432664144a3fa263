// How SQLite keeps an event (schema 17): the id and the hashes as 32 bytes instead of 64 hex
// characters; the data and proof texts once each in `event_texts`, the row holding their number
// (an import's thousands of rows share one proof and a few data texts); the previous event's hash
// not stored but read from that event, which the chain makes the same thing. About half the bytes
// of the row it replaces (bench/import.ts prints bytes per imported row). PostgreSQL keeps the
// row of schema 1. What the rest of vigie sees is the same StoredEvent either way (rows.ts).
import { hash } from "node:crypto";
import type Database from "better-sqlite3";
import { GENESIS_HASH, type StoredEvent } from "../../evidence/events.ts";
import { type EventRow, eventFromRow } from "../rows.ts";

/** An event and its personal data (as rows.ts EVENTS_WITH_PII), from the compact row. */
export const EVENTS_WITH_PII = `SELECT e.tenant, e.seq, e.event_id, e.type, e.point_key, e.controller, e.occurred_at,
    e.recorded_at, d.text AS data, pr.text AS proof, e.pii_hash, pe.hash AS prev_hash, e.hash, p.pii,
    pt.type AS point_type, pt.value AS point_value
  FROM events e JOIN event_texts d ON d.id = e.data JOIN event_texts pr ON pr.id = e.proof
  LEFT JOIN events pe ON pe.tenant = e.tenant AND pe.seq = e.seq - 1
  LEFT JOIN event_pii p ON p.tenant = e.tenant AND p.seq = e.seq
  LEFT JOIN points pt ON pt.tenant = e.tenant AND pt.point_key = e.point_key`;

/** better-sqlite3 reads a BLOB as a Buffer. */
type Bytes = Buffer;

export const hex = (b: Bytes): string => b.toString("hex");
export const bytes = (h: string): Buffer => Buffer.from(h, "hex");

export interface CompactEventRow extends Omit<EventRow, "event_id" | "pii_hash" | "prev_hash" | "hash"> {
  event_id: Bytes;
  pii_hash: Bytes | null;
  /** Null for the first event of a tenant's log, or where the event before is missing. */
  prev_hash: Bytes | null;
  hash: Bytes;
}

/**
 * The event of a compact row. An event whose predecessor is missing (deleted) reads as chained to
 * the genesis hash, which its own hash then contradicts: the audit reports it.
 */
export function eventOfRow(r: CompactEventRow): StoredEvent {
  return eventFromRow({
    ...r,
    event_id: hex(r.event_id),
    pii_hash: r.pii_hash === null ? null : hex(r.pii_hash),
    prev_hash: r.prev_hash === null ? GENESIS_HASH : hex(r.prev_hash),
    hash: hex(r.hash),
  });
}

/** The SHA-256 of a text, as bytes: how `event_texts` finds a text (schema 17 computes it too). */
export const sha256 = (text: string): Buffer => hash("sha256", text, "buffer") as unknown as Buffer;

/** Interned event texts, numbered. */
export class EventTexts {
  readonly #find: Database.Statement;
  readonly #add: Database.Statement;
  /**
   * Numbers already found or added, kept for one transaction only: a number added by a
   * transaction that rolls back names nothing afterwards.
   */
  readonly #known = new Map<string, number>();

  constructor(db: Database.Database) {
    this.#find = db.prepare("SELECT id FROM event_texts WHERE sha256 = ?").pluck();
    this.#add = db.prepare("INSERT INTO event_texts (sha256, text) VALUES (?, ?) RETURNING id").pluck();
  }

  /** Called as each write transaction starts. */
  forget(): void {
    this.#known.clear();
  }

  idOf(text: string): number {
    const known = this.#known.get(text);
    if (known !== undefined) return known;
    const digest = sha256(text);
    const id = (this.#find.get(digest) as number | undefined) ?? (this.#add.get(digest, text) as number);
    // Bounded: an import of unique texts (each consent's own proof) must not grow it without end.
    if (this.#known.size >= 10_000) this.#known.clear();
    this.#known.set(text, id);
    return id;
  }
}
