// The HTTP API: `buildApp` wires the store, keys, campaigns and limits into a Fastify instance that
// `vigie serve` listens with and tests start on port 0.
import formbody from "@fastify/formbody";
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import { type DashboardOptions, dashboard } from "../dashboard/plugin.ts";
import type { Session } from "../services/session.ts";
import { publicBase } from "../web/public-url.ts";
import { type RateLimit, TokenBuckets } from "../web/rate-limit.ts";
import { malformedMultipart, requestProblem } from "../web/request-checks.ts";
import { grants, type KeyFile, type Scope } from "./auth.ts";
import type { CampaignFile } from "./campaigns.ts";
import { messageError } from "./errors.ts";
import { docsPage, openApi } from "./openapi.ts";
import { DEFAULT_OPT_IN_LIMITS, type OptInLimits } from "./opt-in-limits.ts";
import { FileOutbox, type Outbox, WebhookOutbox } from "./outbox.ts";
import type { PendingConsents } from "./pending-consents.ts";
import { Routes } from "./route.ts";
import { campaignRoutes } from "./routes/campaigns.ts";
import { consentRequestRoutes } from "./routes/consent-requests.ts";
import { decisionRoutes } from "./routes/decisions.ts";
import { evidenceRoutes } from "./routes/evidence.ts";
import { healthRoutes } from "./routes/health.ts";
import { importRoutes } from "./routes/imports.ts";
import { subjectRoutes } from "./routes/subjects.ts";
import { unsubscribeRoutes } from "./routes/unsubscribe.ts";
import { gatedWrites } from "./write-gate.ts";

export interface AppOptions {
  readonly session: Session;
  readonly keys: KeyFile;
  readonly campaigns: CampaignFile;
  /** Double opt-in requests waiting for the person (pending-consents.ts). */
  readonly pendingConsents: PendingConsents;
  /** Where confirmation links and codes are sent (outbox.ts). */
  readonly outbox: Outbox;
  /** Epoch ms; default `Date.now` (tests move it to expire links and codes). */
  readonly now?: () => number;
  /** Per API key; default 20 requests at once, 10 a second after that. */
  readonly rateLimit?: RateLimit;
  /**
   * Per client address on the pages reached without a key (/u/…, /c/…); default 30 at once, 1 a
   * second after that. Large mail providers post one-click unsubscribes from few addresses.
   */
  readonly publicRateLimit?: RateLimit;
  /** Where people reach this server, for the links vigie writes (web/public-url.ts); none: such links are refused. */
  readonly publicUrl?: string;
  /** Double opt-in requests per point and key, wrong SMS codes (opt-in-limits.ts); default DEFAULT_OPT_IN_LIMITS. */
  readonly optInLimits?: Partial<OptInLimits>;
  /** Seals one-click unsubscribe tokens and double opt-in links (unsubscribe.ts). */
  readonly unsubscribeSecret: Buffer;
  /** Bytes; default 64 KiB. */
  readonly bodyLimit?: number;
  /** Bytes of a CSV upload to /v1/imports/…; default 256 MiB. */
  readonly uploadLimit?: number;
  /** Where to log one JSON line per request (method, route, status, duration); default nowhere. */
  readonly log?: NodeJS.WritableStream;
  /** The DPO dashboard at `/` (src/dashboard/): its users and where its screenings are kept. */
  readonly dashboard?: Pick<
    DashboardOptions,
    "users" | "screenings" | "uploadLimit" | "keepScreeningsDays" | "signIn"
  >;
}

const API_VERSION = "0.1.0";

