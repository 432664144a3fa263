// A screening's evidence pack: GET /screen/:id/pack (operator) → a zip of pack.json, pack.html and
// the screening's report.html, for the CNIL or the DGCCRF. 404 when the id is unknown, not a
// plain id (no path may escape the screenings' directory) or the screening is not done.

import { recordActivity } from "../../services/activity.ts";
import { packFileName, ScreeningNotFound, screeningPack } from "../../services/evidence-pack.ts";
import { zipPack } from "../../services/pack-zip.ts";
import { isScreeningId } from "../../services/screen/saved.ts";
import type { DashboardContext } from "../context.ts";
import { html } from "../html.ts";
import type { Strings } from "../i18n.ts";
import { sendPage } from "../layout.ts";
import type { DashboardRoutes } from "../routes.ts";

const T: Strings<"title" | "notFound"> = {
  fr: { title: "Dossier de preuves", notFound: "Aucun filtrage terminé sous cet identifiant." },
  en: { title: "Evidence pack", notFound: "No finished screening has this id." },
};

export function packPages(routes: DashboardRoutes, ctx: DashboardContext): void {
  routes.get("/screen/:id/pack", "operator", async (page, req, reply) => {
    const t = T[page.lang];
    const { id } = req.params as { id: string };
    const notFound = () =>
      sendPage(reply, page, t.title, html`<p class="notice error" role="alert">${t.notFound}</p>`, 404);
    if (!isScreeningId(id)) return notFound();
    const now = ctx.now();
    let made: Awaited<ReturnType<typeof screeningPack>>;
    try {
      made = await screeningPack(ctx.session, ctx.screenings, id, {
        by: `user:${page.session.user}`,
        at: now,
      });
    } catch (e) {
      if (e instanceof ScreeningNotFound) return notFound();
      throw e;
    }
    const zip = zipPack(
      made.pack,
      ctx.session.signer,
      made.reportHtml === null ? {} : { "report.html": made.reportHtml },
    );
    await recordActivity(ctx.session, {
      action: "evidence-pack.exported",
      target: id,
      by: `user:${page.session.user}`,
      at: now,
    });
    return reply
      .type("application/zip")
      .header("cache-control", "no-store")
      .header("content-disposition", `attachment; filename="${packFileName(id, now)}"`)
      .send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
  });
}
