// One server, two faces: `buildServer` builds the context both share once (the evidence session
// with its write gate, stored campaigns, pending double opt-ins, the outbox, the files an erasure
// purges, the clock, the public address), applies the shared web rules (src/web/shared-rules.ts),
// and mounts the API (src/api/api.ts) and the dashboard (src/dashboard/plugin.ts). `vigie serve`
// listens with it; tests start it on port 0.
import formbody from "@fastify/formbody";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { type ApiOptions, mountApi } from "../api/api.ts";
import type { ApiContext } from "../api/context.ts";
import { messageError } from "../api/errors.ts";
import { FileOutbox, type Outbox, WebhookOutbox } from "../api/outbox.ts";
import { gatedWrites } from "../api/write-gate.ts";
import { type DashboardOptions, dashboard } from "../dashboard/plugin.ts";
import type { Campaigns } from "../services/campaigns.ts";
import type { PendingConsents } from "../services/pending-consents.ts";
import { ProcessShare } from "../services/process-share.ts";
import type { Session } from "../services/session.ts";
import { publicBase } from "../web/public-url.ts";
import { type RateLimit, TokenBuckets } from "../web/rate-limit.ts";
import { applySharedRules, frameworkErrors } from "../web/shared-rules.ts";

export interface ServerOptions extends ApiOptions {
  readonly session: Session;
  readonly campaigns: Campaigns;
  /** Double opt-in requests waiting for the person (pending-consents.ts). */
  readonly pendingConsents: PendingConsents;
  /** Where confirmation links and codes are sent (outbox.ts). */
  readonly outbox: Outbox;
  /** Epoch ms; default `Date.now` (tests move it to expire links and codes). */
  readonly now?: () => number;
  /**
   * Per client address on the pages reached without a key (/u/…, /c/…); default 30 at once, 1 a
   * second after that. Large mail providers post one-click unsubscribes from few addresses.
   */
  readonly publicRateLimit?: RateLimit;
  /** Where people reach this server, for the links vigie writes (web/public-url.ts); none: such links are refused. */
  readonly publicUrl?: string;
  /** Bytes; default 64 KiB. */
  readonly bodyLimit?: number;
  /** Where to log one JSON line per request (method, route, status, duration); default nowhere. */
  readonly log?: NodeJS.WritableStream;
  /** The DPO dashboard at `/` (src/dashboard/): its users and where its screenings are kept. */
  readonly dashboard?: Pick<
    DashboardOptions,
    "users" | "screenings" | "uploadLimit" | "keepScreeningsDays" | "signIn"
  >;
}

export function buildServer(o: ServerOptions): FastifyInstance {
  const publicUrl = o.publicUrl === undefined ? null : publicBase(o.publicUrl);
  if (publicUrl !== null && typeof publicUrl !== "string") {
    throw new Error(`public URL ${o.publicUrl}: ${publicUrl.error}`);
  }
  const bodyLimit = o.bodyLimit ?? 64 * 1024;
  // Unsubscribe tokens (about 200 characters) are path parameters; the default allows 100.
  const router = { patterns: [] as string[], maxParamLength: 1024 };
  const app = Fastify({
    bodyLimit,
    routerOptions: { maxParamLength: router.maxParamLength },
    frameworkErrors: frameworkErrors(messageError, router),
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
  applySharedRules(app, { bodyLimit, errorBody: messageError });
  // The routes' patterns, for frameworkErrors to name a path parameter it refuses.
  app.addHook("onRoute", (r) => {
    router.patterns.push(r.url);
  });
  // RFC 8058's one-click POST is a form; so are the dashboard's.
  void app.register(formbody);

  const ctx: ApiContext = {
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
    processes: new ProcessShare(o.session.store, o.session.tenant),
    publicUrl,
  };
  app.addHook("onReady", () => ctx.processes.start());
  app.addHook("onClose", () => ctx.processes.stop());
  mountApi(app, ctx, o);
  if (o.dashboard !== undefined) void app.register(dashboard, { ...ctx, ...o.dashboard });
  return app;
}
