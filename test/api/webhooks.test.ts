// Webhook subscriptions through the API: admin only, the secret in the answer that makes one and
// nowhere after, bad bodies named, replay and removal; deliveries as the CLI's.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { deliverWebhooks } from "../../src/services/webhooks/deliver.ts";
import { type Server, startServer } from "./helpers.ts";

describe("/v1/webhooks", () => {
  let s: Server;
  const got: string[] = [];
  const fetchStub = (async (_url: string | URL | Request, init?: RequestInit) => {
    got.push(String(init?.body));
    return new Response(null, { status: 204 });
  }) as typeof fetch;
  before(async () => {
    s = await startServer();
  });
  after(async () => {
    await s.close();
  });

  test("admin only; bad bodies named", async () => {
    assert.equal((await s.call("GET", "/v1/webhooks", { key: s.key.read })).status, 403);
    assert.equal((await s.call("POST", "/v1/webhooks", { key: null, body: {} })).status, 401);
    const bad = await s.call("POST", "/v1/webhooks", {
      body: { url: "ftp://x", events: ["objection", "nope"], x: 1 },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(
      bad.json.error.issues.map((e: { path: string }) => e.path),
      ["url", "events[1]", "x"],
    );
    assert.equal(bad.json.error.issues[2].message, "unknown field");
    assert.match(bad.json.error.issues[1].message, /^must be one of: objection, /);
    const notFlag = await s.call("POST", "/v1/webhooks", {
      body: { url: "https://mailer.example/x", events: ["objection"], personalData: "yes" },
    });
    assert.deepEqual(
      [notFlag.status, notFlag.json.error.path, notFlag.json.error.message],
      [400, "personalData", "must be true or false"],
    );
  });

  test("personal data is not sent over plain http, but to this machine", async () => {
    const clear = await s.call("POST", "/v1/webhooks", {
      body: { url: "http://relay:pw@hooks.example/vigie", events: ["objection"], personalData: true },
    });
    assert.equal(clear.status, 400, clear.text);
    assert.equal(clear.json.error.path, "url");
    assert.match(clear.json.error.message, /personal data go over https/);
    assert.equal(clear.text.includes(":pw@"), false, clear.text);
    for (const body of [
      { url: "http://hooks.example/vigie", events: ["objection"] },
      { url: "http://127.0.0.1:9/vigie", events: ["objection"], personalData: true },
    ]) {
      const made = await s.call("POST", "/v1/webhooks", { body });
      assert.equal(made.status, 201, made.text);
      await s.call("POST", `/v1/webhooks/${made.json.id}/remove`);
    }
  });

  test("credentials in a subscription's URL are never shown back", async () => {
    const made = await s.call("POST", "/v1/webhooks", {
      body: { url: "https://relay:s3cr3t-pw@hooks.example/vigie", events: ["objection"] },
    });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.json.url, "https://***@hooks.example/vigie");
    const listed = await s.call("GET", "/v1/webhooks");
    assert.equal(listed.text.includes("s3cr3t-pw"), false, listed.text);
    // Removed, so as not to disturb the tests below.
    assert.deepEqual((await s.call("POST", `/v1/webhooks/${made.json.id}/remove`)).json, {
      removed: made.json.id,
    });
  });

  test("a subscription: its secret once, its progress, replay, removal; recorded events delivered", async () => {
    const made = await s.call("POST", "/v1/webhooks", {
      body: { url: "https://mailer.example/vigie", events: ["objection", "objection"] },
    });
    assert.equal(made.status, 201, made.text);
    assert.match(made.json.secret, /^whsec_/);
    assert.deepEqual(made.json.events, ["objection.recorded"]);
    assert.equal(made.json.personalData, false);
    const id = made.json.id as string;
    const listed = await s.call("GET", "/v1/webhooks");
    assert.equal(listed.text.includes("whsec_"), false, "never the secret again");
    assert.deepEqual(
      listed.json.webhooks.map((w: { id: string }) => w.id),
      [id],
    );

    const obj = await s.call("POST", "/v1/objections", {
      key: s.key["write-evidence"],
      body: { point: "06 12 34 56 78", channel: "sms", via: "stop_sms" },
    });
    assert.equal(obj.status, 201, obj.text);
    assert.equal((await s.call("GET", `/v1/webhooks/${id}`)).json.behind > 0, true);
    await deliverWebhooks(s.session.store, s.session.tenant, { fetch: fetchStub });
    assert.equal(got.length, 1);
    assert.equal(JSON.parse(got[0] as string).data.event.channel, "sms");
    assert.equal((await s.call("GET", `/v1/webhooks/${id}`)).json.behind, 0);

    const replay = await s.call("POST", `/v1/webhooks/${id}/replay`, { body: { fromSeq: 1 } });
    assert.deepEqual([replay.status, replay.json], [200, { from: 1 }]);
    await deliverWebhooks(s.session.store, s.session.tenant, { fetch: fetchStub });
    assert.equal(got.length, 2, "the objection again, the same event");
    assert.equal(JSON.parse(got[1] as string).data.eventId, JSON.parse(got[0] as string).data.eventId);
    const notReplay = await s.call("POST", `/v1/webhooks/${id}/replay`, { body: { dead: false } });
    assert.deepEqual(
      [notReplay.status, notReplay.json.error.message],
      [400, 'send either {"fromSeq": N} (N ≥ 1) or {"dead": true}'],
    );

    assert.deepEqual((await s.call("POST", `/v1/webhooks/${id}/remove`)).json, { removed: id });
    assert.equal((await s.call("POST", `/v1/webhooks/${id}/remove`)).status, 404);
    assert.equal((await s.call("GET", `/v1/webhooks/${id}`)).status, 404);
  });
});
