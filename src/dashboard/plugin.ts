// The DPO dashboard, served by `vigie serve` at `/` beside the API: server-rendered pages that work
// without JavaScript (a small script only refreshes a screening's progress), in French and
// English, signed in with a user of `vigie users add`.
import cookie from "@fastify/cookie";
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import type { DashboardContext } from "./context.ts";
import { auditPages } from "./pages/audit.ts";
import { homePage } from "./pages/home.ts";
import { lawPages } from "./pages/law.ts";
import { packPages } from "./pages/packs.ts";
import { peoplePages } from "./pages/people.ts";
import { signInPages } from "./pages/sign-in.ts";
import { webhookPages } from "./pages/webhooks.ts";
import { DashboardRoutes } from "./routes.ts";
import { screenPages } from "./screen/routes.ts";
import { DEFAULT_KEEP_SCREENINGS_DAYS } from "./screening-retention.ts";
import { Sessions } from "./sessions.ts";
import { DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from "./sign-in-gate.ts";

export interface DashboardOptions extends Omit<DashboardContext, "keepScreeningsDays"> {
  /** Default DEFAULT_KEEP_SCREENINGS_DAYS. */
  readonly keepScreeningsDays?: number;
  /** Largest list a user may upload, in bytes; default 1 GiB. */
  readonly uploadLimit?: number;
  /** Default DEFAULT_SIGN_IN_LIMITS (sign-in-gate.ts). */
  readonly signIn?: Partial<SignInLimits>;
}

export async function dashboard(app: FastifyInstance, o: DashboardOptions): Promise<void> {
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: o.uploadLimit ?? 2 ** 30, files: 2, fields: 20 } });
  const sessions = new Sessions(o.session.store, o.session.tenant, o.now, o.users);
  const ctx: DashboardContext = {
    ...o,
    keepScreeningsDays: o.keepScreeningsDays ?? DEFAULT_KEEP_SCREENINGS_DAYS,
  };
  // Pages list and read stored campaigns as they are: another server process may have stored one.
  app.addHook("preHandler", async () => {
    await ctx.campaigns.refresh();
  });
  const routes = new DashboardRoutes(app, sessions);
  signInPages(app, routes, sessions, ctx, { ...DEFAULT_SIGN_IN_LIMITS, ...o.signIn });
  homePage(routes, ctx);
  screenPages(app, routes, ctx);
  peoplePages(routes, ctx);
  packPages(routes, ctx);
  lawPages(routes, ctx);
  auditPages(routes, ctx);
  webhookPages(routes, ctx);
}
