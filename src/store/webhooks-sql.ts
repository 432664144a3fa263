// The tables of what servers share that is not evidence — webhook subscriptions (schema.ts,
// version 9) and stored campaigns (version 10) — in SQL both adapters run as written, each with
// its own placeholders (`?` for SQLite, `$n` for PostgreSQL).
import type { DeadLetter, StoredCampaignRow, WebhookProgress, WebhookSubscription } from "./store.ts";

type Int = number | string | bigint;

export interface WebhookRow {
  id: string;
  url: string;
  events: string;
  personal_data: number | boolean;
  secret: string;
  created_at: Int;
  delivered_seq: Int;
  attempts: number;
  next_attempt_at: Int | null;
  last_error: string | null;
}

export interface DeadLetterRow {
  seq: Int;
  failed_at: Int;
  attempts: number;
  error: string;
}

/** The statements, with `p(i)` the i-th placeholder (1-based), numbered in the order they appear. */
export function webhookSql(p: (i: number) => string) {
  return {
    list: `SELECT id, url, events, personal_data, secret, created_at, delivered_seq, attempts, next_attempt_at, last_error
      FROM webhooks WHERE tenant = ${p(1)} ORDER BY created_at, id`,
    add: `INSERT INTO webhooks (tenant, id, url, events, personal_data, secret, created_at, delivered_seq, attempts)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, 0)`,
    remove: `DELETE FROM webhooks WHERE tenant = ${p(1)} AND id = ${p(2)}`,
    removeDead: `DELETE FROM webhook_dead_letters WHERE tenant = ${p(1)} AND webhook_id = ${p(2)}`,
    // Moves a subscription on only from where the caller read it: of two servers delivering, one moves it.
    move: `UPDATE webhooks SET delivered_seq = ${p(1)}, attempts = ${p(2)}, next_attempt_at = ${p(3)}, last_error = ${p(4)}
      WHERE tenant = ${p(5)} AND id = ${p(6)} AND delivered_seq = ${p(7)}`,
    deadLetter: `INSERT INTO webhook_dead_letters (tenant, webhook_id, seq, failed_at, attempts, error)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}) ON CONFLICT (tenant, webhook_id, seq) DO NOTHING`,
    deadLetters: `SELECT seq, failed_at, attempts, error FROM webhook_dead_letters
      WHERE tenant = ${p(1)} AND webhook_id = ${p(2)} ORDER BY seq`,
    campaigns: `SELECT id, created_at, body FROM campaigns WHERE tenant = ${p(1)} ORDER BY created_at, id`,
    // A campaign stored twice (a file read again into the store) is the same: nothing changes.
    addCampaign: `INSERT INTO campaigns (tenant, id, created_at, body) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})
      ON CONFLICT (tenant, id) DO NOTHING`,
  };
}

export function subscriptionOf(r: WebhookRow): WebhookSubscription {
  return {
    id: r.id,
    url: r.url,
    events: JSON.parse(r.events) as string[],
    personalData: r.personal_data === true || r.personal_data === 1,
    secret: r.secret,
    createdAt: Number(r.created_at),
    progress: {
      deliveredSeq: Number(r.delivered_seq),
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
      lastError: r.last_error,
    },
  };
}

export const deadLetterOf = (r: DeadLetterRow): DeadLetter => ({
  seq: Number(r.seq),
  failedAt: Number(r.failed_at),
  attempts: r.attempts,
  error: r.error,
});

/** The values of `move`: the progress, then the subscription and the seq it was read at. */
export const moveValues = (
  tenant: string,
  id: string,
  fromSeq: number,
  to: WebhookProgress,
): (number | string | null)[] => [
  to.deliveredSeq,
  to.attempts,
  to.nextAttemptAt,
  to.lastError,
  tenant,
  id,
  fromSeq,
];

export interface CampaignRow {
  id: string;
  created_at: string;
  body: string;
}

export const campaignOf = (r: CampaignRow): StoredCampaignRow => ({
  id: r.id,
  createdAt: r.created_at,
  body: JSON.parse(r.body) as unknown,
});
