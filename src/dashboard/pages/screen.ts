// "Screen a list" (issue #6): upload a CSV or JSONL list, map its columns, pick or create the
// campaign and the instant, then follow the screening and read its results — the same
// `screenList` as `vigie screen`, run in the server process (src/dashboard/screenings.ts).
//
// Who may do what. Viewers read the list of screenings, their status, counts, summary.json and
// report.html (a report: counts by rule, origin and channel; it quotes at most 100 rejected rows,
// which are malformed input). Operators also upload, map, start and cancel, and download
// allowed.csv, blocked.csv and rejected.csv: those are the list itself, row by row — personal data
// in bulk, i.e. an export, which the roles reserve to operators. The mapping page shows sample rows
// of the list, so it is the operators' too.
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { MultipartValue } from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { parseCampaign } from "../../facts/parse.ts";
import { CHANNELS, DIALERS, SECTORS } from "../../facts/vocabulary.ts";
import { recordActivity } from "../../services/activity.ts";
import { parseScreenCampaign } from "../../services/screen/campaign.ts";
import { type ColumnNames, LIST_COLUMNS, type ListColumn } from "../../services/screen/columns.ts";
import { OUTPUT_FILES, type OutputFile } from "../../services/screen/outputs.ts";
import type { ScreeningMeta } from "../../services/screen/saved.ts";
import type { ScreenSummary } from "../../services/screen/summary.ts";
import { dayNumberOf, formatInstant, instantOf, PARIS } from "../../time/zoned.ts";
import { seeOther } from "../../web/redirect.ts";
import { type SoleFile, soleFile } from "../../web/sole-file.ts";
import { screenAssets } from "../assets/screen.ts";
import type { DashboardContext } from "../context.ts";
import { type Html, html, raw } from "../html.ts";
import { formatCount, formatInstant as formatWhen, type Lang } from "../i18n.ts";
import { sendPage } from "../layout.ts";
import { type DashboardRoutes, forbidden, type SignedIn } from "../routes.ts";
import { type Key, T } from "../screen/strings.ts";
import { scheduleScreeningRetention } from "../screening-retention.ts";
import { type ListPreview, Screenings, type UploadResult } from "../screenings.ts";
import { csrfMatches } from "../sessions.ts";
import { hasRole, type Role } from "../users.ts";

/** Who may download each output (see the head of this file). */
const FILE_ROLE: Readonly<Record<OutputFile, Role>> = {
  "allowed.csv": "operator",
  "blocked.csv": "operator",
  "rejected.csv": "operator",
  "summary.json": "viewer",
  "report.html": "viewer",
};

const FILE_TYPE: Readonly<Record<OutputFile, string>> = {
  "allowed.csv": "text/csv; charset=utf-8",
  "blocked.csv": "text/csv; charset=utf-8",
  "rejected.csv": "text/csv; charset=utf-8",
  "summary.json": "application/json; charset=utf-8",
  "report.html": "text/html; charset=utf-8",
};

