// Evidence packs built by the service (no HTTP): a screening's pack on a real screenList run over
// a real store, and a person's pack checked against the store it came from.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { strFromU8, unzipSync } from "fflate";
import { RULEBOOK_VERSION } from "../../src/engine/rulebook-coverage.ts";
import {
  type PersonPack,
  personPack,
  ScreeningNotFound,
  type ScreeningPack,
  screeningPack,
} from "../../src/services/evidence-pack.ts";
import { signatureHolds } from "../../src/services/head-statement.ts";
import { zipPack } from "../../src/services/pack-zip.ts";
import { consentEvent, objectionEvent, sourceEvent } from "../../src/services/record.ts";
import { loadCampaign } from "../../src/services/screen/campaign.ts";
import { columnNames } from "../../src/services/screen/columns.ts";
import { sessionEvidence } from "../../src/services/screen/evidence.ts";
import { type ListValues, parseMapValues, parseSet } from "../../src/services/screen/list-values.ts";
import { screenList } from "../../src/services/screen/run.ts";
import { openSession, type Session, type Subject, subjectOf } from "../../src/services/session.ts";
import { treeHeadOf } from "../../src/store/tree.ts";
import { vigie } from "../cli/vigie.ts";
import { sourceData } from "../support/evidence.ts";

const CAMPAIGN = {
  controller: "Boutique SAS",
  channel: "email",
  at: "2026-12-01T10:00:00+01:00",
  message: { senderIdentified: true, optOut: true },
};
const GIVEN = Date.parse("2026-01-10T10:00:00Z");

function subject(session: Session, raw: string): Subject {
  const r = subjectOf(session.ring, raw);
  if (!r.ok) throw new Error(r.reason);
  return r.subject;
}

/** A direct source and an e-mail consent with its proof, for Boutique SAS. */
async function seedConsent(session: Session, raw: string): Promise<Subject> {
  const s = subject(session, raw);
  const r = {
    tenant: session.tenant,
    subject: s,
    controller: "Boutique SAS",
    proof: {
      recordedBy: "import:consents.csv",
      collectionPoint: "https://boutique.example/newsletter",
      wordingVersion: "v3",
      wordingSha256: "ab".repeat(32),
      proofRef: "proofs/alice.eml",
    },
  };
  await session.store.append([
    sourceEvent(r, sourceData({ collectedAt: GIVEN }), "https://boutique.example/newsletter"),
    consentEvent(r, {
      channel: "email",
      givenAt: GIVEN,
      method: "double_opt_in",
      scope: "standard",
      proof: true,
      ip: "203.0.113.7",
      userAgent: "Firefox/140",
    }),
  ]);
  return s;
}

/** Screening ids as the dashboard makes them: 128 random bits in hex. */
const DONE = "d".repeat(32);
const RUNNING = "e".repeat(32);
/** A screening whose list said its origins in its own words, read through --map-values and --set. */
const MAPPED = "f".repeat(32);

