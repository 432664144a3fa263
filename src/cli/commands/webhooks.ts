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
import { replayWebhook, webhookViews } from "../../services/webhooks/manage.ts";
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

export async function runWebhooksList(o: StoreOptions & { json?: boolean }): Promise<number> {
  return withSession(o, async ({ store, tenant }) => {
    for (const v of await webhookViews(store, tenant)) {
      const line = o.json
        ? JSON.stringify({ ...v, deadLetters: v.deadLetters.length })
        : [
            v.id,
            v.url,
            v.events.join(","),
            v.personalData ? "personal-data" : "keys-only",
            `${v.behind} behind`,
            `${v.deadLetters.length} dead`,
          ].join("\t");
      process.stdout.write(`${line}\n`);
    }
    return EXIT.ok;
  });
}

/** One subscription in full: where it stands, its last error, its dead letters. Exit 1 if it is failing. */
export async function runWebhooksStatus(id: string, o: StoreOptions & { json?: boolean }): Promise<number> {
  return withSession(o, async ({ store, tenant }) => {
    const v = (await webhookViews(store, tenant)).find((x) => x.id === id);
    if (v === undefined) throw new UsageError(`no webhook ${id} (vigie webhooks list)`);
    if (o.json) process.stdout.write(`${JSON.stringify(v)}\n`);
    else {
      process.stdout.write(
        `${v.id} → ${v.url}\n  events: ${v.events.join(", ")} (${v.personalData ? "with the point's value" : "keys only"})\n` +
          `  delivered up to event ${v.deliveredSeq} (${v.behind} behind)\n` +
          (v.lastError === null
            ? ""
            : `  last error: ${v.lastError}; ${v.attempts} failed attempts, next at ${v.nextAttemptAt ?? "-"}\n`) +
          v.deadLetters
            .map(
              (d) =>
                `  dead letter: event ${d.seq}, given up ${d.failedAt} after ${d.attempts} attempts: ${d.error}\n`,
            )
            .join(""),
      );
    }
    return v.attempts > 0 || v.deadLetters.length > 0 ? EXIT.blocked : EXIT.ok;
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

/** Delivers again from an event (`--from-seq N`), or from the first dead letter (`--dead`). */
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
    const r = await replayWebhook(
      store,
      tenant,
      id,
      o.dead === true ? { dead: true } : { fromSeq: Number(o.fromSeq) },
    );
    if (!r.ok) {
      throw new UsageError(
        r.error === "no such webhook"
          ? `no webhook ${id} (vigie webhooks list)`
          : `webhook ${id} moved meanwhile (a server is delivering): run replay again`,
      );
    }
    process.stderr.write(
      r.from === null
        ? `vigie: webhook ${id} has no dead letter\n`
        : `vigie: webhook ${id} delivers again from event ${r.from} (at the next pass)\n`,
    );
    return EXIT.ok;
  });
}

export const deliveryLine = (r: DeliveryReport): string =>
  `${r.webhook}: ${r.delivered} delivered${r.deadLettered > 0 ? `, ${r.deadLettered} given up (dead letters)` : ""}${r.failed === null ? "" : `; failing: ${r.failed.error}, next attempt ${when(r.failed.retryAt)}`}`;

/** One delivery pass now. Exit 1 when a subscription is failing or gave an event up. */
export async function runWebhooksDeliver(o: StoreOptions & { json?: boolean }): Promise<number> {
  return withSession(o, async ({ store, tenant }) => {
    const reports = await deliverWebhooks(store, tenant);
    for (const r of reports) {
      if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else process.stderr.write(`vigie: ${deliveryLine(r)}\n`);
    }
    return reports.some((r) => r.failed !== null || r.deadLettered > 0) ? EXIT.blocked : EXIT.ok;
  });
}
