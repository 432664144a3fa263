// Sign-in, sign-out and the language switch. What a sign-in may cost the server, and how wrong
// passwords slow guessing without locking a user out, is sign-in-gate.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { redirectTarget, seeOther } from "../../web/redirect.ts";
import type { DashboardContext } from "../context.ts";
import { html } from "../html.ts";
import { LANG_COOKIE, langOf, type Strings } from "../i18n.ts";
import { sendPage } from "../layout.ts";
import { type DashboardRoutes, field, pathOf, query } from "../routes.ts";
import { SESSION_COOKIE, type Sessions } from "../sessions.ts";
import { SignInGate, type SignInLimits } from "../sign-in-gate.ts";
import type { User } from "../users.ts";

const T: Strings<"title" | "user" | "password" | "submit" | "wrong" | "locked" | "busy" | "noUsers"> = {
  fr: {
    title: "Connexion",
    user: "Identifiant",
    password: "Mot de passe",
    submit: "Se connecter",
    wrong: "Identifiant ou mot de passe incorrect.",
    locked: "Trop d'essais : réessayez dans {s} s.",
    busy: "Le serveur traite d'autres connexions : réessayez dans {s} s.",
    noUsers: "Aucun utilisateur n'existe encore. Créez-en un : vigie users add NOM --role admin",
  },
  en: {
    title: "Sign in",
    user: "User name",
    password: "Password",
    submit: "Sign in",
    wrong: "Wrong user name or password.",
    locked: "Too many attempts: try again in {s} s.",
    busy: "The server is busy with other sign-ins: try again in {s} s.",
    noUsers: "No user exists yet. Create one: vigie users add NAME --role admin",
  },
};

export function signInPages(
  app: FastifyInstance,
  routes: DashboardRoutes,
  sessions: Sessions,
  ctx: DashboardContext,
  limits: SignInLimits,
): void {
  const gate = new SignInGate(limits, ctx.now, ctx.session.store, ctx.session.tenant);

  const form = async (req: FastifyRequest, reply: FastifyReply, error: string | null, status: number) => {
    const lang = langOf(req);
    const t = T[lang];
    const next = redirectTarget(query(req, "next") || field(req, "next"));
    const none = (await ctx.users.list()).length === 0;
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

  app.get("/login", async (req, reply) => {
    if ((await routes.signedIn(req)) !== null) return seeOther(reply, query(req, "next"));
    return form(req, reply, null, 200);
  });

  app.post("/login", async (req, reply) => {
    const t = T[langOf(req)];
    const admission = await gate.admit(field(req, "user"), req.ip);
    if (!admission.ok) {
      void reply.header("retry-after", String(admission.retryAfter));
      const message = admission.why === "busy" ? t.busy : t.locked;
      return form(req, reply, message.replace("{s}", String(admission.retryAfter)), 429);
    }
    let user: User | null = null;
    try {
      user = await ctx.users.authenticate(field(req, "user"), field(req, "password"));
    } finally {
      await admission.done(user !== null);
    }
    if (user === null) return form(req, reply, t.wrong, 401);
    const { token } = await sessions.open(user);
    void reply.setCookie(SESSION_COOKIE, token, {
      path: "/",
      httpOnly: true,
      sameSite: "strict",
      secure: req.protocol === "https" || ctx.publicUrl?.startsWith("https:") === true,
    });
    return seeOther(reply, field(req, "next"));
  });

  routes.post("/logout", "viewer", async (_ctx, req, reply) => {
    await sessions.close(req.cookies[SESSION_COOKIE]);
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
