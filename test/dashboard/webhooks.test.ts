// The webhooks page over real HTTP: each subscription's state and dead letters for a viewer, never
// a secret; delivering again from the first dead letter for an admin only.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { objectionEvent } from "../../src/services/record.ts";
import { subjectOf } from "../../src/services/session.ts";
import { addWebhook, deliverWebhooks, RETRY_DELAYS_MS } from "../../src/services/webhooks/deliver.ts";
import { type Dashboard, startDashboard } from "./helpers.ts";

describe("dashboard: webhooks", () => {
  let d: Dashboard;
  let id = "";
  let secret = "";
  before(async () => {
    d = await startDashboard();
    const { store, tenant, ring } = d.session;
    const w = await addWebhook(
      store,
      tenant,
      { url: "https://mailer.example/vigie", events: ["objection"], personalData: false, fromStart: false },
      Date.UTC(2026, 10, 1),
    );
    id = w.id;
    secret = w.secret;
    const who = subjectOf(ring, "0612345678");
    assert.ok(who.ok);
    await store.append([
      objectionEvent(
        { tenant, subject: who.subject, proof: { recordedBy: "test" } },
        "all",
        "stop_sms",
        Date.UTC(2026, 10, 2),
      ),
    ]);
    // A receiver that never takes it: every retry, then a dead letter.
    const refuse = (async () => new Response(null, { status: 500 })) as typeof fetch;
    let now = Date.UTC(2026, 10, 2);
    for (const delay of [0, ...RETRY_DELAYS_MS]) {
      now += delay;
      await deliverWebhooks(store, tenant, { now: () => now, fetch: refuse });
    }
  });
  after(() => d.close());

  it("shows each subscription, its dead letters, never its secret", async () => {
    const viewer = await d.client("viewer");
    const page = await viewer.get("/webhooks", { "accept-language": "en" });
    assert.equal(page.status, 200);
    assert.match(page.text, new RegExp(id));
    assert.match(page.text, /https:\/\/mailer\.example\/vigie/);
    assert.match(page.text, /keys only/);
    assert.match(page.text, /answered 500/);
    assert.equal(page.text.includes(secret), false);
    assert.doesNotMatch(page.text, /Deliver again/, "a viewer has no replay button");
    assert.equal((await viewer.post("/webhooks/replay", { id })).status, 403);
  });

  it("an admin delivers again from the first dead letter", async () => {
    const admin = await d.client("admin");
    const page = await admin.post("/webhooks/replay", { id });
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, /role="status"/);
    const [sub] = await d.session.store.webhooks(d.session.tenant);
    assert.deepEqual(await d.session.store.deadLetters(d.session.tenant, id), []);
    assert.equal(sub?.progress.attempts, 0);
    const again = await admin.post("/webhooks/replay", { id });
    assert.match(again.text, /Aucun événement abandonné|No event was given up/);
    assert.equal((await admin.post("/webhooks/replay", { id: "wh_nope" })).status, 409);
  });
});
