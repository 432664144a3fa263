// A person's evidence as one timeline, in date order: the events about the point (with their
// proof and the personal data still held) and the Bloctel checks of the number, which are rows of
// a check rather than events of their own.
import type { Decision } from "../../engine/decision.ts";
import type { StoredEvent } from "../../evidence/events.ts";
import type { Evidence } from "../../store/store.ts";
import { type Html, html } from "../html.ts";
import { formatDate, formatInstant, type Lang } from "../i18n.ts";
import { EVENT_NAMES, T } from "./strings.ts";

interface Entry {
  readonly at: number;
  readonly seq: number | null;
  readonly what: string;
  readonly details: Html;
  readonly controller: string | null;
  readonly by: Html | string;
}

/** "label :" in French (a no-break space before the colon), "label:" in English. */
export const colon = (lang: Lang): string => (lang === "fr" ? "\u00a0:" : ":");

function pairs(lang: Lang, items: readonly (readonly [string, string | number | null | undefined])[]): Html {
  return html`${items
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v], i) => html`${i === 0 ? "" : html`<br>`}${k}${colon(lang)} <code>${v}</code>`)}`;
}

function entryOf(lang: Lang, e: StoredEvent): Entry {
  const t = T[lang];
  const d = e.data;
  const date = (ms: number | null) => (ms === null ? null : formatDate(lang, ms));
  let details: Html;
  switch (d.type) {
    case "source.recorded":
      details = pairs(lang, [
        [t.origin, d.source.originType],
        [t.collected, date(d.source.collectedAt)],
        [t.url, e.pii?.sourceUrl],
        [t.kind, d.source.kind],
        [t.relationship, d.source.relationship],
      ]);
      break;
    case "consent.given":
      details = html`${pairs(lang, [
        [t.channel, d.consent.channel],
        [t.method, d.consent.method],
        [t.scope, d.consent.scope],
        ["IP", e.pii?.ip],
        ["User-Agent", e.pii?.userAgent],
      ])}<br>${d.consent.proof ? t.proofHeld : html`<strong class="error">${t.proofMissing}</strong>`}`;
      break;
    case "consent.withdrawn":
      details = pairs(lang, [[t.channel, d.channel]]);
      break;
    case "objection.recorded":
      details = pairs(lang, [
        [t.channel, d.channel],
        [t.via, d.via],
      ]);
      break;
    case "contact.made":
      details = pairs(lang, [
        [t.channel, d.channel],
        [t.outcome, d.outcome],
      ]);
      break;
    case "subject.erased":
      details = pairs(lang, [[t.reason, d.reason]]);
      break;
    case "activity.recorded":
      details = pairs(lang, [
        [t.action, d.action],
        [t.target, d.target],
      ]);
      break;
    case "registry.snapshot":
      details = pairs(lang, [["SHA-256", d.fileSha256]]);
      break;
    default:
      details = html``;
  }
  const p = e.proof;
  const proof = pairs(lang, [
    ["collectionPoint", p.collectionPoint],
    ["wordingVersion", p.wordingVersion],
    ["wordingSha256", p.wordingSha256],
    ["proofRef", p.proofRef],
  ]);
  return {
    at: e.occurredAt,
    seq: e.seq,
    what: EVENT_NAMES[lang][d.type],
    details,
    controller: d.type === "activity.recorded" ? null : e.controller,
    by: html`${p.recordedBy}${proof.text === "" ? "" : html`<br>${proof}`}`,
  };
}

export function timeline(lang: Lang, events: readonly StoredEvent[], evidence: Evidence): Html {
  const t = T[lang];
  const entries: Entry[] = events.map((e) => entryOf(lang, e));
  for (const r of evidence.registry) {
    entries.push({
      at: r.checkedAt,
      seq: null,
      what: EVENT_NAMES[lang]["registry.check"],
      details: r.registered
        ? html`${t.registered}${r.effectiveAt === null ? "" : html`<br>${t.effective} ${formatDate(lang, r.effectiveAt)}`}`
        : html`${t.notRegistered}`,
      controller: null,
      by: "—",
    });
  }
  // Date order; the log's order among events of the same instant, checks after them.
  entries.sort(
    (a, b) => a.at - b.at || (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER),
  );
  if (entries.length === 0) return html`<p>${t.nothingHeld}</p>`;
  return html`<p class="hint" id="timeline-hint">${t.timelineHint}</p>
<table aria-describedby="timeline-hint"><caption class="visually-hidden">${t.timeline}</caption>
<thead><tr><th scope="col">${t.when}</th><th scope="col">${t.what}</th><th scope="col">${t.details}</th><th scope="col">${t.controller}</th><th scope="col">${t.recordedBy}</th><th scope="col">${t.seq}</th></tr></thead>
<tbody>${entries.map(
    (e) =>
      html`<tr><td>${formatInstant(lang, e.at)}</td><th scope="row">${e.what}</th><td>${e.details}</td><td>${e.controller === null ? "—" : e.controller === "" ? t.everyController : e.controller}</td><td>${e.by}</td><td>${e.seq ?? "—"}</td></tr>\n`,
  )}</tbody></table>`;
}

export function decisionView(lang: Lang, d: Decision, at: number): Html {
  const t = T[lang];
  const verdict =
    d.verdict === "allow"
      ? html`<span class="allow">${t.allow}</span>`
      : html`<span class="block">${t.block}</span>`;
  const reasonRows = (reasons: Decision["reasons"]) =>
    reasons.map(
      (r) =>
        html`<tr><th scope="row"><code>${r.rule}</code>${r.contested ? html`<br><strong class="contested">⚠ ${t.contested}</strong>` : ""}</th><td>${r.effect}</td><td>${r.article}</td><td>${r.message[lang]}</td></tr>\n`,
    );
  const head = html`<thead><tr><th scope="col">${t.rule}</th><th scope="col">${t.effect}</th><th scope="col">${t.article}</th><th scope="col">${t.message}</th></tr></thead>`;
  return html`<section aria-labelledby="verdict" class="notice">
<p id="verdict"><strong>${t.verdict}${colon(lang)}</strong> ${verdict}</p>
<p>${t.decidedAt} ${formatInstant(lang, at)} · ${t.rulebook} ${d.rulebook}${d.nextAllowedAt === null ? "" : html` · ${t.nextAllowedAt}${colon(lang)} <strong>${formatInstant(lang, Date.parse(d.nextAllowedAt))}</strong> (<code>${d.nextAllowedAt}</code>)`}</p>
</section>
<table>${head}<tbody>${reasonRows(d.reasons)}</tbody></table>
<h3>${t.obligations}</h3>
${d.obligations.length === 0 ? html`<p>${t.none}</p>` : html`<table>${head}<tbody>${reasonRows(d.obligations)}</tbody></table>`}`;
}
