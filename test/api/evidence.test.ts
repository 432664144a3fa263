import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { verifyAudit } from "../../src/services/audit.ts";
import { NO_FILES } from "../../src/services/erasure-files.ts";
import { eraseSubject } from "../../src/services/rights.ts";
import { subjectOf } from "../../src/services/session.ts";
import { type Server, startServer } from "./helpers.ts";

let s: Server;
before(async () => {
  s = await startServer();
});
after(() => s.close());

const write = (path: string, body: unknown, headers?: Record<string, string>) =>
  s.call("POST", path, { key: s.key["write-evidence"], body, ...(headers ? { headers } : {}) });

const consent = {
  point: "+33 6 11 22 33 44",
  controller: "Agence Dupont",
  channel: "sms",
  givenAt: "2026-10-01T09:00:00Z",
  method: "sms_code",
  wordingVersion: "v3",
  wordingSha256: "a".repeat(64),
  collectionPoint: "https://example.fr/form",
};

describe("evidence writes", () => {
  test("a consent on a point its channel does not reach is 400 naming channel", async () => {
    const r = await write("/v1/consents", { ...consent, point: "lea.channel@example.fr" });
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.deepEqual(
      [r.json.error.path, r.json.error.message],
      ["channel", "sms reaches a phone point, not email"],
    );
  });

  test("a controller or advertiser of spaces or invisible characters alone is a 400 naming it", async () => {
    const point = "+33 6 11 22 33 99";
    for (const [path, body, field] of [
      ["/v1/consents", { ...consent, point, controller: "   " }, "controller"],
      ["/v1/objections", { point, controller: "\u200b", channel: "all" }, "controller"],
      [
        "/v1/contacts-made",
        {
          point,
          controller: "A",
          advertiser: " \u200b",
          channel: "sms",
          at: "2026-10-01T09:00:00Z",
          outcome: "answered",
        },
        "advertiser",
      ],
      ["/v1/sms/replies", { from: point, text: "STOP", controller: "\u2060" }, "controller"],
    ] as const) {
      const r = await write(path, body);
      assert.deepEqual([r.status, r.json.error?.path], [400, field], `${path}: ${r.text}`);
      assert.match(r.json.error.message, /^no name: only spaces or invisible characters/);
    }
  });

  test("a call, a callback or an SMS reply on an e-mail address is 400 naming the field: nothing recorded", async () => {
    const email = "lea.kind@example.fr";
    const call = await write("/v1/contacts-made", {
      point: email,
      controller: "Agence Dupont",
      channel: "voice_live",
      at: "2026-10-01T09:00:00Z",
      outcome: "objected",
    });
    assert.deepEqual([call.status, call.json.error.path], [400, "channel"], call.text);
    const callback = await write("/v1/callback-requests", { point: email, controller: "Agence Dupont" });
    assert.deepEqual([callback.status, callback.json.error.path], [400, "point"], callback.text);
    const reply = await write("/v1/sms/replies", { from: email, text: "STOP" });
    assert.deepEqual([reply.status, reply.json.error.path], [400, "from"], reply.text);
    const mail = await write("/v1/contacts-made", {
      point: email,
      controller: "Agence Dupont",
      channel: "email",
      at: "2026-10-01T09:00:00Z",
      outcome: "no_answer",
    });
    assert.equal(mail.status, 201, mail.text);
  });

  test("a consent: 201 with its seq, its proof, and the request's IP and User-Agent as personal data", async () => {
    const r = await write("/v1/consents", consent, { "user-agent": "FormBrowser/1.0" });
    assert.equal(r.status, 201);
    assert.equal(typeof r.json.seq, "number");
    const again = await write("/v1/consents", consent);
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, { seq: null, duplicate: true });

    const x = await s.call("GET", `/v1/subjects/${encodeURIComponent("0611223344")}/export`, {
      key: s.key.read,
    });
    assert.equal(x.status, 200);
    assert.equal(x.json.point.value, "+33611223344");
    const [c] = x.json.evidence.consents;
    assert.equal(c.channel, "sms");
    assert.equal(c.method, "sms_code");
    assert.equal(c.proof, true);
    const event = x.json.events.find((e: { seq: number }) => e.seq === r.json.seq);
    assert.equal(event.pii.ip, "127.0.0.1");
    assert.equal(event.pii.userAgent, "FormBrowser/1.0");
    assert.equal(event.proof.wordingVersion, "v3");
    assert.equal(event.proof.collectionPoint, "https://example.fr/form");
    assert.match(event.proof.recordedBy, /^api:k_/);
  });

  test("who collected a consent is recorded, and a partner's unnamed consent does not count (A8)", async () => {
    const point = "lea@example.fr";
    const mail = {
      controller: "Agence Dupont",
      channel: "email",
      message: { senderIdentified: true, optOut: true },
    };
    const check = async () =>
      (
        await s.call("POST", "/v1/check", {
          key: s.key.decide,
          body: { point, campaign: mail, at: "2026-12-01T11:00:00+01:00" },
        })
      ).json;
    const given = { point, controller: "Agence Dupont", channel: "email", method: "unticked_checkbox" };
    const passedOn = { ...given, givenAt: "2026-11-01T10:00:00Z", proofRef: "broker-file-7" };
    const r = await write("/v1/consents", { ...passedOn, collectedBy: "broker", namedHow: "not_named" });
    assert.equal(r.status, 201);
    const blocked = await check();
    assert.equal(blocked.verdict, "block");
    assert.ok(
      blocked.reasons.some(
        (x: { rule: string; effect: string }) => x.rule === "cnil/partner-consent" && x.effect === "block",
      ),
    );
    // A consent the person later gave the controller itself counts.
    const own = { ...given, givenAt: "2026-11-10T10:00:00Z", proofRef: "form-8", collectedBy: "self" };
    assert.equal((await write("/v1/consents", own)).status, 201);
    assert.equal((await check()).verdict, "allow");
    const x = await s.call("GET", `/v1/subjects/${encodeURIComponent(point)}/export`, { key: s.key.read });
    assert.deepEqual(
      x.json.evidence.consents.map((c: { collectedBy: string; namedHow: string }) => [
        c.collectedBy,
        c.namedHow,
      ]),
      [
        ["broker", "not_named"],
        ["self", null],
      ],
    );
  });

  test("withdrawal and contacts made are recorded", async () => {
    const w = await write("/v1/consents/withdraw", {
      point: consent.point,
      controller: "Agence Dupont",
      channel: "sms",
      at: "2026-10-15",
    });
    assert.equal(w.status, 201);
    const c = await write("/v1/contacts-made", {
      point: consent.point,
      controller: "Agence Dupont",
      channel: "voice_live",
      at: "2026-10-20T10:00:00+02:00",
      outcome: "refused_offer",
    });
    assert.equal(c.status, 201);
    const x = await s.call("GET", `/v1/subjects/${encodeURIComponent(consent.point)}/export`, {
      key: s.key.read,
    });
    assert.notEqual(x.json.evidence.consents[0].withdrawnAt, null);
    assert.equal(x.json.evidence.contacts[0].outcome, "refused_offer");
  });

  test("a call centre's call says for whom and in what sector; a bad sector is a 400 naming the field", async () => {
    const point = "+33 6 55 44 33 11";
    const c = await write("/v1/contacts-made", {
      point,
      controller: "Centre Beta",
      advertiser: "Agence Dupont",
      sector: "insurance",
      channel: "voice_live",
      at: "2026-10-20T10:00:00+02:00",
      outcome: "no_interest",
    });
    assert.equal(c.status, 201);
    const x = await s.call("GET", `/v1/subjects/${encodeURIComponent(point)}/export`, { key: s.key.read });
    const made = x.json.evidence.contacts[0];
    assert.deepEqual(
      [made.controller, made.advertiser, made.sector, made.outcome],
      ["centre beta", "agence dupont", "insurance", "no_interest"],
    );
    const bad = await write("/v1/contacts-made", {
      point,
      controller: "Centre Beta",
      sector: "cars",
      channel: "voice_live",
      at: "2026-10-21T10:00:00+02:00",
      outcome: "answered",
    });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.json), /sector/);
  });

  test("an art. 14 notice is recorded as evidence; a bad date is a 400 naming the field", async () => {
    const point = "+33 6 55 44 33 22";
    const n = await write("/v1/notices", {
      point,
      controller: "Agence Dupont",
      at: "2026-10-02T09:00:00+02:00",
    });
    assert.equal(n.status, 201);
    const x = await s.call("GET", `/v1/subjects/${encodeURIComponent(point)}/export`, { key: s.key.read });
    assert.deepEqual(
      x.json.evidence.notices.map((e: { controller: string }) => e.controller),
      ["agence dupont"],
    );
    const bad = await write("/v1/notices", { point, controller: "Agence Dupont", at: "later" });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.path, "at");
  });

  test("bad bodies: 400 naming the field", async () => {
    const cases: [string, unknown, string][] = [
      ["/v1/consents", { ...consent, channel: "carrier_pigeon" }, "channel"],
      ["/v1/consents", { ...consent, wordingSha256: "xyz" }, "wordingSha256"],
      ["/v1/consents", { ...consent, ip: "1.2.3.4" }, "ip"],
      ["/v1/consents", { ...consent, point: "12" }, "point"],
      ["/v1/consents", { ...consent, collectedBy: "cousin" }, "collectedBy"],
      ["/v1/consents", { ...consent, collectedBy: "self", namedHow: "named" }, "namedHow"],
      ["/v1/consents", { ...consent, namedHow: "not_named" }, "namedHow"],
      ["/v1/consents", { ...consent, collectedBy: "partner", namedHow: "maybe" }, "namedHow"],
      ["/v1/objections", { point: consent.point, channel: "telepathy" }, "channel"],
      [
        "/v1/contacts-made",
        { point: consent.point, controller: "A", channel: "sms", outcome: "answered" },
        "at",
      ],
      ["/v1/consents/withdraw", { point: consent.point, channel: "sms" }, "controller"],
    ];
    for (const [path, body, field] of cases) {
      const r = await write(path, body);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.equal(r.json.error.path, field, JSON.stringify(r.json));
      assert.doesNotMatch(r.json.error.message, /^Invalid/, "said in the project's words");
    }
  });

  test("an erased subject: 409 on a new consent, an objection still recorded", async () => {
    const point = "07 88 77 66 55";
    assert.equal((await write("/v1/consents", { ...consent, point })).status, 201);
    const subject = subjectOf(s.session.ring, point);
    assert.ok(subject.ok);
    await eraseSubject(s.session, subject.subject, Date.parse("2026-11-01T00:00:00Z"), "test", NO_FILES);
    const r = await write("/v1/consents", { ...consent, point, givenAt: "2026-11-02T09:00:00Z" });
    assert.equal(r.status, 409);
    assert.match(r.json.error.message, /erased/);
    assert.equal((await write("/v1/objections", { point, at: "2026-11-03" })).status, 201);
  });

  test("50 objections in parallel: all recorded, one intact chain", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        write("/v1/objections", {
          point: `+3361000${String(i).padStart(4, "0")}`,
          controller: "Agence Dupont",
          channel: "all",
          via: "web_form",
          at: "2026-11-10T12:00:00Z",
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      results.map(() => 201),
    );
    const seqs = new Set(results.map((r) => r.json.seq));
    assert.equal(seqs.size, 50);
    const audit = await verifyAudit(s.session.store);
    assert.equal(audit.ok, true, JSON.stringify(audit.broken));
  });
});

describe("SMS replies relayed by a gateway", () => {
  test("STOP in its usual spellings records an objection to SMS; other replies record nothing", async () => {
    const from = "+33 6 12 12 12 12";
    const reply = (text: string) => write("/v1/sms/replies", { from, text, controller: "Agence Dupont" });
    const other = await reply("Merci, à bientôt");
    assert.equal(other.status, 200);
    assert.deepEqual(other.json, { stop: false });
    const stop = await reply("  Arrêt ");
    assert.equal(stop.status, 201);
    for (const text of ["STOP", "stop sms", "STOP au 36111", "Unsubscribe"]) {
      const r = await reply(text);
      assert.ok(r.status === 200 || r.status === 201, text);
      assert.notDeepEqual(r.json, { stop: false }, text);
    }
    const x = await s.call("GET", `/v1/subjects/${encodeURIComponent(from)}/export`, { key: s.key.read });
    assert.ok(
      x.json.evidence.objections.every(
        (o: { channel: string; via: string }) => o.channel === "sms" && o.via === "stop_sms",
      ),
    );
    assert.ok(x.json.evidence.objections.length >= 1);
    const bad = await write("/v1/sms/replies", { from: "12", text: "STOP" });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.path, "from");
  });
});
