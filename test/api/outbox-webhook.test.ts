import assert from "node:assert/strict";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { WebhookOutbox } from "../../src/api/outbox.ts";
import { type Server, startServer } from "./helpers.ts";

let hook: HttpServer;
const received: unknown[] = [];
let answer = 204;
let s: Server;
before(async () => {
  hook = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ type: req.headers["content-type"], body: JSON.parse(body) });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  const { port } = hook.address() as AddressInfo;
  s = await startServer({ outbox: new WebhookOutbox(`http://127.0.0.1:${port}/outbox`) });
});
after(async () => {
  await s.close();
  await new Promise((resolve) => hook.close(resolve));
});

test("the webhook outbox POSTs the message as JSON; a refusal is a 502 and leaves nothing pending", async () => {
  const body = { point: "+33 6 47 47 47 47", controller: "Agence Dupont", channel: "sms" };
  const r = await s.call("POST", "/v1/consents/requests", { key: s.key["write-evidence"], body });
  assert.equal(r.status, 201, r.text);
  assert.equal(received.length, 1);
  const [m] = received as { type: string; body: { to: string; channel: string; text: string } }[];
  assert.equal(m?.type, "application/json");
  assert.equal(m?.body.to, "+33647474747");
  assert.equal(m?.body.channel, "sms");
  const code = /^(\d{6})/.exec(m?.body.text ?? "")?.[1];
  assert.ok(code);

  answer = 500;
  const failed = await s.call("POST", "/v1/consents/requests", { key: s.key["write-evidence"], body });
  assert.equal(failed.status, 502);
  // The failed request replaced the first code and was then dropped: no code is pending.
  const c = await s.call("POST", "/v1/consents/confirm", {
    key: s.key["write-evidence"],
    body: { point: body.point, code },
  });
  assert.equal(c.status, 404);
});
