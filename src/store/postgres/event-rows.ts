// How PostgreSQL keeps an event (schema 18; rows.ts EventRow says what the row holds): its data
// and proof texts in `event_texts`, keyed by tenant and SHA-256, the event holding each text's
// SHA-256 — no number to fetch before the event is written, so a batch's writes stay one wave
// (write-plan.ts). SQLite numbers its texts instead (sqlite/event-rows.ts).
import { eventsWithPii, sha256 } from "../rows.ts";

/** An event and its personal data (rows.ts `eventsWithPii`). */
export const EVENTS_WITH_PII = eventsWithPii(
  `LEFT JOIN event_texts d ON d.tenant = e.tenant AND d.sha256 = e.data
   LEFT JOIN event_texts pr ON pr.tenant = e.tenant AND pr.sha256 = e.proof`,
);

/** The texts of a batch's events, each once: the `event_texts` rows to add (tenant, sha256, text). */
export class BatchTexts {
  readonly rows: [string, Buffer, string][] = [];
  readonly #seen = new Map<string, Buffer>();

  /** The SHA-256 of `text`, its row added the first time the batch names it for `tenant`. */
  keyOf(tenant: string, text: string): Buffer {
    const at = `${tenant}\u0000${text}`;
    let key = this.#seen.get(at);
    if (key === undefined) {
      key = sha256(text);
      this.#seen.set(at, key);
      this.rows.push([tenant, key, text]);
    }
    return key;
  }
}
