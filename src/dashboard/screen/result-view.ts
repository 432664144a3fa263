// A screening's page: what was screened, then its progress, its failure, or its results — the
// counts, how the list was read, the report of `vigie screen` framed, the downloads by role.
// Pure: HTML from the screening's metadata and summary.json.
import { LIST_COLUMNS } from "../../services/screen/columns.ts";
import { INTERPRETATION_KINDS } from "../../services/screen/interpretations.ts";
import { OUTPUT_FILES, type OutputFile } from "../../services/screen/outputs.ts";
import type { ScreeningMeta } from "../../services/screen/saved.ts";
import type { ScreenSummary } from "../../services/screen/summary.ts";
import { type Html, html } from "../html.ts";
import { formatCount, formatInstant, type Lang } from "../i18n.ts";
import type { SignedIn } from "../routes.ts";
import { hasRole, type Role } from "../users.ts";
import { fill, T } from "./strings.ts";

/**
 * Who may download each output. Viewers read the counts, summary.json and report.html (counts by
 * rule, origin and channel; at most 100 rejected rows, which are malformed input); allowed.csv,
 * blocked.csv and rejected.csv are the list itself, row by row — personal data in bulk, an
 * export, which the roles reserve to operators.
 */
export const FILE_ROLE: Readonly<Record<OutputFile, Role>> = {
  "allowed.csv": "operator",
  "blocked.csv": "operator",
  "rejected.csv": "operator",
  "summary.json": "viewer",
  "report.html": "viewer",
};

/** A running screening's progress, as the page and its status route say it. */
export function progressText(
  lang: Lang,
  p: { readonly bytes: number; readonly total: number; readonly rows: number } | null,
): { percent: number; text: string } {
  if (p === null) return { percent: 0, text: T[lang].queued };
  const percent = p.total === 0 ? 0 : Math.min(100, Math.floor((p.bytes / p.total) * 100));
  return {
    percent,
    text: fill(T[lang].progressText, { rows: formatCount(lang, p.rows), percent: String(percent) }),
  };
}

export interface ResultViewData {
  readonly meta: ScreeningMeta;
  readonly campaign: string;
  /** summary.json once done; null when it cannot be read. */
  readonly summary: ScreenSummary | null;
  readonly progress: { readonly percent: number; readonly text: string };
}

export function resultView(page: SignedIn, d: ResultViewData): Html {
  const { meta } = d;
  const t = T[page.lang];
  const operator = hasRole(page.session.role, "operator");
  const head = html`<p><a href="/screen">${t.back}</a></p>
<table><tbody>
<tr><th scope="row">${t.list}</th><td>${meta.listName} · SHA-256 <code>${meta.listSha256}</code></td></tr>
<tr><th scope="row">${t.date}</th><td>${formatInstant(page.lang, Date.parse(meta.createdAt))}</td></tr>
<tr><th scope="row">${t.who}</th><td>${meta.by}</td></tr>
<tr><th scope="row">${t.campaign}</th><td>${d.campaign}</td></tr>
<tr><th scope="row">${t.status}</th><td>${t[`st.${meta.status}`]}</td></tr>
</tbody></table>`;
  let body: Html;
  if (meta.status === "mapping") {
    body = html`<p class="notice">${t.waitingMap}</p>${operator ? html`<p><a class="button" href="/screen/${meta.id}/map">${t.goMap}</a></p>` : ""}`;
  } else if (meta.status === "running") {
    const { percent, text } = d.progress;
    body = html`<noscript><meta http-equiv="refresh" content="2"></noscript>
<div data-status-url="/screen/${meta.id}/status">
<label for="progress">${t[`st.running`]}</label>
<progress id="progress" max="100" value="${percent}" tabindex="0" aria-describedby="progress-text">${percent} %</progress>
<p id="progress-text" aria-live="polite" role="status">${text}</p>
</div>
${operator ? html`<form method="post" action="/screen/${meta.id}/cancel"><input type="hidden" name="csrf" value="${page.session.csrf}"><button class="danger" type="submit">${t.cancel}</button></form>` : ""}
<script src="/assets/screen.js" defer></script>`;
  } else if (meta.status === "failed") {
    body = html`<p class="notice error" role="alert">${t.failed} ${meta.error ?? ""}</p>`;
  } else if (meta.status === "cancelled") {
    body = html`<p class="notice">${t.cancelled}</p>`;
  } else {
    body = results(page, meta, d.summary);
  }
  const remove =
    operator && meta.status !== "running"
      ? html`<h2>${t.delete}</h2><p class="hint" id="delete-hint">${t.deleteHint}</p>
<form method="post" action="/screen/${meta.id}/delete"><input type="hidden" name="csrf" value="${page.session.csrf}"><button class="danger" type="submit" aria-describedby="delete-hint">${t.delete}</button></form>`
      : "";
  return html`${head}${body}${remove}`;
}

