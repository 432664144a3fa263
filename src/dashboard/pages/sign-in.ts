// Sign-in, sign-out and the language switch. Five wrong passwords for a name lock it for a minute
// (whatever the address), which bounds guessing without letting anyone lock a user out for long.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { redirectTarget, seeOther } from "../../web/redirect.ts";
import type { DashboardContext } from "../context.ts";
import { html } from "../html.ts";
import { LANG_COOKIE, langOf, type Strings } from "../i18n.ts";
import { sendPage } from "../layout.ts";
import { type DashboardRoutes, field, pathOf, query } from "../routes.ts";
import { SESSION_COOKIE, type Sessions } from "../sessions.ts";

const T: Strings<"title" | "user" | "password" | "submit" | "wrong" | "locked" | "noUsers"> = {
  fr: {
    title: "Connexion",
    user: "Identifiant",
    password: "Mot de passe",
    submit: "Se connecter",
    wrong: "Identifiant ou mot de passe incorrect.",
    locked: "Trop d'essais pour cet identifiant : réessayez dans une minute.",
    noUsers: "Aucun utilisateur n'existe encore. Créez-en un : vigie users add NOM --role admin",
  },
  en: {
    title: "Sign in",
    user: "User name",
    password: "Password",
    submit: "Sign in",
    wrong: "Wrong user name or password.",
    locked: "Too many attempts for this user name: try again in a minute.",
    noUsers: "No user exists yet. Create one: vigie users add NAME --role admin",
  },
};

const MAX_FAILURES = 5;
const LOCK_MS = 60_000;

export function signInPages(
  app: FastifyInstance,
  routes: DashboardRoutes,
  sessions: Sessions,
  ctx: DashboardContext,
): void {
  const failures = new Map<string, { count: number; until: number }>();

  const form = (req: FastifyRequest, reply: FastifyReply, error: string | null, status: number) => {
    const lang = langOf(req);
    const t = T[lang];
    const next = redirectTarget(query(req, "next") || field(req, "next"));
    const none = ctx.users.list().length === 0;
    return sendPage(
      reply,
      { lang, session: null, path: pathOf(req) },
      t.title,
      html`${error === null ? "" : html`<p class="notice error" role="alert" id="login-error">${error}</p>`}
${none ? html`<p class="notice">${t.noUsers}</p>` : ""}
<form method="post" action="/login">
<input type="hidden" name="next" value="${next}">
<label for="user">${t.user}</label><input type="text" id="user" name="user" autocomplete="username" required autofocus${error === null ? "" : html` aria-describedby="login-error"`}>
<label for="password">${t.password}</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<p><button type="submit">${t.submit}</button></p>
</form>`,
      status,
    );
  };

  app.get("/login", (req, reply) => {
    if (routes.signedIn(req) !== null) return seeOther(reply, query(req, "next"));
    return form(req, reply, null, 200);
  });

  app.post("/login", (req, reply) => {
    const t = T[langOf(req)];
    const name = field(req, "user");
    const now = ctx.now();
    const f = failures.get(name);
    if (f !== undefined && f.count >= MAX_FAILURES && f.until > now) return form(req, reply, t.locked, 429);
    const user = ctx.users.authenticate(name, field(req, "password"));
    if (user === null) {
      const count = f === undefined || f.until <= now ? 1 : f.count + 1;
      failures.set(name, { count, until: now + LOCK_MS });
      return form(req, reply, t.wrong, 401);
    }
    failures.delete(name);
    const { token } = sessions.open(user);
    void reply.setCookie(SESSION_COOKIE, token, {
      path: "/",
      httpOnly: true,
      sameSite: "strict",
      secure: req.protocol === "https",
    });
    return seeOther(reply, field(req, "next"));
  });

  routes.post("/logout", "viewer", async (_ctx, req, reply) => {
    sessions.close(req.cookies[SESSION_COOKIE]);
    void reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return seeOther(reply, "/login");
  });

  // A preference, not a change of state: a GET link works without a form or a session.
  app.get("/lang", (req, reply) => {
    const to = query(req, "to");
    if (to === "fr" || to === "en") {
      void reply.setCookie(LANG_COOKIE, to, { path: "/", sameSite: "lax", maxAge: 365 * 86400 });
    }
    return seeOther(reply, query(req, "back"));
  });
}
