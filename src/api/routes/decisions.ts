// Decisions: from facts given whole (docs/contract.md §1), or from the store's evidence about a
// point for a stored or inline campaign.
import { z } from "zod";
import { decide } from "../../engine/decide.ts";
import { coverageError } from "../../engine/rulebook-coverage.ts";
import { parseCampaign, parseFacts } from "../../facts/parse.ts";
import { factsFor } from "../../services/facts.ts";
import { subjectOf } from "../../services/session.ts";
import type { ApiContext } from "../context.ts";
import { apiError, messageError } from "../errors.ts";
import type { Routes } from "../route.ts";
import { instant, point } from "../schemas.ts";

const checkBody = z.strictObject({
  point,
  campaign: z.union([
    z.string().meta({ description: "the id of a stored campaign" }),
    z.record(z.string(), z.unknown()).meta({ description: "the campaign object of the facts" }),
  ]),
  policy: z.record(z.string(), z.unknown()).optional().meta({ description: "with an inline campaign" }),
  at: instant
    .check((ctx) => {
      const outside = coverageError(ctx.value);
      if (outside !== undefined) ctx.issues.push({ code: "custom", input: ctx.value, message: outside });
    })
    .optional()
    .meta({ description: "the instant of the planned contact; default now" }),
});

export function decisionRoutes(routes: Routes, ctx: ApiContext): void {
  // A stored campaign never changes: parsed once, on its first check.
  const parsedStored = new WeakMap<object, ReturnType<typeof parseCampaign>>();
  const storedCampaign = (stored: { body: unknown }) => {
    let parsed = parsedStored.get(stored);
    if (parsed === undefined) {
      parsed = parseCampaign(stored.body);
      parsedStored.set(stored, parsed);
    }
    return parsed;
  };

  routes.raw(
    {
      method: "POST",
      url: "/v1/decisions",
      summary: "Decide facts (docs/contract.md §1)",
      description: "The body is one facts object; the answer is one decision.",
      scope: "decide",
      body: {
        type: "object",
        required: ["at", "campaign", "contact"],
        description: "A facts object, docs/contract.md §1",
      },
      responses: { 200: "the decision", 400: "invalid facts: the error names the JSON path" },
    },
    async (body, _req, reply) => {
      const parsed = parseFacts(body);
      if (!parsed.ok) return reply.code(400).send(apiError(parsed.errors));
      return decide(parsed.facts);
    },
  );

  routes.withBody(
    {
      url: "/v1/check",
      summary: "Decide a contact with a point from the evidence held about it",
      description:
        "`campaign` is a stored campaign's id, or a campaign object (with an optional `policy`). " +
        "The facts are built from the store as of `at`.",
      scope: "decide",
      schema: checkBody,
      responses: { 200: "the decision", 400: "invalid body", 404: "no such stored campaign" },
    },
    async (body, _req, reply) => {
      let campaign: ReturnType<typeof parseCampaign>;
      if (typeof body.campaign === "string") {
        const stored = ctx.campaigns.get(body.campaign);
        if (stored === undefined) return reply.code(404).send(messageError("no such campaign", "campaign"));
        if (body.policy !== undefined) {
          return reply.code(400).send(messageError("only with an inline campaign", "policy"));
        }
        campaign = storedCampaign(stored);
      } else {
        campaign = parseCampaign({
          campaign: body.campaign,
          ...(body.policy === undefined ? {} : { policy: body.policy }),
        });
      }
      if (!campaign.ok) return reply.code(400).send(apiError(campaign.errors));
      const subject = subjectOf(ctx.session.ring, body.point);
      if (!subject.ok) return reply.code(400).send(messageError(subject.reason, "point"));
      const at = body.at ?? ctx.now();
      return decide(await factsFor(ctx.session, subject.subject, campaign, at));
    },
  );
}
