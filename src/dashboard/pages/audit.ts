// The audit trail for the DPO: verify the hash chain (what `vigie audit verify` does), and read who
// did what and when, newest first — evidence recorded, lists screened, exports, erasures, keys and
// users created. The trail shows no personal data: who acted, on what kind of thing, not on whom.
import { type TrailEntry, trailEntry } from "../../services/activity.ts";
import { verifyAudit } from "../../services/audit.ts";
import type { DashboardContext } from "../context.ts";
import { type Html, html } from "../html.ts";
import { formatCount, formatInstant, type Strings } from "../i18n.ts";
import { sendPage } from "../layout.ts";
import { type DashboardRoutes, query, type SignedIn } from "../routes.ts";

type Key =
  | "title"
  | "verify"
  | "verifyHint"
  | "intact"
  | "broken"
  | "tenant"
  | "events"
  | "trail"
  | "seq"
  | "when"
  | "who"
  | "what"
  | "person"
  | "yes"
  | "no"
  | "older"
  | "newer"
  | "empty";

const T: Strings<Key> = {
  fr: {
    title: "Audit",
    verify: "Vérifier la chaîne",
    verifyHint:
      "Recalcule chaque lien de la chaîne de hachage, les données personnelles encore détenues et les lignes de chaque vérification Bloctel.",
    intact: "Chaîne intacte",
    broken: "Chaîne rompue",
    tenant: "Espace",
    events: "événements",
    trail: "Qui a fait quoi et quand",
    seq: "N°",
    when: "Enregistré le",
    who: "Par",
    what: "Quoi",
    person: "Concerne une personne",
    yes: "oui",
    no: "non",
    older: "Plus anciens",
    newer: "Plus récents",
    empty: "Le journal est vide.",
  },
  en: {
    title: "Audit",
    verify: "Verify the chain",
    verifyHint:
      "Recomputes every link of the hash chain, the personal data still held, and the rows of every Bloctel check.",
    intact: "Chain intact",
    broken: "Chain broken",
    tenant: "Tenant",
    events: "events",
    trail: "Who did what and when",
    seq: "No.",
    when: "Recorded",
    who: "By",
    what: "What",
    person: "About a person",
    yes: "yes",
    no: "no",
    older: "Older",
    newer: "Newer",
    empty: "The log is empty.",
  },
};

const PAGE = 50;

export function auditPages(routes: DashboardRoutes, ctx: DashboardContext): void {
  /** The events before `before` (exclusive), newest first, at most PAGE of them. */
  async function trail(before: number): Promise<TrailEntry[]> {
    const { store, tenant } = ctx.session;
    const from = Math.max(1, before - PAGE);
    const rows: TrailEntry[] = [];
    for await (const e of store.events(tenant, from)) {
      if (e.seq >= before) break;
      rows.push(trailEntry(e));
    }
    return rows.reverse();
  }

  async function render(page: SignedIn, before: number | null, result: Html | "") {
    const t = T[page.lang];
    const head = await ctx.session.store.chainHead(ctx.session.tenant);
    const last = head === null ? 0 : head.seq;
    const upTo = before === null || before > last + 1 ? last + 1 : before;
    const rows = await trail(upTo);
    const oldest = rows.at(-1)?.seq ?? 1;
    return html`<form method="post" action="/audit/verify">
<input type="hidden" name="csrf" value="${page.session.csrf}">
<p class="hint" id="verify-hint">${t.verifyHint}</p>
<button type="submit" aria-describedby="verify-hint">${t.verify}</button>
</form>
${result}
<h2 id="trail">${t.trail}</h2>
${
  rows.length === 0
    ? html`<p>${t.empty}</p>`
    : html`<table aria-labelledby="trail"><thead><tr><th scope="col">${t.seq}</th><th scope="col">${t.when}</th><th scope="col">${t.who}</th><th scope="col">${t.what}</th><th scope="col">${t.person}</th></tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><td>${r.seq}</td><td>${formatInstant(page.lang, r.recordedAt)}</td><td>${r.by}</td><td><code>${r.what}</code></td><td>${r.aboutPoint ? t.yes : t.no}</td></tr>`,
)}</tbody></table>
<nav aria-label="${t.trail}" class="row">
${upTo <= last ? html`<a href="/audit?before=${Math.min(last + 1, upTo + PAGE)}">${t.newer}</a>` : ""}
${oldest > 1 ? html`<a href="/audit?before=${oldest}">${t.older}</a>` : ""}
</nav>`
}`;
  }

  routes.get("/audit", "viewer", async (page, req, reply) => {
    const before = Number.parseInt(query(req, "before"), 10);
    return sendPage(
      reply,
      page,
      T[page.lang].title,
      await render(page, Number.isSafeInteger(before) && before > 0 ? before : null, ""),
    );
  });

  // A POST, though it changes nothing: it reads the whole log, which no prefetch should start.
  routes.post("/audit/verify", "viewer", async (page, _req, reply) => {
    const t = T[page.lang];
    const r = await verifyAudit(ctx.session.store);
    const tenants = r.tenants.map(
      (x) =>
        html`<li>${t.tenant} <code>${x.tenant}</code> : ${formatCount(page.lang, x.events)} ${t.events}</li>`,
    );
    const result = r.ok
      ? html`<div class="notice" role="status" id="audit-result"><p class="allow">${t.intact}</p><ul>${tenants}</ul></div>`
      : html`<div class="notice error" role="alert" id="audit-result"><p class="block">${t.broken}</p><p lang="en">${t.tenant} <code>${r.broken?.tenant ?? ""}</code>${typeof r.broken?.seq === "number" ? `, event ${r.broken.seq}` : ""}: ${r.broken?.problem ?? ""}</p><ul>${tenants}</ul></div>`;
    return sendPage(reply, page, t.title, await render(page, null, result), r.ok ? 200 : 409);
  });
}
