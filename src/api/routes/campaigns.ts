// Stored campaigns, so that checks can name one by its id.
import { z } from "zod";
import { campaignInput, parseCampaign } from "../../facts/parse.ts";
import { recordActivity } from "../../services/activity.ts";
import type { StoredCampaign } from "../../services/campaigns.ts";
import { answerSchema, storedCampaignAnswer } from "../answers.ts";
import type { ApiContext } from "../context.ts";
import { apiError, messageError } from "../errors.ts";
import type { Routes } from "../route.ts";

const view = (c: StoredCampaign) => ({ id: c.id, createdAt: c.createdAt, ...(c.body as object) });

// The body is described by the schema parseCampaign checks it with; a stored one is given back as sent.
const { $schema: _, ...campaignBody } = z.toJSONSchema(campaignInput, { io: "input" });
const stored = answerSchema(storedCampaignAnswer, "input");

export function campaignRoutes(routes: Routes, ctx: ApiContext): void {
  routes.raw(
    {
      method: "POST",
      url: "/v1/campaigns",
      summary: "Store a campaign",
      description: "The body is `{ campaign, policy? }` as in a screen campaign file, without `at`.",
      scope: "admin",
      body: campaignBody,
      responses: { 201: "stored: `{ id, createdAt, campaign, policy? }`", 400: "invalid campaign" },
      answers: { 201: stored },
    },
    async (body, req, reply) => {
      const parsed = parseCampaign(body);
      if (!parsed.ok) return reply.code(400).send(apiError(parsed.errors));
      const stored = await ctx.campaigns.add(body);
      await recordActivity(ctx.session, {
        action: "campaign.created",
        target: stored.id,
        by: `key:${req.apiKey?.id ?? "?"}`,
        at: ctx.now(),
      });
      return reply.code(201).send(view(stored));
    },
  );

  routes.raw(
    {
      method: "GET",
      url: "/v1/campaigns",
      summary: "List the stored campaigns",
      scope: "read",
      responses: { 200: "`{ campaigns: [...] }`" },
      answers: {
        200: answerSchema(z.strictObject({ campaigns: z.array(storedCampaignAnswer) }), "input"),
      },
    },
    async () => {
      await ctx.campaigns.refresh();
      return { campaigns: ctx.campaigns.list().map(view) };
    },
  );

  routes.raw(
    {
      method: "GET",
      url: "/v1/campaigns/:id",
      summary: "One stored campaign",
      scope: "read",
      responses: { 200: "the campaign", 404: "no such campaign" },
      answers: { 200: stored },
    },
    async (_body, req, reply) => {
      const { id } = req.params as { id: string };
      const c = await ctx.campaigns.find(id);
      if (c === undefined) return reply.code(404).send(messageError("no such campaign", "id"));
      return view(c);
    },
  );
}
