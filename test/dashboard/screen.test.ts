// "Screen a list" over real HTTP: upload, map the columns, create the campaign, follow the run and
// read its results; roles, CSRF, ids that climb out of the directory, form errors, both languages,
// the activity trail, cancelling and a restart mid-run.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parisInstant } from "../../src/dashboard/screen/form.ts";
import { loadCampaign } from "../../src/services/screen/campaign.ts";
import { columnNames } from "../../src/services/screen/columns.ts";
import { sessionEvidence } from "../../src/services/screen/evidence.ts";
import { Screenings } from "../../src/services/screen/jobs.ts";
import { screenList } from "../../src/services/screen/run.ts";
import type { ScreeningMeta } from "../../src/services/screen/saved.ts";
import { accessibilityViolations, browserMissing, launch, screenshot } from "./browser.ts";
import { type Client, type Dashboard, PASSWORD, startDashboard } from "./helpers.ts";

const PIGE = readFileSync("examples/lists/pige.csv");
const PIGE_COLUMNS = [
  "id",
  "phone",
  "origin",
  "collected_at",
  "source_url",
  "kind",
  "department",
  "publisher_refused",
];

/** The mapping form as a user leaves it for pige.csv, with the fields of examples/campaigns/pige-call.json. */
function pigeForm(overrides: Record<string, string> = {}): Record<string, string> {
  const map = Object.fromEntries(
    ["id", "phone", "email", "kind", "origin", "collected_at", "source_url", "publisher_refused"]
      .concat(["relationship", "department", "time_zone"])
      .map((c) => [`map.${c}`, PIGE_COLUMNS.includes(c) ? c : ""]),
  );
  return {
    ...map,
    campaign: "new",
    controller: "Agence Dupont",
    channel: "voice_live",
    sector: "other",
    callerId: "+33 1 44 00 00 00",
    dialer: "manual",
    habitualCaller: "true",
    when: "at",
    at: "2025-03-04T11:00",
    lang: "fr",
    ...overrides,
  };
}

async function uploaded(
  client: Client,
  name = "pige.csv",
  content: Uint8Array | string = PIGE,
): Promise<string> {
  const res = await client.upload("/screen", { name, content });
  assert.equal(res.status, 303, res.text);
  const id = /^\/screen\/([0-9a-f]{32})\/map$/.exec(res.headers.get("location") ?? "")?.[1];
  assert.ok(id, `redirected to ${res.headers.get("location")}`);
  return id;
}

