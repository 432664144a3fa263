// The landing page: what each section is for, and the state the answers rest on (the head of the
// evidence log, the rulebook version).
import { RULEBOOK_VERSION } from "../../engine/rulebook-coverage.ts";
import type { DashboardContext } from "../context.ts";
import { html } from "../html.ts";
import { formatCount, type Strings } from "../i18n.ts";
import { sendPage } from "../layout.ts";
import type { DashboardRoutes } from "../routes.ts";

type Key =
  | "title"
  | "screen"
  | "screenText"
  | "people"
  | "peopleText"
  | "law"
  | "lawText"
  | "audit"
  | "auditText"
  | "state"
  | "events"
  | "lastEvent"
  | "noEvents"
  | "rulebook"
  | "campaigns"
  | "disclaimer";

const T: Strings<Key> = {
  fr: {
    title: "Tableau de bord",
    screen: "Filtrer une liste",
    screenText:
      "Déposez un fichier de contacts : qui peut être contacté, qui ne peut pas et pourquoi, article à l'appui.",
    people: "Chercher une personne",
    peopleText:
      "Par téléphone ou e-mail : l'historique des preuves, la décision pour une campagne, export et effacement.",
    law: "Le droit par date",
    lawText: "Quelles règles s'appliquaient tel jour : articles, périodes, paramètres.",
    audit: "Audit",
    auditText: "Vérifier la chaîne des preuves ; qui a fait quoi et quand.",
    state: "État",
    events: "Événements dans le journal",
    lastEvent: "Dernier enregistrement",
    noEvents: "aucun",
    rulebook: "Version du référentiel",
    campaigns: "Campagnes enregistrées",
    disclaimer:
      "vigie n'est pas un conseil juridique : là où le droit est incertain, la décision le signale (« contesté »).",
  },
  en: {
    title: "Dashboard",
    screen: "Screen a list",
    screenText: "Upload a contact file: who may be contacted, who may not and why, with the article.",
    people: "Look a person up",
    peopleText: "By phone or e-mail: the evidence timeline, the decision for a campaign, export and erasure.",
    law: "The law by date",
    lawText: "Which rules applied on a given day: articles, periods, parameters.",
    audit: "Audit",
    auditText: "Verify the evidence chain; who did what and when.",
    state: "State",
    events: "Events in the log",
    lastEvent: "Last recorded",
    noEvents: "none",
    rulebook: "Rulebook version",
    campaigns: "Stored campaigns",
    disclaimer: "vigie is not legal advice: where the law is unsettled, the decision says so (“contested”).",
  },
};

export function homePage(routes: DashboardRoutes, ctx: DashboardContext): void {
  routes.get("/", "viewer", async (page, _req, reply) => {
    const t = T[page.lang];
    const { store, tenant } = ctx.session;
    const head = await store.chainHead(tenant);
    const card = (href: string, title: string, text: string) =>
      html`<section class="card"><h2><a href="${href}">${title}</a></h2><p>${text}</p></section>`;
    return sendPage(
      reply,
      page,
      t.title,
      html`<div class="cards">
${card("/screen", t.screen, t.screenText)}
${card("/people", t.people, t.peopleText)}
${card("/law", t.law, t.lawText)}
${card("/audit", t.audit, t.auditText)}
</div>
<h2>${t.state}</h2>
<table><tbody>
<tr><th scope="row">${t.events}</th><td>${head === null ? t.noEvents : formatCount(page.lang, head.seq)}</td></tr>
<tr><th scope="row">${t.rulebook}</th><td>${RULEBOOK_VERSION}</td></tr>
<tr><th scope="row">${t.campaigns}</th><td>${formatCount(page.lang, ctx.campaigns.list().length)}</td></tr>
</tbody></table>
<p class="hint">${t.disclaimer}</p>`,
    );
  });
}
