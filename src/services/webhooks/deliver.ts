// Webhooks on evidence: each subscription receives the tenant's new events of the kinds it asked
// for, in the log's order, signed (sign.ts). The log is the queue: a subscription keeps the seq of
// the last event it handled, so an event committed is an event to deliver — a crash between the
// commit and the delivery delays it, never loses it (at least once: a delivery whose answer was
// lost is sent again). A failure is retried after RETRY_DELAYS_MS; after the last, the event is
// kept as a dead letter (`vigie webhooks status`, `replay`) and the next ones go on.
import { randomUUID } from "node:crypto";
import type { StoredEvent } from "../../evidence/events.ts";
import type { Store, WebhookProgress, WebhookSubscription } from "../../store/store.ts";
import { shownUrl } from "./manage.ts";
import { newSecret, signedHeaders } from "./sign.ts";

/** What a subscription names, and the event type each is. */
export const WEBHOOK_EVENTS = {
  objection: "objection.recorded",
  consent: "consent.given",
  withdrawal: "consent.withdrawn",
  erasure: "subject.erased",
  source: "source.recorded",
  contact: "contact.made",
  notice: "notice.sent",
  callback: "callback.requested",
  link: "subject.linked",
  bloctel: "registry.snapshot",
} as const;
export type WebhookEventName = keyof typeof WEBHOOK_EVENTS;

/** Waits after the 1st, 2nd… failure of one event: 5 s up to 6 h, about 11 h in all. */
export const RETRY_DELAYS_MS = [5e3, 30e3, 120e3, 600e3, 1_800e3, 3_600e3, 10_800e3, 21_600e3];

/** Events read from the log at a time, and delivered per subscription in one pass. */
const PAGE = 200;
const TIMEOUT_MS = 10_000;

/** The body of a delivery: keys and what happened; the point's value only if the subscription may have it. */
export function payloadOf(e: StoredEvent, personalData: boolean): unknown {
  const point = personalData ? e.pii?.point : undefined;
  return {
    type: e.data.type,
    timestamp: new Date(e.recordedAt).toISOString(),
    data: {
      tenant: e.tenant,
      seq: e.seq,
      eventId: e.eventId,
      pointKey: e.pointKey,
      controller: e.controller,
      occurredAt: new Date(e.occurredAt).toISOString(),
      event: e.data,
      ...(point === undefined ? {} : { point }),
    },
  };
}

/**
 * Why `url` may not carry points' values: plain http crosses the network in clear (GDPR art. 32),
 * so personal data goes over https — or over http to this machine (a relay beside the server).
 * null when it may.
 */
export function clearTextProblem(url: URL, personalData: boolean): string | null {
  if (!personalData || url.protocol !== "http:") return null;
  const host = url.hostname;
  if (host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host)) return null;
  return `${shownUrl(url.href)}: deliveries with personal data go over https (plain http only to this machine: localhost, 127.0.0.1, [::1])`;
}

export interface NewWebhook {
  readonly url: string;
  readonly events: readonly WebhookEventName[];
  readonly personalData: boolean;
  /** Deliver the log from its start, not only what is recorded from now on. */
  readonly fromStart: boolean;
}

/** Adds a subscription; returns it with its secret, which is shown only then. */
export async function addWebhook(
  store: Store,
  tenant: string,
  w: NewWebhook,
  at: number,
): Promise<WebhookSubscription> {
  const url = new URL(w.url);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`${w.url}: a webhook is delivered over https (or http)`);
  }
  const clear = clearTextProblem(url, w.personalData);
  if (clear !== null) throw new Error(clear);
  const fromSeq = w.fromStart ? 0 : ((await store.chainHead(tenant))?.seq ?? 0);
  const sub = {
    id: `wh_${randomUUID().replaceAll("-", "").slice(0, 16)}`,
    url: url.href,
    events: w.events.map((n) => WEBHOOK_EVENTS[n]),
    personalData: w.personalData,
    secret: newSecret(),
    createdAt: at,
  };
  await store.addWebhook(tenant, { ...sub, fromSeq });
  return { ...sub, progress: { deliveredSeq: fromSeq, attempts: 0, nextAttemptAt: null, lastError: null } };
}

