// The mapping page of "screen a list": a sample of the list as read, the column of the list for
// each item vigie reads (preselected when the list names it, in English or French), the values
// said for the whole list, the campaign (stored, or a new one) and the instant or window. Pure:
// HTML from the list's preview, the form's values and its errors.
import { CHANNELS, DIALERS, SECTORS } from "../../facts/vocabulary.ts";
import { LIST_COLUMNS, type ListColumn } from "../../services/screen/columns.ts";
import type { ListPreview } from "../../services/screen/list-preview.ts";
import type { ScreeningMeta } from "../../services/screen/saved.ts";
import { type Html, html, raw } from "../html.ts";
import { formatCount } from "../i18n.ts";
import type { SignedIn } from "../routes.ts";
import { type FieldErrors, type FormValues, guessColumn } from "./form.ts";
import { fill, T } from "./strings.ts";

export interface MapViewData {
  readonly meta: ScreeningMeta;
  readonly preview: ListPreview;
  /** The form as posted; null: as first shown. */
  readonly values: FormValues | null;
  readonly errors: FieldErrors;
  readonly campaigns: readonly { readonly id: string; readonly name: string }[];
}

export function mapView(page: SignedIn, d: MapViewData): Html {
  const { meta, preview, values, errors } = d;
  const t = T[page.lang];
  const v = (name: string, fallback = "") => (values === null ? fallback : (values[name] ?? ""));
  const selected = (on: boolean) => (on ? raw(" selected") : "");
  const checked = (on: boolean) => (on ? raw(" checked") : "");
  const err = (id: string) => {
    const e = errors.get(id);
    return e === undefined ? "" : html`<p class="error" id="${id}-error">${e}</p>`;
  };
  /** aria-describedby (hint, then error) and aria-invalid of a control. */
  const described = (id: string, hint = false) => {
    const ids = [...(hint ? [`${id}-hint`] : []), ...(errors.has(id) ? [`${id}-error`] : [])];
    return raw(
      (ids.length === 0 ? "" : ` aria-describedby="${ids.join(" ")}"`) +
        (errors.has(id) ? ' aria-invalid="true"' : ""),
    );
  };
  // An option's value is its text unless it says otherwise: each of up to 1 000 columns is
  // listed under every list column, so the attribute is left out where the text gives the same
  // value (not with spaces the browser would collapse or trim), to keep the page small.
  const plainText = (col: string) => col === col.replace(/\s+/g, " ").trim();
  /** The column screening would read anyway: preselected, so nothing is mapped by hand. */
  const preselected = (c: ListColumn): string => {
    const guess = guessColumn(preview.columns, c);
    return guess?.kind === "exact" ? c : guess?.kind === "alias" ? guess.column : "";
  };
  const mapSelect = (c: ListColumn) => {
    const id = `map-${c}`;
    const current = v(`map.${c}`, preselected(c));
    return html`<div><label for="${id}"><code>${c}</code> — ${t[`col.${c}`]}</label>
${err(id)}<select id="${id}" name="map.${c}"${described(id)}><option value=""${selected(current === "")}>${t.noColumn}</option>${preview.columns.map(
      (col) =>
        html`<option${plainText(col) ? "" : html` value="${col}"`}${selected(current === col)}>${col}</option>`,
    )}</select></div>`;
  };
  const options = (list: readonly string[], current: string, empty: string | null) =>
    html`${empty === null ? "" : html`<option value=""${selected(current === "")}>${empty}</option>`}${list.map(
      (x) => html`<option value="${x}"${selected(current === x)}>${x}</option>`,
    )}`;
  const triState = (id: string, label: string) => html`<label for="${id}">${label}</label>${err(id)}
<select id="${id}" name="${id}"${described(id)}>${[
    ["", t.notStated],
    ["true", t.yes],
    ["false", t.no],
  ].map(
    ([value, text]) => html`<option value="${value}"${selected(v(id) === value)}>${text}</option>`,
  )}</select>`;
  const text = (
    id: string,
    label: string,
    hint: string | null,
    extra = "",
  ) => html`<label for="${id}">${label}</label>
${hint === null ? "" : html`<p class="hint" id="${id}-hint">${hint}</p>`}${err(id)}
<input type="text" id="${id}" name="${id}" value="${v(id)}"${described(id, hint !== null)}${raw(extra)}>`;
  const lines = (id: string, label: string, hint: string) => html`<label for="${id}">${label}</label>
<p class="hint" id="${id}-hint">${hint}</p>${err(id)}
<textarea id="${id}" name="${id}" rows="3" spellcheck="false"${described(id, true)}>${v(id)}</textarea>`;
  const instant = (id: string, label: string) => html`<label for="${id}">${label}</label>
<p class="hint" id="${id}-hint">${t.parisTime}</p>${err(id)}
<input type="datetime-local" id="${id}" name="${id}" value="${v(id)}"${described(id, true)}>`;
  const box = (id: string, label: string) =>
    html`<div><input type="checkbox" id="${id}" name="${id}" value="true"${checked(v(id) === "true")}> <label for="${id}" style="display:inline">${label}</label></div>`;
  /** The name of a field, for the list of errors above the form. */
  const labelOf = (id: string): string => {
    if (id.startsWith("map-")) return id.slice(4);
    const labels: Record<string, string> = {
      campaign: t.storedCampaign,
      controller: t.controller,
      channel: t.channel,
      sector: t.sector,
      callerId: t.callerId,
      dialer: t.dialer,
      habitualCaller: t.habitualCaller,
      startsAt: t.startsAt,
      senderIdentified: t.senderIdentified,
      optOut: t.optOut,
      at: t.at,
      from: t.from,
      to: t.to,
      set: t.set,
      mapValues: t.mapValues,
    };
    return labels[id] ?? id;
  };
  const campaignChoice = v("campaign", "new");
  const when = v("when", "at");
  const lang = v("lang", page.lang);
  const summary =
    errors.size === 0
      ? ""
      : html`<div class="notice error" role="alert" id="errors" tabindex="-1"><p>${t.errors}</p><ul>${[
          ...errors,
        ].map(
          ([id, message]) =>
            html`<li><a href="#${id}">${labelOf(id)}${page.lang === "fr" ? " : " : ": "}${message}</a></li>`,
        )}</ul></div>`;
  const read =
    preview.sheet !== null
      ? html`<p>${fill(t["read.sheet"], { sheet: preview.sheet })}</p>`
      : preview.encoding === null
        ? ""
        : html`<p>${fill(t["read.csv"], { encoding: preview.encoding.encoding, from: t[`from.${preview.encoding.source}`] })}</p>`;
  const sample =
    preview.error !== null
      ? html`<p class="notice error" role="alert">${preview.error}</p>`
      : html`${read}<div style="overflow-x:auto" tabindex="0" role="region" aria-labelledby="sample-caption"><table><caption id="sample-caption">${t.sampleCaption}</caption><thead><tr>${preview.columns.map(
          (c) => html`<th scope="col">${c}</th>`,
        )}</tr></thead><tbody>${preview.rows.map(
          (row) => html`<tr>${preview.columns.map((_, i) => html`<td>${row[i] ?? ""}</td>`)}</tr>`,
        )}</tbody></table></div>`;
  return html`<p><strong>${meta.listName}</strong> · ${formatCount(page.lang, meta.listBytes)} B · SHA-256 <code>${meta.listSha256}</code></p>
<p>${t.mapIntro}</p>
${summary}
<h2>${t.sample}</h2>
${sample}
<form method="post" action="/screen/${meta.id}/map" novalidate>
<input type="hidden" name="csrf" value="${page.session.csrf}">
<fieldset><legend>${t.columnsLegend}</legend>
${LIST_COLUMNS.map(mapSelect)}
</fieldset>
<fieldset><legend>${t.valuesLegend}</legend>
<p class="hint">${t.valuesIntro}</p>
${lines("mapValues", t.mapValues, t.mapValuesHint)}
${lines("set", t.set, t.setHint)}
</fieldset>
<fieldset><legend>${t.campaignLegend}</legend>
<label for="campaign">${t.storedCampaign}</label>${err("campaign")}
<select id="campaign" name="campaign"${described("campaign")}><option value="new"${selected(campaignChoice === "new")}>${t.newCampaign}</option>${d.campaigns.map(
    (c) => html`<option value="${c.id}"${selected(campaignChoice === c.id)}>${c.name} (${c.id})</option>`,
  )}</select>
<fieldset><legend>${t.newCampaignLegend}</legend>
${text("controller", t.controller, t.controllerHint, ' autocomplete="organization"')}
<label for="channel">${t.channel}</label>${err("channel")}
<select id="channel" name="channel"${described("channel")}>${options(CHANNELS, v("channel", "voice_live"), null)}</select>
<label for="sector">${t.sector}</label>${err("sector")}
<select id="sector" name="sector"${described("sector")}>${options(SECTORS, v("sector"), t.notStated)}</select>
${text("callerId", t.callerId, t.callerIdHint)}
<label for="dialer">${t.dialer}</label>${err("dialer")}
<select id="dialer" name="dialer"${described("dialer")}>${options(DIALERS, v("dialer"), t.notStated)}</select>
${triState("habitualCaller", t.habitualCaller)}
<fieldset><legend>${t.offer}</legend>
${box("relatedToProfession", t.relatedToProfession)}
${box("relatedToContract", t.relatedToContract)}
${box("analogousProducts", t.analogousProducts)}
</fieldset>
<label for="startsAt">${t.startsAt}</label>${err("startsAt")}
<input type="date" id="startsAt" name="startsAt" value="${v("startsAt")}"${described("startsAt")}>
<fieldset><legend>${t.electronic}</legend>
${triState("senderIdentified", t.senderIdentified)}
${triState("optOut", t.optOut)}
</fieldset>
</fieldset>
</fieldset>
<fieldset><legend>${t.whenLegend}</legend>
<div><input type="radio" id="when-at" name="when" value="at"${checked(when !== "window")}> <label for="when-at" style="display:inline">${t.whenAt}</label></div>
${instant("at", t.at)}
<div><input type="radio" id="when-window" name="when" value="window"${checked(when === "window")}> <label for="when-window" style="display:inline">${t.whenWindow}</label></div>
${instant("from", t.from)}
${instant("to", t.to)}
</fieldset>
<label for="lang">${t.reportLang}</label>
<select id="lang" name="lang">${(["fr", "en"] as const).map(
    (l) => html`<option value="${l}"${selected(lang === l)}>${t[`lang.${l}`]}</option>`,
  )}</select>
<p><button type="submit">${t.start}</button></p>
</form>`;
}
