// pack.html: an evidence pack as a person reads it — one self-contained page (no script, no
// external resource), every heading in French and English, laid out to print.

import { type Html, html, raw } from "../dashboard/html.ts";
import type { Decision } from "../engine/decision.ts";
import { REGION_TIME_ZONE, regionOfDepartment } from "../params/fr/regions.ts";
import type { Evidence } from "../store/store.ts";
import { formatInstant, PARIS } from "../time/zoned.ts";
import type { PersonPack, ScreeningPack } from "./evidence-pack.ts";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;max-width:64rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.75rem;border-bottom:1px solid #8a8a8a}
.en{color:#4a4a4a;font-weight:normal}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;vertical-align:top;padding:.25rem .4rem;border:1px solid #c8c8c8}
th{background:#f3f5f8}
code,.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
.allow{color:#1b6e2d;font-weight:700}.block{color:#a3161a;font-weight:700}.contested{color:#7a4b00;font-weight:700}
.none{color:#4a4a4a;font-style:italic}
pre{white-space:pre-wrap;background:#f3f5f8;padding:.5rem}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
`;

/** French, then English in a lighter span. */
const both = (fr: string, en: string): Html => html`${fr} <span class="en" lang="en">/ ${en}</span>`;

const NONE = html`<p class="none">${both("Aucun", "None")}</p>`;

/** Instants as the person lived them: in their zone, with its offset (pack.json keeps UTC). */
interface Times {
  when(iso: string | null): string;
  whenMs(ms: number | null): string;
}

function timesIn(zone: string): Times {
  const whenMs = (ms: number | null) => (ms === null ? "—" : formatInstant(ms, zone));
  return { whenMs, when: (iso) => (iso === null ? "—" : whenMs(Date.parse(iso))) };
}

/** The person's zone: the latest source's, or its department's; else mainland France's. */
function zoneOf(sources: Evidence["sources"]): string {
  for (const s of [...sources].sort((a, b) => b.seq - a.seq)) {
    if (s.timeZone !== null) return s.timeZone;
    const region = s.department === null ? undefined : regionOfDepartment(s.department);
    if (region !== undefined) return REGION_TIME_ZONE[region];
  }
  return PARIS;
}
const yes = (b: boolean | null): string => (b === null ? "—" : b ? "oui / yes" : "non / no");

function table(head: readonly Html[], rows: readonly (readonly (Html | string | number)[])[]): Html {
  if (rows.length === 0) return NONE;
  return html`<table><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>\n`)}</tbody></table>`;
}

function page(title: Html, body: Html): string {
  return html`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.text.replace(/<[^>]+>/g, "")}</title><style>${raw(STYLE)}</style></head>
<body><h1>${title}</h1>
${body}
</body></html>
`.text;
}

export function decisionHtml(d: Decision): Html {
  const verdict =
    d.verdict === "allow"
      ? html`<span class="allow">${both("Autorisé", "Allowed")}</span>`
      : html`<span class="block">${both("Bloqué", "Blocked")}</span>`;
  return html`<p>${both("Décision", "Decision")} : ${verdict}${d.nextAllowedAt === null ? "" : html` — ${both("prochain instant permis", "next allowed at")} : <code>${d.nextAllowedAt}</code>`}</p>
${table(
  [
    both("Règle", "Rule"),
    both("Effet", "Effect"),
    both("Article", "Article"),
    html`<span lang="fr">Motif</span>`,
    html`<span lang="en">Reason</span>`,
  ],
  d.reasons.map((r) => [
    html`<code>${r.rule}</code>${r.contested ? html`<br><span class="contested">${both("contesté", "contested")}</span>` : ""}`,
    r.effect,
    r.article,
    html`<span lang="fr">${r.message.fr}</span>`,
    html`<span lang="en">${r.message.en}</span>`,
  ]),
)}
<p>${both("Obligations", "Obligations")} : ${d.obligations.length === 0 ? "—" : d.obligations.map((o) => o.rule).join(", ")}</p>`;
}

function sourcesTable(sources: Evidence["sources"], { whenMs }: Times): Html {
  return table(
    [
      both("Collecté le", "Collected"),
      both("Origine", "Origin"),
      both("URL", "URL"),
      both("Responsable", "Controller"),
      both("Personne", "Kind"),
      both("Relation", "Relationship"),
      html`seq`,
    ],
    sources.map((s) => [
      whenMs(s.collectedAt),
      s.originType,
      s.sourceUrl ?? "—",
      s.controller || "*",
      s.kind,
      s.relationship ?? "—",
      s.seq,
    ]),
  );
}

export function renderPersonPack(p: PersonPack): string {
  const t = timesIn(zoneOf(p.sources));
  const { when, whenMs } = t;
  const verify = both(
    "Chaque événement porte l'empreinte de l'événement précédent (prevHash) et la sienne (hash) ; `vigie audit verify` recalcule toute la chaîne jusqu'à sa tête.",
    "Each event carries the previous event's hash (prevHash) and its own (hash); `vigie audit verify` recomputes the whole chain up to its head.",
  );
  return page(
    both("Dossier de preuves — personne", "Evidence pack — person"),
    html`<table><tbody>
<tr><th scope="row">${both("Point de contact", "Contact point")}</th><td>${p.point.type} <code>${p.point.value}</code>${p.erasedAt === null ? "" : html` — <strong>${both("effacé le", "erased on")} ${when(p.erasedAt)}</strong>`}</td></tr>
<tr><th scope="row">${both("Clé", "Key")}</th><td class="hash">${p.pointKey}</td></tr>
<tr><th scope="row">${both("Organisation", "Tenant")}</th><td>${p.tenant}</td></tr>
<tr><th scope="row">${both("Établi le", "Made at")}</th><td>${when(p.madeAt)}</td></tr>
<tr><th scope="row">${both("Par", "By")}</th><td>${p.madeBy}</td></tr>
<tr><th scope="row">${both("Version du référentiel", "Rulebook version")}</th><td>${p.rulebook}</td></tr>
<tr><th scope="row">${both("Tête de la chaîne", "Chain head")}</th><td>${p.chainHead === null ? "—" : html`seq ${p.chainHead.seq}, <span class="hash">${p.chainHead.hash}</span>`}</td></tr>
<tr><th scope="row">${both("Racine de l'arbre de Merkle", "Merkle tree root")}</th><td>${p.chainHead?.root == null ? "—" : html`<span class="hash">${p.chainHead.root}</span> (${both("chaque événement porte sa preuve d'inclusion : vigie pack verify", "each event carries its inclusion proof: vigie pack verify")})`}</td></tr>
<tr><th scope="row">${both("Tête signée (Ed25519)", "Signed head (Ed25519)")}</th><td>${p.signedHead === null ? "—" : html`${both("clé", "key")} <code>${p.signedHead.keyId}</code>, ${both("signature", "signature")} <span class="hash">${p.signedHead.sig}</span>`}</td></tr>
</tbody></table>
${
  p.decision === null
    ? ""
    : html`<h2>${both("Décision", "Decision")}</h2>
<p>${both("Campagne", "Campaign")} <code>${p.decision.campaign.id}</code>, ${both("à l'instant", "at")} <code>${when(p.decision.at)}</code></p>
${decisionHtml(p.decision.decision)}`
}
<h2>${both("Sources", "Sources")}</h2>
${sourcesTable(p.sources, t)}
<h2>${both("Consentements et preuves", "Consents and proofs")}</h2>
${table(
  [
    both("Donné le", "Given"),
    both("Canal", "Channel"),
    both("Responsable", "Controller"),
    both("Méthode", "Method"),
    both("Portée", "Scope"),
    both("Retiré le", "Withdrawn"),
    both("Preuve", "Proof"),
  ],
  p.consents.map((c) => [
    when(c.givenAt),
    c.channel,
    c.controller,
    c.method ?? "—",
    c.scope,
    when(c.withdrawnAt),
    c.receipt === null
      ? yes(c.proofHeld)
      : html`${yes(c.proofHeld)}<br>${both("enregistré par", "recorded by")} ${c.receipt.proof.recordedBy}${[
          ["collectionPoint", c.receipt.proof.collectionPoint],
          ["wordingVersion", c.receipt.proof.wordingVersion],
          ["wordingSha256", c.receipt.proof.wordingSha256],
          ["proofRef", c.receipt.proof.proofRef],
          ["ip", c.receipt.ip],
          ["userAgent", c.receipt.userAgent],
        ]
          .filter(([, v]) => v !== undefined && v !== null)
          .map(([k, v]) => html`<br>${k}: <code>${v}</code>`)}<br>seq ${c.receipt.seq}`,
  ]),
)}
<h2>${both("Oppositions", "Objections")}</h2>
${table(
  [both("Le", "At"), both("Canal", "Channel"), both("Responsable", "Controller"), both("Par", "Via")],
  p.objections.map((o) => [whenMs(o.at), o.channel, o.controller || "*", o.via ?? "—"]),
)}
<h2>${both("Contacts effectués", "Contacts made")}</h2>
${table(
  [both("Le", "At"), both("Canal", "Channel"), both("Responsable", "Controller"), both("Issue", "Outcome")],
  p.contacts.map((c) => [whenMs(c.at), c.channel, c.controller, c.outcome]),
)}
<h2>${both("Informations envoyées (art. 14)", "Notices sent (art. 14)")}</h2>
${table(
  [both("Le", "At"), both("Responsable", "Controller")],
  p.notices.map((n) => [whenMs(n.at), n.controller || "*"]),
)}
<h2>${both("Vérifications Bloctel", "Bloctel checks")}</h2>
${table(
  [both("Vérifié le", "Checked"), both("Inscrit", "Registered"), both("Effectif le", "Effective")],
  p.registry.map((r) => [whenMs(r.checkedAt), yes(r.registered), whenMs(r.effectiveAt)]),
)}
<h2>${both("Événements du journal", "Log events")}</h2>
<p>${verify}</p>
${table(
  [
    html`seq`,
    both("Type", "Type"),
    both("Survenu", "Occurred"),
    both("Enregistré", "Recorded"),
    both("Par", "By"),
    html`prevHash / hash`,
  ],
  p.events.map((e) => [
    e.seq,
    e.data.type === "activity.recorded" ? `${e.type} (${e.data.action})` : e.type,
    when(e.occurredAt),
    when(e.recordedAt),
    e.proof.recordedBy,
    html`<span class="hash">${e.prevHash}</span><br><span class="hash">${e.hash}</span>`,
  ]),
)}`,
  );
}

export function renderScreeningPack(p: ScreeningPack): string {
  const { when } = timesIn(PARIS);
  const s = p.summary;
  const counts = (o: Readonly<Record<string, { allowed: number; blocked: number }>>) =>
    table(
      [both("Valeur", "Value"), both("Autorisés", "Allowed"), both("Bloqués", "Blocked")],
      Object.entries(o).map(([k, v]) => [k, v.allowed, v.blocked]),
    );
  return page(
    both("Dossier de preuves — campagne", "Evidence pack — campaign"),
    html`<table><tbody>
<tr><th scope="row">${both("Filtrage", "Screening")}</th><td><code>${p.screening.id}</code>, ${p.screening.listName} (${both("par", "by")} ${p.screening.by}, ${p.screening.createdAt})</td></tr>
<tr><th scope="row">${both("Organisation", "Tenant")}</th><td>${p.tenant}</td></tr>
<tr><th scope="row">${both("Établi le", "Made at")}</th><td>${when(p.madeAt)}</td></tr>
<tr><th scope="row">${both("Par", "By")}</th><td>${p.madeBy}</td></tr>
<tr><th scope="row">${both("Référentiel du filtrage", "Rulebook that screened")}</th><td>${s.rulebook}</td></tr>
<tr><th scope="row">${both("Référentiel actuel", "Current rulebook")}</th><td>${p.rulebook}</td></tr>
<tr><th scope="row">${both("Liste", "List")}</th><td>${s.inputs.list.file}, ${s.inputs.list.bytes} o/B, SHA-256 <span class="hash">${s.inputs.list.sha256}</span></td></tr>
<tr><th scope="row">${both("Fichier de campagne", "Campaign file")}</th><td>${s.inputs.campaign.file}, SHA-256 <span class="hash">${s.inputs.campaign.sha256}</span></td></tr>
<tr><th scope="row">${both("Journal des preuves lu", "Evidence log read")}</th><td>${s.evidence}${s.evidenceLog === null ? "" : html` — seq ${s.evidenceLog.seq}, <span class="hash">${s.evidenceLog.hash}</span>`}</td></tr>
</tbody></table>
<h2>${both("Campagne", "Campaign")}</h2>
<pre>${JSON.stringify(p.campaign, null, 2)}</pre>
<h2>${both("Résultat", "Result")}</h2>
${table(
  [
    both("Lignes", "Rows"),
    both("Autorisées", "Allowed"),
    both("Bloquées", "Blocked"),
    both("Rejetées", "Rejected"),
  ],
  [[s.in, s.allowed, s.blocked, s.rejected]],
)}
<h3>${both("Par règle", "By rule")}</h3>
${table(
  [both("Règle", "Rule"), both("Lignes bloquées", "Rows blocked")],
  Object.entries(s.byRule).map(([k, v]) => [html`<code>${k}</code>`, v]),
)}
<h3>${both("Par origine", "By origin")}</h3>
${counts(s.byOrigin)}
<h3>${both("Par canal", "By channel")}</h3>
${counts(s.byChannel)}
<h2>${both("Contacts autorisés et leurs preuves", "Allowed contacts and their evidence")}</h2>
<p>${both(
      "Pour chaque contact autorisé : les sources et consentements que le magasin de preuves détient pour ce responsable (ou pour tous) au moment du dossier.",
      "For each allowed contact: the sources and consents the evidence store holds for this controller (or for all) when the pack was made.",
    )}</p>
${table(
  [
    both("Ligne", "Line"),
    both("Point", "Point"),
    both("Sources", "Sources"),
    both("Consentements", "Consents"),
  ],
  p.allowed.map((a) => {
    const { whenMs } = timesIn(zoneOf(a.sources));
    return [
      a.line,
      html`<code>${a.point.value}</code>`,
      a.sources.length === 0
        ? "—"
        : a.sources
            .map(
              (x) =>
                `${x.originType} ${whenMs(x.collectedAt)}${x.sourceUrl === null ? "" : ` ${x.sourceUrl}`}`,
            )
            .join("; "),
      a.consents.length === 0
        ? "—"
        : a.consents
            .map(
              (c) =>
                `${c.channel} ${whenMs(c.givenAt)} ${c.method ?? "?"}, ${c.proof ? "preuve / proof" : "sans preuve / no proof"}${c.withdrawnAt === null ? "" : `, retiré / withdrawn ${whenMs(c.withdrawnAt)}`}`,
            )
            .join("; "),
    ];
  }),
)}
<p>${both("Le rapport du filtrage est joint : report.html.", "The screening's report is attached: report.html.")}</p>`,
  );
}