async function finished(client: Client, id: string): Promise<{ status: string; counts?: unknown }> {
  for (let i = 0; i < 600; i++) {
    const res = await client.get(`/screen/${id}/status`);
    assert.equal(res.status, 200);
    const s = JSON.parse(res.text) as { status: string };
    if (s.status !== "running") return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the screening did not finish");
}

describe("dashboard: screen a list", () => {
  let d: Dashboard;
  let operator: Client;
  let viewer: Client;
  let id: string;
  let home: string;
  before(async () => {
    d = await startDashboard();
    operator = await d.client("operator");
    viewer = await d.client("viewer");
  });
  after(() => d.close());

  it("uploads pige.csv into a private directory and shows its columns, preselected by name", async () => {
    id = await uploaded(operator);
    home = join(`${join(d.dir, "vigie.db")}.screenings`, id);
    assert.deepEqual(readFileSync(join(home, "list.csv")), PIGE, "the upload is kept byte for byte");
    assert.equal(statSync(home).mode & 0o777, 0o700);
    assert.equal(statSync(join(home, "list.csv")).mode & 0o777, 0o600);
    const meta = JSON.parse(readFileSync(join(home, "meta.json"), "utf8")) as ScreeningMeta;
    assert.equal(meta.status, "mapping");
    assert.equal(meta.by, "operator");
    assert.equal(meta.listName, "pige.csv");
    assert.equal(meta.listSha256, createHash("sha256").update(PIGE).digest("hex"));
    assert.equal(meta.campaignId, null);

    const map = await operator.get(`/screen/${id}/map`);
    assert.equal(map.status, 200);
    assert.match(map.text, /<label for="map-phone">/);
    assert.match(map.text, /<select id="map-phone" name="map.phone"><option value="">— aucune —<\/option>/);
    assert.match(map.text, /<option selected>phone<\/option>/);
    assert.doesNotMatch(
      map.text,
      /<option(?: value="[^"]*")? selected>[^<]*<\/option><\/select><\/div>\s*<div><label for="map-email">/,
    );
    assert.match(map.text, /<td>06 12 34 56 78<\/td>/, "sample rows, as read");
    assert.match(map.text, /Pas de démarchage d&#39;agences merci|Pas de démarchage d&#x27;agences merci/);
    assert.match(map.text, /<legend>/);
  });

  it("refuses a malformed campaign with the error beside its field, in the user's language", async () => {
    const bad = await operator.post(
      `/screen/${id}/map`,
      pigeForm({ controller: "", startsAt: "2025-02-30", at: "2040-01-01T10:00" }),
    );
    assert.equal(bad.status, 400);
    assert.match(bad.text, /<p class="error" id="controller-error">obligatoire<\/p>/);
    assert.match(
      bad.text,
      /id="controller" name="controller" value="" aria-describedby="controller-hint controller-error" aria-invalid="true"/,
    );
    assert.match(bad.text, /id="startsAt-error">not a date/, "the engine's messages as they are");
    assert.match(
      bad.text,
      /id="at-error">after 2034-12-31: outside the rulebook&#39;s coverage|id="at-error">after 2034-12-31: outside the rulebook&#x27;s coverage/,
    );
    assert.match(bad.text, /role="alert" id="errors"/);
    const en = await operator.fetch(`/screen/${id}/map`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "en" },
      body: new URLSearchParams({
        csrf: operator.csrf,
        ...pigeForm({ controller: "", "map.phone": "" }),
      }).toString(),
    });
    const text = await en.text();
    assert.equal(en.status, 400);
    assert.match(text, /id="controller-error">required</);
    assert.match(text, /id="map-phone-error">The list has a column of this name: vigie reads it/);
    const twice = await uploaded(operator, "twice.csv", "phone;phone\n06 12 34 56 78;06 98 76 54 32\n");
    const refused = await operator.post(`/screen/${twice}/map`, pigeForm({ "map.id": "", "map.origin": "" }));
    assert.equal(refused.status, 400);
    assert.match(refused.text, /id="map-phone-error">La liste a deux colonnes de ce nom/);
    rmSync(join(`${join(d.dir, "vigie.db")}.screenings`, twice), { recursive: true });
    assert.equal(d.campaigns.list().length, 0, "nothing stored while the form has errors");
    assert.equal(JSON.parse(readFileSync(join(home, "meta.json"), "utf8")).status, "mapping");
  });

  it("refuses a forged form token and a viewer", async () => {
    const forged = await operator.post(`/screen/${id}/map`, { ...pigeForm(), csrf: "forged" });
    assert.equal(forged.status, 403);
    const forgedUpload = await operator.upload(
      "/screen",
      { name: "pige.csv", content: PIGE },
      { csrf: "forged" },
    );
    assert.equal(forgedUpload.status, 403);
    const viewerUpload = await viewer.upload("/screen", { name: "pige.csv", content: PIGE });
    assert.equal(viewerUpload.status, 403);
    assert.equal((await viewer.get(`/screen/${id}/map`)).status, 403);
    assert.equal((await viewer.post(`/screen/${id}/map`, pigeForm())).status, 403);
    const page = await viewer.get("/screen");
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /type="file"/);
    const dirs = readdirSync(`${join(d.dir, "vigie.db")}.screenings`);
    assert.deepEqual(dirs, [id], "refused uploads leave nothing behind");
  });

  it("refuses ids that are not screening ids, or climb out of the directory", async () => {
    for (const path of [
      "/screen/..%2F..%2Fetc",
      `/screen/${id}%2F..`,
      "/screen/..%2Fvigie.db/report.html",
      `/screen/${id}/files/..%2Fmeta.json`,
      `/screen/${id}/files/list.csv`,
      "/screen/00000000000000000000000000000000",
    ]) {
      const res = await operator.get(path);
      assert.equal(res.status, 404, path);
    }
  });

  it("screens with the campaign created in the form, and records it", async () => {
    const start = await operator.post(`/screen/${id}/map`, pigeForm());
    assert.equal(start.status, 303, start.text);
    assert.equal(start.headers.get("location"), `/screen/${id}`);
    const end = await finished(viewer, id);
    assert.equal(end.status, "done", JSON.stringify(end));

    const [campaign] = d.campaigns.list();
    assert.ok(campaign);
    assert.deepEqual(campaign.body, {
      campaign: {
        controller: "Agence Dupont",
        channel: "voice_live",
        sector: "other",
        callerId: "+33 1 44 00 00 00",
        dialer: "manual",
        habitualCaller: true,
      },
    });
    const file = JSON.parse(readFileSync(join(home, "campaign.json"), "utf8"));
    assert.deepEqual(file, {
      ...JSON.parse(readFileSync("examples/campaigns/pige-call.json", "utf8")),
      at: "2025-03-04T11:00:00+01:00",
    });
    const meta = JSON.parse(readFileSync(join(home, "meta.json"), "utf8")) as ScreeningMeta;
    assert.equal(meta.status, "done");
    assert.equal(meta.campaignId, campaign.id);
    for (const name of ["allowed.csv", "blocked.csv", "rejected.csv", "summary.json", "report.html"]) {
      assert.ok(statSync(join(home, "out", name)).isFile(), name);
    }
    assert.equal(statSync(join(home, "out")).mode & 0o777, 0o700);
    assert.equal(statSync(join(home, "meta.json")).mode & 0o777, 0o600);
    assert.equal(statSync(join(home, "campaign.json")).mode & 0o777, 0o600);

    // The counts reconcile, and are those of screenList called directly on the same inputs.
    const summary = JSON.parse(readFileSync(join(home, "out", "summary.json"), "utf8"));
    assert.equal(summary.in, summary.allowed + summary.blocked + summary.rejected);
    assert.ok(summary.in > 30);
    assert.deepEqual(meta.counts, {
      in: summary.in,
      allowed: summary.allowed,
      blocked: summary.blocked,
      rejected: summary.rejected,
    });
    const out = mkdtempSync(join(tmpdir(), "vigie-screen-direct-"));
    try {
      const { store, ring } = d.session;
      const direct = await screenList({
        list: join(home, "list.csv"),
        campaignFile: join(home, "campaign.json"),
        campaign: loadCampaign(join(home, "campaign.json")),
        out,
        names: columnNames(undefined),
        lang: "fr",
        evidence: {
          ...sessionEvidence({ store, ring, tenant: "t" }, store.dialect, null),
          close: async () => {},
        },
      });
      for (const k of [
        "in",
        "allowed",
        "blocked",
        "rejected",
        "byRule",
        "byOrigin",
        "byChannel",
        "inputs",
      ] as const) {
        assert.deepEqual(summary[k], JSON.parse(JSON.stringify(direct[k])), k);
      }
      for (const name of ["allowed.csv", "blocked.csv", "rejected.csv"]) {
        assert.deepEqual(readFileSync(join(home, "out", name)), readFileSync(join(out, name)), name);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }

    // The trail: the campaign created and the list screened, by the user, no personal data.
    const trail: { action: string; target: string; by: string }[] = [];
    for await (const e of d.session.store.events("t")) {
      if (e.data.type === "activity.recorded")
        trail.push({ action: e.data.action, target: e.data.target, by: e.proof.recordedBy });
    }
    assert.deepEqual(trail, [
      { action: "campaign.created", target: campaign.id, by: "user:operator" },
      { action: "list.screened", target: meta.listSha256, by: "user:operator" },
    ]);

    // The status page, as a viewer: counts, tables, the report framed, downloads by role.
    const page = await viewer.get(`/screen/${id}`, { "accept-language": "fr" });
    assert.equal(page.status, 200);
    assert.match(
      page.text,
      new RegExp(
        `${summary.in} lues = ${summary.allowed} autorisées \\+ ${summary.blocked} bloquées \\+ ${summary.rejected} rejetées`,
      ),
    );
    assert.match(
      page.text,
      /<iframe class="report" src="\/screen\/[0-9a-f]{32}\/report.html" title="Rapport de filtrage">/,
    );
    assert.match(page.text, /Dossier de preuves \(réservé aux opérateurs/);
    const operatorPage = await operator.get(`/screen/${id}`, { "accept-language": "fr" });
    assert.match(operatorPage.text, /<a href="\/screen\/[0-9a-f]{32}\/pack">Dossier de preuves<\/a>/);
    assert.match(page.text, /<caption>Par origine des contacts<\/caption>/);
    assert.match(page.text, /allowed.csv \(réservé aux opérateurs/);
    assert.doesNotMatch(page.text, /<progress/);
    const en = await operator.get(`/screen/${id}`, { "accept-language": "en" });
    assert.match(en.text, /<a href="\/screen\/[0-9a-f]{32}\/pack">Evidence pack<\/a>/);
    assert.match(en.text, /read = \d+ allowed \+ \d+ blocked \+ \d+ rejected/);

    const report = await viewer.get(`/screen/${id}/report.html`);
    assert.equal(report.status, 200);
    assert.equal(report.headers.get("content-disposition"), "inline");
    assert.match(report.headers.get("content-security-policy") ?? "", /frame-ancestors 'self'/);
    const json = await viewer.get(`/screen/${id}/files/summary.json`);
    assert.equal(json.status, 200);
    assert.match(
      json.headers.get("content-disposition") ?? "",
      /^attachment; filename="vigie-[0-9a-f]{8}-summary.json"$/,
    );
    assert.deepEqual(JSON.parse(json.text), summary);
    assert.equal((await viewer.get(`/screen/${id}/files/allowed.csv`)).status, 403);
    const csv = await operator.fetch(`/screen/${id}/files/allowed.csv`, {});
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("content-type") ?? "", /^text\/csv/);
    assert.deepEqual(Buffer.from(await csv.arrayBuffer()), readFileSync(join(home, "out", "allowed.csv")));

    // The evidence pack (pages/packs.ts) reads this layout.
    const pack = await operator.fetch(`/screen/${id}/pack`, {});
    assert.equal(pack.status, 200);
    assert.match(pack.headers.get("content-type") ?? "", /zip/);

    // The list of screenings.
    const list = await viewer.get("/screen", { "accept-language": "en" });
    assert.match(
      list.text,
      new RegExp(`<a href="/screen/${id}">pige.csv</a></td><td>Agence Dupont · voice_live</td>`),
    );
    assert.match(
      list.text,
      new RegExp(
        `<td>${summary.allowed}</td><td>${summary.blocked}</td><td>${summary.rejected}</td>\\s*<td>done</td>`,
      ),
    );
    assert.equal(
      (await operator.get(`/screen/${id}/map`)).status,
      303,
      "a started screening is not mapped again",
    );
  });

  it("deletes a screening's list and outputs (operator, with the form token), leaving the trail", async () => {
    const gone = await uploaded(operator);
    assert.equal((await operator.post(`/screen/${gone}/map`, pigeForm())).status, 303);
    assert.equal((await finished(viewer, gone)).status, "done");
    const dir = join(`${join(d.dir, "vigie.db")}.screenings`, gone);
    assert.ok(existsSync(join(dir, "out", "allowed.csv")));
    assert.match(
      (await operator.get(`/screen/${gone}`, { "accept-language": "en" })).text,
      /Delete the list and its results/,
    );
    assert.doesNotMatch(
      (await viewer.get(`/screen/${gone}`, { "accept-language": "en" })).text,
      /Delete the list/,
    );
    assert.equal((await viewer.post(`/screen/${gone}/delete`, {})).status, 403);
    assert.equal((await operator.post(`/screen/${gone}/delete`, { csrf: "forged" })).status, 403);
    assert.ok(existsSync(dir), "refused deletions delete nothing");
    const del = await operator.post(`/screen/${gone}/delete`, {});
    assert.equal(del.status, 303);
    assert.equal(del.headers.get("location"), "/screen");
    assert.ok(!existsSync(dir));
    assert.equal((await viewer.get(`/screen/${gone}`)).status, 404);
    const actions = [];
    for await (const e of d.session.store.events(d.session.tenant)) {
      if (e.data.type === "activity.recorded") actions.push(e.data.action);
    }
    assert.equal(actions.at(-1), "screening.deleted");
  });

  it("renders in French and in English, with labels on every control", async () => {
    const fr = await operator.get("/screen", { "accept-language": "fr" });
    assert.match(fr.text, /<h1>Filtrer une liste<\/h1>/);
    assert.match(fr.text, /<label for="list">Fichier de contacts/);
    assert.match(
      fr.text,
      /enctype="multipart\/form-data">\s*<input type="hidden" name="csrf"[^>]*>\s*<label for="list">/,
    );
    const en = await operator.get("/screen", { "accept-language": "en" });
    assert.match(en.text, /<h1>Screen a list<\/h1>/);
    assert.match(en.text, /<h2>Upload a list<\/h2>/);
    const map = await operator.get(`/screen/${await uploaded(operator)}/map`, { "accept-language": "en" });
    const ids = [...map.text.matchAll(/<(?:input|select)(?![^>]*type="(?:hidden)")[^>]*\bid="([^"]+)"/g)].map(
      (m) => m[1],
    );
    assert.ok(ids.length > 20);
    for (const control of ids) assert.match(map.text, new RegExp(`<label for="${control}"`), control);
    assert.match(map.text, /<option value="">— none —<\/option>/);
    const script = await operator.get("/assets/screen.js");
    assert.equal(script.status, 200);
    assert.match(script.headers.get("content-type") ?? "", /^text\/javascript/);
  });

  it("uses a stored campaign and a window in Paris time; a JSONL list; cancels a long run", async () => {
    const stored = d.campaigns.list()[0];
    assert.ok(stored);
    const rows = Array.from({ length: 300_000 }, (_, i) =>
      JSON.stringify({ ref: `R${i}`, Téléphone: `06${String(i).padStart(8, "0")}` }),
    ).join("\n");
    const big = await uploaded(operator, "big.jsonl", rows);
    const map = await operator.get(`/screen/${big}/map`);
    assert.match(map.text, /<option>Téléphone<\/option>/);
    // A name the browser would read otherwise without its value (spaces collapsed) keeps it.
    const spaced = await uploaded(operator, "spaced.csv", "phone,Date  de collecte\n0612345678,2026-01-01\n");
    const spacedMap = await operator.get(`/screen/${spaced}/map`);
    assert.match(spacedMap.text, /<option value="Date {2}de collecte">Date {2}de collecte<\/option>/);
    const form = {
      ...Object.fromEntries(
        Object.keys(pigeForm())
          .filter((k) => k.startsWith("map."))
          .map((k) => [k, ""]),
      ),
      "map.phone": "Téléphone",
      "map.id": "ref",
      campaign: stored.id,
      when: "window",
      from: "2025-03-04T08:00",
      to: "2025-03-04T12:00",
      lang: "en",
    };
    const start = await operator.post(`/screen/${big}/map`, form);
    assert.equal(start.status, 303, start.text);
    const running = await viewer.get(`/screen/${big}`);
    assert.match(running.text, /<noscript><meta http-equiv="refresh" content="2"><\/noscript>/);
    assert.match(running.text, /<progress id="progress" max="100" value="\d+" tabindex="0"/);
    assert.match(running.text, /aria-live="polite"/);
    assert.match(running.text, /<script src="\/assets\/screen.js" defer><\/script>/);
    assert.doesNotMatch(running.text, /Annuler|Cancel the screening/, "viewers cannot cancel");
    const cancel = await operator.post(`/screen/${big}/cancel`, {});
    assert.equal(cancel.status, 303);
    const end = await finished(viewer, big);
    assert.equal(end.status, "cancelled");
    const bigHome = join(`${join(d.dir, "vigie.db")}.screenings`, big);
    assert.deepEqual(readdirSync(join(bigHome, "out")), [], "nothing published");
    const file = JSON.parse(readFileSync(join(bigHome, "campaign.json"), "utf8"));
    assert.equal(file.from, "2025-03-04T08:00:00+01:00");
    assert.equal(file.to, "2025-03-04T12:00:00+01:00");
    assert.equal(file.controller, "Agence Dupont");
    assert.equal(file.at, undefined);
    assert.equal(JSON.parse(readFileSync(join(bigHome, "meta.json"), "utf8")).listName, "big.jsonl");
  });
});

