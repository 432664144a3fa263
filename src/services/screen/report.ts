// report.html: the screening for people — a DPO, an auditor. One self-contained page: no script,
// no network (a Content-Security-Policy forbids any load), charts as inline SVG. French and
// English are both in the page, one shown at a time by a CSS-only switch. Everything on it
// derives from the inputs, so the same inputs give the same bytes.
import { ruleById } from "../../engine/rulebook.ts";
import { type Reason, renderReason } from "../../i18n/reasons.ts";
import { CALLING_HOURS, MAX_ATTEMPTS, REFUSAL_PAUSE_DAYS, valueAt } from "../../params/fr/params.ts";
import { CHANNEL_NAME, SECTOR_NAME } from "../../rules/fr/common.ts";
import type { ScreenCampaign } from "./campaign.ts";
import {
  type ListFile,
  REPORT_REJECTS,
  type RuleCount,
  type ScreenSummary,
  type Tally,
  type Verdicts,
} from "./summary.ts";

export interface ReportInput {
  readonly summary: ScreenSummary;
  readonly tally: Tally;
  readonly campaign: ScreenCampaign;
  /** The language shown first. */
  readonly lang: "fr" | "en";
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/** Both languages; the page's switch shows one. */
const t = (fr: string, en: string): string =>
  `<span class="fr" lang="fr">${fr}</span><span class="en" lang="en">${en}</span>`;

/** The same, inside SVG text, where HTML spans do not render. */
const tsvg = (fr: string, en: string): string =>
  `<tspan class="fr">${fr}</tspan><tspan class="en">${en}</tspan>`;

/** 1 234 567 (narrow no-break spaces): readable in both languages. */
const num = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
const pct = (n: number, of: number): string => (of === 0 ? "–" : `${((100 * n) / of).toFixed(1)}\u202f%`);

const ORIGIN_LABELS: Readonly<Record<string, readonly [string, string]>> = {
  direct: ["collecte directe", "direct collection"],
  partner: ["partenaire", "partner"],
  broker: ["courtier en données", "data broker"],
  scraped_public: ["collecte sur sources publiques", "scraped from public sources"],
  directory: ["annuaire", "directory"],
  unknown: ["origine non renseignée", "origin not given"],
};

const originLabel = (origin: string): string => {
  const [fr, en] = ORIGIN_LABELS[origin] ?? [origin, origin];
  return tsvg(esc(fr), esc(en));
};

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
main{max-width:980px;margin:0 auto;padding:24px 28px 48px;background:#fff}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:18px;margin:32px 0 10px;border-bottom:1px solid #dde1e7;padding-bottom:4px}
.sub{color:#5a6372;margin:0 0 16px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{flex:1 1 150px;border:1px solid #dde1e7;border-radius:6px;padding:10px 14px}
.card b{display:block;font-size:26px}.card.allowed b{color:#1c7c3c}.card.blocked b{color:#b3261e}.card.rejected b{color:#8a5a00}
.note{border-left:4px solid #c98a00;background:#fff8e6;padding:8px 12px;margin:16px 0}
.ok{color:#1c7c3c}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid #e8ebef}
th{background:#f0f2f5}td.n{text-align:right;white-space:nowrap}td.nowrap{white-space:nowrap}td.nowrap code{word-break:normal}code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
svg{max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:#1d2330}
.switch{position:sticky;top:0;background:#fff;padding:8px 28px;border-bottom:1px solid #dde1e7;max-width:924px;margin:0 auto}
.switch label{margin-right:14px;cursor:pointer}
#lang-fr:checked~main .en,#lang-en:checked~main .fr{display:none}
#lang-fr:checked~.switch label[for=lang-fr],#lang-en:checked~.switch label[for=lang-en]{font-weight:600;text-decoration:underline}
footer{margin-top:32px;color:#5a6372;font-size:13px}
@media print{.switch{display:none}main{padding:0}}
`;

/** A horizontal bar per entry and value, all on one scale; labels are SVG text. */
function barChart(
  rows: readonly { label: string; values: readonly number[] }[],
  colors: readonly string[],
): string {
  const labelWidth = 300;
  const barWidth = 520;
  const rowHeight = 24 * colors.length + 6;
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  const height = rows.length * rowHeight + 8;
  const bars = rows
    .map((r, i) => {
      const y = 4 + i * rowHeight;
      const label = `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${r.label}</text>`;
      const lines = r.values
        .map((v, j) => {
          const w = Math.max(v > 0 ? 2 : 0, Math.round((barWidth * v) / max));
          const by = y + 3 + j * 24;
          return `<rect x="${labelWidth}" y="${by}" width="${w}" height="18" fill="${colors[j]}"/><text x="${labelWidth + w + 6}" y="${by + 13}">${num(v)}</text>`;
        })
        .join("");
      return label + lines;
    })
    .join("");
  return `<svg role="img" viewBox="0 0 ${labelWidth + barWidth + 80} ${height}" width="${labelWidth + barWidth + 80}" height="${height}">${bars}</svg>`;
}

const BLOCK = "#b3261e";
const ALLOW = "#1c7c3c";

const ALSO = "#e8a09a";

function ruleChart(rules: readonly RuleCount[]): string {
  if (rules.length === 0) return `<p>${t("Aucune ligne bloquée.", "No row was blocked.")}</p>`;
  const legend = `<p><span style="color:${BLOCK}">■</span> ${t("première règle à bloquer", "first rule to block")} &nbsp; <span style="color:${ALSO}">■</span> ${t("bloque aussi (avec d'autres)", "blocks too (with others)")}</p>`;
  return (
    legend +
    barChart(
      rules.map((r) => ({ label: esc(r.rule), values: [r.count, r.involved] })),
      [BLOCK, ALSO],
    )
  );
}

function originChart(origins: readonly [string, Verdicts][]): string {
  if (origins.length === 0) return `<p>${t("Aucune ligne décidée.", "No row was decided.")}</p>`;
  const legend = `<p><span style="color:${ALLOW}">■</span> ${t("autorisées", "allowed")} &nbsp; <span style="color:${BLOCK}">■</span> ${t("bloquées", "blocked")}</p>`;
  return (
    legend +
    barChart(
      origins.map(([origin, v]) => ({ label: originLabel(origin), values: [v.allowed, v.blocked] })),
      [ALLOW, BLOCK],
    )
  );
}

/** What lifts a block by the rule (its `remedy`), in both languages. */
function remedyOf(id: string): string {
  const remedy = ruleById(id)?.rule.remedy;
  return remedy === undefined ? "" : t(esc(remedy.fr), esc(remedy.en));
}

function reasonsTable(rules: readonly RuleCount[], blocked: number): string {
  if (rules.length === 0) return "";
  const rows = rules
    .map(
      (r) =>
        `<tr><td><code>${esc(r.rule)}</code></td><td>${esc(r.article)}</td><td class="n">${num(r.count)}</td><td class="n">${num(r.involved)}</td><td class="n">${pct(r.involved, blocked)}</td><td>${t(esc(r.message.fr), esc(r.message.en))}</td><td>${remedyOf(r.rule)}</td></tr>`,
    )
    .join("\n");
  return `<table><thead><tr><th>${t("Règle", "Rule")}</th><th>${t("Article", "Article")}</th><th>${t("Bloquées en premier", "Blocked first")}</th><th>${t("Bloquées en tout", "Blocked in all")}</th><th>${t("Part des blocages", "Share of blocks")}</th><th>${t("Motif (premier cas)", "Reason (first case)")}</th><th>${t("Ce qui le lèverait", "What would lift it")}</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

/** A rejection reason in both languages (src/i18n/reasons.ts). */
const reason = (r: Reason): string => t(esc(renderReason(r, "fr")), esc(renderReason(r, "en")));

/** Rejected rows counted by reason code, each with its first case: what to correct first. */
function reasonCounts(tally: Tally): string {
  const rows = tally
    .reasons()
    .map(
      (r) =>
        `<tr><td class="nowrap"><code>${esc(r.code)}</code></td><td class="n">${num(r.count)}</td><td class="n">${pct(r.count, tally.rejected)}</td><td>${reason(r.first)}</td></tr>`,
    )
    .join("\n");
  return `<table><thead><tr><th>${t("Motif", "Reason")}</th><th>${t("Lignes", "Rows")}</th><th>${t("Part des rejets", "Share of rejections")}</th><th>${t("Premier cas", "First case")}</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function rejectedTable(tally: Tally): string {
  if (tally.rejected === 0) return `<p>${t("Aucune ligne rejetée.", "No row was rejected.")}</p>`;
  const rows = tally.rejects
    .map(
      (r) =>
        `<tr><td class="n">${num(r.line)}</td><td>${reason(r.reason)}</td><td class="mono">${esc(r.raw)}</td></tr>`,
    )
    .join("\n");
  const more =
    tally.rejected > REPORT_REJECTS
      ? `<p>${t(
          `Les ${num(REPORT_REJECTS)} premières sur ${num(tally.rejected)} ; toutes sont dans <code>rejected.csv</code>.`,
          `The first ${num(REPORT_REJECTS)} of ${num(tally.rejected)}; all of them are in <code>rejected.csv</code>.`,
        )}</p>`
      : "";
  return `<p>${t(
    "Une ligne rejetée n'a pas été décidée : elle n'est ni autorisée ni bloquée, et doit être corrigée puis filtrée à nouveau.",
    "A rejected row was not decided: it is neither allowed nor blocked, and must be corrected and screened again.",
  )}</p>
${reasonCounts(tally)}
<p>${t(
    "Chaque motif est donné ici dans la langue du rapport ; <code>rejected.csv</code> le donne en anglais.",
    "Each reason is given here in the report's language; <code>rejected.csv</code> gives it in English.",
  )}</p>
<table><thead><tr><th>${t("Ligne", "Line")}</th><th>${t("Erreur", "Error")}</th><th>${t("Contenu", "Content")}</th></tr></thead><tbody>
${rows}
</tbody></table>${more}`;
}

function when(c: ScreenCampaign): string {
  const w = c.when;
  return "at" in w
    ? t(`contact prévu le <b>${esc(w.at)}</b>`, `contact planned at <b>${esc(w.at)}</b>`)
    : t(
        `fenêtre du <b>${esc(w.from)}</b> au <b>${esc(w.to)}</b>`,
        `window from <b>${esc(w.from)}</b> to <b>${esc(w.to)}</b>`,
      );
}

/** How a window was screened, and where its time rules are (and are not) counted. */
function windowNote(s: ScreenSummary): string {
  const w = s.window;
  if (w === null || !("from" in s.campaign)) return "";
  const li = (fr: string, en: string) => `<li>${t(fr, en)}</li>`;
  // The time rules as the law holds them when the window opens (none before D.223-9).
  const opens = Date.parse(s.campaign.from);
  const hours = valueAt(CALLING_HOURS, opens);
  const cap = valueAt(MAX_ATTEMPTS, opens);
  const pause = valueAt(REFUSAL_PAUSE_DAYS, opens);
  // Each rule in force, in both languages.
  const rules: (readonly [string, string])[] = [];
  if (hours !== undefined)
    rules.push([
      "les jours et heures d'appel (jours fériés compris)",
      "the calling days and hours (public holidays included)",
    ]);
  if (cap !== undefined)
    rules.push([
      `le plafond de ${cap.calls} appels sur ${cap.days} jours`,
      `the cap of ${cap.calls} calls in ${cap.days} days`,
    ]);
  if (pause !== undefined)
    rules.push([`la pause de ${pause} jours après un refus`, `the ${pause}-day pause after a refusal`]);
  const and = (parts: string[], word: string) =>
    parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} ${word} ${parts.at(-1)}`;
  const fr = rules.map(([f]) => f);
  const en = rules.map(([, e]) => e);
  const how =
    fr.length === 0
      ? t(
          "<b>Filtrage sur une fenêtre.</b> Aucune règle de jours, d'heures ou de fréquence d'appel n'était en vigueur à son ouverture (art. D.223-9, depuis le 1er mars 2023) : chaque ligne est décidée à l'ouverture.",
          "<b>Screened over a window.</b> No rule on calling days, hours or frequency was in force when it opens (art. D.223-9, since 1 March 2023): each row is decided at the opening.",
        )
      : t(
          `<b>Filtrage sur une fenêtre.</b> Chaque ligne est décidée au premier instant de la fenêtre où ${and(fr, "et")} permettent l'appel ; ces règles de temps ne sont comptées que pour les lignes qu'elles bloquent pendant toute la fenêtre.`,
          `<b>Screened over a window.</b> Each row is decided at the first instant of the window at which ${and(en, "and")} allow a call; these time rules are counted only for rows they block throughout the window.`,
        );
  return `<div class="note"><p>${how}</p><ul>
${li(
  `${num(w.allowedWithSlot)} autorisées, chacune avec son créneau dans la fenêtre (<code>next_slot</code>), dont ${num(w.allowedLater)} après son ouverture ;`,
  `${num(w.allowedWithSlot)} allowed, each with its slot in the window (<code>next_slot</code>), ${num(w.allowedLater)} of them after it opens;`,
)}
${li(
  `${num(w.blockedLater)} bloquées à leur premier créneau après l'ouverture par d'autres règles, seules comptées ;`,
  `${num(w.blockedLater)} blocked at their first slot after it opens by other rules, which alone are counted;`,
)}
${li(
  `${num(w.noSlot)} sans aucun créneau permis dans la fenêtre : les règles de temps y sont comptées, et ${num(w.outsideWindow)} n'étaient bloquées que par elles.`,
  `${num(w.noSlot)} with no slot allowed in the window: the time rules are counted against them, and ${num(w.outsideWindow)} of them were blocked by those rules alone.`,
)}
</ul></div>`;
}

/** What was read otherwise than written, each kind with its count: nothing inferred goes unsaid. */
function interpretationsNote(s: ScreenSummary): string {
  const n = s.interpretations;
  const list = s.inputs.list;
  const items: string[] = [];
  const li = (fr: string, en: string) => items.push(`<li>${t(fr, en)}</li>`);
  if (list.encoding !== "utf8") {
    li(
      `fichier lu en <code>${esc(list.encoding)}</code> ${encodingFrom(list.encodingFrom)} ; les fichiers produits sont en UTF-8 ;`,
      `file read as <code>${esc(list.encoding)}</code> ${encodingFrom(list.encodingFrom)}; the files written are UTF-8;`,
    );
  }
  if (n.numbersCompleted > 0)
    li(
      `${num(n.numbersCompleted)} numéros complétés par leur 0 initial (perdu par le tableur) ;`,
      `${num(n.numbersCompleted)} numbers completed with their leading 0 (lost by the spreadsheet);`,
    );
  if (n.datesFrench > 0)
    li(
      `${num(n.datesFrench)} dates lues au format français JJ/MM/AAAA ;`,
      `${num(n.datesFrench)} dates read in the French day-first form DD/MM/YYYY;`,
    );
  if (n.wordsSpelled > 0)
    li(
      `${num(n.wordsSpelled)} mots du vocabulaire lus malgré leurs majuscules ou leurs espaces (Consumer → consumer) ;`,
      `${num(n.wordsSpelled)} words of the vocabulary read despite their capitals or spaces (Consumer → consumer);`,
    );
  if (n.valuesMapped > 0)
    li(
      `${num(n.valuesMapped)} valeurs traduites par <code>--map-values</code> ;`,
      `${num(n.valuesMapped)} values translated by <code>--map-values</code>;`,
    );
  if (n.valuesSet > 0)
    li(
      `${num(n.valuesSet)} cellules vides remplies par <code>--set</code> ;`,
      `${num(n.valuesSet)} empty cells filled by <code>--set</code>;`,
    );
  if (n.needsReview > 0)
    li(
      `<b>${num(n.needsReview)} mentions d'annonce non reconnues</b>, lues comme un refus du démarchage : ces lignes sont bloquées jusqu'à relecture (colonne <code>needs_review</code>) ;`,
      `<b>${num(n.needsReview)} ad wordings not understood</b>, read as a refusal of canvassing: these rows are blocked until reviewed (<code>needs_review</code> column);`,
    );
  if (items.length === 0) return "";
  return `<div class="note"><p>${t(
    "<b>Lectures de la liste.</b> Chaque ligne concernée le dit dans sa colonne <code>interpreted</code> :",
    "<b>How the list was read.</b> Each row concerned says so in its <code>interpreted</code> column:",
  )}</p><ul>
${items.join("\n")}
</ul></div>`;
}

/** Rows of one person: how many repeat an earlier row, and how many its other rows blocked. */
function duplicatesNote(s: ScreenSummary): string {
  const d = s.duplicates;
  if (d.rows === 0) return "";
  return `<div class="note"><p>${t(
    `<b>${num(d.rows)} lignes répètent le numéro ou l'adresse (sous une autre graphie) ou la personne d'une ligne précédente</b> : leur colonne <code>duplicate_of</code> donne la ligne de la première. Toutes les lignes d'une même personne reçoivent le même verdict : ${num(d.blockedWithTheirPerson)} lignes autorisées seules ont été bloquées parce qu'une autre ligne de la même personne l'était.`,
    `<b>${num(d.rows)} rows repeat the number or address (in another spelling) or the person of an earlier row</b>: their <code>duplicate_of</code> column gives the first row's line. Every row of one person gets the same verdict: ${num(d.blockedWithTheirPerson)} rows allowed on their own were blocked because another row of the same person was.`,
  )}</p></div>`;
}

function encodingFrom(source: ListFile["encodingFrom"]): string {
  return source === "forced"
    ? t("(imposé par <code>--encoding</code>)", "(set by <code>--encoding</code>)")
    : source === "bom"
      ? t("(marque d'ordre des octets)", "(byte-order mark)")
      : t("(reconnu à ses octets)", "(recognised from its bytes)");
}

function inputsTable(s: ScreenSummary, c: ScreenCampaign): string {
  const row = (label: string, value: string) => `<tr><th>${label}</th><td>${value}</td></tr>`;
  const list = s.inputs.list;
  const file = s.inputs.campaign;
  const head = s.evidenceLog;
  const { controllerKey: _, startsAt, ...settings } = c.campaign;
  const campaignJson = JSON.stringify({
    ...settings,
    startsAt: startsAt === null ? null : new Date(startsAt).toISOString(),
  });
  return `<table><tbody>
${row(t("Liste", "List"), `<code>${esc(list.file)}</code> (${esc(list.format.toUpperCase())}, ${num(list.bytes)} ${t("octets", "bytes")})`)}
${
  list.sheet === null
    ? row(
        t("Encodage lu", "Encoding read"),
        `<code>${esc(list.encoding)}</code> ${encodingFrom(list.encodingFrom)}`,
      )
    : row(t("Feuille lue", "Sheet read"), `<code>${esc(list.sheet)}</code>`)
}
${row(t("SHA-256 de la liste", "List SHA-256"), `<code>${list.sha256}</code>`)}
${row(t("Campagne", "Campaign"), `<code>${esc(file.file)}</code> (${num(file.bytes)} ${t("octets", "bytes")})`)}
${row(t("SHA-256 de la campagne", "Campaign SHA-256"), `<code>${file.sha256}</code>`)}
${row(t("Paramètres de la campagne", "Campaign settings"), `<code>${esc(campaignJson)}</code>`)}
${row(t("Lectures retenues (policy)", "Readings applied (policy)"), `<code>${esc(JSON.stringify(c.policy))}</code>`)}
${row(t("Version du corpus de règles", "Rulebook version"), `<code>${esc(s.rulebook)}</code>`)}
${row(t("Preuves consultées", "Evidence consulted"), `<code>${esc(s.evidence)}</code>`)}
${head === null ? "" : row(t("Journal des preuves (tête)", "Evidence log (head)"), `<code>${esc(head.tenant)} · seq ${head.seq} · ${esc(head.hash)}</code>`)}
${Object.keys(s.columns).length === 0 ? "" : row(t("Colonnes lues sous un autre nom (--map, noms français)", "Columns read under another name (--map, French names)"), `<code>${esc(JSON.stringify(s.columns))}</code>`)}
</tbody></table>`;
}

export function renderReport({ summary: s, tally, campaign: c, lang }: ReportInput): string {
  const rules = tally.rules();
  const controller = esc(c.campaign.controller);
  const channel = esc(c.campaign.channel);
  const channelName = CHANNEL_NAME[c.campaign.channel];
  const sectorName = SECTOR_NAME[c.campaign.sector];
  // Words first, the code in brackets: the code is what campaign files and summary.json hold.
  const what = `${t(esc(channelName.fr), esc(channelName.en))} (<code>${channel}</code>) · ${t("secteur :", "sector:")} ${t(esc(sectorName.fr), esc(sectorName.en))}`;
  const noEvidence =
    s.evidence === "none"
      ? `<div class="note">${t(
          "<b>Aucune preuve stockée n'a été consultée.</b> Consentements, oppositions, vérifications Bloctel et historique d'appels sont donc tenus pour absents : chaque ligne a été décidée sur les seules colonnes de la liste. Importez-les (<code>vigie import</code>) puis filtrez avec <code>--store</code> pour en tenir compte.",
          "<b>No stored evidence was consulted.</b> Consents, objections, Bloctel checks and call history therefore count as absent: every row was decided on the list's columns alone. Import them (<code>vigie import</code>) and screen with <code>--store</code> to take them into account.",
        )}</div>`
      : "";
  const window = windowNote(s);
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>vigie screen — ${controller} — ${channel}</title>
<style>${CSS}</style>
</head>
<body>
<input type="radio" name="lang" id="lang-fr"${lang === "fr" ? " checked" : ""} hidden>
<input type="radio" name="lang" id="lang-en"${lang === "en" ? " checked" : ""} hidden>
<div class="switch"><label for="lang-fr">Français</label><label for="lang-en">English</label></div>
<main>
<h1>${t("Rapport de filtrage d'une liste de contacts", "Contact list screening report")}</h1>
<p class="sub">${controller} · ${what} · ${when(c)}</p>
<div class="cards">
<div class="card"><span>${t("Lignes lues", "Rows read")}</span><b>${num(s.in)}</b></div>
<div class="card allowed"><span>${t("Autorisées", "Allowed")}</span><b>${num(s.allowed)}</b>${pct(s.allowed, s.in)}</div>
<div class="card blocked"><span>${t("Bloquées", "Blocked")}</span><b>${num(s.blocked)}</b>${pct(s.blocked, s.in)}</div>
<div class="card rejected"><span>${t("Rejetées", "Rejected")}</span><b>${num(s.rejected)}</b>${pct(s.rejected, s.in)}</div>
</div>
<p class="ok">✓ ${t(
    `${num(s.in)} lues = ${num(s.allowed)} autorisées + ${num(s.blocked)} bloquées + ${num(s.rejected)} rejetées.`,
    `${num(s.in)} read = ${num(s.allowed)} allowed + ${num(s.blocked)} blocked + ${num(s.rejected)} rejected.`,
  )}</p>
${window}${duplicatesNote(s)}${interpretationsNote(s)}${noEvidence}
<h2>${t("Blocages par règle", "Blocks by rule")}</h2>
<p>${t(
    "Chaque ligne bloquée est comptée une fois sous la première règle qui l'a bloquée (colonne <code>rule</code> de <code>blocked.csv</code>) ; les autres règles qui la bloquent aussi sont dans <code>other_rules</code>. Lever la première ne suffit pas quand d'autres bloquent.",
    "Each blocked row counts once, under the first rule that blocked it (<code>rule</code> in <code>blocked.csv</code>); the other rules that block it too are in <code>other_rules</code>. Lifting the first is not enough when others block.",
  )}</p>
${ruleChart(rules)}
<h2>${t("Décisions par origine des données", "Decisions by origin of the data")}</h2>
${originChart(tally.origins())}
<h2>${t("Principaux motifs et articles", "Top reasons and their articles")}</h2>
${reasonsTable(rules, s.blocked)}
<h2>${t("Lignes rejetées", "Rejected rows")}</h2>
${rejectedTable(tally)}
<h2>${t("Entrées et versions", "Inputs and versions")}</h2>
${inputsTable(s, c)}
<footer>${t(
    "Produit par <code>vigie screen</code>. Les mêmes entrées (liste, campagne, preuves, version des règles) donnent ce rapport à l'octet près ; les empreintes SHA-256 identifient les fichiers décidés. Ce rapport n'est pas un avis juridique : chaque décision cite l'article appliqué.",
    "Produced by <code>vigie screen</code>. The same inputs (list, campaign, evidence, rulebook version) give this report byte for byte; the SHA-256 hashes identify the files decided. This report is not legal advice: each decision cites the article applied.",
  )}</footer>
</main>
</body>
</html>
`;
}
