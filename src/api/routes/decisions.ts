// Decisions: from facts given whole (docs/contract.md §1), or from the store's evidence about a
// point for a stored or inline campaign.
import { z } from "zod";
import { decide } from "../../engine/decide.ts";
import { decisionJson } from "../../engine/decision-json.ts";
import { PlanCache } from "../../engine/plan.ts";
import { coverageError } from "../../engine/rulebook-coverage.ts";
import { factsFromEvidence } from "../../evidence/facts-from-evidence.ts";
import { factsInputJsonSchema, parseCampaign, parseFacts } from "../../facts/parse.ts";
import { type Channel, otherPointOf } from "../../facts/vocabulary.ts";
import type { KeyRing } from "../../normalize/keys.ts";
import { factsFor } from "../../services/facts.ts";
import { type SubjectResult, subjectOf } from "../../services/session.ts";
import type { Evidence } from "../../store/store.ts";
import { answerSchema, batchAnswer, decisionAnswer } from "../answers.ts";
import type { ApiContext } from "../context.ts";
import { apiError, messageError } from "../errors.ts";
import type { Routes } from "../route.ts";
import { instant, oneOf, point } from "../schemas.ts";

const campaignFields = {
  campaign: z.union(
    [
      z.string().meta({ description: "the id of a stored campaign" }),
      z.record(z.string(), z.unknown()).meta({ description: "the campaign object of the facts" }),
    ],
    {
      error: (issue) =>
        issue.input === undefined
          ? "required"
          : "must be a stored campaign's id (a string) or a campaign object",
    },
  ),
  policy: z.record(z.string(), z.unknown()).optional().meta({ description: "with an inline campaign" }),
  at: instant
    .check((ctx) => {
      const outside = coverageError(ctx.value);
      if (outside !== undefined) ctx.issues.push({ code: "custom", input: ctx.value, message: outside });
    })
    .optional()
    .meta({ description: "the instant of the planned contact; default now" }),
};

const checkBody = z.strictObject({ point, ...campaignFields });

/** Points a batch check takes at most: a dialer's list for a session. */
export const BATCH_POINTS = 10_000;

