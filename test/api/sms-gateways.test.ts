// Twilio's inbound SMS webhook over real HTTP: its signature checked as Twilio makes it, a STOP
// recorded as an objection to SMS, the empty TwiML answered; refused unsigned or unconfigured.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { subjectOf } from "../../src/services/session.ts";
import { type Server, startServer } from "./helpers.ts";

const TOKEN = "twilio-test-auth-token";

/** The objections the server's store holds for a phone number. */
async function objectionsOf(s: Server, phone: string) {
  const who = subjectOf(s.session.ring, phone);
  assert.ok(who.ok);
  return (await s.session.store.evidence(s.session.tenant, who.subject.keys)).objections;
}

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

/** Vonage's documented signing, written out again here rather than imported. */
function vonageSign(secret: string, method: "md5hash" | "sha256", params: Record<string, string>): string {
  let text = "";
  for (const k of Object.keys(params).sort()) text += `&${k}=${(params[k] ?? "").replace(/[&=]/g, "_")}`;
  return method === "md5hash"
    ? createHash("md5")
        .update(text + secret)
        .digest("hex")
    : createHmac("sha256", secret).update(text).digest("hex").toUpperCase();
}

describe("/v1/sms/vonage", () => {
  const SECRET = "vonage-signature-secret";
  let s: Server;
  before(async () => {
    s = await startServer({ vonage: { secret: SECRET, method: "sha256" } });
  });
  after(async () => {
    await s.close();
  });
  const objections = (phone: string) => objectionsOf(s, phone);
  const inbound = (msisdn: string, text: string) => ({
    msisdn,
    to: "33644000000",
    messageId: `0A00000${msisdn.slice(-4)}`,
    text,
    type: "text",
    keyword: text.split(" ")[0] ?? "",
    "message-timestamp": "2026-11-30 09:12:00",
    timestamp: "1796029920",
    nonce: "a1b2c3",
  });

  test("a signed STOP posted as JSON is an objection to SMS (Vonage's number has no +); 204", async () => {
    const params = inbound("33612340001", "Stop svp");
    const r = await fetch(`${s.url}/v1/sms/vonage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...params, sig: vonageSign(SECRET, "sha256", params) }),
    });
    assert.equal(r.status, 204, await r.text());
    assert.deepEqual(
      (await objections("+33612340001")).map((o) => [o.channel, o.via, o.controller]),
      [["sms", "stop_sms", ""]],
    );
  });

  test("as a form, and by GET with a value holding & and =; a reply that is no STOP records nothing", async () => {
    const params = inbound("33612340002", "STOP & merci = fin");
    const form = new URLSearchParams({ ...params, sig: vonageSign(SECRET, "sha256", params) });
    const r = await fetch(`${s.url}/v1/sms/vonage`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    assert.equal(r.status, 204);
    assert.equal((await objections("+33612340002")).length, 1);
    const other = inbound("33612340003", "Oui rappelez-moi");
    const q = new URLSearchParams({ ...other, sig: vonageSign(SECRET, "sha256", other) });
    assert.equal((await fetch(`${s.url}/v1/sms/vonage?${q}`)).status, 204);
    assert.equal((await objections("+33612340003")).length, 0);
  });

  test("unsigned, signed for other parameters, or by another method: 403, nothing recorded", async () => {
    const params = inbound("33612340004", "STOP");
    const post = (sig: string | null) =>
      fetch(`${s.url}/v1/sms/vonage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(sig === null ? params : { ...params, sig }),
      });
    assert.equal((await post(null)).status, 403);
    assert.equal((await post(vonageSign(SECRET, "sha256", { ...params, text: "Oui" }))).status, 403);
    assert.equal((await post(vonageSign(SECRET, "md5hash", params))).status, 403);
    assert.equal((await objections("+33612340004")).length, 0);
  });
});

