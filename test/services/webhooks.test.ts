// Webhooks on evidence (src/services/webhooks/): what a receiver gets, signed as Standard Webhooks
// says; retries with backoff; dead letters after the last; progress kept in the store, so a
// delivery interrupted is made later. On both adapters.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { NewEvent } from "../../src/evidence/events.ts";
import { addWebhook, deliverWebhooks, RETRY_DELAYS_MS } from "../../src/services/webhooks/deliver.ts";
import { signatureOf } from "../../src/services/webhooks/sign.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { postgresReady, testSchema } from "../support/postgres.ts";

const T = "hooks";
const day = Date.parse("2026-10-01T08:00:00Z");

const objection = (key: string, value: string, i: number): NewEvent => ({
  tenant: T,
  pointKey: key,
  controller: "agence dupont",
  occurredAt: day + i,
  data: { type: "objection.recorded", channel: "sms", via: "stop_sms" },
  proof: { recordedBy: "webhooks-test" },
  pii: { point: { type: "phone", value } },
});
const notice = (key: string, i: number): NewEvent => ({
  tenant: T,
  pointKey: key,
  controller: "agence dupont",
  occurredAt: day + i,
  data: { type: "notice.sent" },
  proof: { recordedBy: "webhooks-test" },
  pii: null,
});

