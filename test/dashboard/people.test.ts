// Looking a person up, deciding, exporting, erasing and evidence packs, over real HTTP.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { strFromU8, unzipSync } from "fflate";
import { RULEBOOK_VERSION } from "../../src/engine/rulebook-coverage.ts";
import type { PersonPack, ScreeningPack } from "../../src/services/evidence-pack.ts";
import { verifyPack } from "../../src/services/pack-verify.ts";
import {
  consentEvent,
  contactEvent,
  noticeEvent,
  objectionEvent,
  sourceEvent,
} from "../../src/services/record.ts";
import { exportSubject } from "../../src/services/rights.ts";
import { loadCampaign } from "../../src/services/screen/campaign.ts";
import { columnNames } from "../../src/services/screen/columns.ts";
import { sessionEvidence } from "../../src/services/screen/evidence.ts";
import { screenList } from "../../src/services/screen/run.ts";
import { type Subject, subjectOf } from "../../src/services/session.ts";
import type { SigningKey } from "../../src/services/signing-key.ts";
import { sourceData } from "../support/evidence.ts";
import { type Dashboard, startDashboard } from "./helpers.ts";

const FR = { "accept-language": "fr-FR,fr;q=0.9" };
const EN = { "accept-language": "en-GB,en;q=0.9" };
const GIVEN = Date.parse("2026-01-10T10:00:00Z");
const NEWSLETTER = {
  controller: "Boutique SAS",
  channel: "email",
  message: { senderIdentified: true, optOut: true },
};

