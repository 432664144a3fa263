// What the command line and the API both do with subscriptions: show where each stands (never its
// secret), and deliver again from an event.
import type { DeadLetter, Store, WebhookSubscription } from "../../store/store.ts";

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

/**
 * A subscription's URL as shown: credentials in it (`https://user:pass@…`, as some receivers take
 * them) are a secret, and views never hold one.
 */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === "" && u.password === "") return url;
    u.username = "***";
    u.password = "";
    return u.href;
  } catch {
    return url;
  }
}

/** A subscription as shown: its progress against the log's head, and its dead letters. */
export function webhookView(w: WebhookSubscription, head: number, dead: readonly DeadLetter[]) {
  const p = w.progress;
  const url = shownUrl(w.url);
  // An error may quote the address it failed on.
  const shown = (text: string | null) =>
    text === null || url === w.url ? text : text.replaceAll(w.url, url);
  return {
    id: w.id,
    url,
    events: w.events,
    personalData: w.personalData,
    createdAt: iso(w.createdAt),
    deliveredSeq: p.deliveredSeq,
    behind: Math.max(0, head - p.deliveredSeq),
    attempts: p.attempts,
    nextAttemptAt: iso(p.nextAttemptAt),
    lastError: shown(p.lastError),
    deadLetters: dead.map((d) => ({ ...d, error: shown(d.error), failedAt: iso(d.failedAt) })),
  };
}
export type WebhookView = ReturnType<typeof webhookView>;

/** Every subscription of the tenant, as shown. */
export async function webhookViews(store: Store, tenant: string): Promise<WebhookView[]> {
  const head = (await store.chainHead(tenant))?.seq ?? 0;
  const out: WebhookView[] = [];
  for (const w of await store.webhooks(tenant))
    out.push(webhookView(w, head, await store.deadLetters(tenant, w.id)));
  return out;
}

export type ReplayResult =
  | { readonly ok: true; readonly from: number | null }
  | { readonly ok: false; readonly error: "no such webhook" | "moved meanwhile" };

/**
 * Delivers again from event `from` (and what follows), or from the first dead letter (`dead`,
 * whose letters are then forgotten; from: null when there is none). Receivers tell the repeats
 * by `webhook-id`.
 */
export async function replayWebhook(
  store: Store,
  tenant: string,
  id: string,
  how: { readonly fromSeq: number } | { readonly dead: true },
): Promise<ReplayResult> {
  const w = (await store.webhooks(tenant)).find((x) => x.id === id);
  if (w === undefined) return { ok: false, error: "no such webhook" };
  const from = "fromSeq" in how ? how.fromSeq : (await store.deadLetters(tenant, id))[0]?.seq;
  if (from === undefined) return { ok: true, from: null };
  const to = { deliveredSeq: from - 1, attempts: 0, nextAttemptAt: null, lastError: null };
  if (!(await store.moveWebhook(tenant, id, w.progress.deliveredSeq, to)))
    return { ok: false, error: "moved meanwhile" };
  if ("dead" in how) await store.clearDeadLetters(tenant, id);
  return { ok: true, from };
}
