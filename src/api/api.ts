// The API face: keyed routes (scope and rate checked before the body is read), the public pages a
// person reaches from a message, and /openapi.json with its docs page, all declared once through
// Routes. Mounted by the server (src/server/server.ts) beside the dashboard.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { TokenBuckets } from "../web/rate-limit.ts";
import { type ApiKeys, DEFAULT_KEY_RATE, grants, rateOf, type Scope } from "./auth.ts";
import type { ApiContext } from "./context.ts";
import { messageError } from "./errors.ts";
import { docsPage, openApi } from "./openapi.ts";
import { DEFAULT_OPT_IN_LIMITS, type OptInLimits } from "./opt-in-limits.ts";
import { Routes } from "./route.ts";
import { campaignRoutes } from "./routes/campaigns.ts";
import { consentRequestRoutes } from "./routes/consent-requests.ts";
import { decisionRoutes } from "./routes/decisions.ts";
import { evidenceRoutes } from "./routes/evidence.ts";
import { healthRoutes } from "./routes/health.ts";
import { importRoutes } from "./routes/imports.ts";
import { type GatewaySecrets, smsGatewayRoutes } from "./routes/sms-gateways.ts";
import { subjectRoutes } from "./routes/subjects.ts";
import { suppressionRoutes } from "./routes/suppression.ts";
import { unsubscribeRoutes } from "./routes/unsubscribe.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

export interface ApiOptions {
  /** The keys, each with its own rate limit (auth.ts). */
  readonly keys: ApiKeys;
  /** Double opt-in requests per point and key, wrong SMS codes (opt-in-limits.ts); default DEFAULT_OPT_IN_LIMITS. */
  readonly optInLimits?: Partial<OptInLimits>;
  /** Seals one-click unsubscribe tokens and double opt-in links (unsubscribe.ts). */
  readonly unsubscribeSecret: Buffer;
  /** Bytes of a CSV upload to /v1/imports/…; default 256 MiB. */
  readonly uploadLimit?: number;
  /** What signs the SMS gateways' inbound webhooks (sms-gateways.ts); absent: their routes answer 404. */
  readonly twilioAuthToken?: string | undefined;
  readonly vonage?: GatewaySecrets["vonage"];
  readonly brevoToken?: string | undefined;
}

const API_VERSION = "0.1.0";

export function mountApi(app: FastifyInstance, ctx: ApiContext, o: ApiOptions): void {
  app.decorateRequest("apiKey", null);
  // Every take names the key's own limit; the buckets' default is never used alone.
  const buckets = new TokenBuckets(DEFAULT_KEY_RATE);
  const guard = (scope: Scope) => async (req: FastifyRequest, reply: FastifyReply) => {
    const key = await o.keys.lookup(req.headers.authorization);
    if (key === null) {
      return reply
        .code(401)
        .header("www-authenticate", "Bearer")
        .send(messageError("send Authorization: Bearer vk_… with a key from `vigie keys create`"));
    }
    if (!grants(key, scope)) {
      return reply.code(403).send(messageError(`this key lacks the scope ${scope}`));
    }
    const limit = rateOf(key);
    const wait = limit === null ? 0 : buckets.take(key.id, ctx.processes.share(limit));
    if (wait > 0) {
      return reply
        .code(429)
        .header("retry-after", String(wait))
        .send(messageError(`rate limit: retry in ${wait} s`));
    }
    req.apiKey = key;
  };

  const routes = new Routes(app, guard);
  decisionRoutes(routes, ctx);
  campaignRoutes(routes, ctx);
  evidenceRoutes(routes, ctx);
  subjectRoutes(routes, ctx);
  suppressionRoutes(routes, ctx);
  webhookRoutes(routes, ctx);
  smsGatewayRoutes(routes, ctx, {
    twilioAuthToken: o.twilioAuthToken,
    vonage: o.vonage,
    brevoToken: o.brevoToken,
  });
  unsubscribeRoutes(routes, ctx, o.unsubscribeSecret);
  consentRequestRoutes(routes, ctx, o.unsubscribeSecret, { ...DEFAULT_OPT_IN_LIMITS, ...o.optInLimits });
  importRoutes(routes, ctx, o.uploadLimit);
  healthRoutes(routes);

  routes.raw(
    {
      method: "GET",
      url: "/openapi.json",
      summary: "This API's OpenAPI 3.1 description",
      scope: null,
      responses: { 200: "the description" },
      answers: { 200: { type: "object", description: "an OpenAPI 3.1 document" } },
    },
    async () => openApi(routes.docs, API_VERSION),
  );
  routes.raw(
    {
      method: "GET",
      url: "/docs",
      summary: "This page",
      scope: null,
      responses: { 200: "HTML" },
      textAnswers: { 200: ["text/html"] },
    },
    async (_body, _req, reply) => reply.type("text/html; charset=utf-8").send(docsPage(routes.docs)),
  );
}
