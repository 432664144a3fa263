import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { type Server, startServer } from "./helpers.ts";

let s: Server;
/** Added to the server's clock, to expire links and codes. */
let offset = 0;
before(async () => {
  s = await startServer({ now: () => Date.now() + offset });
});
after(() => s.close());

const write = (path: string, body: unknown, headers?: Record<string, string>) =>
  s.call("POST", path, { key: s.key["write-evidence"], body, ...(headers ? { headers } : {}) });
const form = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${s.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });

interface Sent {
  to: string;
  channel: string;
  subject?: string;
  text: string;
}
const outbox = (): Sent[] =>
  readFileSync(s.outboxPath, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
const lastTo = (to: string): Sent => {
  const m = outbox().filter((x) => x.to === to);
  const last = m[m.length - 1];
  assert.ok(last, `no message to ${to}`);
  return last;
};
const linkPath = (to: string): string => {
  const m = /https?:\/\/[^\s/]+(\/c\/[A-Za-z0-9_-]+)/.exec(lastTo(to).text);
  assert.ok(m?.[1], "no link in the message");
  return m[1];
};
const codeOf = (to: string): string => {
  const m = /^(\d{6})\b/.exec(lastTo(to).text);
  assert.ok(m?.[1], "no code in the message");
  return m[1];
};
const exportOf = async (point: string) =>
  (await s.call("GET", `/v1/subjects/${encodeURIComponent(point)}/export`, { key: s.key.read })).json;

const campaign = {
  controller: "Agence Dupont",
  channel: "email",
  sector: "other",
  message: { senderIdentified: true, optOut: true },
};
const wording = {
  wordingVersion: "optin-v2",
  wordingSha256: "b".repeat(64),
  collectionPoint: "https://example.fr/newsletter",
};

describe("double opt-in by e-mail link", () => {
  test("the outbox gets the link; GET changes nothing; POST records the consent and the check allows", async () => {
    const point = "marie.curie@example.fr";
    const verdict = async () =>
      (await s.call("POST", "/v1/check", { key: s.key.decide, body: { point, campaign } })).json.verdict;
    assert.equal(await verdict(), "block");

    const r = await write("/v1/consents/requests", {
      point: "Marie.Curie@Example.fr",
      controller: "Agence Dupont",
      channel: "email",
      baseUrl: "https://vigie.example.fr",
      ...wording,
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.channel, "email");
    assert.ok(Date.parse(r.json.expiresAt) - Date.now() > 6.9 * 24 * 3600 * 1000);
    assert.equal(statSync(s.outboxPath).mode & 0o777, 0o600);
    const msg = lastTo(point);
    assert.equal(msg.channel, "email");
    assert.match(msg.subject ?? "", /Agence Dupont/);
    assert.match(msg.text, /https:\/\/vigie\.example\.fr\/c\//);
    const path = linkPath(point);

    const page = await fetch(`${s.url}${path}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post"><input type="hidden" name="confirm" value="yes">/);
    assert.equal((await exportOf(point)).evidence.consents.length, 0);
    assert.equal(await verdict(), "block");

    assert.equal((await form(path, "confirm=no")).status, 400);
    const done = await form(path, "confirm=yes", { "user-agent": "Mailer-Browser/2.0" });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /Merci/);
    assert.equal(await verdict(), "allow");

    const x = await exportOf(point);
    assert.equal(x.evidence.consents.length, 1);
    const [c] = x.evidence.consents;
    assert.equal(c.method, "double_opt_in");
    assert.equal(c.proof, true);
    assert.equal(c.channel, "email");
    assert.equal(c.collectedBy, "self", "vigie captured it for the controller, named in the message (A8)");
    const ev = x.events.find((e: { data: { type: string } }) => e.data.type === "consent.given");
    assert.equal(ev.pii.ip, "127.0.0.1");
    assert.equal(ev.pii.userAgent, "Mailer-Browser/2.0");
    assert.equal(ev.proof.wordingVersion, "optin-v2");
    assert.equal(ev.proof.collectionPoint, "https://example.fr/newsletter");
    assert.match(ev.proof.recordedBy, /^double-opt-in:api:k_/);
    assert.ok(Math.abs(ev.occurredAt - Date.now()) < 60_000, "the confirmation's time");

    // Used once: a second use is refused and records nothing.
    assert.equal((await fetch(`${s.url}${path}`)).status, 404);
    const reused = await form(path, "confirm=yes");
    assert.equal(reused.status, 404);
    assert.match(await reused.text(), /déjà servi|already used/);
    assert.equal((await exportOf(point)).evidence.consents.length, 1);
  });

  test("an expired, altered or forged link is refused and records nothing", async () => {
    const point = "expire@example.fr";
    const r = await write("/v1/consents/requests", {
      point,
      controller: "Agence Dupont",
      channel: "email",
      baseUrl: "https://vigie.example.fr",
    });
    assert.equal(r.status, 201);
    const path = linkPath(point);
    const t = path.slice(3);
    const altered = `${t.slice(0, -2)}${t.endsWith("AA") ? "BB" : "AA"}`;
    for (const bad of [`/c/${altered}`, "/c/nonsense", `/c/${"A".repeat(80)}`]) {
      assert.equal((await fetch(`${s.url}${bad}`)).status, 404);
      assert.equal((await form(bad, "confirm=yes")).status, 404);
    }
    // An unsubscribe token is sealed under the same secret but is not a confirmation link.
    const u = await write("/v1/unsubscribe-links", { point });
    assert.equal((await form(`/c/${u.json.token}`, "confirm=yes")).status, 404);

    offset = 7 * 24 * 3600 * 1000 + 1000;
    try {
      assert.equal((await fetch(`${s.url}${path}`)).status, 404);
      assert.equal((await form(path, "confirm=yes")).status, 404);
    } finally {
      offset = 0;
    }
    assert.equal((await exportOf(point)).evidence.consents.length, 0);
  });

  test("bad requests: 400 naming the field", async () => {
    const base = { point: "x@example.fr", controller: "Agence Dupont", channel: "email" };
    const cases: [unknown, string][] = [
      [{ ...base, channel: "voice_live" }, "channel"],
      [{ ...base, method: "sms_code" }, "method"],
      [{ ...base, channel: "sms", method: "double_opt_in", point: "+33 6 00 00 00 01" }, "method"],
      [{ ...base, channel: "sms" }, "point"],
      [{ ...base, point: "+33 6 00 00 00 01" }, "point"],
      [{ ...base, point: "nope@" }, "point"],
      [{ ...base, baseUrl: "javascript:alert(1)" }, "baseUrl"],
      [{ ...base, givenAt: "2026-01-01" }, "givenAt"],
    ];
    for (const [body, field] of cases) {
      const r = await write("/v1/consents/requests", body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.error.path, field, JSON.stringify(r.json));
    }
    assert.equal(
      (await s.call("POST", "/v1/consents/requests", { key: s.key.read, body: base })).status,
      403,
    );
  });
});

describe("double opt-in by SMS code", () => {
  const point = "+33 6 45 45 45 45";
  const to = "+33645454545";
  const ask = () =>
    write("/v1/consents/requests", {
      point,
      controller: "Agence Dupont",
      channel: "sms",
      method: "sms_code",
      ...wording,
    });
  const confirm = (code: string, headers?: Record<string, string>) =>
    write("/v1/consents/confirm", { point, code }, headers);
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

  test("a wrong code then the right one: recorded once, with method sms_code", async () => {
    const r = await ask();
    assert.equal(r.status, 201, r.text);
    const msg = lastTo(to);
    assert.equal(msg.channel, "sms");
    const code = codeOf(to);
    const bad = await confirm(wrong(code));
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.path, "code");
    assert.match(bad.json.error.message, /4 attempt/);
    assert.equal((await exportOf(point)).evidence.consents.length, 0);

    const ok = await confirm(code, { "user-agent": "SignupForm/1.0" });
    assert.equal(ok.status, 201, ok.text);
    const x = await exportOf(point);
    assert.equal(x.evidence.consents.length, 1);
    assert.equal(x.evidence.consents[0].method, "sms_code");
    assert.equal(x.evidence.consents[0].channel, "sms");
    const ev = x.events.find((e: { seq: number }) => e.seq === ok.json.seq);
    assert.equal(ev.pii.userAgent, "SignupForm/1.0");
    assert.equal(ev.proof.wordingVersion, "optin-v2");

    const reused = await confirm(code);
    assert.equal(reused.status, 404);
    assert.equal((await exportOf(point)).evidence.consents.length, 1);
    assert.equal((await confirm("12ab56")).json.error.path, "code");
  });

  test("wrong codes count per number across requests: asking again does not reset them; the lock ends by itself", async () => {
    const p = "+33 6 47 47 47 47";
    const tel = "+33647474747";
    const askFor = () =>
      write("/v1/consents/requests", { point: p, controller: "Agence Dupont", channel: "sms" });
    const confirmFor = (code: string) => write("/v1/consents/confirm", { point: p, code });
    assert.equal((await askFor()).status, 201);
    const first = codeOf(tel);
    for (let i = 1; i <= 4; i++) assert.equal((await confirmFor(wrong(first))).status, 400);
    assert.equal((await askFor()).status, 201, "a new code");
    const second = codeOf(tel);
    const fifth = await confirmFor(wrong(second));
    assert.equal(
      fifth.status,
      429,
      "the fifth wrong code, counted across the two requests, locks the number",
    );
    assert.equal(fifth.headers.get("retry-after"), "900");
    assert.match(fifth.json.error.message, /too many attempts: this number is locked for 900 s/);
    assert.equal((await confirmFor(second)).status, 429, "the right code too, while locked");
    const again = await askFor();
    assert.equal(again.status, 429, "no new code while locked");
    assert.match(again.json.error.message, /locked/);

    offset = 15 * 60 * 1000 + 1000;
    try {
      assert.equal((await confirmFor(second)).status, 404, "the code was dropped by the lock");
      assert.equal((await askFor()).status, 201, "the lock has ended: the person can ask again");
      assert.equal((await confirmFor(codeOf(tel))).status, 201);
    } finally {
      offset = 0;
    }
  });

  test("at most 5 requests for a number each hour (429 with Retry-After)", async () => {
    const p = "+33 6 48 48 48 48";
    const askFor = () =>
      write("/v1/consents/requests", { point: p, controller: "Agence Dupont", channel: "sms" });
    for (let i = 0; i < 5; i++) assert.equal((await askFor()).status, 201);
    const sixth = await askFor();
    assert.equal(sixth.status, 429);
    assert.equal(sixth.headers.get("retry-after"), "720");
    assert.match(sixth.json.error.message, /too many requests for this point this hour/);
  });

  test("an expired code is refused; a new request replaces the pending code", async () => {
    await ask();
    const first = codeOf(to);
    offset = 15 * 60 * 1000 + 1000;
    try {
      assert.equal((await confirm(first)).status, 404);
    } finally {
      offset = 0;
    }
    await ask();
    const old = codeOf(to);
    await ask();
    const latest = codeOf(to);
    if (old !== latest) assert.notEqual((await confirm(old)).status, 201);
    assert.equal((await confirm(latest)).status, 201);
  });

  test("an erased number: its pending code goes with it", async () => {
    const p = "+33 6 46 46 46 46";
    await write("/v1/consents/requests", { point: p, controller: "Agence Dupont", channel: "sms" });
    const code = codeOf("+33646464646");
    assert.equal((await s.call("POST", `/v1/subjects/${encodeURIComponent(p)}/erase`)).status, 200);
    assert.equal((await write("/v1/consents/confirm", { point: p, code })).status, 404);
    assert.equal((await exportOf(p)).evidence.consents.length, 0);
  });
});

test("at most perKeyPerHour double opt-in requests by one key", async () => {
  const k = await startServer({ optInLimits: { perKeyPerHour: 2 } });
  try {
    const ask = (point: string) =>
      k.call("POST", "/v1/consents/requests", {
        key: k.key["write-evidence"],
        body: { point, controller: "Agence Dupont", channel: "sms" },
      });
    assert.equal((await ask("0611111111")).status, 201);
    assert.equal((await ask("0622222222")).status, 201);
    const third = await ask("0633333333");
    assert.equal(third.status, 429);
    assert.match(third.json.error.message, /by this key this hour/);
    assert.equal(
      (
        await k.call("POST", "/v1/consents/requests", {
          key: k.key.admin,
          body: { point: "0633333333", controller: "Agence Dupont", channel: "sms" },
        })
      ).status,
      201,
      "another key is not limited by it",
    );
  } finally {
    await k.close();
  }
});