function results(page: SignedIn, meta: ScreeningMeta, s: ScreenSummary | null): Html {
  const t = T[page.lang];
  const n = (x: number) => formatCount(page.lang, x);
  // The pack (pages/packs.ts) holds each allowed contact's evidence: an export, for operators.
  const pack = hasRole(page.session.role, "operator")
    ? html`<p><a href="/screen/${meta.id}/pack">${t.pack}</a></p>`
    : html`<p>${t.pack} (${t.operatorOnly})</p>`;
  if (s === null) return pack;
  const verdicts = (rows: [string, { allowed: number; blocked: number }][], label: string, caption: string) =>
    html`<table><caption>${caption}</caption><thead><tr><th scope="col">${label}</th><th scope="col">${t.allowed}</th><th scope="col">${t.blocked}</th></tr></thead>
<tbody>${rows.map(([k, x]) => html`<tr><th scope="row">${k}</th><td>${n(x.allowed)}</td><td>${n(x.blocked)}</td></tr>`)}</tbody></table>`;
  const link = (name: OutputFile) =>
    hasRole(page.session.role, FILE_ROLE[name])
      ? html`<li><a href="/screen/${meta.id}/files/${name}" download>${name}</a></li>`
      : html`<li>${name} (${t.operatorOnly})</li>`;
  return html`<h2>${t.results}</h2>
<table><caption class="visually-hidden">${t.results}</caption><tbody>
<tr><th scope="row">${t.in}</th><td>${n(s.in)}</td></tr>
<tr><th scope="row">${t.allowed}</th><td class="allow">${n(s.allowed)}</td></tr>
<tr><th scope="row">${t.blocked}</th><td class="block">${n(s.blocked)}</td></tr>
<tr><th scope="row">${t.rejected}</th><td>${n(s.rejected)}</td></tr>
</tbody></table>
<p>${fill(t.reconcile, { in: n(s.in), allowed: n(s.allowed), blocked: n(s.blocked), rejected: n(s.rejected) })}</p>
<p class="hint">${t.evidenceUsed}</p>
${readings(page.lang, s)}
${
  Object.keys(s.byRule).length === 0
    ? ""
    : html`<table><caption>${t.byRule}</caption><thead><tr><th scope="col">${t.rule}</th><th scope="col">${t.count}</th></tr></thead>
<tbody>${Object.entries(s.byRule).map(([rule, count]) => html`<tr><th scope="row"><code>${rule}</code></th><td>${n(count)}</td></tr>`)}</tbody></table>`
}
${verdicts(Object.entries(s.byOrigin), t.origin, t.byOrigin)}
${verdicts(Object.entries(s.byChannel), t.channel, t.byChannel)}
<h2>${t.downloads}</h2>
<ul>${OUTPUT_FILES.map(link)}</ul>
${pack}
<h2>${t.report}</h2>
<iframe class="report" src="/screen/${meta.id}/report.html" title="${t.reportFrame}"></iframe>`;
}

/**
 * How the list was read: its encoding or sheet, the columns found under other names, and each
 * kind of interpretation with its count — nothing vigie inferred goes unsaid, in the page's
 * language. A summary written before interpretations were counted has none to show.
 */
function readings(lang: Lang, s: ScreenSummary): Html {
  const t = T[lang];
  const list = s.inputs.list;
  const rows: [string, string][] = [];
  if (list.sheet !== null && list.sheet !== undefined) rows.push([t.sheetRead, list.sheet]);
  else if (list.encoding !== undefined && list.encoding !== "utf8") {
    const from = t[`from.${list.encodingFrom}`];
    rows.push([t.encodingRead, fill(t.encodingReadText, { encoding: list.encoding, from })]);
  }
  const columns = LIST_COLUMNS.flatMap((c) => {
    const name = s.columns?.[c];
    return name === undefined ? [] : [`${name} → ${c}`];
  });
  if (columns.length > 0) rows.push([t.columnsRead, columns.join(", ")]);
  for (const kind of INTERPRETATION_KINDS) {
    const count = s.interpretations?.[kind] ?? 0;
    if (count > 0) rows.push([t[kind], formatCount(lang, count)]);
  }
  return html`<h2 id="readings">${t.readings}</h2>
${
  rows.length === 0
    ? html`<p>${t.readingsNone}</p>`
    : html`<p class="hint">${t.readingsIntro}</p>
<table aria-labelledby="readings"><tbody>${rows.map(([k, x]) => html`<tr><th scope="row">${k}</th><td>${x}</td></tr>`)}</tbody></table>`
}`;
}
