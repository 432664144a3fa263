// "Look a person up": a phone number or an e-mail address → what the store holds about it, as a
// timeline in date order, the decision for a stored campaign at an instant, the subject export
// (operator), the evidence pack (operator) and erasure (admin, after typing the point again).
import type { FastifyReply } from "fastify";
import { COVERAGE_FROM, COVERAGE_TO } from "../../engine/rulebook-coverage.ts";
import { recordActivity } from "../../services/activity.ts";
import { decideStored, PackError, packFileName, personPack } from "../../services/evidence-pack.ts";
import { zipPack } from "../../services/pack-zip.ts";
import { eraseSubject, exportSubject, exportText } from "../../services/rights.ts";
import { type Subject, subjectOf } from "../../services/session.ts";
import { dayAfter, dayStart } from "../../time/dates.ts";
import {
  dayNumberOf,
  isoDateOf,
  localTime,
  PARIS,
  parseInstant,
  wallClockInstant,
} from "../../time/zoned.ts";
import type { DashboardContext } from "../context.ts";
import { type Html, html } from "../html.ts";
import { formatInstant, type Lang } from "../i18n.ts";
import { sendPage } from "../layout.ts";
import { T } from "../people/strings.ts";
import { decisionView, timeline } from "../people/timeline.ts";
import { type DashboardRoutes, field, query, type SignedIn } from "../routes.ts";
import { hasRole } from "../users.ts";

const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant of the decision form: a `datetime-local` value read in Paris time, or an ISO instant
 * with its offset; empty is now. Undefined when unreadable or outside the rulebook's coverage.
 */
export function instantField(text: string, now: number): number | undefined {
  let ms: number | undefined;
  if (text === "") ms = now;
  else {
    const m = LOCAL.exec(text);
    if (m !== null) {
      try {
        const [, day, h, min, s] = m;
        if (Number(h) <= 23 && Number(min) <= 59 && Number(s ?? 0) <= 59) {
          // A time the spring-forward gap skipped is refused, not decided an hour later.
          const wall = wallClockInstant(dayNumberOf(day as string), Number(h) * 60 + Number(min), PARIS);
          ms = wall.ok ? wall.ms + Number(s ?? 0) * 1000 : undefined;
        }
      } catch {
        ms = undefined;
      }
    } else ms = parseInstant(text);
  }
  if (ms === undefined || ms < dayStart(COVERAGE_FROM) || ms >= dayAfter(COVERAGE_TO)) return undefined;
  return ms;
}