describe("dashboard: an upload too large", () => {
  it("is refused beside the file field, and nothing is kept", async () => {
    const d = await startDashboard({ uploadLimit: 1024 });
    try {
      const operator = await d.client("operator");
      const res = await operator.upload(
        "/screen",
        { name: "pige.csv", content: PIGE },
        {},
        { "accept-language": "en" },
      );
      assert.equal(res.status, 413);
      assert.match(
        res.text,
        /<p class="error" id="list-error" role="alert">The file is larger than allowed.<\/p>/,
      );
      assert.match(res.text, /aria-describedby="list-hint list-error" aria-invalid="true"/);
      const empty = await operator.upload("/screen", { name: "empty.csv", content: "" });
      assert.equal(empty.status, 400);
      assert.match(
        empty.text,
        /id="list-error" role="alert">Le fichier est vide.|id="list-error" role="alert">The file is empty./,
      );
      assert.deepEqual(readdirSync(`${join(d.dir, "vigie.db")}.screenings`), []);
    } finally {
      await d.close();
    }
  });
});

describe("dashboard: lists as offices send them", () => {
  it("reads a Windows-1252 CSV and a workbook as screening does, their French columns preselected; refuses an .xls", async () => {
    const d = await startDashboard();
    try {
      const operator = await d.client("operator");
      const csv = await uploaded(operator, "pige-excel.csv", readFileSync("examples/lists/pige-excel.csv"));
      const csvMap = await operator.get(`/screen/${csv}/map`, { "accept-language": "fr" });
      assert.match(csvMap.text, /<p>Fichier lu en windows-1252 \(reconnu à ses octets\).<\/p>/);
      assert.match(csvMap.text, /<td>Hélène<\/td>/);
      assert.match(
        csvMap.text,
        /<select id="map-phone" name="map.phone">(?:(?!<\/select>).)*<option selected>Téléphone<\/option>/,
      );
      assert.match(
        csvMap.text,
        /<select id="map-origin" name="map.origin">(?:(?!<\/select>).)*<option selected>Source<\/option>/,
      );
      const xlsx = await uploaded(
        operator,
        "pige-excel.xlsx",
        readFileSync("examples/lists/pige-excel.xlsx"),
      );
      const meta = JSON.parse(
        readFileSync(join(`${join(d.dir, "vigie.db")}.screenings`, xlsx, "meta.json"), "utf8"),
      ) as ScreeningMeta;
      assert.equal(meta.listFormat, "xlsx");
      const xlsxMap = await operator.get(`/screen/${xlsx}/map`, { "accept-language": "en" });
      assert.match(xlsxMap.text, /<p>Excel workbook: sheet “Annonces” \(the first\).<\/p>/);
      assert.match(
        xlsxMap.text,
        /<select id="map-collected_at" name="map.collected_at">(?:(?!<\/select>).)*<option selected>Date de collecte<\/option>/,
      );
      const xls = await operator.upload(
        "/screen",
        { name: "old.xls", content: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) },
        {},
        { "accept-language": "en" },
      );
      assert.equal(xls.status, 400);
      assert.match(
        xls.text,
        /The file cannot be read: an Excel 97–2003 workbook \(.xls\), which is not read/,
      );
      const fake = await operator.upload("/screen", { name: "list.xlsx", content: "phone\n0612345678\n" });
      assert.equal(fake.status, 400);
      assert.match(fake.text, /not an Excel workbook/);
      assert.deepEqual(readdirSync(`${join(d.dir, "vigie.db")}.screenings`).sort(), [csv, xlsx].sort());
    } finally {
      await d.close();
    }
  });
});

