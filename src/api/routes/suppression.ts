// The suppression list by API, for the nightly pull of an e-mail platform, SMS gateway or dialer
// (src/services/suppression.ts): as `vigie suppression export`, recorded in the audit trail.
import { z } from "zod";
import { issuesOf } from "../../io/zod-words.ts";
import { recordActivity } from "../../services/activity.ts";
import {
  renderSuppression,
  SUPPRESSION_CHANNELS,
  SUPPRESSION_FORMATS,
  suppressionList,
} from "../../services/suppression.ts";
import type { ApiContext } from "../context.ts";
import { apiError } from "../errors.ts";
import type { Routes } from "../route.ts";
import { instant, oneOf, optionalName } from "../schemas.ts";

const query = z
  .strictObject({
    channel: oneOf(SUPPRESSION_CHANNELS),
    format: oneOf(SUPPRESSION_FORMATS).default("csv"),
    since: instant.optional(),
    controller: optionalName().min(1).optional(),
  })
  .refine((q) => q.format !== "mailchimp" || q.channel === "email", {
    error: "the mailchimp layout holds e-mail addresses: use it with channel=email",
    path: ["format"],
  });

export function suppressionRoutes(routes: Routes, ctx: ApiContext): void {
  routes.raw(
    {
      method: "GET",
      url: "/v1/suppression",
      summary: "The points a sender must not contact on a channel, in the layout its tool imports",
      description:
        "Objections (the point's or its person's, or heard during a call), withdrawn consents, erasures (by key, in the csv layout only). Text, CRLF lines; `X-Vigie-Omitted`: erased points a layout without keys leaves out.",
      scope: "read",
      query: {
        channel: "email, sms or phone",
        format: "csv (default), brevo, mailchimp or hashed-sha256",
        since: "only entries since this instant",
        controller: "only what binds this sender",
      },
      responses: {
        200: "the list (text/csv, or text/plain for hashed-sha256)",
        400: "a bad parameter, named",
      },
      textAnswers: { 200: ["text/csv", "text/plain"] },
    },
    async (_body, req, reply) => {
      const q = query.safeParse(req.query);
      if (!q.success) return reply.code(400).send(apiError(issuesOf(q.error, req.query)));
      const at = ctx.now();
      const { channel, format, since, controller } = q.data;
      const entries = await suppressionList(ctx.session, { channel, since, controller, at });
      const out = renderSuppression(entries, channel, format);
      await recordActivity(ctx.session, {
        action: "suppression.exported",
        target: "",
        by: `api:${req.apiKey?.id}`,
        at,
        detail: { kind: `${channel} ${format}`, counts: { rows: out.rows, omitted: out.omitted } },
      });
      return reply
        .header(
          "content-type",
          format === "hashed-sha256" ? "text/plain; charset=utf-8" : "text/csv; charset=utf-8",
        )
        .header("x-vigie-omitted", String(out.omitted))
        .send(out.text);
    },
  );
}
