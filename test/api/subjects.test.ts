import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { type Server, startServer } from "./helpers.ts";

let s: Server;
before(async () => {
  s = await startServer();
});
after(() => s.close());

const write = (path: string, body: unknown) => s.call("POST", path, { key: s.key["write-evidence"], body });
const erase = (point: string, key = s.key.admin) =>
  s.call("POST", `/v1/subjects/${encodeURIComponent(point)}/erase`, { key });

test("erase: 200 with the result, then a consent is refused (409) and an objection still recorded", async () => {
  const point = "+33 6 22 33 44 55";
  const consent = {
    point,
    controller: "Agence Dupont",
    channel: "sms",
    givenAt: "2026-10-01",
    proofRef: "f",
  };
  assert.equal((await write("/v1/consents", consent)).status, 201);

  const r = await erase(point);
  assert.equal(r.status, 200);
  assert.equal(typeof r.json.erasedAt, "number");
  assert.equal(r.json.alreadyErasedAt, null);
  assert.equal(r.json.keys, 1);

  const x = await s.call("GET", `/v1/subjects/${encodeURIComponent(point)}/export`, { key: s.key.read });
  assert.notEqual(x.json.evidence.point.erasedAt, null);
  assert.ok(
    x.json.events.every((e: { pii: unknown }) => e.pii === null || !JSON.stringify(e.pii).includes("33622")),
  );

  const again = await write("/v1/consents", { ...consent, givenAt: "2026-11-02" });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.path, "point");
  assert.match(again.json.error.message, /was erased on .*: no new consent or double opt-in request/);
  // The very consent recorded before the erasure, sent again: refused too, not "already recorded".
  assert.equal((await write("/v1/consents", consent)).status, 409);
  for (const channel of ["sms", "email"] as const) {
    const target = channel === "sms" ? point : "erased.person@example.fr";
    if (channel === "email") {
      assert.equal(
        (await write("/v1/consents", { ...consent, point: target, channel: "email" })).status,
        201,
      );
      assert.equal((await erase(target)).status, 200);
    }
    const request = await write("/v1/consents/requests", {
      point: target,
      controller: "Agence Dupont",
      channel,
      baseUrl: "https://vigie.example.fr",
    });
    assert.equal(request.status, 409, `${channel}: ${request.text}`);
    assert.equal(request.json.error.path, "point");
    const sent = existsSync(s.outboxPath) ? readFileSync(s.outboxPath, "utf8") : "";
    assert.doesNotMatch(sent, /33622334455|erased\.person/, "nothing sent to an erased person");
  }
  assert.equal((await write("/v1/objections", { point, at: "2026-11-03" })).status, 201);

  const twice = await erase("0622334455");
  assert.equal(twice.status, 200);
  assert.equal(twice.json.alreadyErasedAt, r.json.erasedAt);
});

test("erase: 400 naming point for an invalid point; admin scope only", async () => {
  const bad = await erase("12");
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.path, "point");
  assert.equal((await erase("a@example.fr", s.key["write-evidence"])).status, 403);
  assert.equal((await erase("a@example.fr", s.key.read)).status, 403);
});