describe("dashboard screenings directory", () => {
  it("marks a screening left running by a stopped server as failed (interrupted)", async () => {
    const child = spawn(process.execPath, ["-e", ""]);
    const deadPid = child.pid as number;
    await new Promise((resolve) => child.on("exit", resolve));
    const dir = mkdtempSync(join(tmpdir(), "vigie-screenings-"));
    try {
      const id = "0123456789abcdef0123456789abcdef";
      // The server that ran it is gone: so is the pid in the name of its partial directory.
      mkdirSync(join(dir, id, "out"), { recursive: true });
      mkdirSync(join(dir, id, `.out.partial-${deadPid}`));
      writeFileSync(
        join(dir, id, "meta.json"),
        JSON.stringify({ id, createdAt: "2025-03-04T10:00:00.000Z", status: "running", progress: null }),
      );
      const s = new Screenings(dir, null as never, () => Date.parse("2025-03-04T11:00:00Z"));
      const meta = s.get(id);
      assert.equal(meta?.status, "failed");
      assert.equal(meta?.error, "interrupted");
      assert.deepEqual(readdirSync(join(dir, id)).sort(), ["meta.json", "out"]);
      assert.equal(JSON.parse(readFileSync(join(dir, id, "meta.json"), "utf8")).status, "failed");
      assert.equal(s.get("../x"), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads a datetime-local value as Paris time", () => {
    assert.equal(parisInstant("2025-03-04T11:00"), "2025-03-04T11:00:00+01:00");
    assert.equal(parisInstant("2025-07-04T11:00"), "2025-07-04T11:00:00+02:00");
    assert.equal(parisInstant("2025-03-04T11:00:00+01:00"), "2025-03-04T11:00:00+01:00");
    assert.equal(parisInstant("2025-02-30T11:00"), "2025-02-30T11:00");
  });
});

describe("dashboard: screen a list in a browser", { skip: browserMissing() ?? false }, () => {
  it("uploads, maps, follows the progress by script (CSP allowing) and reads the result; axe finds nothing", async () => {
    const d = await startDashboard();
    const browser = await launch();
    const dir = mkdtempSync(join(tmpdir(), "vigie-screen-browser-"));
    try {
      // Long enough that the status page first shows a running screening.
      const list = join(dir, "big.jsonl");
      writeFileSync(
        list,
        Array.from({ length: 60_000 }, (_, i) =>
          JSON.stringify({ phone: `06${String(i).padStart(8, "0")}` }),
        ).join("\n"),
      );
      const context = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const console: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") console.push(m.text());
      });
      await page.goto(`${d.url}/login?next=%2Fscreen`);
      // chromium applies autofocus a frame after load: type only once the user field has it.
      await page.waitForFunction("document.activeElement?.id === 'user'");
      await page.keyboard.type("operator");
      await page.keyboard.press("Tab");
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press("Enter");
      await page.waitForURL(`${d.url}/screen`);
      assert.deepEqual(await accessibilityViolations(page), []);
      await page.setInputFiles("#list", list);
      await page.focus("#list");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/map$/);
      assert.deepEqual(await accessibilityViolations(page), []);
      assert.equal(await page.inputValue("#map-phone"), "phone");
      await page.click("form[action$='/map'] button[type=submit]");
      await page.waitForSelector("#errors");
      assert.match((await page.textContent("#errors")) ?? "", /Controller: required/);
      assert.deepEqual(await accessibilityViolations(page), []);
      await screenshot(page, "screen-map-errors-en");
      await page.fill("#controller", "Agence Dupont");
      await page.fill("#at", "2025-03-04T11:00");
      await page.click("form[action$='/map'] button[type=submit]");
      await page.waitForURL(/\/screen\/[0-9a-f]{32}$/);
      assert.deepEqual(await accessibilityViolations(page), []);
      await page.waitForSelector("iframe.report", { timeout: 60_000 });
      assert.match(
        (await page.textContent("main")) ?? "",
        /60,000 read = [\d,]+ allowed \+ [\d,]+ blocked \+ [\d,]+ rejected/,
      );
      assert.deepEqual(await accessibilityViolations(page), []);
      await screenshot(page, "screen-done-en");
      assert.deepEqual(
        console.filter((m) => /Content Security Policy/.test(m)),
        [],
      );
      await context.close();
    } finally {
      await browser.close();
      await d.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