/** An instant as a `datetime-local` value, in Paris time. */
function localValue(ms: number): string {
  const l = localTime(ms, PARIS);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${isoDateOf(l.dayNumber)}T${pad(Math.floor(l.minuteOfDay / 60))}:${pad(l.minuteOfDay % 60)}`;
}

function searchForm(lang: Lang, value: string, error: string | null): Html {
  const t = T[lang];
  return html`<form method="get" action="/people" role="search">
<label for="point">${t.point}</label>
<p class="hint" id="point-hint">${t.pointHint}</p>
${error === null ? "" : html`<p class="error" id="point-error">${t.invalid} ${error}</p>`}
<div class="row"><input type="text" id="point" name="point" value="${value}" required autocomplete="off" spellcheck="false" aria-describedby="point-hint${error === null ? "" : " point-error"}"${error === null ? "" : html` aria-invalid="true"`}>
<button type="submit">${t.find}</button></div>
</form>`;
}

/** `/people?point=…` with more parameters, escaped for a URL. */
function peopleUrl(path: string, params: Record<string, string>): string {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "")).toString();
  return q === "" ? path : `${path}?${q}`;
}

interface DecisionInput {
  readonly campaign: string;
  readonly at: string;
}

async function decisionSection(
  page: SignedIn,
  ctx: DashboardContext,
  subject: Subject,
  input: DecisionInput,
): Promise<Html> {
  const t = T[page.lang];
  const campaigns = ctx.campaigns.list();
  if (campaigns.length === 0) return html`<p class="notice">${t.noCampaigns}</p>`;
  let result: Html = html``;
  let campaignError: string | null = null;
  let atError: string | null = null;
  if (input.campaign !== "") {
    const stored = ctx.campaigns.get(input.campaign);
    const at = instantField(input.at, ctx.now());
    if (stored === undefined) campaignError = t.noSuchCampaign;
    if (at === undefined) atError = t.badAt;
    if (stored !== undefined && at !== undefined) {
      const d = await decideStored(ctx.session, subject, stored, at);
      if (d.ok) result = decisionView(page.lang, d.decision, at);
      else campaignError = `${t.badCampaign} ${d.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`;
    }
  }
  const label = (c: { id: string; body: unknown }) => {
    const b = (c.body as { campaign?: { controller?: unknown; channel?: unknown } } | null)?.campaign;
    return `${c.id} — ${String(b?.controller ?? "?")}, ${String(b?.channel ?? "?")}`;
  };
  const operator = hasRole(page.session.role, "operator");
  return html`<p class="hint">${t.decisionHint}</p>
<form method="get" action="/people">
<input type="hidden" name="point" value="${subject.point.value}">
<div class="row"><div>
<label for="campaign">${t.campaign}</label>
${campaignError === null ? "" : html`<p class="error" id="campaign-error">${campaignError}</p>`}
<select id="campaign" name="campaign" required${campaignError === null ? "" : html` aria-describedby="campaign-error" aria-invalid="true"`}>${campaigns.map(
    (c) =>
      html`<option value="${c.id}"${c.id === input.campaign ? html` selected` : ""}>${label(c)}</option>`,
  )}</select></div>
<div><label for="at">${t.at}</label>
<p class="hint" id="at-hint">${t.atHint}</p>
${atError === null ? "" : html`<p class="error" id="at-error">${atError}</p>`}
<input type="datetime-local" id="at" name="at" value="${input.at === "" ? localValue(ctx.now()) : input.at}" aria-describedby="at-hint${atError === null ? "" : " at-error"}"${atError === null ? "" : html` aria-invalid="true"`}></div>
<div><button type="submit">${t.decide}</button>${operator ? html` <button type="submit" class="secondary" formaction="/people/pack">${t.packWithDecision}</button>` : ""}</div></div>
</form>
${result}`;
}

async function personView(
  page: SignedIn,
  ctx: DashboardContext,
  subject: Subject,
  input: DecisionInput,
  notice: Html | null,
): Promise<Html> {
  const t = T[page.lang];
  const { store, tenant } = ctx.session;
  const [evidence, events] = await Promise.all([
    store.evidence(tenant, subject.keys),
    store.eventsOf(tenant, subject.keys),
  ]);
  const erasedAt = evidence.point?.erasedAt ?? null;
  const point = subject.point.value;
  const role = page.session.role;
  return html`${notice ?? ""}
<h2>${t.normalized}</h2>
<table><tbody>
<tr><th scope="row">${t.normalized}</th><td><code>${point}</code></td></tr>
<tr><th scope="row">${t.type}</th><td>${subject.point.type === "phone" ? t.phone : t.email}</td></tr>
<tr><th scope="row">${t.key}</th><td><code>${subject.key}</code></td></tr>
<tr><th scope="row">${t.state}</th><td>${erasedAt === null ? t.active : html`<strong class="block">${t.erasedOn} ${formatInstant(page.lang, erasedAt)}</strong>`}</td></tr>
</tbody></table>
<h2>${t.timeline}</h2>
${timeline(page.lang, events, evidence)}
<h2>${t.decision}</h2>
${await decisionSection(page, ctx, subject, input)}
${
  hasRole(role, "operator")
    ? html`<h2>${t.exports}</h2>
<ul>
<li><a href="${peopleUrl("/people/export.json", { point })}" download>${t.exportJson}</a></li>
<li><a href="${peopleUrl("/people/export.txt", { point })}" download>${t.exportText}</a></li>
</ul>
<h2>${t.pack}</h2>
<p class="hint">${t.packHint}</p>
<p><a class="button secondary" href="${peopleUrl("/people/pack", { point })}" download>${t.packDownload}</a></p>`
    : ""
}
${hasRole(role, "admin") && erasedAt === null ? html`<h2>${t.erase}</h2><p><a href="${peopleUrl("/people/erase", { point })}">${t.eraseLink}</a></p>` : ""}`;
}

function badPoint(page: SignedIn, reply: FastifyReply, raw: string, reason: string) {
  const t = T[page.lang];
  return sendPage(reply, page, t.title, searchForm(page.lang, raw, reason), 400);
}

function download(reply: FastifyReply, type: string, name: string, body: string | Uint8Array) {
  return reply
    .type(type)
    .header("cache-control", "no-store")
    .header("content-disposition", `attachment; filename="${name}"`)
    .send(typeof body === "string" ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

const by = (page: SignedIn) => `user:${page.session.user}`;

export function peoplePages(routes: DashboardRoutes, ctx: DashboardContext): void {
  routes.get("/people", "viewer", async (page, req, reply) => {
    const t = T[page.lang];
    const raw = query(req, "point");
    if (raw === "") return sendPage(reply, page, t.title, searchForm(page.lang, "", null));
    const found = subjectOf(ctx.session.ring, raw);
    if (!found.ok) return badPoint(page, reply, raw, found.reason);
    const input = { campaign: query(req, "campaign"), at: query(req, "at") };
    return sendPage(
      reply,
      page,
      t.title,
      html`${searchForm(page.lang, raw, null)}
${await personView(page, ctx, found.subject, input, null)}`,
    );
  });

  for (const format of ["json", "txt"] as const) {
    routes.get(`/people/export.${format}`, "operator", async (page, req, reply) => {
      const raw = query(req, "point");
      const found = subjectOf(ctx.session.ring, raw);
      if (!found.ok) return badPoint(page, reply, raw, found.reason);
      const subject = found.subject;
      const x = await exportSubject(ctx.session, subject);
      const now = ctx.now();
      await recordActivity(ctx.session, {
        action: "subject.exported",
        target: "",
        pointKey: subject.key,
        by: by(page),
        at: now,
      });
      const name = `vigie-subject-${subject.point.type}-${isoDateOf(localTime(now, PARIS).dayNumber)}.${format}`;
      return format === "json"
        ? download(reply, "application/json; charset=utf-8", name, `${JSON.stringify(x, null, 2)}\n`)
        : download(reply, "text/plain; charset=utf-8", name, exportText(x));
    });
  }

  routes.get("/people/pack", "operator", async (page, req, reply) => {
    const t = T[page.lang];
    const raw = query(req, "point");
    const found = subjectOf(ctx.session.ring, raw);
    if (!found.ok) return badPoint(page, reply, raw, found.reason);
    const subject = found.subject;
    const campaignId = query(req, "campaign");
    const now = ctx.now();
    const campaign = campaignId === "" ? undefined : ctx.campaigns.get(campaignId);
    const at = campaignId === "" ? now : instantField(query(req, "at"), now);
    if ((campaignId !== "" && campaign === undefined) || at === undefined) {
      // The person's page shows which field is wrong, next to it.
      const input = { campaign: campaignId, at: query(req, "at") };
      return sendPage(reply, page, t.title, await personView(page, ctx, subject, input, null), 400);
    }
    let pack: Awaited<ReturnType<typeof personPack>>;
    try {
      pack = await personPack(ctx.session, subject, { by: by(page), at: now, campaign, decisionAt: at });
    } catch (e) {
      if (!(e instanceof PackError)) throw e;
      return sendPage(reply, page, t.title, html`<p class="notice error" role="alert">${e.message}</p>`, 400);
    }
    const zip = zipPack(pack, ctx.session.signer);
    await recordActivity(ctx.session, {
      action: "evidence-pack.exported",
      target: campaignId,
      pointKey: subject.key,
      by: by(page),
      at: now,
    });
    return download(reply, "application/zip", packFileName(subject.point.type, now), zip);
  });

  const confirmPage = (page: SignedIn, reply: FastifyReply, subject: Subject, error: boolean) => {
    const t = T[page.lang];
    const point = subject.point.value;
    return sendPage(
      reply,
      page,
      t.eraseTitle,
      html`<p><code>${point}</code></p>
<ul>
<li>${t.eraseWhat1}</li>
<li>${t.eraseWhat2}</li>
<li>${t.eraseWhat3}</li>
<li><strong>${t.eraseWhat4}</strong></li>
</ul>
<form method="post" action="/people/erase">
<input type="hidden" name="csrf" value="${page.session.csrf}">
<input type="hidden" name="point" value="${point}">
<label for="confirm">${t.eraseConfirm}</label>
<p class="hint" id="confirm-hint">${t.eraseConfirmHint}</p>
${error ? html`<p class="error" id="confirm-error" role="alert">${t.eraseMismatch}</p>` : ""}
<input type="text" id="confirm" name="confirm" required autocomplete="off" spellcheck="false" aria-describedby="confirm-hint${error ? " confirm-error" : ""}"${error ? html` aria-invalid="true"` : ""}>
<p><button type="submit" class="danger">${t.eraseButton}</button> <a href="${peopleUrl("/people", { point })}">${t.cancel}</a></p>
</form>`,
      error ? 400 : 200,
    );
  };

  routes.get("/people/erase", "admin", async (page, req, reply) => {
    const raw = query(req, "point");
    const found = subjectOf(ctx.session.ring, raw);
    if (!found.ok) return badPoint(page, reply, raw, found.reason);
    return confirmPage(page, reply, found.subject, false);
  });

  routes.post("/people/erase", "admin", async (page, req, reply) => {
    const t = T[page.lang];
    const raw = field(req, "point");
    const found = subjectOf(ctx.session.ring, raw);
    if (!found.ok) return badPoint(page, reply, raw, found.reason);
    const subject = found.subject;
    const confirm = subjectOf(ctx.session.ring, field(req, "confirm"));
    if (
      !confirm.ok ||
      confirm.subject.point.type !== subject.point.type ||
      confirm.subject.point.value !== subject.point.value
    ) {
      return confirmPage(page, reply, subject, true);
    }
    // A confirmation still pending goes with the point's data (the store's erase).
    const r = await eraseSubject(ctx.session, subject, ctx.now(), by(page), ctx.erasureFiles);
    const notice = html`<p class="notice" role="status">${r.alreadyErasedAt === null ? t.erasedNow : t.erasedAgain}</p>`;
    return sendPage(
      reply,
      page,
      t.title,
      await personView(page, ctx, subject, { campaign: "", at: "" }, notice),
    );
  });
}