describe("dashboard: people", () => {
  let d: Dashboard;
  let campaignId = "";
  const subject = (raw: string): Subject => {
    const r = subjectOf(d.session.ring, raw);
    if (!r.ok) throw new Error(r.reason);
    return r.subject;
  };
  /** A source, a proven e-mail consent, a call, a notice; `objects`: then an objection by unsubscribe link. */
  const seed = async (raw: string, objects = false) => {
    const s = subject(raw);
    const r = {
      tenant: d.session.tenant,
      subject: s,
      controller: "Boutique SAS",
      proof: {
        recordedBy: "import:consents.csv",
        collectionPoint: "https://boutique.example/newsletter",
        wordingVersion: "v3",
        wordingSha256: "cd".repeat(32),
        proofRef: "proofs/receipt-42.eml",
      },
    };
    await d.session.store.append([
      sourceEvent(r, sourceData({ collectedAt: GIVEN }), "https://boutique.example/newsletter"),
      consentEvent(r, {
        channel: "email",
        givenAt: GIVEN,
        method: "double_opt_in",
        scope: "standard",
        proof: true,
        ip: "203.0.113.9",
        userAgent: "Firefox/140",
      }),
      contactEvent(r, "email", "answered", Date.parse("2026-02-01T09:00:00Z")),
      noticeEvent(r, Date.parse("2026-01-11T09:00:00Z")),
      ...(objects ? [objectionEvent(r, "all", "unsubscribe_link", Date.parse("2026-06-01T10:00:00Z"))] : []),
    ]);
    return s;
  };

  before(async () => {
    d = await startDashboard();
    await seed("alice@example.fr");
    await seed("carol@example.fr", true);
    await seed("dave@example.fr");
  });
  after(() => d.close());

  it("asks for a point, and says why a value is not one, next to the field", async () => {
    const viewer = await d.client("viewer");
    const form = await viewer.get("/people", FR);
    assert.equal(form.status, 200);
    assert.match(form.text, /<label for="point">Téléphone ou adresse e-mail<\/label>/);
    const bad = await viewer.get("/people?point=06%2012", EN);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /id="point-error">Not recognised: not a valid phone number/);
    assert.match(bad.text, /aria-describedby="point-hint point-error" aria-invalid="true"/);
    assert.match(bad.text, /value="06 12"/, "the value typed is kept");
  });

  it("says how to create a campaign while none is stored", async () => {
    const viewer = await d.client("viewer");
    const page = await viewer.get("/people?point=alice%40example.fr", EN);
    assert.match(
      page.text,
      /No stored campaign\. An operator creates one when screening a list \(“Screen a list”\), or with the API: POST \/v1\/campaigns/,
    );
  });

  it("shows a person's evidence in date order, with proofs, in French and in English", async () => {
    const viewer = await d.client("viewer");
    const fr = await viewer.get(`/people?point=${encodeURIComponent(" Alice@Example.FR ")}`, FR);
    assert.equal(fr.status, 200);
    assert.match(fr.text, /<code>alice@example\.fr<\/code>/);
    assert.match(fr.text, /données détenues/);
    assert.match(fr.text, /Historique des preuves/);
    for (const text of [
      "https://boutique.example/newsletter",
      "double_opt_in",
      "cd".repeat(32),
      "proofs/receipt-42.eml",
      "import:consents.csv",
      "203.0.113.9",
      "preuve détenue",
      "Information envoyée (art. 14)",
      "Contact effectué",
    ]) {
      assert.ok(fr.text.includes(text), text);
    }
    // Source (10 Jan) < notice (11 Jan) < contact (1 Feb).
    const order = ['<th scope="row">Source</th>', "Information envoyée", "Contact effectué"].map((s) =>
      fr.text.indexOf(s),
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
    );
    assert.ok((order[0] as number) > 0);
    assert.doesNotMatch(fr.text, /Exporter|Effacer les données/, "a viewer sees no export nor erase");

    const en = await viewer.get("/people?point=carol%40example.fr", EN);
    assert.match(en.text, /Evidence timeline/);
    assert.match(en.text, /<th scope="row">Objection<\/th>/);
    assert.match(en.text, /unsubscribe_link/);
    assert.match(en.text, /<th scope="col">Recorded by<\/th>/);
  });

  it("decides for a stored campaign at a Paris instant, with each reason's rule, article and message", async () => {
    campaignId = (await d.campaigns.add({ campaign: NEWSLETTER })).id;
    const viewer = await d.client("viewer");
    const q = (point: string) =>
      `/people?point=${encodeURIComponent(point)}&campaign=${campaignId}&at=2026-12-01T10%3A00`;
    const fr = await viewer.get(q("alice@example.fr"), FR);
    assert.match(fr.text, /<span class="allow">Autorisé<\/span>/);
    assert.match(fr.text, /<code>cpce-l34-5\/consent<\/code>/);
    assert.match(fr.text, /CPCE, art\. L\.34-5 al\. 1/);
    assert.match(
      fr.text,
      /Consentement préalable à la prospection par courrier électronique donné le 2026-01-10/,
    );
    assert.match(fr.text, /Obligations/);
    assert.match(fr.text, /gdpr-21\/objection/);
    assert.match(fr.text, /1 déc\. 2026, 10:00/);
    assert.match(fr.text, /value="2026-12-01T10:00"/);
    const en = await viewer.get(q("carol@example.fr"), EN);
    assert.match(en.text, /<span class="block">Blocked<\/span>/);
    assert.match(en.text, /<code>gdpr-21\/objection<\/code>/);
    assert.match(en.text, /RGPD, art\. 21/);
    const bad = await viewer.get(
      `/people?point=alice%40example.fr&campaign=${campaignId}&at=2040-01-01T10%3A00`,
      EN,
    );
    assert.match(bad.text, /id="at-error">Instant not recognised or outside the period covered/);
    // A time the spring-forward gap skipped is refused, not decided an hour later.
    const skipped = await viewer.get(
      `/people?point=alice%40example.fr&campaign=${campaignId}&at=2026-03-29T02%3A30`,
      EN,
    );
    assert.match(skipped.text, /id="at-error">Instant not recognised .*clocks skip when they go forward/);
    const unknown = await viewer.get("/people?point=alice%40example.fr&campaign=c_nope", EN);
    assert.match(unknown.text, /id="campaign-error">No such campaign\./);
  });

  it("downloads the subject export as JSON and text for an operator, and records who did", async () => {
    const viewer = await d.client("viewer");
    assert.equal((await viewer.get("/people/export.json?point=alice%40example.fr")).status, 403);
    const operator = await d.client("operator");
    const alice = subject("alice@example.fr");
    const expected = JSON.parse(JSON.stringify(await exportSubject(d.session, alice)));
    const json = await operator.get("/people/export.json?point=Alice%40example.fr");
    assert.equal(json.status, 200);
    assert.match(json.headers.get("content-type") ?? "", /^application\/json/);
    assert.match(
      json.headers.get("content-disposition") ?? "",
      /^attachment; filename="vigie-subject-email-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    assert.deepEqual(JSON.parse(json.text), expected);
    const text = await operator.get("/people/export.txt?point=alice%40example.fr");
    assert.match(text.headers.get("content-type") ?? "", /^text\/plain/);
    assert.match(text.text, /^Données détenues sur alice@example\.fr/);
    assert.match(
      text.text,
      /Consents:\n {2}2026-01-10 {2}email for boutique sas — double_opt_in, proof held/,
    );
    const events = await d.session.store.eventsOf(d.session.tenant, alice.keys);
    const exports = events.filter(
      (e) => e.data.type === "activity.recorded" && e.data.action === "subject.exported",
    );
    assert.equal(exports.length, 2);
    assert.deepEqual(
      exports.map((e) => [
        e.pointKey,
        e.proof.recordedBy,
        e.data.type === "activity.recorded" && e.data.target,
      ]),
      [
        [alice.key, "user:operator", ""],
        [alice.key, "user:operator", ""],
      ],
    );
    const page = await operator.get("/people?point=alice%40example.fr", EN);
    assert.match(page.text, /<th scope="row">Activity<\/th><td>action: <code>subject\.exported<\/code>/);
  });

  it("erases for an admin only, after the point is typed again", async () => {
    const operator = await d.client("operator");
    assert.equal((await operator.get("/people/erase?point=dave%40example.fr")).status, 403);
    assert.equal(
      (await operator.post("/people/erase", { point: "dave@example.fr", confirm: "dave@example.fr" })).status,
      403,
    );
    const admin = await d.client("admin");
    const confirm = await admin.get("/people/erase?point=dave%40example.fr", EN);
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /personal data will be deleted/);
    assert.match(confirm.text, /keyed suppression is kept/);
    assert.match(confirm.text, /This cannot be undone\./);
    assert.match(confirm.text, /<label for="confirm">/);
    assert.equal(
      (
        await admin.post("/people/erase", {
          point: "dave@example.fr",
          confirm: "dave@example.fr",
          csrf: "forged",
        })
      ).status,
      403,
    );
    const wrong = await admin.post("/people/erase", {
      point: "dave@example.fr",
      confirm: "alice@example.fr",
    });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /aria-describedby="confirm-hint confirm-error"/);
    const dave = subject("dave@example.fr");
    assert.equal((await d.session.store.evidence(d.session.tenant, dave.keys)).point?.erasedAt, null);

    const done = await admin.post("/people/erase", { point: "dave@example.fr", confirm: " DAVE@example.fr" });
    assert.equal(done.status, 200);
    assert.match(done.text, /Erased: the personal data is deleted|Effacé : les données personnelles/);
    const ev = await d.session.store.evidence(d.session.tenant, dave.keys);
    assert.ok((ev.point?.erasedAt ?? 0) > 0);
    assert.equal(ev.point?.value, null);
    const events = await d.session.store.eventsOf(d.session.tenant, dave.keys);
    const erased = events.find((e) => e.data.type === "subject.erased");
    assert.equal(erased?.proof.recordedBy, "user:admin");
    assert.ok(
      events.every((e) => e.pii === null || e.pii.sourceUrl === undefined),
      "source URLs gone",
    );
  });

  it("hands an operator a person's evidence pack that matches the store", async () => {
    const viewer = await d.client("viewer");
    assert.equal((await viewer.get("/people/pack?point=alice%40example.fr")).status, 403);
    const operator = await d.client("operator");
    const alice = subject("alice@example.fr");
    const res = await operator.fetch(
      `/people/pack?point=alice%40example.fr&campaign=${campaignId}&at=2026-12-01T10%3A00`,
      {},
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/zip");
    assert.match(
      res.headers.get("content-disposition") ?? "",
      /^attachment; filename="vigie-pack-email-\d{8}-\d{6}\.zip"$/,
    );
    const zip = new Uint8Array(await res.arrayBuffer());
    const files = unzipSync(zip);
    assert.deepEqual(Object.keys(files), ["pack.json", "pack.html", "manifest.json", "manifest.sig"]);
    const verified = verifyPack(zip, (d.session.signer as SigningKey).publicKey);
    assert.deepEqual([verified.ok, verified.problems], [true, []], "the download verifies offline");
    const pack = JSON.parse(strFromU8(files["pack.json"] as Uint8Array)) as PersonPack;
    assert.equal(pack.kind, "person");
    assert.equal(pack.madeBy, "user:operator");
    assert.equal(pack.rulebook, RULEBOOK_VERSION);
    assert.deepEqual(pack.point, { type: "email", value: "alice@example.fr" });
    assert.equal(pack.pointKey, alice.key);
    const head = pack.chainHead;
    assert.ok(head !== null);
    const stored = (await d.session.store.eventsOf(d.session.tenant, alice.keys)).filter(
      (e) => e.seq <= head.seq,
    );
    assert.deepEqual(
      pack.events.map((e) => [e.seq, e.eventId, e.hash, e.prevHash, e.piiHash]),
      stored.map((e) => [e.seq, e.eventId, e.hash, e.prevHash, e.piiHash]),
    );
    const evidence = await d.session.store.evidence(d.session.tenant, alice.keys);
    assert.deepEqual(pack.objections, JSON.parse(JSON.stringify(evidence.objections)));
    assert.deepEqual(pack.contacts, JSON.parse(JSON.stringify(evidence.contacts)));
    assert.equal(pack.sources[0]?.sourceUrl, "https://boutique.example/newsletter");
    assert.deepEqual(pack.consents[0]?.receipt?.proof, {
      recordedBy: "import:consents.csv",
      collectionPoint: "https://boutique.example/newsletter",
      wordingVersion: "v3",
      wordingSha256: "cd".repeat(32),
      proofRef: "proofs/receipt-42.eml",
    });
    assert.equal(pack.decision?.campaign.id, campaignId);
    assert.equal(pack.decision?.at, "2026-12-01T09:00:00.000Z");
    assert.equal(pack.decision?.decision.verdict, "allow");
    const html = strFromU8(files["pack.html"] as Uint8Array);
    assert.match(html, /Dossier de preuves — personne <span class="en" lang="en">\/ Evidence pack — person/);
    assert.doesNotMatch(html, /<script|(src|href)="https?:/);
    const after = await d.session.store.eventsOf(d.session.tenant, alice.keys);
    const packed = after.filter(
      (e) => e.data.type === "activity.recorded" && e.data.action === "evidence-pack.exported",
    );
    assert.deepEqual(
      packed.map((e) => [e.pointKey, e.proof.recordedBy]),
      [[alice.key, "user:operator"]],
    );
  });

  it("hands an operator a finished screening's pack, and 404 for anything else", async () => {
    // The layout the screening page keeps: <screenings>/<id>/{campaign.json,meta.json,out/}.
    const id = "0123456789abcdef0123456789abcdef";
    const home = join(`${d.dir}/vigie.db.screenings`, id);
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, "list.csv"), "email\nalice@example.fr\ncarol@example.fr\n");
    writeFileSync(
      join(home, "campaign.json"),
      JSON.stringify({ ...NEWSLETTER, at: "2026-12-01T10:00:00+01:00" }),
    );
    await screenList({
      list: join(home, "list.csv"),
      campaignFile: join(home, "campaign.json"),
      campaign: loadCampaign(join(home, "campaign.json")),
      out: join(home, "out"),
      names: columnNames(undefined),
      lang: "en",
      evidence: sessionEvidence(
        d.session,
        "sqlite:vigie.db",
        await d.session.store.chainHead(d.session.tenant),
      ),
    });
    const meta = {
      id,
      createdAt: "2026-11-30T09:00:00.000Z",
      by: "user:operator",
      listName: "list.csv",
      listSha256: "0".repeat(64),
      campaignId,
      status: "done",
    };
    writeFileSync(join(home, "meta.json"), JSON.stringify(meta));

    const viewer = await d.client("viewer");
    assert.equal((await viewer.get(`/screen/${id}/pack`)).status, 403);
    const operator = await d.client("operator");
    const res = await operator.fetch(`/screen/${id}/pack`, {});
    assert.equal(res.status, 200);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    assert.deepEqual(Object.keys(files), [
      "pack.json",
      "pack.html",
      "report.html",
      "manifest.json",
      "manifest.sig",
    ]);
    const pack = JSON.parse(strFromU8(files["pack.json"] as Uint8Array)) as ScreeningPack;
    assert.deepEqual([pack.summary.allowed, pack.summary.blocked], [1, 1]);
    assert.deepEqual(
      pack.allowed.map((a) => [a.point.value, a.consents.map((c) => c.method)]),
      [["alice@example.fr", ["double_opt_in"]]],
    );
    const events = [];
    for await (const e of d.session.store.events(d.session.tenant)) events.push(e);
    const last = events.at(-1);
    assert.ok(last?.data.type === "activity.recorded" && last.data.action === "evidence-pack.exported");
    assert.equal(last.data.target, id);
    assert.equal(last.pointKey, "");

    writeFileSync(join(home, "meta.json"), JSON.stringify({ ...meta, status: "running" }));
    assert.equal((await operator.get(`/screen/${id}/pack`)).status, 404);
    assert.equal((await operator.get("/screen/ffffffffffffffffffffffffffffffff/pack")).status, 404);
    assert.equal((await operator.get("/screen/..%2F..%2Fetc/pack")).status, 404);
    assert.equal((await operator.get("/screen/a.b/pack")).status, 404);
  });
});