/** report.html is self-contained: inline styles and SVG, no script. Framed by our pages only. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");

type Errors = Map<string, string>;
type Values = Readonly<Record<string, string>>;

export function screenPages(app: FastifyInstance, routes: DashboardRoutes, ctx: DashboardContext): void {
  const screenings = new Screenings(ctx.screenings, ctx.session, ctx.now);
  app.addHook("onClose", () => screenings.close());
  scheduleScreeningRetention(app, screenings, ctx.session, ctx.now, ctx.keepScreeningsDays);
  screenAssets(app);

  const notFound = (reply: FastifyReply, page: SignedIn) => {
    const t = T[page.lang];
    return sendPage(
      reply,
      page,
      t.notFound,
      html`<p>${t.notFoundText}</p><p><a href="/screen">${t.back}</a></p>`,
      404,
    );
  };
  const metaOf = (req: FastifyRequest) => screenings.get((req.params as { id?: string }).id ?? "");

  const campaignName = (id: string | null): string => {
    if (id === null) return "—";
    const c = ctx.campaigns.get(id)?.body as
      | { campaign?: { controller?: unknown; channel?: unknown } }
      | undefined;
    const { controller, channel } = c?.campaign ?? {};
    return typeof controller === "string" ? `${controller} · ${String(channel)}` : id;
  };

  // ---- The list of screenings, and the upload form ----

  const listPage = (reply: FastifyReply, page: SignedIn, uploadError: string | null, status = 200) => {
    const t = T[page.lang];
    const n = (x: number | undefined) => (x === undefined ? "—" : formatCount(page.lang, x));
    const all = screenings.list();
    const table =
      all.length === 0
        ? html`<p>${t.none}</p>`
        : html`<table><caption class="visually-hidden">${t.past}</caption><thead><tr>
<th scope="col">${t.date}</th><th scope="col">${t.who}</th><th scope="col">${t.list}</th><th scope="col">${t.campaign}</th>
<th scope="col">${t.allowed}</th><th scope="col">${t.blocked}</th><th scope="col">${t.rejected}</th><th scope="col">${t.status}</th>
</tr></thead><tbody>${all.map(
            (m) => html`<tr><td>${formatWhen(page.lang, Date.parse(m.createdAt))}</td><td>${m.by}</td>
<td><a href="/screen/${m.id}">${m.listName}</a></td><td>${campaignName(m.campaignId)}</td>
<td>${n(m.counts?.allowed)}</td><td>${n(m.counts?.blocked)}</td><td>${n(m.counts?.rejected)}</td>
<td>${t[`st.${m.status}`]}</td></tr>`,
          )}</tbody></table>`;
    const form = hasRole(page.session.role, "operator")
      ? html`<form method="post" action="/screen" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${page.session.csrf}">
<label for="list">${t.uploadFile}</label>
<p class="hint" id="list-hint">${t.uploadHint}</p>
${uploadError === null ? "" : html`<p class="error" id="list-error" role="alert">${uploadError}</p>`}
<input type="file" id="list" name="list" accept=".csv,.tsv,.txt,.jsonl,.ndjson,text/csv" required aria-describedby="list-hint${uploadError === null ? "" : " list-error"}"${uploadError === null ? "" : raw(' aria-invalid="true"')}>
<p><button type="submit">${t.uploadSubmit}</button></p>
</form>`
      : html`<p class="notice">${t.viewerCannot}</p>`;
    return sendPage(
      reply,
      page,
      t.title,
      html`<h2>${t.upload}</h2>
${form}
<h2>${t.past}</h2>
${table}`,
      status,
    );
  };

  routes.get("/screen", "viewer", async (page, _req, reply) => listPage(reply, page, null));

  routes.post(
    "/screen",
    "operator",
    async (page, req, reply) => {
      const t = T[page.lang];
      if (!req.isMultipart()) return listPage(reply, page, t.uploadNoFile, 400);
      const parts = req.parts()[Symbol.asyncIterator]();
      // The form token comes first, so a forged form is refused before its file is read.
      const first = await parts.next();
      const token = first.done === true ? undefined : (first.value as MultipartValue);
      if (token?.type !== "field" || token.fieldname !== "csrf" || !csrfMatches(page.session, token.value)) {
        return reply
          .code(403)
          .header("connection", "close")
          .type("text/plain; charset=utf-8")
          .send("invalid form token: reload the page\n");
      }
      const tooLarge = () => listPage(reply.header("connection", "close"), page, t.uploadTooLarge, 413);
      let got: SoleFile<UploadResult | undefined>;
      try {
        got = await soleFile(parts, async (file) => {
          if (file.fieldname !== "list" || file.filename === "") {
            file.file.resume();
            return undefined;
          }
          const listName = file.filename.split(/[\\/]/).pop()?.slice(0, 200) ?? "list";
          return screenings.upload(file.file, listName, page.session.user);
        });
      } catch (e) {
        // The multipart limit (plugin.ts, uploadLimit) stops the stream with this error; the rest
        // of the body is not read.
        if ((e as { code?: string }).code !== "FST_REQ_FILE_TOO_LARGE") throw e;
        return tooLarge();
      }
      const stored = got.value;
      if (got.extra !== null) {
        if (stored?.ok === true) await screenings.remove(stored.meta.id);
        reply.header("connection", "close");
        return listPage(reply, page, got.extra, 400);
      }
      if (stored === undefined) return listPage(reply, page, t.uploadNoFile, 400);
      if (!stored.ok) {
        if (stored.reason === "too-large") return tooLarge();
        const why = stored.reason === "empty" ? t.uploadEmpty : `${t.uploadUnreadable} ${stored.error}`;
        return listPage(reply, page, why, 400);
      }
      return seeOther(reply, `/screen/${stored.meta.id}/map`);
    },
    "multipart",
  );

  // ---- Mapping the columns, the campaign and the instant ----

  const mapPage = async (
    reply: FastifyReply,
    page: SignedIn,
    meta: ScreeningMeta,
    preview: ListPreview,
    values: Values | null,
    errors: Errors,
    status = 200,
  ) => {
    const t = T[page.lang];
    const v = (name: string, fallback = "") => (values === null ? fallback : (values[name] ?? ""));
    const selected = (on: boolean) => (on ? raw(" selected") : "");
    const checked = (on: boolean) => (on ? raw(" checked") : "");
    const err = (id: string) => {
      const e = errors.get(id);
      return e === undefined ? "" : html`<p class="error" id="${id}-error">${e}</p>`;
    };
    /** aria-describedby (hint, then error) and aria-invalid of a control. */
    const described = (id: string, hint = false) => {
      const ids = [...(hint ? [`${id}-hint`] : []), ...(errors.has(id) ? [`${id}-error`] : [])];
      return raw(
        (ids.length === 0 ? "" : ` aria-describedby="${ids.join(" ")}"`) +
          (errors.has(id) ? ' aria-invalid="true"' : ""),
      );
    };
    // An option's value is its text unless it says otherwise: each of up to 1 000 columns is
    // listed under every list column, so the attribute is left out where the text gives the same
    // value (not with spaces the browser would collapse or trim), to keep the page small.
    const plainText = (col: string) => col === col.replace(/\s+/g, " ").trim();
    const lower = new Map(preview.columns.map((c) => [c.toLowerCase(), c]));
    const mapSelect = (c: ListColumn) => {
      const id = `map-${c}`;
      const current = v(`map.${c}`, lower.get(c) ?? "");
      return html`<div><label for="${id}"><code>${c}</code> — ${t[`col.${c}`]}</label>
${err(id)}<select id="${id}" name="map.${c}"${described(id)}><option value=""${selected(current === "")}>${t.noColumn}</option>${preview.columns.map(
        (col) =>
          html`<option${plainText(col) ? "" : html` value="${col}"`}${selected(current === col)}>${col}</option>`,
      )}</select></div>`;
    };
    const options = (list: readonly string[], current: string, empty: string | null) =>
      html`${empty === null ? "" : html`<option value=""${selected(current === "")}>${empty}</option>`}${list.map(
        (x) => html`<option value="${x}"${selected(current === x)}>${x}</option>`,
      )}`;
    const triState = (id: string, label: string) => html`<label for="${id}">${label}</label>${err(id)}
<select id="${id}" name="${id}"${described(id)}>${[
      ["", t.notStated],
      ["true", t.yes],
      ["false", t.no],
    ].map(
      ([value, text]) => html`<option value="${value}"${selected(v(id) === value)}>${text}</option>`,
    )}</select>`;
    const text = (
      id: string,
      label: string,
      hint: string | null,
      extra = "",
    ) => html`<label for="${id}">${label}</label>
${hint === null ? "" : html`<p class="hint" id="${id}-hint">${hint}</p>`}${err(id)}
<input type="text" id="${id}" name="${id}" value="${v(id)}"${described(id, hint !== null)}${raw(extra)}>`;
    const instant = (id: string, label: string) => html`<label for="${id}">${label}</label>
<p class="hint" id="${id}-hint">${t.parisTime}</p>${err(id)}
<input type="datetime-local" id="${id}" name="${id}" value="${v(id)}"${described(id, true)}>`;
    const box = (id: string, label: string) =>
      html`<div><input type="checkbox" id="${id}" name="${id}" value="true"${checked(v(id) === "true")}> <label for="${id}" style="display:inline">${label}</label></div>`;
    /** The name of a field, for the list of errors above the form. */
    const labelOf = (id: string): string => {
      if (id.startsWith("map-")) return id.slice(4);
      const labels: Record<string, string> = {
        campaign: t.storedCampaign,
        controller: t.controller,
        channel: t.channel,
        sector: t.sector,
        callerId: t.callerId,
        dialer: t.dialer,
        habitualCaller: t.habitualCaller,
        startsAt: t.startsAt,
        senderIdentified: t.senderIdentified,
        optOut: t.optOut,
        at: t.at,
        from: t.from,
        to: t.to,
      };
      return labels[id] ?? id;
    };
    const stored = ctx.campaigns.list();
    const campaignChoice = v("campaign", "new");
    const when = v("when", "at");
    const lang = v("lang", page.lang);
    const summary =
      errors.size === 0
        ? ""
        : html`<div class="notice error" role="alert" id="errors" tabindex="-1"><p>${t.errors}</p><ul>${[
            ...errors,
          ].map(
            ([id, message]) =>
              html`<li><a href="#${id}">${labelOf(id)}${page.lang === "fr" ? " : " : ": "}${message}</a></li>`,
          )}</ul></div>`;
    const sample =
      preview.error !== null
        ? html`<p class="notice error" role="alert">${preview.error}</p>`
        : html`<div style="overflow-x:auto" tabindex="0" role="region" aria-labelledby="sample-caption"><table><caption id="sample-caption">${t.sampleCaption}</caption><thead><tr>${preview.columns.map(
            (c) => html`<th scope="col">${c}</th>`,
          )}</tr></thead><tbody>${preview.rows.map(
            (row) => html`<tr>${preview.columns.map((_, i) => html`<td>${row[i] ?? ""}</td>`)}</tr>`,
          )}</tbody></table></div>`;
    return sendPage(
      reply,
      page,
      t.mapTitle,
      html`<p><strong>${meta.listName}</strong> · ${formatCount(page.lang, meta.listBytes)} B · SHA-256 <code>${meta.listSha256}</code></p>
<p>${t.mapIntro}</p>
${summary}
<h2>${t.sample}</h2>
${sample}
<form method="post" action="/screen/${meta.id}/map" novalidate>
<input type="hidden" name="csrf" value="${page.session.csrf}">
<fieldset><legend>${t.columnsLegend}</legend>
${LIST_COLUMNS.map(mapSelect)}
</fieldset>
<fieldset><legend>${t.campaignLegend}</legend>
<label for="campaign">${t.storedCampaign}</label>${err("campaign")}
<select id="campaign" name="campaign"${described("campaign")}><option value="new"${selected(campaignChoice === "new")}>${t.newCampaign}</option>${stored.map(
        (c) =>
          html`<option value="${c.id}"${selected(campaignChoice === c.id)}>${campaignName(c.id)} (${c.id})</option>`,
      )}</select>
<fieldset><legend>${t.newCampaignLegend}</legend>
${text("controller", t.controller, t.controllerHint, ' autocomplete="organization"')}
<label for="channel">${t.channel}</label>${err("channel")}
<select id="channel" name="channel"${described("channel")}>${options(CHANNELS, v("channel", "voice_live"), null)}</select>
<label for="sector">${t.sector}</label>${err("sector")}
<select id="sector" name="sector"${described("sector")}>${options(SECTORS, v("sector"), t.notStated)}</select>
${text("callerId", t.callerId, t.callerIdHint)}
<label for="dialer">${t.dialer}</label>${err("dialer")}
<select id="dialer" name="dialer"${described("dialer")}>${options(DIALERS, v("dialer"), t.notStated)}</select>
${triState("habitualCaller", t.habitualCaller)}
<fieldset><legend>${t.offer}</legend>
${box("relatedToProfession", t.relatedToProfession)}
${box("relatedToContract", t.relatedToContract)}
${box("analogousProducts", t.analogousProducts)}
</fieldset>
<label for="startsAt">${t.startsAt}</label>${err("startsAt")}
<input type="date" id="startsAt" name="startsAt" value="${v("startsAt")}"${described("startsAt")}>
<fieldset><legend>${t.electronic}</legend>
${triState("senderIdentified", t.senderIdentified)}
${triState("optOut", t.optOut)}
</fieldset>
</fieldset>
</fieldset>
<fieldset><legend>${t.whenLegend}</legend>
<div><input type="radio" id="when-at" name="when" value="at"${checked(when !== "window")}> <label for="when-at" style="display:inline">${t.whenAt}</label></div>
${instant("at", t.at)}
<div><input type="radio" id="when-window" name="when" value="window"${checked(when === "window")}> <label for="when-window" style="display:inline">${t.whenWindow}</label></div>
${instant("from", t.from)}
${instant("to", t.to)}
</fieldset>
<label for="lang">${t.reportLang}</label>
<select id="lang" name="lang">${(["fr", "en"] as const).map(
        (l) => html`<option value="${l}"${selected(lang === l)}>${t[`lang.${l}`]}</option>`,
      )}</select>
<p><button type="submit">${t.start}</button></p>
</form>`,
      status,
    );
  };

  routes.get("/screen/:id/map", "operator", async (page, req, reply) => {
    const meta = metaOf(req);
    if (meta === undefined) return notFound(reply, page);
    if (meta.status !== "mapping") return seeOther(reply, `/screen/${meta.id}`);
    return mapPage(reply, page, meta, await screenings.preview(meta), null, new Map());
  });

  routes.post("/screen/:id/map", "operator", async (page, req, reply) => {
    const meta = metaOf(req);
    if (meta === undefined) return notFound(reply, page);
    const t = T[page.lang];
    if (meta.status !== "mapping") return seeOther(reply, `/screen/${meta.id}`);
    const preview = await screenings.preview(meta);
    const values: Record<string, string> = {};
    for (const [k, x] of Object.entries((req.body as Record<string, unknown> | undefined) ?? {})) {
      if (k !== "csrf" && typeof x === "string") values[k] = x.trim();
    }
    const form = readForm(values, preview, ctx, t);
    if (form.errors.size > 0 || preview.error !== null) {
      return mapPage(reply, page, meta, preview, values, form.errors, 400);
    }
    const at = ctx.now();
    let campaignId = form.campaignId;
    if (campaignId === null) {
      const stored = await ctx.campaigns.add(form.body, new Date(at));
      campaignId = stored.id;
      await recordActivity(ctx.session, {
        action: "campaign.created",
        target: stored.id,
        by: `user:${page.session.user}`,
        at,
      });
    }
    screenings.start(meta.id, {
      campaignFile: form.campaignFile,
      campaignId,
      names: form.names,
      lang: values.lang === "en" ? "en" : "fr",
      by: page.session.user,
    });
    return seeOther(reply, `/screen/${meta.id}`);
  });

  // ---- Following a screening and reading its results ----

  const statusText = (lang: Lang, meta: ScreeningMeta) => {
    const p = screenings.progress(meta.id);
    if (p === null) return { percent: 0, text: T[lang].queued };
    const percent = p.total === 0 ? 0 : Math.min(100, Math.floor((p.bytes / p.total) * 100));
    return {
      percent,
      text: fill(T[lang].progressText, { rows: formatCount(lang, p.rows), percent: String(percent) }),
    };
  };

  routes.get("/screen/:id/status", "viewer", async (page, req, reply) => {
    const meta = metaOf(req);
    if (meta === undefined) return reply.code(404).send({ error: "no such screening" });
    const { percent, text } = statusText(page.lang, meta);
    return reply.header("cache-control", "no-store").send({
      status: meta.status,
      rows: screenings.progress(meta.id)?.rows ?? 0,
      percent,
      text: meta.status === "running" ? text : T[page.lang][`st.${meta.status}`],
      ...(meta.counts === undefined ? {} : { counts: meta.counts }),
      ...(meta.error === undefined ? {} : { error: meta.error }),
    });
  });

  routes.get("/screen/:id", "viewer", async (page, req, reply) => {
    const meta = metaOf(req);
    if (meta === undefined) return notFound(reply, page);
    const t = T[page.lang];
    const operator = hasRole(page.session.role, "operator");
    const head = html`<p><a href="/screen">${t.back}</a></p>
<table><tbody>
<tr><th scope="row">${t.list}</th><td>${meta.listName} · SHA-256 <code>${meta.listSha256}</code></td></tr>
<tr><th scope="row">${t.date}</th><td>${formatWhen(page.lang, Date.parse(meta.createdAt))}</td></tr>
<tr><th scope="row">${t.who}</th><td>${meta.by}</td></tr>
<tr><th scope="row">${t.campaign}</th><td>${campaignName(meta.campaignId)}</td></tr>
<tr><th scope="row">${t.status}</th><td>${t[`st.${meta.status}`]}</td></tr>
</tbody></table>`;
    let body: Html;
    if (meta.status === "mapping") {
      body = html`<p class="notice">${t.waitingMap}</p>${operator ? html`<p><a class="button" href="/screen/${meta.id}/map">${t.goMap}</a></p>` : ""}`;
    } else if (meta.status === "running") {
      const { percent, text } = statusText(page.lang, meta);
      body = html`<noscript><meta http-equiv="refresh" content="2"></noscript>
<div data-status-url="/screen/${meta.id}/status">
<label for="progress">${t[`st.running`]}</label>
<progress id="progress" max="100" value="${percent}" tabindex="0" aria-describedby="progress-text">${percent} %</progress>
<p id="progress-text" aria-live="polite" role="status">${text}</p>
</div>
${operator ? html`<form method="post" action="/screen/${meta.id}/cancel"><input type="hidden" name="csrf" value="${page.session.csrf}"><button class="danger" type="submit">${t.cancel}</button></form>` : ""}
<script src="/assets/screen.js" defer></script>`;
    } else if (meta.status === "failed") {
      body = html`<p class="notice error" role="alert">${t.failed} ${meta.error ?? ""}</p>`;
    } else if (meta.status === "cancelled") {
      body = html`<p class="notice">${t.cancelled}</p>`;
    } else {
      body = results(page, meta, readSummary(screenings, meta));
    }
    const remove =
      operator && meta.status !== "running"
        ? html`<h2>${t.delete}</h2><p class="hint" id="delete-hint">${t.deleteHint}</p>
<form method="post" action="/screen/${meta.id}/delete"><input type="hidden" name="csrf" value="${page.session.csrf}"><button class="danger" type="submit" aria-describedby="delete-hint">${t.delete}</button></form>`
        : "";
    return sendPage(reply, page, `${t.title} — ${meta.listName}`, html`${head}${body}${remove}`);
  });

  // Storage limitation (GDPR art. 5(1)(e)): an uploaded list is personal data, kept only as long as
  // it is of use.
  routes.post("/screen/:id/delete", "operator", async (page, req, reply) => {
    const meta = metaOf(req);
    if (meta === undefined) return notFound(reply, page);
    // A running screening is not deleted: cancel it first.
    if (!(await screenings.remove(meta.id))) return seeOther(reply, `/screen/${meta.id}`);
    await recordActivity(ctx.session, {
      action: "screening.deleted",
      target: meta.listSha256,
      by: `user:${page.session.user}`,
      at: ctx.now(),
    });
    return seeOther(reply, "/screen");
  });

  routes.post("/screen/:id/cancel", "operator", async (page, req, reply) => {
    const meta = metaOf(req);
    if (meta === undefined) return notFound(reply, page);
    screenings.cancel(meta.id);
    return seeOther(reply, `/screen/${meta.id}`);
  });

  const sendOutput = (reply: FastifyReply, meta: ScreeningMeta, name: OutputFile, attachment: boolean) => {
    const path = join(screenings.outDir(meta.id), name);
    if (meta.status !== "done" || !existsSync(path)) return null;
    return reply
      .type(FILE_TYPE[name])
      .header("cache-control", "no-store")
      .header("x-frame-options", "SAMEORIGIN")
      .header("content-security-policy", REPORT_CSP)
      .header("content-length", statSync(path).size)
      .header(
        "content-disposition",
        attachment ? `attachment; filename="vigie-${meta.id.slice(0, 8)}-${name}"` : "inline",
      )
      .send(createReadStream(path));
  };

  routes.get("/screen/:id/report.html", "viewer", async (page, req, reply) => {
    const meta = metaOf(req);
    const sent = meta === undefined ? null : sendOutput(reply, meta, "report.html", false);
    return sent ?? notFound(reply, page);
  });

  routes.get("/screen/:id/files/:name", "viewer", async (page, req, reply) => {
    const meta = metaOf(req);
    const name = (req.params as { name: string }).name as OutputFile;
    if (meta === undefined || !(OUTPUT_FILES as readonly string[]).includes(name))
      return notFound(reply, page);
    if (!hasRole(page.session.role, FILE_ROLE[name])) return forbidden(reply, page);
    return sendOutput(reply, meta, name, true) ?? notFound(reply, page);
  });
}