/** A receiver that answers each request with the next status of `statuses` (then 204). */
async function receiver(statuses: number[] = []) {
  const got: { headers: IncomingMessage["headers"]; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 204;
      res.end();
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { got, url, statuses, close: () => new Promise((r) => server.close(r)) };
}

function suite(name: string, open: () => Promise<Store>): void {
  describe(`webhooks: ${name}`, () => {
    test("new events of the kinds asked for, in order, signed; keys only unless personal data is allowed", async () => {
      const store = await open();
      const r = await receiver();
      try {
        await store.append([objection("k:before", "+33611111111", 0)]);
        const keysOnly = await addWebhook(
          store,
          T,
          { url: r.url, events: ["objection"], personalData: false, fromStart: false },
          day,
        );
        const withPoint = await addWebhook(
          store,
          T,
          { url: r.url, events: ["objection"], personalData: true, fromStart: true },
          day + 1,
        );
        await store.append([
          notice("k:a", 1),
          objection("k:a", "+33622222222", 2),
          objection("k:b", "+33633333333", 3),
        ]);
        const reports = await deliverWebhooks(store, T, { now: () => day + 10 });
        assert.deepEqual(
          reports.map((x) => [x.webhook, x.delivered, x.failed]),
          [
            [keysOnly.id, 2, null],
            [withPoint.id, 3, null],
          ],
        );
        const bodies = r.got.map((g) => JSON.parse(g.body));
        assert.deepEqual(
          bodies.map((b) => [b.type, b.data.pointKey, b.data.event.channel, b.data.point?.value ?? null]),
          [
            ["objection.recorded", "k:a", "sms", null],
            ["objection.recorded", "k:b", "sms", null],
            ["objection.recorded", "k:before", "sms", "+33611111111"],
            ["objection.recorded", "k:a", "sms", "+33622222222"],
            ["objection.recorded", "k:b", "sms", "+33633333333"],
          ],
        );
        for (const [i, g] of r.got.entries()) {
          const secret = i < 2 ? keysOnly.secret : withPoint.secret;
          const id = g.headers["webhook-id"] as string;
          const ts = Number(g.headers["webhook-timestamp"]);
          assert.equal(g.headers["webhook-signature"], signatureOf(secret, id, ts, g.body));
          assert.equal(id, bodies[i].data.eventId);
        }
        // Nothing new: nothing sent again.
        await deliverWebhooks(store, T, { now: () => day + 20 });
        assert.equal(r.got.length, 5);
        assert.equal(await store.removeWebhook(T, keysOnly.id), true);
        assert.equal(await store.removeWebhook(T, keysOnly.id), false);
        assert.deepEqual(
          (await store.webhooks(T)).map((w) => w.id),
          [withPoint.id],
        );
      } finally {
        await r.close();
        await store.close();
      }
    });

    test("a 2xx is a delivery as soon as its status is in: an endless answer is not read", async () => {
      const store = await open();
      const server = createServer((_req, res) => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("x".repeat(65536)); // and never ends
      });
      server.listen(0, "127.0.0.1");
      await new Promise((r) => server.once("listening", r));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
        await addWebhook(
          store,
          T,
          { url, events: ["objection"], personalData: false, fromStart: false },
          day,
        );
        await store.append([objection("k:endless", "+33688888888", 20)]);
        const started = performance.now();
        const [r] = await deliverWebhooks(store, T, { now: () => day + 30 });
        assert.equal(r?.delivered, 1, JSON.stringify(r));
        assert.ok(performance.now() - started < 5000, "not held until the 10 s timeout");
      } finally {
        server.closeAllConnections();
        server.close();
        await store.close();
      }
    });

    test("personal data over plain http: refused when subscribed, and not sent for a subscription made before", async () => {
      const store = await open();
      try {
        await assert.rejects(
          addWebhook(
            store,
            T,
            {
              url: "http://hooks.example/vigie",
              events: ["objection"],
              personalData: true,
              fromStart: false,
            },
            day,
          ),
          /personal data go over https/,
        );
        await store.addWebhook(T, {
          id: "wh_clear",
          url: "http://hooks.example/vigie",
          events: ["objection.recorded"],
          personalData: true,
          secret: "whsec_x",
          createdAt: day,
          fromSeq: 0,
        });
        await store.append([objection("k:clear", "+33612121212", 20)]);
        const sent: string[] = [];
        const reports = await deliverWebhooks(store, T, {
          now: () => day + 100,
          fetch: (async (url: string | URL | Request) => {
            sent.push(String(url));
            return new Response(null, { status: 204 });
          }) as typeof fetch,
        });
        assert.deepEqual(sent, []);
        assert.equal(reports[0]?.delivered, 0);
        assert.match(reports[0]?.failed?.error ?? "", /personal data go over https/);
      } finally {
        await store.close();
      }
    });

    test("a failure waits its backoff and keeps the order; after the last retry the event is a dead letter", async () => {
      const store = await open();
      const r = await receiver([500, 503]);
      try {
        const w = await addWebhook(
          store,
          T,
          { url: r.url, events: ["objection"], personalData: false, fromStart: false },
          day,
        );
        await store.append([objection("k:c", "+33644444444", 10), objection("k:d", "+33655555555", 11)]);
        let now = day + 100;
        const first = await deliverWebhooks(store, T, { now: () => now });
        assert.equal(first[0]?.delivered, 0);
        assert.equal(first[0]?.failed?.retryAt, now + (RETRY_DELAYS_MS[0] as number));
        assert.match(first[0]?.failed?.error ?? "", /answered 500/);
        // Not due yet: nothing is sent.
        assert.deepEqual(await deliverWebhooks(store, T, { now: () => now + 1000 }), []);
        now += RETRY_DELAYS_MS[0] as number;
        assert.match(
          (await deliverWebhooks(store, T, { now: () => now }))[0]?.failed?.error ?? "",
          /answered 503/,
        );
        now += RETRY_DELAYS_MS[1] as number;
        assert.equal((await deliverWebhooks(store, T, { now: () => now }))[0]?.delivered, 2);
        assert.deepEqual(
          r.got.map((g) => JSON.parse(g.body).data.pointKey),
          ["k:c", "k:c", "k:c", "k:d"],
        );

        // A receiver that never takes it: each retry after its delay, then a dead letter, then on.
        r.statuses.push(...Array(RETRY_DELAYS_MS.length + 1).fill(500));
        await store.append([objection("k:e", "+33666666666", 12), objection("k:f", "+33677777777", 13)]);
        for (const delay of [0, ...RETRY_DELAYS_MS]) {
          now += delay;
          await deliverWebhooks(store, T, { now: () => now });
        }
        const dead = await store.deadLetters(T, w.id);
        assert.deepEqual(
          dead.map((d) => [d.attempts, d.error]),
          [[RETRY_DELAYS_MS.length + 1, "answered 500"]],
        );
        const events: number[] = [];
        for await (const e of store.events(T))
          if (e.pointKey === "k:e" || e.pointKey === "k:f") events.push(e.seq);
        assert.equal(dead[0]?.seq, events[0]);
        assert.equal(r.got.at(-1) && JSON.parse(r.got.at(-1)?.body ?? "").data.pointKey, "k:f");
        const [sub] = await store.webhooks(T);
        assert.equal(sub?.progress.deliveredSeq, events[1]);
        assert.equal(sub?.progress.attempts, 0);
        await store.clearDeadLetters(T, w.id);
        assert.deepEqual(await store.deadLetters(T, w.id), []);
      } finally {
        await r.close();
        await store.close();
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "vigie-webhooks-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
suite("sqlite", async () => new SqliteStore(join(dir, `s${++n}.db`)));

if (await postgresReady("webhooks: postgres", "test/services/webhooks.test.ts")) {
  const schemas: ReturnType<typeof testSchema>[] = [];
  after(async () => {
    for (const s of schemas) await s.drop();
  });
  suite("postgres", async () => {
    const s = testSchema("vigie_webhooks");
    schemas.push(s);
    return s.open();
  });
}
