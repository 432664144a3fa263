// How a dashboard page is declared: its path, the role it needs, and a handler given the page
// context. GETs without a session go to the sign-in page; POSTs must carry the session's CSRF
// token (a form field `csrf`, or the `x-csrf-token` header for uploads) or get 403.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { seeOther } from "../web/redirect.ts";
import { html } from "./html.ts";
import { type Lang, langOf } from "./i18n.ts";
import { type PageContext, sendPage } from "./layout.ts";
import { csrfMatches, type DashboardSession, SESSION_COOKIE, type Sessions } from "./sessions.ts";
import { hasRole, type Role } from "./users.ts";

export interface SignedIn extends PageContext {
  readonly session: DashboardSession;
}

type Handler = (ctx: SignedIn, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const FORBIDDEN = {
  fr: { title: "Accès refusé", body: "Votre rôle ne permet pas cette action. Demandez à un administrateur." },
  en: { title: "Not allowed", body: "Your role does not allow this. Ask an administrator." },
} as const;

export function pathOf(req: FastifyRequest): string {
  return req.url.split("?")[0] ?? "/";
}

export class DashboardRoutes {
  private readonly app: FastifyInstance;
  private readonly sessions: Sessions;

  constructor(app: FastifyInstance, sessions: Sessions) {
    this.app = app;
    this.sessions = sessions;
  }

  /** The signed-in context of a request, or null. */
  async signedIn(req: FastifyRequest): Promise<SignedIn | null> {
    const session = await this.sessions.get(req.cookies[SESSION_COOKIE]);
    return session === null ? null : { lang: langOf(req), session, path: pathOf(req) };
  }

  get(url: string, role: Role, handler: Handler): void {
    this.app.get(url, (req, reply) => this.run(req, reply, role, handler, false));
  }

  /**
   * `csrf: "header"` for uploads by script; `"multipart"` for a multipart form, whose `csrf` field
   * must come first: the handler checks it (`csrfMatches`) before reading the file.
   */
  post(url: string, role: Role, handler: Handler, csrf: "form" | "header" | "multipart" = "form"): void {
    this.app.post(url, (req, reply) => this.run(req, reply, role, handler, csrf));
  }

  private async run(
    req: FastifyRequest,
    reply: FastifyReply,
    role: Role,
    handler: Handler,
    csrf: false | "form" | "header" | "multipart",
  ): Promise<unknown> {
    const ctx = await this.signedIn(req);
    if (ctx === null) {
      if (req.method === "GET") return seeOther(reply, `/login?next=${encodeURIComponent(req.url)}`);
      return reply.code(401).type("text/plain; charset=utf-8").send("signed out: sign in again\n");
    }
    if (csrf === "form" || csrf === "header") {
      const sent =
        csrf === "header"
          ? req.headers["x-csrf-token"]
          : (req.body as Record<string, unknown> | undefined)?.csrf;
      if (!csrfMatches(ctx.session, sent)) {
        return reply
          .code(403)
          .type("text/plain; charset=utf-8")
          .send("invalid form token: reload the page\n");
      }
    }
    if (!hasRole(ctx.session.role, role)) return forbidden(reply, ctx);
    return handler(ctx, req, reply);
  }
}

export function forbidden(reply: FastifyReply, ctx: SignedIn) {
  const t = FORBIDDEN[ctx.lang];
  return sendPage(reply, ctx, t.title, html`<p class="notice error" role="alert">${t.body}</p>`, 403);
}

/** A form's text field, trimmed; "" when absent. */
export function field(req: FastifyRequest, name: string): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === "string" ? v.trim() : "";
}

export function query(req: FastifyRequest, name: string): string {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === "string" ? v.trim() : "";
}

export type { Lang };