test("md5hash, as some Vonage accounts sign; and without a secret the route is not there", async () => {
  const s = await startServer({ vonage: { secret: "legacy", method: "md5hash" } });
  try {
    const params = { msisdn: "33612340005", to: "33644000000", text: "STOP", messageId: "X1" };
    const q = new URLSearchParams({ ...params, sig: vonageSign("legacy", "md5hash", params) });
    assert.equal((await fetch(`${s.url}/v1/sms/vonage?${q}`)).status, 204);
  } finally {
    await s.close();
  }
  const bare = await startServer();
  try {
    assert.equal((await fetch(`${bare.url}/v1/sms/vonage?msisdn=1`)).status, 404);
  } finally {
    await bare.close();
  }
});

describe("POST /v1/sms/brevo", () => {
  const TOKEN = "brevo-webhook-token";
  let s: Server;
  before(async () => {
    s = await startServer({ brevoToken: TOKEN });
  });
  after(async () => {
    await s.close();
  });
  const objections = (phone: string) => objectionsOf(s, phone);
  /** A transactional SMS event as Brevo posts it. */
  const event = (to: string, status: string, reply?: string) => ({
    id: 26570,
    to,
    sms_count: 1,
    credits_used: 1,
    messageId: Number(to.slice(-6)),
    remaining_credit: 1000,
    msg_status: status,
    date: "2026-11-30 10:12:00",
    type: "marketing",
    tag: "relance",
    ...(reply === undefined ? {} : { reply }),
  });
  const post = (body: unknown, authorization: string | null) =>
    fetch(`${s.url}/v1/sms/brevo`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(authorization === null ? {} : { authorization }),
      },
      body: JSON.stringify(body),
    });

  test("a STOP replied, with the webhook's bearer token, is an objection to SMS; 204", async () => {
    const r = await post(event("33612350001", "replied", "ARRET"), `Bearer ${TOKEN}`);
    assert.equal(r.status, 204, await r.text());
    const [o] = await objections("+33612350001");
    assert.deepEqual([o?.channel, o?.via, o?.controller], ["sms", "stop_sms", ""]);
  });

  test("a batch, with the token as the password of the URL's credentials: STOPs and unsubscribes only", async () => {
    const basic = `Basic ${Buffer.from(`vigie:${TOKEN}`).toString("base64")}`;
    const batch = [
      event("33612350002", "delivered"),
      event("33612350003", "replied", "Oui, rappelez-moi"),
      event("33612350004", "replied", "Stop svp"),
      event("33612350005", "unsubscribe"),
      // A STOP whatever the event calls itself.
      { ...event("33612350008", "inbound"), reply: "stop" },
    ];
    assert.equal((await post(batch, basic)).status, 204);
    assert.equal((await objections("+33612350002")).length, 0);
    assert.equal((await objections("+33612350003")).length, 0);
    assert.equal((await objections("+33612350004")).length, 1);
    assert.equal((await objections("+33612350005")).length, 1);
    assert.equal((await objections("+33612350008")).length, 1);
  });

  test("no token, another token, another scheme: 403, nothing recorded", async () => {
    const stop = event("33612350006", "replied", "STOP");
    assert.equal((await post(stop, null)).status, 403);
    assert.equal((await post(stop, "Bearer brevo-webhook-tokeN")).status, 403);
    assert.equal((await post(stop, `Basic ${Buffer.from(TOKEN).toString("base64")}`)).status, 403);
    assert.equal((await post(stop, `Token ${TOKEN}`)).status, 403);
    assert.equal((await objections("+33612350006")).length, 0);
  });

  test("a batch with an event that cannot be read is refused whole, naming it", async () => {
    const batch = [event("33612350007", "replied", "STOP"), { ...event("0", "replied", "STOP") }];
    const r = await post(batch, `Bearer ${TOKEN}`);
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { error: { path: string } }).error.path, "[1].to");
    const missing = await post([{ msg_status: "replied", reply: "STOP" }], `Bearer ${TOKEN}`);
    assert.equal(((await missing.json()) as { error: { path: string } }).error.path, "[0].to");
    assert.equal((await objections("+33612350007")).length, 0);
  });

  test("without a token configured the route is not there", async () => {
    const bare = await startServer();
    try {
      const r = await fetch(`${bare.url}/v1/sms/brevo`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
        body: "{}",
      });
      assert.equal(r.status, 404);
    } finally {
      await bare.close();
    }
  });
});