function readSummary(screenings: Screenings, meta: ScreeningMeta): ScreenSummary | null {
  try {
    return JSON.parse(
      readFileSync(join(screenings.outDir(meta.id), "summary.json"), "utf8"),
    ) as ScreenSummary;
  } catch {
    return null;
  }
}

function results(page: SignedIn, meta: ScreeningMeta, s: ScreenSummary | null): Html {
  const t = T[page.lang];
  const n = (x: number) => formatCount(page.lang, x);
  // The pack (pages/packs.ts) holds each allowed contact's evidence: an export, for operators.
  const pack = hasRole(page.session.role, "operator")
    ? html`<p><a href="/screen/${meta.id}/pack">${t.pack}</a></p>`
    : html`<p>${t.pack} (${t.operatorOnly})</p>`;
  if (s === null) return pack;
  const verdicts = (rows: [string, { allowed: number; blocked: number }][], label: string, caption: string) =>
    html`<table><caption>${caption}</caption><thead><tr><th scope="col">${label}</th><th scope="col">${t.allowed}</th><th scope="col">${t.blocked}</th></tr></thead>
<tbody>${rows.map(([k, x]) => html`<tr><th scope="row">${k}</th><td>${n(x.allowed)}</td><td>${n(x.blocked)}</td></tr>`)}</tbody></table>`;
  const link = (name: OutputFile) =>
    hasRole(page.session.role, FILE_ROLE[name])
      ? html`<li><a href="/screen/${meta.id}/files/${name}" download>${name}</a></li>`
      : html`<li>${name} (${t.operatorOnly})</li>`;
  return html`<h2>${t.results}</h2>
<table><caption class="visually-hidden">${t.results}</caption><tbody>
<tr><th scope="row">${t.in}</th><td>${n(s.in)}</td></tr>
<tr><th scope="row">${t.allowed}</th><td class="allow">${n(s.allowed)}</td></tr>
<tr><th scope="row">${t.blocked}</th><td class="block">${n(s.blocked)}</td></tr>
<tr><th scope="row">${t.rejected}</th><td>${n(s.rejected)}</td></tr>
</tbody></table>
<p>${fill(t.reconcile, { in: n(s.in), allowed: n(s.allowed), blocked: n(s.blocked), rejected: n(s.rejected) })}</p>
<p class="hint">${t.evidenceUsed}</p>
${
  Object.keys(s.byRule).length === 0
    ? ""
    : html`<table><caption>${t.byRule}</caption><thead><tr><th scope="col">${t.rule}</th><th scope="col">${t.count}</th></tr></thead>
<tbody>${Object.entries(s.byRule).map(([rule, count]) => html`<tr><th scope="row"><code>${rule}</code></th><td>${n(count)}</td></tr>`)}</tbody></table>`
}
${verdicts(Object.entries(s.byOrigin), t.origin, t.byOrigin)}
${verdicts(Object.entries(s.byChannel), t.channel, t.byChannel)}
<h2>${t.downloads}</h2>
<ul>${OUTPUT_FILES.map(link)}</ul>
${pack}
<h2>${t.report}</h2>
<iframe class="report" src="/screen/${meta.id}/report.html" title="${t.reportFrame}"></iframe>`;
}

