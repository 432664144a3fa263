// Webhook subscriptions through the API, `admin` only: as `vigie webhooks` (src/services/webhooks/).
// The signing secret is in the answer to the POST that makes a subscription, and nowhere after.
import { z } from "zod";
import { recordActivity } from "../../services/activity.ts";
import {
  addWebhook,
  clearTextProblem,
  WEBHOOK_EVENTS,
  type WebhookEventName,
} from "../../services/webhooks/deliver.ts";
import { replayWebhook, webhookViews } from "../../services/webhooks/manage.ts";
import { answerSchema, webhookAnswer } from "../answers.ts";
import type { ApiContext } from "../context.ts";
import { messageError } from "../errors.ts";
import type { Routes } from "../route.ts";
import { oneOf } from "../schemas.ts";

const NAMES = Object.keys(WEBHOOK_EVENTS) as [WebhookEventName, ...WebhookEventName[]];

const newWebhook = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: "an http(s) URL" })
      .max(2048)
      .meta({ description: "where each event is POSTed" }),
    events: z
      .array(oneOf(NAMES), { error: () => `must be a list of event names: ${NAMES.join(", ")}` })
      .min(1, "at least one")
      .meta({ description: `some of ${NAMES.join(", ")}` }),
    personalData: z.boolean().default(false).meta({ description: "deliveries carry the point's value" }),
    fromStart: z
      .boolean()
      .default(false)
      .meta({ description: "deliver the whole log, not only from now on" }),
  })
  .superRefine((w, ctx) => {
    const clear = clearTextProblem(new URL(w.url), w.personalData);
    if (clear !== null) ctx.addIssue({ code: "custom", path: ["url"], message: clear });
  });

const replay = z.union(
  [
    z.strictObject({ fromSeq: z.int().min(1).meta({ description: "the first event to deliver again" }) }),
    z.strictObject({
      dead: z.literal(true).meta({ description: "from the first dead letter, forgetting them" }),
    }),
  ],
  { error: () => 'send either {"fromSeq": N} (N ≥ 1) or {"dead": true}' },
);

export function webhookRoutes(routes: Routes, ctx: ApiContext): void {
  const { store, tenant } = ctx.session;
  const notFound = messageError("no such webhook", "id");

  routes.raw(
    {
      method: "GET",
      url: "/v1/webhooks",
      summary: "The webhook subscriptions, with how far behind each is and its dead letters",
      scope: "admin",
      responses: { 200: "`{ webhooks: [...] }`: never a secret" },
      answers: { 200: answerSchema(z.strictObject({ webhooks: z.array(webhookAnswer) })) },
    },
    async () => ({ webhooks: await webhookViews(store, tenant) }),
  );

  routes.withBody(
    {
      url: "/v1/webhooks",
      summary: "Subscribe a URL to new evidence events, signed per Standard Webhooks",
      description: "The answer holds the signing secret (`whsec_…`), shown only in it. docs/integrations.md.",
      scope: "admin",
      schema: newWebhook,
      responses: { 201: "the subscription with its `secret`", 400: "invalid body" },
      answers: { 201: answerSchema(webhookAnswer.extend({ secret: z.string() })) },
    },
    async (body, req, reply) => {
      const at = ctx.now();
      const w = await addWebhook(store, tenant, { ...body, events: [...new Set(body.events)] }, at);
      await recordActivity(ctx.session, {
        action: "webhook.created",
        target: w.id,
        by: `key:${req.apiKey?.id ?? "?"}`,
        at,
      });
      const [view] = (await webhookViews(store, tenant)).filter((v) => v.id === w.id);
      return reply.code(201).send({ ...view, secret: w.secret });
    },
  );

  routes.raw(
    {
      method: "GET",
      url: "/v1/webhooks/:id",
      summary: "One webhook subscription: progress, last error, dead letters",
      scope: "admin",
      responses: { 200: "the subscription (never its secret)", 404: "no such webhook" },
      answers: { 200: answerSchema(webhookAnswer) },
    },
    async (_body, req, reply) => {
      const { id } = req.params as { id: string };
      const view = (await webhookViews(store, tenant)).find((v) => v.id === id);
      return view === undefined ? reply.code(404).send(notFound) : view;
    },
  );

  routes.withBody(
    {
      url: "/v1/webhooks/:id/replay",
      summary: "Deliver again from an event (`fromSeq`) or from the first dead letter (`dead: true`)",
      scope: "admin",
      schema: replay,
      responses: {
        200: "`{ from }`: the first event delivered again (null: no dead letter)",
        404: "no such webhook",
        409: "a server moved the subscription meanwhile: ask again",
      },
      answers: { 200: answerSchema(z.strictObject({ from: z.int().nullable() })) },
    },
    async (body, req, reply) => {
      const { id } = req.params as { id: string };
      const r = await replayWebhook(store, tenant, id, body);
      if (r.ok) return { from: r.from };
      return r.error === "no such webhook"
        ? reply.code(404).send(notFound)
        : reply.code(409).send(messageError("the subscription moved meanwhile: ask again"));
    },
  );

  routes.raw(
    {
      method: "POST",
      url: "/v1/webhooks/:id/remove",
      summary: "Remove a webhook subscription (no body)",
      scope: "admin",
      responses: { 200: "`{ removed: id }`", 404: "no such webhook" },
      answers: { 200: answerSchema(z.strictObject({ removed: z.string() })) },
    },
    async (_body, req, reply) => {
      const { id } = req.params as { id: string };
      if (!(await store.removeWebhook(tenant, id))) return reply.code(404).send(notFound);
      await recordActivity(ctx.session, {
        action: "webhook.removed",
        target: id,
        by: `key:${req.apiKey?.id ?? "?"}`,
        at: ctx.now(),
      });
      return { removed: id };
    },
  );
}
