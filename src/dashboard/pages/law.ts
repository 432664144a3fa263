// "What applied on 3 March 2025?": the rulebook at a date — each rule in force with its article,
// its period, its exceptions, its parameters' values that day — and the rules not in force that
// day with their periods, so a reader sees what came before and what came after.
import {
  COVERAGE_FROM,
  COVERAGE_TO,
  type CompiledRule,
  RULES,
  ruleById,
  versionAt,
} from "../../engine/rulebook.ts";
import { rowAt } from "../../params/fr/params.ts";
import { dayStart, isoDate } from "../../time/dates.ts";
import { parseInstant } from "../../time/zoned.ts";
import type { DashboardContext } from "../context.ts";
import { type Html, html } from "../html.ts";
import { formatDate, type Lang, type Strings } from "../i18n.ts";
import { sendPage } from "../layout.ts";
import { type DashboardRoutes, query } from "../routes.ts";

type Key =
  | "title"
  | "date"
  | "show"
  | "hint"
  | "badDate"
  | "inForce"
  | "notInForce"
  | "rule"
  | "article"
  | "period"
  | "since"
  | "until"
  | "inForceNow"
  | "confidence"
  | "contested"
  | "exceptions"
  | "params"
  | "noValue"
  | "versions"
  | "text"
  | "back"
  | "unknownRule"
  | "exceptionRule"
  | "channels"
  | "people"
  | "all"
  | "question";

const T: Strings<Key> = {
  fr: {
    title: "Le droit par date",
    date: "Date",
    show: "Afficher",
    hint: `Entre le ${COVERAGE_FROM} et le ${COVERAGE_TO} (période couverte par le référentiel).`,
    badDate: "Date invalide ou hors de la période couverte",
    inForce: "Règles en vigueur le",
    notInForce: "Règles qui ne s'appliquaient pas ce jour-là",
    rule: "Règle",
    article: "Article",
    period: "Période",
    since: "depuis le",
    until: "jusqu'au",
    inForceNow: "en vigueur",
    confidence: "Confiance",
    contested: "contesté",
    exceptions: "Exceptions (essayées dans l'ordre quand la règle bloque)",
    params: "Paramètres ce jour-là",
    noValue: "pas encore de valeur",
    versions: "Versions",
    text: "Texte appliqué",
    back: "Retour à la liste",
    unknownRule: "Règle inconnue",
    exceptionRule: "exception",
    channels: "Canaux",
    people: "Personnes",
    all: "tous",
    question: "Question ouverte et lecture retenue",
  },
  en: {
    title: "The law by date",
    date: "Date",
    show: "Show",
    hint: `Between ${COVERAGE_FROM} and ${COVERAGE_TO} (the rulebook's coverage).`,
    badDate: "Not a date, or outside the rulebook's coverage",
    inForce: "Rules in force on",
    notInForce: "Rules that did not apply that day",
    rule: "Rule",
    article: "Article",
    period: "Period",
    since: "since",
    until: "until",
    inForceNow: "in force",
    confidence: "Confidence",
    contested: "contested",
    exceptions: "Exceptions (tried in order when the rule blocks)",
    params: "Parameters that day",
    noValue: "no value yet",
    versions: "Versions",
    text: "Text applied",
    back: "Back to the list",
    unknownRule: "Unknown rule",
    exceptionRule: "exception",
    channels: "Channels",
    people: "People",
    all: "all",
    question: "Open question and reading chosen",
  },
};

const CONFIDENCE: Strings<"V" | "V2" | "M" | "I"> = {
  fr: { V: "vérifiée (texte primaire)", V2: "vérifiée (source secondaire)", M: "de mémoire", I: "déduite" },
  en: { V: "verified (primary text)", V2: "verified (secondary source)", M: "from memory", I: "inferred" },
};

const coverageStart = dayStart(COVERAGE_FROM);
const coverageEnd = dayStart(COVERAGE_TO);

/** The day asked for, as the start of that day in Paris; null when it is not a covered date. */
function dayOf(text: string): number | null {
  // parseInstant refuses days that do not exist (2025-02-30), where dayStart would throw.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const ms = parseInstant(text);
  if (ms === undefined || isoDate(ms) !== text || ms < coverageStart || ms > coverageEnd) return null;
  return ms;
}

function period(lang: Lang, from: string, to: string | undefined): string {
  const t = T[lang];
  const start = formatDate(lang, dayStart(from));
  return to === undefined
    ? `${t.since} ${start} (${t.inForceNow})`
    : `${start} → ${formatDate(lang, dayStart(to))}`;
}

function ruleLink(id: string, day: string): Html {
  return html`<a href="/law/${encodeURIComponent(id)}?at=${day}"><code>${id}</code></a>`;
}

function contestedMark(lang: Lang, contested: boolean): Html | string {
  return contested ? html` <span class="contested">(${T[lang].contested})</span>` : "";
}