// ---- Reading the mapping form ----

interface MapForm {
  readonly errors: Errors;
  readonly names: ColumnNames;
  /** The stored campaign chosen; null: a new one, `body`, to store. */
  readonly campaignId: string | null;
  readonly body: { campaign: Record<string, unknown>; policy?: unknown };
  readonly campaignFile: Record<string, unknown>;
}

const LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A datetime-local value (Paris wall clock) as an instant with its offset; other text as typed. */
export function parisInstant(value: string): string {
  const m = LOCAL.exec(value);
  if (m === null) return value;
  let day: number;
  try {
    day = dayNumberOf(m[1] as string);
  } catch {
    return value;
  }
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  if (hour > 23 || minute > 59 || Number(m[4] ?? 0) > 59) return value;
  return formatInstant(instantOf(day, hour * 60 + minute, PARIS) + Number(m[4] ?? 0) * 1000, PARIS);
}

/** Where an error of the engine's (a JSON path in the campaign file) is shown. */
function fieldOfPath(path: string, storedCampaign: boolean): string {
  if (path === "at" || path === "from" || path === "to") return path;
  if (storedCampaign) return "campaign";
  const last = path.split(".").pop() ?? "";
  return [
    "controller",
    "channel",
    "sector",
    "callerId",
    "dialer",
    "habitualCaller",
    "startsAt",
    "senderIdentified",
    "optOut",
  ].includes(last) && !path.startsWith("policy")
    ? last
    : "campaign";
}

