// The frame of every page: skip link, header with navigation, the signed-in user, the language
// switch and sign-out, then the page's own content in <main>.
import type { FastifyReply } from "fastify";
import { type Html, html, raw } from "./html.ts";
import type { Lang, Strings } from "./i18n.ts";
import type { DashboardSession } from "./sessions.ts";
import { STYLE } from "./style.ts";
import type { Role } from "./users.ts";

const T: Strings<
  | "skip"
  | "home"
  | "screen"
  | "people"
  | "law"
  | "audit"
  | "webhooks"
  | "signOut"
  | "signedInAs"
  | "other"
  | "nav"
> = {
  fr: {
    skip: "Aller au contenu",
    home: "Accueil",
    screen: "Filtrer une liste",
    people: "Personnes",
    law: "Le droit par date",
    audit: "Audit",
    webhooks: "Webhooks",
    signOut: "Se déconnecter",
    signedInAs: "Connecté :",
    other: "English",
    nav: "Navigation principale",
  },
  en: {
    skip: "Skip to content",
    home: "Home",
    screen: "Screen a list",
    people: "People",
    law: "The law by date",
    audit: "Audit",
    webhooks: "Webhooks",
    signOut: "Sign out",
    signedInAs: "Signed in:",
    other: "Français",
    nav: "Main navigation",
  },
};

export const ROLE_NAMES: Strings<Role> = {
  fr: { viewer: "lecture", operator: "opérateur", admin: "administrateur" },
  en: { viewer: "viewer", operator: "operator", admin: "admin" },
};

export interface PageContext {
  readonly lang: Lang;
  readonly session: DashboardSession | null;
  /** The path asked for, to mark the current page and come back after switching language. */
  readonly path: string;
}

const SECTIONS = [
  ["/", "home"],
  ["/screen", "screen"],
  ["/people", "people"],
  ["/law", "law"],
  ["/audit", "audit"],
  ["/webhooks", "webhooks"],
] as const;

function header(ctx: PageContext): Html {
  const t = T[ctx.lang];
  const other = ctx.lang === "fr" ? "en" : "fr";
  const switchLang = html`<a href="/lang?to=${other}&amp;back=${encodeURIComponent(ctx.path)}" lang="${other}">${t.other}</a>`;
  if (ctx.session === null) {
    return html`<header><span class="brand">vigie</span><div class="who">${switchLang}</div></header>`;
  }
  const s = ctx.session;
  const current = (href: string) =>
    href === "/" ? ctx.path === "/" : ctx.path === href || ctx.path.startsWith(`${href}/`);
  return html`<header>
<a class="brand" href="/">vigie</a>
<nav aria-label="${t.nav}"><ul>${SECTIONS.map(
    ([href, key]) =>
      html`<li><a href="${href}"${current(href) ? raw(' aria-current="page"') : ""}>${t[key]}</a></li>`,
  )}</ul></nav>
<div class="who"><span>${t.signedInAs} <strong>${s.user}</strong> (${ROLE_NAMES[ctx.lang][s.role]})</span>
${switchLang}
<form method="post" action="/logout"><input type="hidden" name="csrf" value="${s.csrf}"><button class="secondary" type="submit">${t.signOut}</button></form></div>
</header>`;
}

export function renderPage(ctx: PageContext, title: string, content: Html): string {
  return html`<!doctype html>
<html lang="${ctx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — vigie</title><style>${raw(STYLE)}</style></head>
<body><a class="skip" href="#main">${T[ctx.lang].skip}</a>
${header(ctx)}
<main id="main" tabindex="-1"><h1>${title}</h1>
${content}
</main></body></html>
`.text;
}

export function sendPage(reply: FastifyReply, ctx: PageContext, title: string, content: Html, status = 200) {
  return reply
    .code(status)
    .type("text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .header("x-frame-options", "SAMEORIGIN")
    .header(
      "content-security-policy",
      // Inline styles and our own scripts only, which may fetch from this origin (a screening's
      // progress); reports are framed from this origin.
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'",
    )
    .send(renderPage(ctx, title, content));
}
