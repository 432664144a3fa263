// Signing in and out, roles, CSRF and the language switch, over real HTTP.
import assert from "node:assert/strict";
import { type IncomingHttpHeaders, request } from "node:http";
import { after, before, describe, it } from "node:test";
import type { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { type Dashboard, PASSWORD, startDashboard } from "./helpers.ts";

/** A sign-in form posted from a given loopback address (127.0.0.0/8 is all loopback on Linux). */
function postFrom(
  url: string,
  localAddress: string,
  fields: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/login`,
      { method: "POST", localAddress, headers: { "content-type": "application/x-www-form-urlencoded" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("dashboard sign-in under a flood", () => {
  let d: Dashboard;
  before(async () => {
    d = await startDashboard({ signIn: { concurrent: 2, perAddress: { burst: 1000, perSecond: 1000 } } });
  });
  after(() => d.close());

  it("hashes off the event loop: /healthz answers while sign-ins hash, and sign-ins beyond the cap get 429 at once", async () => {
    const anon = await d.client(null);
    const started = Date.now();
    const signIns = Array.from({ length: 8 }, (_, i) =>
      anon.post("/login", { user: `nobody-${i}`, password: "whatever it is" }).then((r) => ({
        status: r.status,
        retryAfter: r.headers.get("retry-after"),
        at: Date.now() - started,
      })),
    );
    await new Promise((r) => setTimeout(r, 20));
    const health = await fetch(`${d.url}/healthz`).then(() => Date.now() - started);
    const done = await Promise.all(signIns);
    const hashed = done.filter((r) => r.status === 401);
    const refused = done.filter((r) => r.status === 429);
    assert.ok(hashed.length >= 2, JSON.stringify(done));
    assert.ok(refused.length >= 1, `no sign-in refused: ${JSON.stringify(done)}`);
    for (const r of refused) assert.equal(r.retryAfter, "1");
    const lastHashed = Math.max(...hashed.map((r) => r.at));
    assert.ok(health < lastHashed, `/healthz answered at ${health} ms, the last sign-in at ${lastHashed} ms`);
  });
});

describe("dashboard sign-in", () => {
  let d: Dashboard;
  before(async () => {
    d = await startDashboard();
  });
  after(() => d.close());

  it("sends a signed-out visitor to the sign-in page, then back where they were going", async () => {
    const anon = await d.client(null);
    const res = await anon.get("/?since=2025-03-03");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `/login?next=${encodeURIComponent("/?since=2025-03-03")}`);
    const login = await anon.get("/login?next=%2Flaw");
    assert.match(login.text, /<label for="user">/);
    assert.match(login.text, /name="next" value="\/law"/);
    const signIn = await anon.fetch("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ user: "viewer", password: PASSWORD, next: "/law" }).toString(),
    });
    assert.equal(signIn.status, 303);
    assert.equal(signIn.headers.get("location"), "/law");
    const cookie = signIn.headers.getSetCookie()[0] ?? "";
    assert.match(cookie, /^vigie_session=[A-Za-z0-9_-]{43};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.doesNotMatch(cookie, /Secure/, "plain HTTP, no public https address");
  });

  it("behind a proxy ending TLS (an https --public-url, the request in plain HTTP): the session cookie is Secure", async () => {
    const proxied = await startDashboard({ publicUrl: "https://vigie.example.fr/" });
    try {
      const anon = await proxied.client(null);
      const signIn = await anon.fetch("/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ user: "viewer", password: PASSWORD, next: "/" }).toString(),
      });
      assert.equal(signIn.status, 303);
      assert.match(signIn.headers.getSetCookie()[0] ?? "", /; Secure/);
    } finally {
      await proxied.close();
    }
  });

  it("refuses a wrong password without saying which of the two was wrong, and never redirects off-site", async () => {
    const anon = await d.client(null);
    const wrong = await anon.post("/login", { user: "viewer", password: "not the password" });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /Identifiant ou mot de passe incorrect|Wrong user name or password/);
    const unknown = await anon.post("/login", { user: "nobody", password: PASSWORD });
    assert.equal(unknown.status, 401);
    const offsite = await anon.fetch("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ user: "viewer", password: PASSWORD, next: "//evil.example/x" }).toString(),
    });
    assert.equal(offsite.headers.get("location"), "/");
  });

  it("redirects only to paths of this site: /lang?back= and /login?next= with tabs, newlines or backslashes go home", async () => {
    const anon = await d.client(null);
    for (const bad of [
      "/%09/evil.example",
      "/%0A",
      "/%0D%0ASet-Cookie:%20x=1",
      "/%5Cevil.example",
      "//evil.example",
    ]) {
      const lang = await anon.get(`/lang?to=en&back=${bad}`);
      assert.equal(lang.status, 303, bad);
      assert.equal(lang.headers.get("location"), "/", bad);
    }
    const viewer = await d.client("viewer");
    const signedIn = await viewer.get("/login?next=/%09/evil.example");
    assert.equal(signedIn.status, 303);
    assert.equal(signedIn.headers.get("location"), "/");
    const form = await anon.get("/login?next=/%09/evil.example");
    assert.match(form.text, /name="next" value="\/"/);
    const post = await anon.fetch("/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ user: "viewer", password: PASSWORD, next: "/\t/evil.example" }).toString(),
    });
    assert.equal(post.headers.get("location"), "/");
  });

  it("locks a (name, address) after five wrong passwords, and the user still signs in from another address", async () => {
    await d.users.add("target", "viewer", PASSWORD);
    const from = (localAddress: string, password: string) =>
      postFrom(d.url, localAddress, { user: "target", password });
    for (let i = 0; i < 5; i++) assert.equal((await from("127.0.0.2", `wrong ${i}`)).status, 401);
    const locked = await from("127.0.0.2", PASSWORD);
    assert.equal(locked.status, 429);
    assert.equal(locked.headers["retry-after"], "60");
    assert.equal((await from("127.0.0.1", PASSWORD)).status, 303, "another address is not locked out");
  });

  it("signs out with the form token only, and the session then ends", async () => {
    const viewer = await d.client("viewer");
    assert.equal((await viewer.get("/")).status, 200);
    const forged = await viewer.post("/logout", { csrf: "forged" });
    assert.equal(forged.status, 403);
    assert.equal((await viewer.get("/")).status, 200);
    const out = await viewer.post("/logout", {});
    assert.equal(out.status, 303);
    assert.equal((await viewer.get("/")).status, 303);
  });

  it("shows the signed-in user with their role, in French or English as chosen", async () => {
    const admin = await d.client("admin");
    const fr = await admin.get("/", { "accept-language": "fr-FR,fr;q=0.9" });
    assert.match(fr.text, /<html lang="fr">/);
    assert.match(fr.text, /Connecté : <strong>admin<\/strong> \(administrateur\)/);
    const en = await admin.get("/", { "accept-language": "en-GB,en;q=0.9" });
    assert.match(en.text, /<html lang="en">/);
    assert.match(en.text, /Signed in: <strong>admin<\/strong> \(admin\)/);
    const sw = await admin.get("/lang?to=en&back=%2F");
    assert.equal(sw.status, 303);
    const after = await admin.get("/", { "accept-language": "fr" });
    assert.match(after.text, /<html lang="en">/, "the cookie wins over the browser's preference");
  });

  it("signs a removed user out at their next request, and applies a changed role at once", async () => {
    await d.users.add("temp", "admin", PASSWORD);
    const temp = await d.client("temp");
    assert.equal((await temp.get("/")).status, 200);
    assert.ok(await d.users.remove("temp"));
    assert.equal((await temp.get("/")).status, 303, "signed out");

    await d.users.add("other", "admin", PASSWORD);
    const other = await d.client("other");
    assert.ok(await d.users.remove("other"));
    // Removed and added again before any request: a new user, who gets no old session.
    await d.users.add("other", "admin", PASSWORD, new Date(Date.now() + 1000));
    assert.equal((await other.get("/")).status, 303);

    await d.users.add("demoted", "admin", PASSWORD);
    const demoted = await d.client("demoted");
    assert.equal((await demoted.get("/people/erase?point=0612345678")).status, 200);
    // Its role changed in the store (by another process, or by hand).
    const record = JSON.stringify({ ...(await d.users.get("demoted")), role: "viewer" }).replaceAll(
      "'",
      "''",
    );
    await (d.session.store as SqliteStore).unsafeExec(
      `UPDATE dashboard_users SET record = '${record}' WHERE tenant = 't' AND name = 'demoted'`,
    );
    assert.equal((await demoted.get("/people/erase?point=0612345678")).status, 403);
  });

  it("serves pages that need no network: no external script, style or image", async () => {
    const admin = await d.client("admin");
    const home = await admin.get("/");
    assert.doesNotMatch(home.text, /(src|href)="https?:\/\//);
    assert.match(home.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  });
});