const batchBody = z.strictObject({
  points: z
    .array(point)
    .min(1, "at least one point")
    .max(BATCH_POINTS, `at most ${BATCH_POINTS} points a request`),
  ...campaignFields,
  detail: oneOf(["summary", "full"]).default("summary").meta({
    description: "summary: verdict, first blocking rule and next allowed instant; full: each decision",
  }),
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
      body: { ...factsInputJsonSchema(), description: "A facts object, docs/contract.md §1" },
      responses: { 200: "the decision", 400: "invalid facts: the error names the JSON path" },
      answers: { 200: answerSchema(decisionAnswer) },
    },
    async (body, _req, reply) => {
      const parsed = parseFacts(body);
      if (!parsed.ok) return reply.code(400).send(apiError(parsed.errors));
      return reply.type(JSON_TYPE).send(decisionJson(decide(parsed.facts)));
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
      answers: { 200: answerSchema(decisionAnswer) },
    },
    async (body, _req, reply) => {
      // A campaign stored through another process is read from the store once.
      if (typeof body.campaign === "string") await ctx.campaigns.find(body.campaign);
      const campaign = campaignOf(body);
      if ("status" in campaign) return reply.code(campaign.status).send(campaign.error);
      const subject = subjectFor(ctx.session.ring, body.point, campaign.campaign.channel);
      if (!subject.ok) return reply.code(400).send(messageError(subject.reason, "point"));
      const at = body.at ?? ctx.now();
      const decision = decide(await factsFor(ctx.session, subject.subject, campaign, at));
      return reply.type(JSON_TYPE).send(decisionJson(decision));
    },
  );

  routes.withBody(
    {
      url: "/v1/check/batch",
      summary: "Decide many points for one campaign and instant, as a dialer loads a list",
      description:
        `Up to ${BATCH_POINTS} points (\`points\`), each decided as \`POST /v1/check\` decides one, from one read ` +
        "of the store for all of them. The answer keeps the order of `points`: for each, the point as sent and " +
        "`verdict`, `rule` (the first blocking rule, or null), `nextAllowedAt` — or `decision` whole with " +
        "`detail: full` — or `error` for a point that is not a phone number or an e-mail address, or not the " +
        "kind of point the campaign's channel reaches (the others are still decided).",
      scope: "decide",
      schema: batchBody,
      bodyLimit: BATCH_BODY_LIMIT,
      responses: {
        200: "`{ at, results: [...] }` in the order of `points`",
        400: "invalid body",
        404: "no such stored campaign",
        413: `body over ${BATCH_BODY_LIMIT / 1024} KiB`,
      },
      answers: { 200: answerSchema(batchAnswer) },
    },
    async (body, _req, reply) => {
      // A campaign stored through another process is read from the store once.
      if (typeof body.campaign === "string") await ctx.campaigns.find(body.campaign);
      const campaign = campaignOf(body);
      if ("status" in campaign) return reply.code(campaign.status).send(campaign.error);
      const at = body.at ?? ctx.now();
      const { ring, store, tenant } = ctx.session;
      const channel = campaign.campaign.channel;
      const subjects = body.points.map((p) => subjectFor(ring, p, channel));
      // A loop and a literal, not flatMap and a spread of the campaign: on Node 20 the spread
      // cost 2.7 µs a point and flatMap 0.2 (measured alone), a fifth of a batch's time.
      const keys: (readonly string[])[] = [];
      for (const s of subjects) if (s.ok) keys.push(s.subject.keys);
      const evidence = await store.evidenceMany(tenant, keys);
      // One campaign and instant for every point: past BATCH_PLAN_AFTER, decided through its plan.
      const decider = new PlanCache(BATCH_PLAN_AFTER);
      const { campaign: c, policy } = campaign;
      let k = 0;
      const results = subjects.map((s, i) => {
        const sent = body.points[i] as string;
        if (!s.ok) return { point: sent, error: messageError(s.reason, `points[${i}]`).error };
        const d = decider.decide(
          factsFromEvidence(evidence[k++] as Evidence, { campaign: c, policy, at, point: s.subject.point }),
        );
        if (body.detail === "full") return { point: sent, decision: d };
        const first = d.reasons.find((r) => r.effect === "block");
        return { point: sent, verdict: d.verdict, rule: first?.rule ?? null, nextAllowedAt: d.nextAllowedAt };
      });
      return { at: new Date(at).toISOString(), results };
    },
  );

  /** The campaign of a check: a stored one by id, or one given inline with its policy. */
  function campaignOf(body: {
    readonly campaign: string | Record<string, unknown>;
    readonly policy?: Record<string, unknown> | undefined;
  }): Extract<ReturnType<typeof parseCampaign>, { ok: true }> | { status: 400 | 404; error: unknown } {
    let campaign: ReturnType<typeof parseCampaign>;
    if (typeof body.campaign === "string") {
      const stored = ctx.campaigns.get(body.campaign);
      if (stored === undefined) return { status: 404, error: messageError("no such campaign", "campaign") };
      if (body.policy !== undefined) {
        return { status: 400, error: messageError("only with an inline campaign", "policy") };
      }
      campaign = storedCampaign(stored);
    } else {
      campaign = parseCampaign({
        campaign: body.campaign,
        ...(body.policy === undefined ? {} : { policy: body.policy }),
      });
    }
    return campaign.ok ? campaign : { status: 400, error: apiError(campaign.errors) };
  }
}

/**
 * Points of a batch decided with decide() before its plan is compiled: at 1 000 points a request,
 * the plan halves the time of deciding (bench/api.ts) where PlanCache's default of 1 024 would
 * never reach it.
 */
const BATCH_PLAN_AFTER = 128;

/** What Fastify says of the JSON it writes itself: a decision written by decisionJson says the same. */
const JSON_TYPE = "application/json; charset=utf-8";

/** A batch of 10 000 points as people write them fits with room to spare. */
const BATCH_BODY_LIMIT = 1024 * 1024;

/**
 * A point's subject, refused when the campaign's channel reaches the other kind of point (an
 * e-mail address for an SMS campaign), as the facts contract refuses it (src/facts/parse.ts):
 * decided, it would be blocked for a reason that is not the one. For postal mail and social
 * messages the phone number or the e-mail address names the person (otherPointOf).
 */
function subjectFor(ring: KeyRing, raw: string, channel: Channel): SubjectResult {
  const subject = subjectOf(ring, raw);
  if (!subject.ok) return subject;
  const type = subject.subject.point.type;
  const needed = otherPointOf(channel, type);
  return needed === null
    ? subject
    : { ok: false, reason: `a ${channel} campaign reaches a ${needed} point, not ${type}` };
}
