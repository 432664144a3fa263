// Twilio's inbound SMS webhook over real HTTP: its signature checked as Twilio makes it, a STOP
// recorded as an objection to SMS, the empty TwiML answered; refused unsigned or unconfigured.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { subjectOf } from "../../src/services/session.ts";
import { type Server, startServer } from "./helpers.ts";

const TOKEN = "twilio-test-auth-token";

/** Twilio's documented algorithm, written out again here rather than imported. */
function sign(url: string, params: Record<string, string>): string {
  let data = url;
  for (const k of Object.keys(params).sort()) data += k + params[k];
  return createHmac("sha1", TOKEN).update(data).digest("base64");
}

describe("POST /v1/sms/twilio", () => {
  let s: Server;
  before(async () => {
    s = await startServer({ twilioAuthToken: TOKEN });
  });
  after(async () => {
    await s.close();
  });

  const post = (params: Record<string, string>, signature: string | null) =>
    fetch(`${s.url}/v1/sms/twilio`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(signature === null ? {} : { "x-twilio-signature": signature }),
      },
      body: new URLSearchParams(params).toString(),
    });

  test("a signed STOP is an objection to SMS; the answer is empty TwiML", async () => {
    const params = {
      From: "+33612345678",
      To: "+33644000000",
      Body: "Ne plus m'envoyer de sms",
      MessageSid: "SM1",
    };
    const r = await post(params, sign(`${s.url}/v1/sms/twilio`, params));
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /^text\/xml/);
    assert.equal(await r.text(), '<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    const who = subjectOf(s.session.ring, "+33612345678");
    assert.ok(who.ok);
    const ev = await s.session.store.evidence(s.session.tenant, who.subject.keys);
    assert.deepEqual(
      ev.objections.map((o) => [o.channel, o.via, o.controller]),
      [["sms", "stop_sms", ""]],
    );
  });

  test("another reply is answered and records nothing", async () => {
    const params = { From: "+33698765432", To: "+33644000000", Body: "Oui, rappelez-moi" };
    const r = await post(params, sign(`${s.url}/v1/sms/twilio`, params));
    assert.equal(r.status, 200);
    const who = subjectOf(s.session.ring, "+33698765432");
    assert.ok(who.ok);
    assert.equal((await s.session.store.evidence(s.session.tenant, who.subject.keys)).objections.length, 0);
  });

  test("unsigned, signed for another body or URL: 403, nothing recorded", async () => {
    const params = { From: "+33611111111", Body: "STOP" };
    assert.equal((await post(params, null)).status, 403);
    assert.equal(
      (await post(params, sign(`${s.url}/v1/sms/twilio`, { ...params, Body: "Oui" }))).status,
      403,
    );
    assert.equal((await post(params, sign("https://elsewhere.example/v1/sms/twilio", params))).status, 403);
    const who = subjectOf(s.session.ring, "+33611111111");
    assert.ok(who.ok);
    assert.equal((await s.session.store.evidence(s.session.tenant, who.subject.keys)).objections.length, 0);
  });
});

test("without an auth token configured the route is not there: 404", async () => {
  const s = await startServer();
  try {
    const r = await fetch(`${s.url}/v1/sms/twilio`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "From=%2B33612345678&Body=STOP",
    });
    assert.equal(r.status, 404);
  } finally {
    await s.close();
  }
});
