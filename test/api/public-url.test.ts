// Links vigie writes take the configured public address, never the request's Host header; names
// and texts with control characters are refused naming the field; dates that do not exist are 400.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { type Server, startServer } from "./helpers.ts";

/** A JSON POST with a Host header of our choosing (fetch does not let one set it). */
function postWithHost(s: Server, path: string, host: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${s.url}${path}`,
      {
        method: "POST",
        headers: {
          host,
          authorization: `Bearer ${s.key["write-evidence"]}`,
          "content-type": "application/json",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

const sent = (s: Server): string => (existsSync(s.outboxPath) ? readFileSync(s.outboxPath, "utf8") : "");

describe("a server started with --public-url", () => {
  let s: Server;
  before(async () => {
    s = await startServer({ publicUrl: "https://vigie.example.fr/optin" });
  });
  after(() => s.close());

  test("the e-mail link takes the public address whatever Host the request names", async () => {
    const status = await postWithHost(s, "/v1/consents/requests", "evil.example", {
      point: "host@example.fr",
      controller: "Agence Dupont",
      channel: "email",
    });
    assert.equal(status, 201);
    assert.match(sent(s), /https:\/\/vigie\.example\.fr\/optin\/c\/[A-Za-z0-9_-]+/);
    assert.doesNotMatch(sent(s), /evil\.example/);
  });

  test("unsubscribe links come with their headers under the public address", async () => {
    const r = await s.call("POST", "/v1/unsubscribe-links", {
      key: s.key["write-evidence"],
      body: { point: "host@example.fr" },
    });
    assert.equal(r.json.headers["List-Unsubscribe"], `<https://vigie.example.fr/optin/u/${r.json.token}>`);
  });
});

describe("a server started without --public-url", () => {
  let s: Server;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  test("refuses an e-mail opt-in without baseUrl (409 saying to set --public-url) and sends nothing", async () => {
    const status = await postWithHost(s, "/v1/consents/requests", "evil.example", {
      point: "nobase@example.fr",
      controller: "Agence Dupont",
      channel: "email",
    });
    assert.equal(status, 409);
    const r = await s.call("POST", "/v1/consents/requests", {
      key: s.key["write-evidence"],
      body: { point: "nobase@example.fr", controller: "Agence Dupont", channel: "email" },
    });
    assert.equal(r.json.error.path, "baseUrl");
    assert.match(r.json.error.message, /--public-url/);
    assert.equal(sent(s), "");
    const sms = await s.call("POST", "/v1/consents/requests", {
      key: s.key["write-evidence"],
      body: { point: "0612345678", controller: "Agence Dupont", channel: "sms" },
    });
    assert.equal(sms.status, 201, "an SMS code needs no link");
  });

  test("refuses control characters in names and texts, naming the field", async () => {
    const write = (path: string, body: unknown) => s.call("POST", path, { key: s.key.admin, body });
    const cases: [string, unknown, string][] = [
      [
        "/v1/consents/requests",
        { point: "0612345678", controller: "Agence\nBcc: x@evil.example", channel: "sms" },
        "controller",
      ],
      [
        "/v1/consents",
        { point: "0612345678", controller: "Agence\u0000Dupont", channel: "sms" },
        "controller",
      ],
      [
        "/v1/consents",
        { point: "0612345678", controller: "Agence Dupont", channel: "sms", wordingVersion: "v1\u2028" },
        "wordingVersion",
      ],
      [
        "/v1/consents",
        { point: "0612345678", controller: "A", channel: "sms", collectionPoint: "form\u0085" },
        "collectionPoint",
      ],
      ["/v1/objections", { point: "0612345678", controller: "Agence\u007f" }, "controller"],
      ["/v1/unsubscribe-links", { point: "0612345678", controller: "A\tB" }, "controller"],
      [
        "/v1/campaigns",
        { campaign: { controller: "Agence\r\nDupont", channel: "sms" } },
        "campaign.controller",
      ],
      [
        // The source is quoted in the reason that says to inform the person of it (GDPR art. 14).
        "/v1/decisions",
        {
          at: "2026-12-01T11:00:00+01:00",
          campaign: { controller: "A", channel: "postal" },
          contact: {
            kind: "consumer",
            point: { type: "phone", value: "0612345678" },
            origin: {
              type: "scraped_public",
              collectedAt: "2026-11-01",
              sourceUrl: "https://a.example/\nBcc: x",
            },
          },
        },
        "contact.origin.sourceUrl",
      ],
    ];
    for (const [path, body, field] of cases) {
      const r = await write(path, body);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.json.error.path, field, r.text);
      assert.match(r.json.error.message, /control characters/);
    }
  });

  test("dates that do not exist are 400 naming the field, never 500", async () => {
    const campaign = { controller: "Agence Dupont", channel: "sms" };
    for (const day of ["2025-02-30", "2025-13-01", "2025-02-29T10:00:00+01:00"]) {
      const check = await s.call("POST", "/v1/check", {
        key: s.key.decide,
        body: { point: "0612345678", campaign, at: day },
      });
      assert.equal(check.status, 400, check.text);
      const consent = await s.call("POST", "/v1/consents", {
        key: s.key.admin,
        body: { point: "0612345678", controller: "A", channel: "sms", givenAt: day },
      });
      assert.equal(consent.status, 400);
      assert.equal(consent.json.error.path, "givenAt");
      const bloctel = await s.call("POST", `/v1/imports/bloctel?date=${day}`, {
        key: s.key.admin,
        raw: "number\n0612345678\n",
        headers: { "content-type": "text/csv" },
      });
      assert.equal(bloctel.status, 400, bloctel.text);
    }
  });
});
