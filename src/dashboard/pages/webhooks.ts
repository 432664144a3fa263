// The webhook subscriptions for the DPO (src/services/webhooks/): where each stands, what is
// failing, which events were given up on — and, for an admin, delivering again from the first
// dead letter. Subscriptions are made with `vigie webhooks add` or the API (their secret is shown
// there once); this page never shows a secret.
import { replayWebhook, type WebhookView, webhookViews } from "../../services/webhooks/manage.ts";
import type { DashboardContext } from "../context.ts";
import { type Html, html } from "../html.ts";
import { formatCount, formatInstant, type Strings } from "../i18n.ts";
import { sendPage } from "../layout.ts";
import { type DashboardRoutes, field, type SignedIn } from "../routes.ts";

type Key =
  | "title"
  | "intro"
  | "none"
  | "url"
  | "events"
  | "data"
  | "keysOnly"
  | "withPoint"
  | "progress"
  | "behind"
  | "state"
  | "ok"
  | "failing"
  | "nextAttempt"
  | "dead"
  | "deadEvent"
  | "replay"
  | "replayed"
  | "nothingToReplay"
  | "unknown";

const T: Strings<Key> = {
  fr: {
    title: "Webhooks",
    intro:
      "Chaque abonnement reçoit, signés, les nouveaux événements qu'il a demandés (oppositions, retraits, effacements…). On les crée avec « vigie webhooks add » ou l'API ; leur secret n'est montré qu'à leur création.",
    none: "Aucun abonnement.",
    url: "Adresse",
    events: "Événements",
    data: "Données",
    keysOnly: "clés seules",
    withPoint: "avec le numéro ou l'adresse",
    progress: "Livré jusqu'à l'événement",
    behind: "en attente",
    state: "État",
    ok: "à jour",
    failing: "en échec",
    nextAttempt: "prochain essai",
    dead: "Abandonnés",
    deadEvent: "événement",
    replay: "Relivrer depuis le premier abandonné",
    replayed: "Les événements seront relivrés à partir de l'événement",
    nothingToReplay: "Aucun événement abandonné.",
    unknown: "Cet abonnement n'existe plus.",
  },
  en: {
    title: "Webhooks",
    intro:
      "Each subscription receives the new events it asked for (objections, withdrawals, erasures…), signed. They are made with “vigie webhooks add” or the API; their secret is shown only when they are made.",
    none: "No subscription.",
    url: "URL",
    events: "Events",
    data: "Data",
    keysOnly: "keys only",
    withPoint: "with the number or address",
    progress: "Delivered up to event",
    behind: "waiting",
    state: "State",
    ok: "up to date",
    failing: "failing",
    nextAttempt: "next attempt",
    dead: "Given up",
    deadEvent: "event",
    replay: "Deliver again from the first given up",
    replayed: "Events will be delivered again from event",
    nothingToReplay: "No event was given up.",
    unknown: "This subscription no longer exists.",
  },
};

export function webhookPages(routes: DashboardRoutes, ctx: DashboardContext): void {
  const row = (page: SignedIn, v: WebhookView): Html => {
    const t = T[page.lang];
    const state =
      v.lastError === null
        ? html`<span class="allow">${t.ok}</span>`
        : html`<span class="block">${t.failing}</span> <span lang="en">${v.lastError}</span>${v.nextAttemptAt === null ? "" : html` — ${t.nextAttempt} ${formatInstant(page.lang, Date.parse(v.nextAttemptAt))}`}`;
    const dead =
      v.deadLetters.length === 0
        ? "0"
        : html`<ul>${v.deadLetters.map((d) => html`<li>${t.deadEvent} ${d.seq} <span lang="en">${d.error}</span></li>`)}</ul>${
            page.session.role === "admin"
              ? html`<form method="post" action="/webhooks/replay"><input type="hidden" name="csrf" value="${page.session.csrf}"><input type="hidden" name="id" value="${v.id}"><button type="submit" class="secondary">${t.replay}</button></form>`
              : ""
          }`;
    return html`<tr><td><code>${v.id}</code><br>${v.url}</td><td>${v.events.join(", ")}</td><td>${v.personalData ? t.withPoint : t.keysOnly}</td><td>${v.deliveredSeq} (${formatCount(page.lang, v.behind)} ${t.behind})</td><td>${state}</td><td>${dead}</td></tr>`;
  };

  async function render(page: SignedIn, notice: Html | ""): Promise<Html> {
    const t = T[page.lang];
    const views = await webhookViews(ctx.session.store, ctx.session.tenant);
    return html`<p>${t.intro}</p>
${notice}
${
  views.length === 0
    ? html`<p>${t.none}</p>`
    : html`<table aria-label="${t.title}"><thead><tr><th scope="col">${t.url}</th><th scope="col">${t.events}</th><th scope="col">${t.data}</th><th scope="col">${t.progress}</th><th scope="col">${t.state}</th><th scope="col">${t.dead}</th></tr></thead><tbody>
${views.map((v) => row(page, v))}</tbody></table>`
}`;
  }

  routes.get("/webhooks", "viewer", async (page, _req, reply) =>
    sendPage(reply, page, T[page.lang].title, await render(page, "")),
  );

  routes.post("/webhooks/replay", "admin", async (page, req, reply) => {
    const t = T[page.lang];
    const r = await replayWebhook(ctx.session.store, ctx.session.tenant, field(req, "id"), { dead: true });
    const notice = !r.ok
      ? html`<p class="notice error" role="alert">${r.error === "no such webhook" ? t.unknown : r.error}</p>`
      : html`<p class="notice" role="status">${r.from === null ? t.nothingToReplay : `${t.replayed} ${r.from}.`}</p>`;
    return sendPage(reply, page, t.title, await render(page, notice), r.ok ? 200 : 409);
  });
}
