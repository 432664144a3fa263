// "Screen a list" (issue #6), its HTTP side: upload a list (CSV in any common encoding, an Excel
// workbook or JSON Lines), map its columns, pick or create the campaign and the instant, then
// follow the screening and read its results. The screening is the job of `vigie screen`
// (services/screen/jobs.ts), queued in the server process; the pages are drawn by the views
// beside this file and the mapping form read by form.ts.
//
// Who may do what. Viewers read the list of screenings, their status, counts, summary.json and
// report.html. Operators also upload, map, start and cancel, and download allowed.csv,
// blocked.csv and rejected.csv (result-view.ts: FILE_ROLE). The mapping page shows sample rows of
// the list, so it is the operators' too.
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { MultipartValue } from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { recordActivity } from "../../services/activity.ts";
import { Screenings, type UploadResult } from "../../services/screen/jobs.ts";
import { OUTPUT_FILES, type OutputFile } from "../../services/screen/outputs.ts";
import type { ScreeningMeta } from "../../services/screen/saved.ts";
import type { ScreenSummary } from "../../services/screen/summary.ts";
import { seeOther } from "../../web/redirect.ts";
import { type SoleFile, soleFile } from "../../web/sole-file.ts";
import { screenAssets } from "../assets/screen.ts";
import type { DashboardContext } from "../context.ts";
import { html } from "../html.ts";
import { sendPage } from "../layout.ts";
import { type DashboardRoutes, forbidden, type SignedIn } from "../routes.ts";
import { scheduleScreeningRetention } from "../screening-retention.ts";
import { csrfMatches } from "../sessions.ts";
import { hasRole } from "../users.ts";
import { type CampaignBody, type FieldErrors, type FormValues, formValues, parseMapForm } from "./form.ts";
import { listView } from "./list-view.ts";
import { mapView } from "./map-view.ts";
import { FILE_ROLE, progressText, resultView } from "./result-view.ts";
import { T } from "./strings.ts";

const FILE_TYPE: Readonly<Record<OutputFile, string>> = {
  "allowed.csv": "text/csv; charset=utf-8",
  "blocked.csv": "text/csv; charset=utf-8",
  "rejected.csv": "text/csv; charset=utf-8",
  "summary.json": "application/json; charset=utf-8",
  "report.html": "text/html; charset=utf-8",
};

/** report.html is self-contained: inline styles and SVG, no script. Framed by our pages only. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

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

  const listPage = (reply: FastifyReply, page: SignedIn, uploadError: string | null, status = 200) =>
    sendPage(
      reply,
      page,
      T[page.lang].title,
      listView(page, screenings.list(), campaignName, uploadError),
      status,
    );

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

  // ---- Mapping the columns, the list-wide values, the campaign and the instant ----

  const mapPage = async (
    reply: FastifyReply,
    page: SignedIn,
    meta: ScreeningMeta,
    values: FormValues | null,
    errors: FieldErrors,
    status = 200,
  ) => {
    const view = mapView(page, {
      meta,
      preview: await screenings.preview(meta),
      values,
      errors,
      campaigns: ctx.campaigns.list().map((c) => ({ id: c.id, name: campaignName(c.id) })),
    });
    return sendPage(reply, page, T[page.lang].mapTitle, view, status);
  };

  routes.get("/screen/:id/map", "operator", async (page, req, reply) => {
    const meta = metaOf(req);
    if (meta === undefined) return notFound(reply, page);
    if (meta.status !== "mapping") return seeOther(reply, `/screen/${meta.id}`);
    return mapPage(reply, page, meta, null, new Map());
  });

  routes.post("/screen/:id/map", "operator", async (page, req, reply) => {
    const meta = metaOf(req);
    if (meta === undefined) return notFound(reply, page);
    if (meta.status !== "mapping") return seeOther(reply, `/screen/${meta.id}`);
    const preview = await screenings.preview(meta);
    const values = formValues(req.body);
    const form = parseMapForm(
      values,
      preview.columns,
      (id) => ctx.campaigns.get(id)?.body as CampaignBody | undefined,
      T[page.lang],
    );
    if (!form.ok || preview.error !== null) {
      return mapPage(reply, page, meta, values, form.ok ? new Map() : form.errors, 400);
    }
    const o = form.options;
    const at = ctx.now();
    let campaignId = o.campaignId;
    if (campaignId === null) {
      const stored = await ctx.campaigns.add(o.body, new Date(at));
      campaignId = stored.id;
      await recordActivity(ctx.session, {
        action: "campaign.created",
        target: stored.id,
        by: `user:${page.session.user}`,
        at,
      });
    }
    screenings.start(meta.id, {
      campaignFile: o.campaignFile,
      campaignId,
      names: o.names,
      values: o.values,
      lang: o.lang,
      by: page.session.user,
    });
    return seeOther(reply, `/screen/${meta.id}`);
  });

  // ---- Following a screening and reading its results ----

  routes.get("/screen/:id/status", "viewer", async (page, req, reply) => {
    const meta = metaOf(req);
    if (meta === undefined) return reply.code(404).send({ error: "no such screening" });
    const { percent, text } = progressText(page.lang, screenings.progress(meta.id));
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
    const view = resultView(page, {
      meta,
      campaign: campaignName(meta.campaignId),
      summary: meta.status === "done" ? readSummary(screenings, meta) : null,
      progress: progressText(page.lang, screenings.progress(meta.id)),
    });
    return sendPage(reply, page, `${T[page.lang].title} — ${meta.listName}`, view);
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