function readForm(
  values: Values,
  preview: ListPreview,
  ctx: DashboardContext,
  t: Record<Key, string>,
): MapForm {
  const errors: Errors = new Map();
  const add = (id: string, message: string) => {
    const before = errors.get(id);
    errors.set(id, before === undefined ? message : `${before} ${message}`);
  };
  const v = (name: string) => values[name] ?? "";
  /** The engine's errors already shown, `path: message`, not to be shown twice. */
  const shown = new Set<string>();

  // Columns: "" (none) leaves vigie's own name, which must then not be a column of the list.
  const names = Object.fromEntries(LIST_COLUMNS.map((c) => [c, c])) as Record<ListColumn, string>;
  for (const c of LIST_COLUMNS) {
    const chosen = v(`map.${c}`);
    if (chosen === "") {
      if (preview.columns.includes(c)) add(`map-${c}`, t.exactColumn);
    } else if (!preview.columns.includes(chosen)) add(`map-${c}`, t.unknownColumn);
    else names[c] = chosen;
    // Which of two columns of one name is the person's? screenList refuses to guess; so do we.
    if (preview.columns.filter((x) => x === names[c]).length > 1) add(`map-${c}`, t.twiceColumn);
  }

  // The campaign: a stored one, or the fields of a new one.
  const choice = v("campaign") || "new";
  let campaignId: string | null = null;
  let body: MapForm["body"];
  if (choice !== "new") {
    const stored = ctx.campaigns.get(choice);
    if (stored === undefined) {
      add("campaign", t.unknownCampaign);
      body = { campaign: {} };
    } else {
      campaignId = stored.id;
      body = stored.body as MapForm["body"];
    }
  } else {
    const campaign: Record<string, unknown> = {};
    const flag = (name: string) => (v(name) === "true" ? true : v(name) === "false" ? false : undefined);
    if (v("controller") === "") add("controller", t.required);
    campaign.controller = v("controller");
    campaign.channel = v("channel");
    for (const name of ["sector", "callerId", "dialer", "startsAt"])
      if (v(name) !== "") campaign[name] = v(name);
    const habitual = flag("habitualCaller");
    if (habitual !== undefined) campaign.habitualCaller = habitual;
    for (const name of ["relatedToProfession", "relatedToContract", "analogousProducts"]) {
      if (v(name) === "true") campaign[name] = true;
    }
    const message = { senderIdentified: flag("senderIdentified"), optOut: flag("optOut") };
    if (message.senderIdentified !== undefined || message.optOut !== undefined) {
      campaign.message = Object.fromEntries(Object.entries(message).filter(([, x]) => x !== undefined));
    }
    body = { campaign };
    const parsed = parseCampaign(body);
    if (!parsed.ok) {
      for (const e of parsed.errors) {
        const path = e.path.replace(/^campaign\.?/, "");
        // "required" for an empty controller is said once, in the user's language.
        shown.add(`${path}: ${e.message}`);
        if (!(path === "controller" && v("controller") === "")) add(fieldOfPath(path, false), e.message);
      }
    }
  }

  // The instant, or the window.
  const when: Record<string, string> = {};
  if (v("when") === "window") {
    if (v("from") === "") add("from", t.required);
    if (v("to") === "") add("to", t.required);
    when.from = parisInstant(v("from"));
    when.to = parisInstant(v("to"));
  } else {
    if (v("at") === "") add("at", t.required);
    when.at = parisInstant(v("at"));
  }
  const campaignFile: Record<string, unknown> = {
    ...body.campaign,
    ...when,
    ...(body.policy === undefined || body.policy === null ? {} : { policy: body.policy }),
  };
  const parsed = parseScreenCampaign(campaignFile);
  if (!parsed.ok) {
    for (const e of parsed.errors) {
      const id = fieldOfPath(e.path, choice !== "new");
      // A new campaign's fields were checked above; an empty instant is "required" already.
      if (
        shown.has(`${e.path}: ${e.message}`) ||
        (errors.has(id) && (id === "at" || id === "from" || id === "to"))
      )
        continue;
      add(id, e.message);
    }
  } else {
    // The list must have a column for the campaign's contact points.
    const point = parsed.value.pointType;
    if (!preview.columns.includes(names[point])) add(`map-${point}`, t.pointColumn);
  }
  return { errors, names, campaignId, body, campaignFile };
}
