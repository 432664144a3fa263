// The law by date and the audit pages, over real HTTP.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { RULES, ruleById, versionAt } from "../../src/engine/rulebook.ts";
import { recordActivity } from "../../src/services/activity.ts";
import { objectionEvent } from "../../src/services/record.ts";
import { subjectOf } from "../../src/services/session.ts";
import { dayStart } from "../../src/time/dates.ts";
import { type Dashboard, startDashboard } from "./helpers.ts";

describe("dashboard: the law by date", () => {
  let d: Dashboard;
  before(async () => {
    d = await startDashboard();
  });
  after(() => d.close());

  it("lists what applied on 3 March 2025: every rule in force that day, and the later phone-consent rule as not in force", async () => {
    const viewer = await d.client("viewer");
    const page = await viewer.get("/law?at=2025-03-03", { "accept-language": "en" });
    assert.equal(page.status, 200);
    const inForce = RULES.filter((r) => {
      const c = ruleById(r.id);
      return c !== undefined && versionAt(c, dayStart("2025-03-03")) !== undefined;
    });
    assert.match(page.text, new RegExp(`Rules in force on 3 Mar 2025 \\(${inForce.length}\\)`));
    assert.match(
      page.text,
      new RegExp(`Rules that did not apply that day \\(${RULES.length - inForce.length}\\)`),
    );
    const notInForce = page.text.slice(page.text.indexOf('id="not-in-force"'));
    assert.match(notInForce, /conso-l223-1\/phone-consent/);
    const later = await viewer.get("/law?at=2026-12-01", { "accept-language": "en" });
    const laterInForce = later.text.slice(
      later.text.indexOf('id="in-force"'),
      later.text.indexOf('id="not-in-force"'),
    );
    assert.match(laterInForce, /conso-l223-1\/phone-consent/);
  });

  it("shows a rule with its versions, the one in force marked, its text and its parameters that day", async () => {
    const viewer = await d.client("viewer");
    const page = await viewer.get(`/law/${encodeURIComponent("conso-d223-9/hours")}?at=2025-03-03`, {
      "accept-language": "fr",
    });
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>conso-d223-9\/hours<\/h1>/);
    assert.match(page.text, /aria-current="true"><td>▶ /);
    assert.match(page.text, /D\.223-9/);
    assert.match(page.text, /Paramètres ce jour-là/);
    assert.match(page.text, /<code>d223-9\.calling-hours<\/code>/);
    assert.match(page.text, /de 10 heures à 13 heures/);
  });

  it("names a date it cannot use next to the field", async () => {
    const viewer = await d.client("viewer");
    const bad = await viewer.get("/law?at=2041-01-01", { "accept-language": "en" });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /aria-describedby="at-hint at-error"/);
    assert.match(bad.text, /id="at-error">Not a date, or outside the rulebook&#39;s coverage/);
    const unknown = await viewer.get("/law/no-such-rule?at=2025-03-03", { "accept-language": "en" });
    assert.equal(unknown.status, 404);
  });
});

describe("dashboard: dates that do not exist", () => {
  let d: Dashboard;
  before(async () => {
    d = await startDashboard();
  });
  after(() => d.close());

  it("answers 400 (the page naming the field), never 500, on every page that takes a date", async () => {
    const admin = await d.client("admin");
    for (const day of ["2025-02-30", "2025-13-01", "2025-02-29", "2025-00-10", "9999-99-99"]) {
      for (const path of [
        `/law?at=${day}`,
        `/law/${encodeURIComponent("conso-d223-9/hours")}?at=${day}`,
        `/people?point=0612345678&campaign=x&at=${day}T10:00`,
        `/people?point=0612345678&campaign=x&at=${day}`,
        `/people/pack?point=0612345678&campaign=x&at=${day}`,
      ]) {
        const page = await admin.get(path);
        assert.ok(page.status < 500, `${path}: ${page.status}`);
      }
      assert.equal((await admin.get(`/law?at=${day}`)).status, 400);
    }
  });
});

describe("dashboard: audit", () => {
  let d: Dashboard;
  before(async () => {
    d = await startDashboard();
    const { session } = d;
    const s = subjectOf(session.ring, "06 12 34 56 78");
    assert.ok(s.ok);
    await session.store.append([
      objectionEvent(
        { tenant: session.tenant, subject: s.subject, proof: { recordedBy: "key:k_test" } },
        "all",
        "letter",
        Date.UTC(2025, 0, 10),
      ),
    ]);
    await recordActivity(session, {
      action: "campaign.created",
      target: "c_abc",
      by: "user:admin",
      at: Date.UTC(2025, 0, 11),
    });
  });
  after(() => d.close());

  it("shows who did what, newest first, without the person's number", async () => {
    const viewer = await d.client("viewer");
    const page = await viewer.get("/audit", { "accept-language": "en" });
    assert.equal(page.status, 200);
    const campaign = page.text.indexOf("campaign.created c_abc");
    const objection = page.text.indexOf("objection.recorded (all)");
    assert.ok(campaign > 0 && objection > campaign, "newest first");
    assert.match(page.text, /user:admin/);
    assert.match(page.text, /key:k_test/);
    assert.doesNotMatch(page.text, /612345678/);
  });

  it("verifies the chain, then names the event altered behind its back", async () => {
    const viewer = await d.client("viewer");
    const ok = await viewer.post("/audit/verify", {});
    assert.equal(ok.status, 200);
    assert.match(ok.text, /Chain intact|Chaîne intacte/);
    const forged = await viewer.post("/audit/verify", { csrf: "nope" });
    assert.equal(forged.status, 403);

    const db = new Database(`${d.dir}/vigie.db`);
    db.prepare("UPDATE events SET controller = 'someone else' WHERE seq = 1").run();
    db.close();
    const broken = await viewer.post("/audit/verify", {});
    assert.equal(broken.status, 409);
    assert.match(broken.text, /role="alert"/);
    assert.match(broken.text, /event 1 \(objection.recorded\) was altered after it was recorded/);
  });
});
