import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Server, startServer } from "./helpers.ts";

let s: Server;
before(async () => {
  s = await startServer();
});
after(() => s.close());

const EMAIL = "claire.dubois@example.fr";
const campaign = {
  controller: "Agence Dupont",
  channel: "email",
  sector: "other",
  message: { senderIdentified: true, optOut: true },
};
const form = (path: string, body: string) =>
  fetch(`${s.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });

test("one-click unsubscribe: GET changes nothing, POST records the objection", async () => {
  await s.call("POST", "/v1/consents", {
    key: s.key["write-evidence"],
    body: {
      point: EMAIL,
      controller: "Agence Dupont",
      channel: "email",
      givenAt: "2026-01-05",
      proofRef: "f",
    },
  });
  const verdict = async () =>
    (await s.call("POST", "/v1/check", { key: s.key.decide, body: { point: EMAIL, campaign } })).json.verdict;
  assert.equal(await verdict(), "allow");

  const link = await s.call("POST", "/v1/unsubscribe-links", {
    key: s.key["write-evidence"],
    body: { point: EMAIL, controller: "Agence Dupont", channel: "email" },
  });
  assert.equal(link.status, 200);
  assert.equal(link.json.path, `/u/${link.json.token}`);
  assert.equal(link.json.headers, undefined);
  const withHeaders = await s.call("POST", "/v1/unsubscribe-links", {
    key: s.key["write-evidence"],
    body: {
      point: EMAIL,
      controller: "Agence Dupont",
      channel: "email",
      baseUrl: "https://vigie.example.fr/",
    },
  });
  assert.deepEqual(withHeaders.json.headers, {
    "List-Unsubscribe": `<https://vigie.example.fr/u/${withHeaders.json.token}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  });
  const badBase = await s.call("POST", "/v1/unsubscribe-links", {
    key: s.key["write-evidence"],
    body: { point: EMAIL, baseUrl: "javascript:alert(1)" },
  });
  assert.equal(badBase.status, 400);
  assert.equal(badBase.json.error.path, "baseUrl");
  // A query, a fragment or credentials: the link would lose its path, or carry them to the person.
  for (const baseUrl of [
    "https://example.fr/vigie?utm=1",
    "https://example.fr/vigie#x",
    "https://u:pw@example.fr/",
  ]) {
    const r = await s.call("POST", "/v1/unsubscribe-links", {
      key: s.key["write-evidence"],
      body: { point: EMAIL, baseUrl },
    });
    assert.equal(r.status, 400, `${baseUrl}: ${r.text}`);
    assert.equal(r.json.error.path, "baseUrl");
    assert.match(r.json.error.message, /no query, fragment or credentials/);
  }
  const prefixed = await s.call("POST", "/v1/unsubscribe-links", {
    key: s.key["write-evidence"],
    body: { point: EMAIL, baseUrl: "https://example.fr/vigie" },
  });
  assert.match(
    prefixed.json.headers["List-Unsubscribe"],
    /^<https:\/\/example\.fr\/vigie\/u\//,
    "a prefix path is kept",
  );
  assert.ok(!Buffer.from(link.json.token, "base64url").toString("latin1").includes("claire"));

  const page = await fetch(`${s.url}${link.json.path}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /name="List-Unsubscribe" value="One-Click"/);
  assert.equal(await verdict(), "allow");

  assert.equal((await form(link.json.path, "something=else")).status, 400);
  const done = await form(link.json.path, "List-Unsubscribe=One-Click");
  assert.equal(done.status, 200);
  assert.equal(await verdict(), "block");

  const x = await s.call("GET", `/v1/subjects/${encodeURIComponent(EMAIL)}/export`, { key: s.key.read });
  assert.deepEqual(
    x.json.evidence.objections.map((o: { channel: string; via: string }) => [o.channel, o.via]),
    [["email", "unsubscribe_link"]],
  );
});

test("an altered or forged token is refused, and changes nothing", async () => {
  const link = await s.call("POST", "/v1/unsubscribe-links", {
    key: s.key["write-evidence"],
    body: { point: "+33 6 99 88 77 66" },
  });
  const t: string = link.json.token;
  const altered = `${t.slice(0, -2)}${t.endsWith("AA") ? "BB" : "AA"}`;
  // Other spellings of the same bytes: a character Node's decoder skips, the last one's spare bits.
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const spare = t.length % 4 === 2 ? 15 : t.length % 4 === 3 ? 3 : 0;
  const respelled = [`${t.slice(0, 10)}.${t.slice(10)}`];
  if (spare > 0) respelled.push(`${t.slice(0, -1)}${B64[B64.indexOf(t.at(-1) as string) ^ 1]}`);
  for (const token of [altered, "nonsense", "A".repeat(60), ...respelled]) {
    assert.equal((await fetch(`${s.url}/u/${token}`)).status, 404);
    assert.equal((await form(`/u/${token}`, "List-Unsubscribe=One-Click")).status, 404);
  }
  const x = await s.call("GET", `/v1/subjects/${encodeURIComponent("+33699887766")}/export`, {
    key: s.key.read,
  });
  assert.equal(x.json.evidence.objections.length, 0);
});

test("one-click as RFC 8058 §3.1 sends it (multipart/form-data), urlencoded or with no body; replays add nothing", async () => {
  const point = "replay@example.fr";
  const link = await s.call("POST", "/v1/unsubscribe-links", {
    key: s.key["write-evidence"],
    body: { point, controller: "Agence Dupont", channel: "email" },
  });
  const multipart = new FormData();
  multipart.append("List-Unsubscribe", "One-Click");
  const first = await fetch(`${s.url}${link.json.path}`, { method: "POST", body: multipart });
  assert.equal(first.status, 200, await first.text());
  const replays = await Promise.all(
    Array.from({ length: 12 }, (_, i) => {
      if (i % 3 === 0) return form(link.json.path, "List-Unsubscribe=One-Click");
      if (i % 3 === 1) return fetch(`${s.url}${link.json.path}`, { method: "POST" });
      const body = new FormData();
      body.append("List-Unsubscribe", "One-Click");
      return fetch(`${s.url}${link.json.path}`, { method: "POST", body });
    }),
  );
  for (const r of replays) assert.equal(r.status, 200);
  const wrong = new FormData();
  wrong.append("List-Unsubscribe", "Later");
  assert.equal((await fetch(`${s.url}${link.json.path}`, { method: "POST", body: wrong })).status, 400);
  const events = async () =>
    (
      await s.call("GET", `/v1/subjects/${encodeURIComponent(point)}/export`, { key: s.key.read })
    ).json.events.filter((e: { data: { type: string } }) => e.data.type === "objection.recorded").length;
  assert.equal(await events(), 1, "one objection whatever the replays");

  // A newer consent, then the link again: the person unsubscribed again, which is recorded.
  await s.call("POST", "/v1/consents", {
    key: s.key["write-evidence"],
    body: { point, controller: "Agence Dupont", channel: "email", proofRef: "f" },
  });
  assert.equal((await form(link.json.path, "List-Unsubscribe=One-Click")).status, 200);
  assert.equal((await form(link.json.path, "List-Unsubscribe=One-Click")).status, 200);
  assert.equal(await events(), 2);
});

test("the pages reached without a key are limited per client address (429 with Retry-After)", async () => {
  const limited = await startServer({ publicRateLimit: { burst: 3, perSecond: 0.01 } });
  try {
    const link = await limited.call("POST", "/v1/unsubscribe-links", {
      key: limited.key["write-evidence"],
      body: { point: "limit@example.fr" },
    });
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${limited.url}${link.json.path}`)).status, 200);
    const refused = await fetch(`${limited.url}${link.json.path}`, { method: "POST" });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), "100");
    assert.equal((await fetch(`${limited.url}/c/whatever`)).status, 429, "the same bucket for /c/…");
    assert.equal((await fetch(`${limited.url}/healthz`)).status, 200, "other routes are not limited by it");
  } finally {
    await limited.close();
  }
});