export function buildApp(o: AppOptions): FastifyInstance {
  const publicUrl = o.publicUrl === undefined ? null : publicBase(o.publicUrl);
  if (publicUrl !== null && typeof publicUrl !== "string") {
    throw new Error(`public URL ${o.publicUrl}: ${publicUrl.error}`);
  }
  const bodyLimit = o.bodyLimit ?? 64 * 1024;
  const app = Fastify({
    bodyLimit,
    // Unsubscribe tokens (about 200 characters) are path parameters; the default allows 100.
    routerOptions: { maxParamLength: 1024 },
    // A path Fastify cannot decode (a %-escape that is not UTF-8): our error shape, and never the
    // URL back, which may hold a contact point.
    frameworkErrors: (err, _req, reply) =>
      (reply as FastifyReply)
        .code(400)
        .send(
          messageError(
            err.code === "FST_ERR_BAD_URL" ? "the path is not valid UTF-8 once decoded" : err.message,
            "url",
          ),
        ),
    // Fastify's own request lines carry the URL, which may hold a contact point: we log our own.
    logController: new LogController({ disableRequestLogging: true }),
    // Redaction is a second guard: no line we write carries a request, but a plugin's might.
    logger:
      o.log === undefined
        ? false
        : {
            stream: o.log,
            redact: { paths: ["req.headers.authorization", "req.body", "body"], censor: "[redacted]" },
          },
  });
  app.decorateRequest("apiKey", null);
  app.addHook("onRequest", async (req, reply) => {
    const problem = requestProblem(req);
    if (problem !== null) {
      // The body is not read: close the connection rather than drain it.
      return reply
        .code(problem.status)
        .header("connection", "close")
        .send(messageError(problem.message, problem.header));
    }
  });
  // RFC 8058's one-click POST is a form.
  void app.register(formbody);

  app.addHook("onResponse", async (req, reply) => {
    req.log.info({
      method: req.method,
      route: req.routeOptions.url ?? "(none)",
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const malformed = malformedMultipart(err);
    if (malformed !== null) return reply.code(400).send(messageError(malformed));
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      // The message and stack only: never the request, whose body holds personal data.
      req.log.error({ error: err.message, stack: err.stack });
      return reply.code(500).send(messageError("internal error"));
    }
    const message =
      err.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? `body larger than ${bodyLimit} bytes` : err.message;
    return reply.code(status).send(messageError(message));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(messageError("no such route")));

  const buckets = new TokenBuckets(o.rateLimit ?? { burst: 20, perSecond: 10 });
  const guard = (scope: Scope) => async (req: FastifyRequest, reply: FastifyReply) => {
    const key = o.keys.lookup(req.headers.authorization);
    if (key === null) {
      return reply
        .code(401)
        .header("www-authenticate", "Bearer")
        .send(messageError("send Authorization: Bearer vk_… with a key from `vigie keys create`"));
    }
    if (!grants(key, scope)) {
      return reply.code(403).send(messageError(`this key lacks the scope ${scope}`));
    }
    const wait = buckets.take(key.id);
    if (wait > 0) {
      return reply
        .code(429)
        .header("retry-after", String(wait))
        .send(messageError(`rate limit: retry in ${wait} s`));
    }
    req.apiKey = key;
  };

  const routes = new Routes(app, guard);
  const ctx = {
    // Imports hold a transaction across awaits: writes queue behind them (write-gate.ts).
    session: gatedWrites(o.session),
    campaigns: o.campaigns,
    pendingConsents: o.pendingConsents,
    outbox: o.outbox,
    erasureFiles: {
      outbox:
        o.outbox instanceof FileOutbox
          ? { file: o.outbox.path }
          : o.outbox instanceof WebhookOutbox
            ? { webhook: o.outbox.url }
            : null,
      screenings: o.dashboard?.screenings ?? null,
    },
    now: o.now ?? Date.now,
    perAddress: new TokenBuckets(o.publicRateLimit ?? { burst: 30, perSecond: 1 }, o.now),
    publicUrl,
  };
  decisionRoutes(routes, ctx);
  campaignRoutes(routes, ctx);
  evidenceRoutes(routes, ctx);
  subjectRoutes(routes, ctx);
  unsubscribeRoutes(routes, ctx, o.unsubscribeSecret);
  consentRequestRoutes(routes, ctx, o.unsubscribeSecret, { ...DEFAULT_OPT_IN_LIMITS, ...o.optInLimits });
  importRoutes(routes, ctx, o.uploadLimit);
  healthRoutes(routes);

  if (o.dashboard !== undefined) {
    void app.register(dashboard, { ...ctx, ...o.dashboard });
  }

  routes.raw(
    {
      method: "GET",
      url: "/openapi.json",
      summary: "This API's OpenAPI 3.1 description",
      scope: null,
      responses: { 200: "the description" },
    },
    async () => openApi(routes.docs, API_VERSION),
  );
  routes.raw(
    { method: "GET", url: "/docs", summary: "This page", scope: null, responses: { 200: "HTML" } },
    async (_body, _req, reply) => reply.type("text/html; charset=utf-8").send(docsPage(routes.docs)),
  );
  return app;
}