function detail(lang: Lang, c: CompiledRule, at: number, day: string): Html {
  const t = T[lang];
  const { rule } = c;
  const current = versionAt(c, at);
  const scope = (v: readonly string[] | "all") => (v === "all" ? t.all : v.join(", "));
  return html`<p>${rule.title[lang]}${rule.role === "exception" ? html` — <em>${t.exceptionRule}</em>` : ""}</p>
<table><tbody>
<tr><th scope="row">docs/law.md</th><td>${rule.law}</td></tr>
<tr><th scope="row">${t.confidence}</th><td>${CONFIDENCE[lang][rule.confidence]}</td></tr>
<tr><th scope="row">${t.channels}</th><td>${scope(rule.channels)}</td></tr>
<tr><th scope="row">${t.people}</th><td>${scope(rule.kinds)}</td></tr>
</tbody></table>
<h2>${t.versions}</h2>
<table><thead><tr><th scope="col">${t.period}</th><th scope="col">${t.article}</th></tr></thead><tbody>
${c.versions.map(
  (v) =>
    html`<tr${v === current ? html` aria-current="true"` : ""}><td>${v === current ? "▶ " : ""}${period(lang, v.version.from, v.version.to)}</td><td lang="fr">${v.version.article}${contestedMark(lang, v.version.contested !== undefined)}</td></tr>`,
)}
</tbody></table>
${current === undefined ? "" : html`<h2>${t.text}</h2><blockquote lang="fr">${current.version.text}</blockquote>`}
${current?.version.contested === undefined ? "" : html`<p class="contested" lang="en">${current.version.contested}</p>`}
${rule.contested === undefined ? "" : html`<h2>${t.question}</h2><p lang="en">${rule.contested}</p>`}
${
  rule.exceptions === undefined || rule.exceptions.length === 0
    ? ""
    : html`<h2>${t.exceptions}</h2><ol>${rule.exceptions.map((ex) =>
        typeof ex === "string"
          ? html`<li>${ruleLink(ex, day)}</li>`
          : html`<li lang="en">${ex.name}${ex.from || ex.to ? ` (${ex.from ?? "…"} → ${ex.to ?? ""})` : ""}</li>`,
      )}</ol>`
}
${
  rule.params === undefined || rule.params.length === 0
    ? ""
    : html`<h2>${t.params}</h2><table><thead><tr><th scope="col">id</th><th scope="col">${t.period}</th><th scope="col">Valeur / value</th></tr></thead><tbody>${rule.params.map(
        (p) => {
          const row = rowAt(p, at);
          return html`<tr><td><code>${p.id}</code><div class="hint" lang="en">${p.description}</div></td><td>${row === undefined ? t.noValue : html`${t.since} ${formatDate(lang, dayStart(row.from))}<div class="hint">${row.reference}</div>`}</td><td><code>${row === undefined ? "" : JSON.stringify(row.value)}</code></td></tr>`;
        },
      )}</tbody></table>`
}`;
}

export function lawPages(routes: DashboardRoutes, _ctx: DashboardContext): void {
  routes.get("/law", "viewer", async (page, req, reply) => {
    const t = T[page.lang];
    const asked = query(req, "at");
    const day = asked === "" ? isoDate(Date.now()) : asked;
    const at = dayOf(day);
    const form = html`<form method="get" action="/law" class="row">
<div><label for="at">${t.date}</label><input type="date" id="at" name="at" value="${day}" min="${COVERAGE_FROM}" max="${COVERAGE_TO}" aria-describedby="at-hint${at === null ? " at-error" : ""}" required>
<p class="hint" id="at-hint">${t.hint}</p>${at === null ? html`<p class="error" id="at-error">${t.badDate}</p>` : ""}</div>
<div><button type="submit">${t.show}</button></div></form>`;
    if (at === null) return sendPage(reply, page, t.title, form, 400);
    const inForce: Html[] = [];
    const notInForce: Html[] = [];
    for (const rule of RULES) {
      const c = ruleById(rule.id);
      if (c === undefined) continue;
      const v = versionAt(c, at);
      if (v !== undefined) {
        const contested = v.version.contested !== undefined || rule.contested !== undefined;
        inForce.push(
          html`<tr><td>${ruleLink(rule.id, day)}${rule.role === "exception" ? html` <em>(${t.exceptionRule})</em>` : ""}</td><td>${rule.title[page.lang]}${contestedMark(page.lang, contested)}</td><td lang="fr">${v.version.article}</td><td>${period(page.lang, v.version.from, v.version.to)}</td></tr>`,
        );
      } else {
        notInForce.push(
          html`<tr><td>${ruleLink(rule.id, day)}</td><td>${rule.title[page.lang]}</td><td>${c.versions.map((x) => html`<div>${period(page.lang, x.version.from, x.version.to)}</div>`)}</td></tr>`,
        );
      }
    }
    const head = html`<thead><tr><th scope="col">${t.rule}</th><th scope="col"></th><th scope="col">${t.article}</th><th scope="col">${t.period}</th></tr></thead>`;
    return sendPage(
      reply,
      page,
      t.title,
      html`${form}
<h2 id="in-force">${t.inForce} ${formatDate(page.lang, at)} (${inForce.length})</h2>
<table aria-labelledby="in-force">${head}<tbody>${inForce}</tbody></table>
<h2 id="not-in-force">${t.notInForce} (${notInForce.length})</h2>
<table aria-labelledby="not-in-force"><thead><tr><th scope="col">${t.rule}</th><th scope="col"></th><th scope="col">${t.period}</th></tr></thead><tbody>${notInForce}</tbody></table>`,
    );
  });

  routes.get("/law/:id", "viewer", async (page, req, reply) => {
    const t = T[page.lang];
    const { id } = req.params as { id: string };
    const c = ruleById(id);
    const day = query(req, "at") || isoDate(Date.now());
    const at = dayOf(day);
    const back = html`<p><a href="/law?at=${at === null ? "" : day}">${t.back}</a></p>`;
    if (c === undefined) return sendPage(reply, page, t.unknownRule, back, 404);
    if (at === null) return sendPage(reply, page, id, html`<p class="error">${t.badDate}</p>${back}`, 400);
    return sendPage(reply, page, id, html`${back}${detail(page.lang, c, at, day)}`);
  });
}
