// `vigie webhooks add|list|status|remove|replay|deliver`: subscriptions to the evidence log
// (src/services/webhooks/). A subscription's signing secret is printed once, when it is added.
// `vigie serve` delivers on its own; `deliver` makes one pass (from cron, without a server).
import { recordActivity } from "../../services/activity.ts";
import {
  addWebhook,
  type DeliveryReport,
  deliverWebhooks,
  WEBHOOK_EVENTS,
  type WebhookEventName,
} from "../../services/webhooks/deliver.ts";
import type { WebhookSubscription } from "../../store/store.ts";
import { EXIT, UsageError } from "../exit.ts";
import { cliActor, type StoreOptions, withSession } from "../store-options.ts";

const NAMES = Object.keys(WEBHOOK_EVENTS) as WebhookEventName[];

function eventNames(list: string): WebhookEventName[] {
  const names = list.split(",").map((s) => s.trim());
  for (const n of names) {
    if (!(NAMES as string[]).includes(n))
      throw new UsageError(`--events ${n}: expected some of ${NAMES.join(", ")}`);
  }
  return [...new Set(names)] as WebhookEventName[];
}

export async function runWebhooksAdd(
  url: string,
  o: StoreOptions & { events: string; personalData?: boolean; fromStart?: boolean },
): Promise<number> {
  const events = eventNames(o.events);
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError(`${url}: expected an http(s) URL`);
  return withSession(o, async (session) => {
    const at = Date.now();
    const w = await addWebhook(
      session.store,
      session.tenant,
      { url, events, personalData: o.personalData === true, fromStart: o.fromStart === true },
      at,
    );
    await recordActivity(session, { action: "webhook.created", target: w.id, by: cliActor(), at });
    process.stderr.write(
      `vigie: webhook ${w.id} → ${w.url} (${w.events.join(", ")}${w.personalData ? "; with the point's value" : "; keys only"}) from event ${w.progress.deliveredSeq + 1}; its signing secret is shown only now:\n`,
    );
    process.stdout.write(`${w.secret}\n`);
    return EXIT.ok;
  });
}

const when = (t: number | null): string => (t === null ? "-" : new Date(t).toISOString());

/** A subscription as `list` and `status` show it: never its secret. */
function shown(w: WebhookSubscription, head: number, dead: number) {
  const p = w.progress;
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    personalData: w.personalData,
    createdAt: new Date(w.createdAt).toISOString(),
    deliveredSeq: p.deliveredSeq,
    behind: Math.max(0, head - p.deliveredSeq),
    attempts: p.attempts,
    nextAttemptAt: p.nextAttemptAt === null ? null : new Date(p.nextAttemptAt).toISOString(),
    lastError: p.lastError,
    deadLetters: dead,
  };
}

export async function runWebhooksList(o: StoreOptions & { json?: boolean }): Promise<number> {
  return withSession(o, async ({ store, tenant }) => {
    const head = (await store.chainHead(tenant))?.seq ?? 0;
    for (const w of await store.webhooks(tenant)) {
      const s = shown(w, head, (await store.deadLetters(tenant, w.id)).length);
      process.stdout.write(
        o.json
          ? `${JSON.stringify(s)}\n`
          : `${[s.id, s.url, s.events.join(","), s.personalData ? "personal-data" : "keys-only", `${s.behind} behind`, `${s.deadLetters} dead`].join("\t")}\n`,
      );
    }
    return EXIT.ok;
  });
}

