// How SQLite keeps an event (schema 17; rows.ts EventRow says what the row holds): its data and
// proof texts are numbered in `event_texts` (found by their SHA-256), the event holding the
// numbers — 2 bytes where PostgreSQL's row holds a 32-byte hash of each text.
import type Database from "better-sqlite3";
import { eventsWithPii, sha256 } from "../rows.ts";

const TEXTS = "LEFT JOIN event_texts d ON d.id = e.data LEFT JOIN event_texts pr ON pr.id = e.proof";

/** An event and its personal data (rows.ts `eventsWithPii`). */
export const EVENTS_WITH_PII = eventsWithPii(TEXTS);

/**
 * The same, for a point's events: through the index of a point's events, which SQLite's planner,
 * without statistics, would pass over for the primary key's order — every event of the tenant.
 */
export const POINT_EVENTS_WITH_PII = eventsWithPii(TEXTS, "events e INDEXED BY events_point");

/** Interned event texts, numbered. */
export class TextNumbers {
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