describe("evidence packs", () => {
  let dir: string;
  let session: Session;
  let screenings: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigie-pack-"));
    process.env.VIGIE_KEYRING = join(dir, "keyring.json");
    session = await openSession({ store: join(dir, "vigie.db"), tenant: "t" });
    await seedConsent(session, "alice@example.fr");
    await seedConsent(session, "carol@example.fr");
    // Carol then objected: blocked. Bob never consented: blocked.
    const carol = subject(session, "carol@example.fr");
    await session.store.append([
      objectionEvent(
        { tenant: "t", subject: carol, controller: "Boutique SAS", proof: { recordedBy: "test" } },
        "all",
        "unsubscribe_link",
        Date.parse("2026-06-01T10:00:00Z"),
      ),
    ]);
    screenings = join(dir, "screenings");
    await screening(DONE, "done");
    await screening(RUNNING, "running");
    await screening(MAPPED, "done", {
      list: "id,email,origin,customer_since\n1,alice@example.fr,Newsletter,01/03/2025\n2,bob@example.fr,,\n",
      values: {
        set: parseSet(["origin=direct"]),
        maps: parseMapValues(["origin=Newsletter:direct"]),
      },
    });
  });
  after(async () => {
    await session.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The layout the dashboard keeps a screening in: campaign.json, meta.json and out/. */
  async function screening(
    id: string,
    status: string,
    given: { list: string; values: ListValues } | undefined = undefined,
  ): Promise<void> {
    const at = join(screenings, id);
    mkdirSync(at, { recursive: true });
    const list = join(at, "list.csv");
    writeFileSync(
      list,
      given?.list ?? "id,email\n1,Alice@Example.fr\n2,bob@example.fr\n3,carol@example.fr\n4,not an address\n",
    );
    writeFileSync(join(at, "campaign.json"), JSON.stringify(CAMPAIGN));
    await screenList({
      list,
      campaignFile: join(at, "campaign.json"),
      campaign: loadCampaign(join(at, "campaign.json")),
      out: join(at, "out"),
      names: columnNames(undefined),
      values: given?.values,
      lang: "fr",
      evidence: sessionEvidence(session, "sqlite:vigie.db", await session.store.chainHead("t")),
    });
    writeFileSync(
      join(at, "meta.json"),
      JSON.stringify({
        id,
        createdAt: "2026-11-30T09:00:00.000Z",
        by: "user:operator",
        listName: "list.csv",
        listSha256: "0".repeat(64),
        campaignId: null,
        status,
      }),
    );
  }

  it("packs a finished screening: campaign, summary, rulebook, and the evidence of each allowed contact", async () => {
    const made = await screeningPack(session, screenings, DONE, {
      by: "user:operator",
      at: Date.parse("2026-12-02T08:00:00Z"),
    });
    const p = made.pack;
    assert.equal(p.kind, "screening");
    assert.equal(p.rulebook, RULEBOOK_VERSION);
    assert.deepEqual(p.campaign, CAMPAIGN);
    assert.deepEqual([p.summary.in, p.summary.allowed, p.summary.blocked, p.summary.rejected], [4, 1, 2, 1]);
    assert.equal(p.summary.evidenceLog?.seq, 5, "the log head it was screened against");
    assert.equal(p.allowed.length, 1);
    const alice = p.allowed[0];
    assert.equal(alice?.point.value, "alice@example.fr");
    assert.equal(alice?.line, 2);
    assert.equal(alice?.pointKey, subject(session, "alice@example.fr").key);
    assert.deepEqual(
      alice?.consents.map((c) => [c.channel, c.method, c.proof, c.givenAt]),
      [["email", "double_opt_in", true, GIVEN]],
    );
    assert.deepEqual(
      alice?.sources.map((s) => [s.originType, s.sourceUrl]),
      [["direct", "https://boutique.example/newsletter"]],
    );
    assert.match(made.reportHtml ?? "", /<html/);

    const zip = zipPack(p, session.signer, { "report.html": made.reportHtml ?? "" });
    const files = unzipSync(zip);
    assert.deepEqual(Object.keys(files), [
      "pack.json",
      "pack.html",
      "report.html",
      "manifest.json",
      "manifest.sig",
    ]);
    const json = JSON.parse(strFromU8(files["pack.json"] as Uint8Array)) as ScreeningPack;
    assert.deepEqual(json, JSON.parse(JSON.stringify(p)));
    const html = strFromU8(files["pack.html"] as Uint8Array);
    assert.match(html, /Contacts autorisés et leurs preuves/);
    assert.match(html, /Allowed contacts and their evidence/);
    assert.match(html, /alice@example\.fr/);
    assert.doesNotMatch(html, /(src|href)="https?:/);
    assert.deepEqual(
      zipPack(p, session.signer, { "report.html": made.reportHtml ?? "" }),
      zip,
      "one pack, one zip",
    );
  });

  it("packs each allowed contact of a list read through --set and --map-values, which the pack does not know", async () => {
    const { pack } = await screeningPack(session, screenings, MAPPED, {
      by: "user:operator",
      at: Date.now(),
    });
    assert.deepEqual([pack.summary.allowed, pack.summary.blocked, pack.summary.rejected], [1, 1, 0]);
    assert.deepEqual(
      pack.allowed.map((a) => [a.line, a.point.value]),
      [[2, "alice@example.fr"]],
    );
  });

  it("refuses unknown, unfinished and path-escaping screening ids", async () => {
    const by = { by: "user:operator", at: Date.now() };
    for (const id of ["nope", RUNNING, `../${DONE}`, `${DONE}/..`, ".", ""]) {
      await assert.rejects(screeningPack(session, screenings, id, by), ScreeningNotFound, id);
    }
  });

  it("packs a person: consents with their proof receipts, events with their hashes, the chain head and the decision", async () => {
    const alice = subject(session, "alice@example.fr");
    const p: PersonPack = await personPack(session, alice, {
      by: "cli:dpo",
      at: Date.parse("2026-12-02T08:00:00Z"),
      campaign: {
        id: "c_news",
        body: {
          campaign: {
            controller: "Boutique SAS",
            channel: "email",
            message: { senderIdentified: true, optOut: true },
          },
        },
      },
      decisionAt: Date.parse("2026-12-01T10:00:00+01:00"),
    });
    const events = await session.store.eventsOf("t", alice.keys);
    assert.deepEqual(
      p.events.map((e) => [e.seq, e.hash, e.prevHash]),
      events.map((e) => [e.seq, e.hash, e.prevHash]),
    );
    assert.deepEqual(p.chainHead, treeHeadOf(await session.store.chainHead("t")));
    assert.match(p.chainHead?.root ?? "", /^[0-9a-f]{64}$/);
    assert.deepEqual(p.signedHead?.statement, {
      v: 2,
      tenant: "t",
      size: p.chainHead?.seq,
      root: p.chainHead?.root,
      at: p.madeAt,
    });
    assert.deepEqual(
      p.proofs.map((x) => x.seq),
      p.events.map((e) => e.seq),
      "one inclusion proof per event",
    );
    assert.ok(
      session.signer && signatureHolds(p.signedHead, session.signer.publicKey),
      "signed by the store's key",
    );
    assert.equal(p.consents[0]?.receipt?.proof.wordingSha256, "ab".repeat(32));
    assert.equal(p.consents[0]?.receipt?.ip, "203.0.113.7");
    assert.equal(p.decision?.decision.verdict, "allow");
    assert.ok(p.decision?.decision.reasons.some((r) => r.rule === "cpce-l34-5/consent"));
    assert.equal(p.madeBy, "cli:dpo");
    const html = strFromU8(unzipSync(zipPack(p, session.signer))["pack.html"] as Uint8Array);
    assert.match(html, /proofs\/alice\.eml/);
    // Instants as the person lived them, with the offset (pack.json keeps UTC).
    assert.match(html, /2026-01-10T11:00:00\+01:00/, "the consent of 10:00 UTC, in Paris in January");
    assert.doesNotMatch(html, /T\d\d:\d\d:\d\dZ/);
    assert.match(html, /cpce-l34-5\/consent/);
  });

  it("shows an overseas person's instants on their own clock", async () => {
    const dom = subject(session, "dom@example.fr");
    const r = { tenant: "t", subject: dom, controller: "Boutique SAS", proof: { recordedBy: "test" } };
    await session.store.append([sourceEvent(r, sourceData({ collectedAt: GIVEN, department: "971" }), null)]);
    const p = await personPack(session, dom, { by: "cli:dpo", at: Date.parse("2026-12-02T08:00:00Z") });
    const html = strFromU8(unzipSync(zipPack(p, session.signer))["pack.html"] as Uint8Array);
    assert.match(html, /2026-01-10T06:00:00-04:00/, "Guadeloupe");
  });

  it("vigie pack person writes the same pack from the command line, and records it", async () => {
    const campaign = join(dir, "newsletter.json");
    writeFileSync(campaign, JSON.stringify(CAMPAIGN));
    const out = join(dir, "alice.zip");
    const env = { VIGIE_KEYRING: join(dir, "keyring.json") };
    const store = ["--store", join(dir, "vigie.db"), "--tenant", "t"];
    const r = vigie(
      ["pack", "person", "alice@example.fr", "--campaign", campaign, "--out", out, ...store],
      undefined,
      env,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /evidence pack of email, \d+ event\(s\), decision allow/);
    const p = JSON.parse(strFromU8(unzipSync(readFileSync(out))["pack.json"] as Uint8Array)) as PersonPack;
    assert.equal(p.decision?.at, "2026-12-01T09:00:00.000Z", "the file's at");
    assert.match(p.madeBy, /^cli:/);
    const alice = subject(session, "alice@example.fr");
    const last = (await session.store.eventsOf("t", alice.keys)).at(-1);
    assert.ok(last?.data.type === "activity.recorded" && last.data.action === "evidence-pack.exported");
    assert.equal(last.data.target, "newsletter.json");
    const bad = vigie(["pack", "person", "not a point", "--out", out, ...store], undefined, env);
    assert.equal(bad.status, 2);
  });
});