export interface DeliveryReport {
  readonly webhook: string;
  readonly delivered: number;
  /** Given up on in this pass, after the last retry. */
  readonly deadLettered: number;
  /** The failure that stopped this pass, with when the next attempt is due. */
  readonly failed: { readonly error: string; readonly retryAt: number | null } | null;
}

export interface DeliveryOptions {
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

/** One delivery attempt: null when the receiver took it (2xx), else why not. */
async function post(
  f: typeof fetch,
  w: WebhookSubscription,
  e: StoredEvent,
  at: number,
): Promise<string | null> {
  // A subscription made before personal data was refused over plain http: not sent in clear.
  const clear = clearTextProblem(new URL(w.url), w.personalData);
  if (clear !== null) return clear;
  const body = JSON.stringify(payloadOf(e, w.personalData));
  try {
    const res = await f(w.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...signedHeaders(w.secret, e.eventId, at, body) },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // The answer's body is not read: a receiver could send any amount of it.
    await res.body?.cancel().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? null : `answered ${res.status}`;
  } catch (err) {
    return (err as Error).name === "TimeoutError"
      ? `no answer within ${TIMEOUT_MS / 1000} s`
      : `not reached: ${(err as Error).cause ?? (err as Error).message}`;
  }
}

/** Delivers what is due to each of the tenant's subscriptions, one pass. */
export async function deliverWebhooks(
  store: Store,
  tenant: string,
  options: DeliveryOptions = {},
): Promise<DeliveryReport[]> {
  const now = options.now ?? Date.now;
  const f = options.fetch ?? fetch;
  const reports: DeliveryReport[] = [];
  for (const w of await store.webhooks(tenant)) {
    if (w.progress.nextAttemptAt !== null && w.progress.nextAttemptAt > now()) continue;
    reports.push(await deliverOne(store, tenant, w, f, now));
  }
  return reports;
}

async function deliverOne(
  store: Store,
  tenant: string,
  w: WebhookSubscription,
  f: typeof fetch,
  now: () => number,
): Promise<DeliveryReport> {
  let at: WebhookProgress = w.progress;
  let delivered = 0;
  let deadLettered = 0;
  // Records the progress if no other server moved the subscription meanwhile.
  const move = async (
    to: WebhookProgress,
    dead?: { seq: number; error: string; attempts: number },
  ): Promise<boolean> => {
    const deadLetter = dead === undefined ? undefined : { ...dead, failedAt: now() };
    const moved = await store.moveWebhook(tenant, w.id, at.deliveredSeq, to, deadLetter);
    if (moved) at = to;
    return moved;
  };
  const report = (failed: DeliveryReport["failed"]): DeliveryReport => ({
    webhook: w.id,
    delivered,
    deadLettered,
    failed,
  });
  // Read a page first: the log is not read while the subscription is written.
  const page: StoredEvent[] = [];
  for await (const e of store.events(tenant, at.deliveredSeq + 1)) {
    page.push(e);
    if (page.length === PAGE) break;
  }
  let skippedTo = at.deliveredSeq;
  for (const e of page) {
    if (!w.events.includes(e.data.type)) {
      skippedTo = e.seq;
      continue;
    }
    const error = await post(f, w, e, now());
    if (error === null) {
      delivered++;
      if (!(await move({ deliveredSeq: e.seq, attempts: 0, nextAttemptAt: null, lastError: null }))) break;
      continue;
    }
    const attempts = at.attempts + 1;
    if (attempts > RETRY_DELAYS_MS.length) {
      deadLettered++;
      const moved = await move(
        { deliveredSeq: e.seq, attempts: 0, nextAttemptAt: null, lastError: `event ${e.seq}: ${error}` },
        { seq: e.seq, error, attempts },
      );
      if (!moved) break;
      continue;
    }
    const retryAt = now() + (RETRY_DELAYS_MS[attempts - 1] as number);
    await move({
      deliveredSeq: Math.max(at.deliveredSeq, e.seq - 1),
      attempts,
      nextAttemptAt: retryAt,
      lastError: `event ${e.seq}: ${error}`,
    });
    return report({ error: `event ${e.seq}: ${error}`, retryAt });
  }
  if (skippedTo > at.deliveredSeq) {
    await move({ deliveredSeq: skippedTo, attempts: 0, nextAttemptAt: null, lastError: at.lastError });
  }
  return report(null);
}