/** One subscription in full: where it stands, its last error, its dead letters. Exit 1 if it is failing. */
export async function runWebhooksStatus(id: string, o: StoreOptions & { json?: boolean }): Promise<number> {
  return withSession(o, async ({ store, tenant }) => {
    const w = (await store.webhooks(tenant)).find((x) => x.id === id);
    if (w === undefined) throw new UsageError(`no webhook ${id} (vigie webhooks list)`);
    const head = (await store.chainHead(tenant))?.seq ?? 0;
    const dead = await store.deadLetters(tenant, id);
    const s = shown(w, head, dead.length);
    if (o.json) {
      process.stdout.write(
        `${JSON.stringify({ ...s, deadLetters: dead.map((d) => ({ ...d, failedAt: new Date(d.failedAt).toISOString() })) })}\n`,
      );
    } else {
      process.stdout.write(
        `${s.id} → ${s.url}\n  events: ${s.events.join(", ")} (${s.personalData ? "with the point's value" : "keys only"})\n` +
          `  delivered up to event ${s.deliveredSeq} of ${head} (${s.behind} behind)\n` +
          (s.lastError === null
            ? ""
            : `  last error: ${s.lastError}; ${s.attempts} failed attempts, next at ${when(w.progress.nextAttemptAt)}\n`) +
          dead
            .map(
              (d) =>
                `  dead letter: event ${d.seq}, given up ${when(d.failedAt)} after ${d.attempts} attempts: ${d.error}\n`,
            )
            .join(""),
      );
    }
    return w.progress.attempts > 0 || dead.length > 0 ? EXIT.blocked : EXIT.ok;
  });
}

export async function runWebhooksRemove(id: string, o: StoreOptions): Promise<number> {
  return withSession(o, async (session) => {
    if (!(await session.store.removeWebhook(session.tenant, id))) {
      throw new UsageError(`no webhook ${id} (vigie webhooks list)`);
    }
    await recordActivity(session, { action: "webhook.removed", target: id, by: cliActor(), at: Date.now() });
    process.stderr.write(`vigie: webhook ${id} removed\n`);
    return EXIT.ok;
  });
}

/**
 * Delivers again from an event: `--from-seq N`, or `--dead` from the first dead letter (whose
 * letters are then forgotten). What follows is sent again too: receivers tell repeats by
 * `webhook-id`.
 */
export async function runWebhooksReplay(
  id: string,
  o: StoreOptions & { fromSeq?: string; dead?: boolean },
): Promise<number> {
  if ((o.fromSeq === undefined) === (o.dead !== true))
    throw new UsageError("replay: give --from-seq N or --dead");
  if (o.fromSeq !== undefined && !/^[1-9]\d*$/.test(o.fromSeq)) {
    throw new UsageError(`--from-seq ${o.fromSeq}: expected an event number ≥ 1`);
  }
  return withSession(o, async ({ store, tenant }) => {
    const w = (await store.webhooks(tenant)).find((x) => x.id === id);
    if (w === undefined) throw new UsageError(`no webhook ${id} (vigie webhooks list)`);
    const dead = await store.deadLetters(tenant, id);
    const from = o.fromSeq !== undefined ? Number(o.fromSeq) : dead[0]?.seq;
    if (from === undefined) {
      process.stderr.write(`vigie: webhook ${id} has no dead letter\n`);
      return EXIT.ok;
    }
    const to = { deliveredSeq: from - 1, attempts: 0, nextAttemptAt: null, lastError: null };
    if (!(await store.moveWebhook(tenant, id, w.progress.deliveredSeq, to))) {
      throw new UsageError(`webhook ${id} moved meanwhile (a server is delivering): run replay again`);
    }
    if (o.dead === true) await store.clearDeadLetters(tenant, id);
    process.stderr.write(`vigie: webhook ${id} delivers again from event ${from} (at the next pass)\n`);
    return EXIT.ok;
  });
}

export const deliveryLine = (r: DeliveryReport): string =>
  `${r.webhook}: ${r.delivered} delivered${r.deadLettered > 0 ? `, ${r.deadLettered} given up (dead letters)` : ""}${r.failed === null ? "" : `; failing: ${r.failed.error}, next attempt ${when(r.failed.retryAt)}`}`;

/** One delivery pass now. Exit 1 when a subscription is failing or gave an event up. */
export async function runWebhooksDeliver(o: StoreOptions): Promise<number> {
  return withSession(o, async ({ store, tenant }) => {
    const reports = await deliverWebhooks(store, tenant);
    for (const r of reports) process.stderr.write(`vigie: ${deliveryLine(r)}\n`);
    return reports.some((r) => r.failed !== null || r.deadLettered > 0) ? EXIT.blocked : EXIT.ok;
  });
}
