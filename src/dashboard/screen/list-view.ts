// The "screen a list" page: the screenings made, newest first, and the upload form (operators).
// Pure: HTML from the screenings' metadata.
import type { ScreeningMeta } from "../../services/screen/saved.ts";
import { type Html, html, raw } from "../html.ts";
import { formatCount, formatInstant } from "../i18n.ts";
import type { SignedIn } from "../routes.ts";
import { hasRole } from "../users.ts";
import { T } from "./strings.ts";

/** The extensions the file picker offers: those `vigie screen` reads. */
const ACCEPT = ".csv,.tsv,.txt,.jsonl,.ndjson,.xlsx,text/csv";

export function listView(
  page: SignedIn,
  screenings: readonly ScreeningMeta[],
  campaignName: (id: string | null) => string,
  uploadError: string | null,
): Html {
  const t = T[page.lang];
  const n = (x: number | undefined) => (x === undefined ? "—" : formatCount(page.lang, x));
  const table =
    screenings.length === 0
      ? html`<p>${t.none}</p>`
      : html`<table><caption class="visually-hidden">${t.past}</caption><thead><tr>
<th scope="col">${t.date}</th><th scope="col">${t.who}</th><th scope="col">${t.list}</th><th scope="col">${t.campaign}</th>
<th scope="col">${t.allowed}</th><th scope="col">${t.blocked}</th><th scope="col">${t.rejected}</th><th scope="col">${t.status}</th>
</tr></thead><tbody>${screenings.map(
          (m) => html`<tr><td>${formatInstant(page.lang, Date.parse(m.createdAt))}</td><td>${m.by}</td>
<td><a href="/screen/${m.id}">${m.listName}</a></td><td>${campaignName(m.campaignId)}</td>
<td>${n(m.counts?.allowed)}</td><td>${n(m.counts?.blocked)}</td><td>${n(m.counts?.rejected)}</td>
<td>${t[`st.${m.status}`]}</td></tr>`,
        )}</tbody></table>`;
  const form = hasRole(page.session.role, "operator")
    ? html`<form method="post" action="/screen" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${page.session.csrf}">
<label for="list">${t.uploadFile}</label>
<p class="hint" id="list-hint">${t.uploadHint}</p>
${uploadError === null ? "" : html`<p class="error" id="list-error" role="alert">${uploadError}</p>`}
<input type="file" id="list" name="list" accept="${ACCEPT}" required aria-describedby="list-hint${uploadError === null ? "" : " list-error"}"${uploadError === null ? "" : raw(' aria-invalid="true"')}>
<p><button type="submit">${t.uploadSubmit}</button></p>
</form>`
    : html`<p class="notice">${t.viewerCannot}</p>`;
  return html`<h2>${t.upload}</h2>
${form}
<h2>${t.past}</h2>
${table}`;
}
