import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { listKeys } from "../../src/api/auth.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { vigie } from "../cli/vigie.ts";
import { type Server, startServer } from "./helpers.ts";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const FACTS = JSON.parse(
  readFileSync(new URL("../../examples/facts/pige-2026.json", import.meta.url), "utf8"),
);

let s: Server;
before(async () => {
  s = await startServer({ bodyLimit: 4096, rateLimit: { burst: 1000, perSecond: 1000 } });
});
after(() => s.close());

describe("keys and scopes", () => {
  test("no key, a malformed or an unknown key: 401", async () => {
    for (const headers of [
      {},
      { authorization: "Basic abc" },
      { authorization: `Bearer vk_${"A".repeat(43)}` },
    ]) {
      const r = await s.call("POST", "/v1/decisions", { key: null, body: FACTS, headers });
      assert.equal(r.status, 401);
      assert.equal(r.headers.get("www-authenticate"), "Bearer");
    }
  });

  test("the scheme in any capitals names the key (RFC 9110); the key itself is as issued", async () => {
    for (const scheme of ["bearer", "BEARER", "Bearer"]) {
      const r = await s.call("POST", "/v1/decisions", {
        key: null,
        body: FACTS,
        headers: { authorization: `${scheme} ${s.key.decide}` },
      });
      assert.equal(r.status, 200, `${scheme}: ${r.text}`);
    }
    const upper = await s.call("POST", "/v1/decisions", {
      key: null,
      body: FACTS,
      headers: { authorization: `Bearer ${s.key.decide.toUpperCase()}` },
    });
    assert.equal(upper.status, 401);
  });

  test("a body that is not JSON: 415 naming its type, on every route that takes a JSON body", async () => {
    for (const [path, key] of [
      ["/v1/decisions", s.key.decide],
      ["/v1/campaigns", s.key.admin],
      ["/v1/check", s.key.decide],
    ] as const) {
      const r = await s.call("POST", path, {
        key,
        raw: JSON.stringify(FACTS),
        headers: { "content-type": "text/plain" },
      });
      assert.equal(r.status, 415, `${path}: ${r.text}`);
      assert.match(r.json.error.message, /^Content-Type text\/plain: send the body as JSON/);
    }
  });

  test("a key without the scope: 403; admin grants every scope", async () => {
    const r = await s.call("POST", "/v1/decisions", { key: s.key.read, body: FACTS });
    assert.equal(r.status, 403);
    assert.match(r.json.error.message, /decide/);
    assert.equal((await s.call("POST", "/v1/objections", { key: s.key.decide, body: {} })).status, 403);
    assert.equal((await s.call("POST", "/v1/campaigns", { key: s.key.read, body: {} })).status, 403);
    assert.equal((await s.call("POST", "/v1/decisions", { key: s.key.admin, body: FACTS })).status, 200);
  });

  test("the description and the docs page are public", async () => {
    const spec = await s.call("GET", "/openapi.json", { key: null });
    assert.equal(spec.status, 200);
    assert.equal(spec.json.openapi, "3.1.0");
    assert.equal(spec.json.paths["/v1/campaigns/{id}"].get["x-scope"], "read");
    const consent = spec.json.paths["/v1/consents"].post;
    assert.equal(consent.requestBody.content["application/json"].schema.additionalProperties, false);
    assert.ok(consent.responses["409"]);
    // Every operation named, once, for client generators; the server it is served by.
    const ids = Object.values(
      spec.json.paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap((methods) => Object.values(methods).map((o) => o.operationId));
    assert.ok(
      ids.every((id) => /^(get|post)[A-Z][A-Za-z]+$/.test(id)),
      ids.join(" "),
    );
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(spec.json.paths["/v1/subjects/{point}/export"].get.operationId, "getSubjectsByPointExport");
    assert.deepEqual(spec.json.servers, [{ url: "/" }]);
    const docs = await s.call("GET", "/docs", { key: null });
    assert.equal(docs.status, 200);
    assert.match(docs.headers.get("content-type") ?? "", /text\/html/);
    assert.match(docs.text, /\/v1\/check/);
    assert.doesNotMatch(docs.text, /<script|<link|src=|href="http/);
  });
});

describe("limits", () => {
  test("a body over the limit: 413", async () => {
    const r = await s.call("POST", "/v1/decisions", {
      key: s.key.decide,
      body: { ...FACTS, padding: "x".repeat(5000) },
    });
    assert.equal(r.status, 413);
    assert.match(r.json.error.message, /4096 bytes/);
  });

  test("JSON naming a prototype key is refused as such, and so is JSON that is not", async () => {
    for (const raw of ['{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"at":']) {
      const r = await s.call("POST", "/v1/decisions", { key: s.key.decide, raw });
      assert.equal(r.status, 400, raw);
      assert.equal(
        r.json.error.message,
        "body is not valid JSON, or names __proto__ or constructor.prototype (refused)",
      );
    }
  });

  test("a JSON body that is not UTF-8 is refused, not decoded with replacement characters", async () => {
    // "jos\xe9@example.fr" in Latin-1, as a legacy export sends it.
    const raw = Buffer.concat([
      Buffer.from('{"point":"jos'),
      Buffer.from([0xe9]),
      Buffer.from('@example.fr","campaign":{"controller":"A","channel":"email"}}'),
    ]);
    const r = await s.call("POST", "/v1/check", { key: s.key.decide, raw });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.message, "body is not valid UTF-8: send JSON in UTF-8 (RFC 8259)");
    const ok = await s.call("POST", "/v1/check", { key: s.key.decide, raw: raw.toString("latin1") });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
  });

  test("a path parameter past the router's limit is a 400 naming it, quoting 64 characters of it", async () => {
    const long = "0612345678".repeat(300);
    for (const [method, path, field, key] of [
      ["GET", `/v1/subjects/${long}/export`, "point", s.key.admin],
      ["GET", `/v1/campaigns/${long}`, "id", s.key.read],
      ["GET", `/u/${long}`, "token", null],
    ] as const) {
      const r = await s.call(method, path, { key });
      assert.equal(r.status, 400, path.slice(0, 20));
      assert.deepEqual(r.json.error, {
        path: field,
        message: `longer than 1024 characters: "${long.slice(0, 64)}…"`,
        issues: [{ path: field, message: `longer than 1024 characters: "${long.slice(0, 64)}…"` }],
      });
      assert.ok(r.text.length < 400, `${r.text.length} characters sent back`);
    }
  });

  test("a body that is not JSON on a JSON route: 415 naming its type", async () => {
    const raw = '{"point":"06 12 34 56 78","campaign":{"controller":"A","channel":"sms"}}';
    for (const type of ["text/plain", "application/x-www-form-urlencoded"]) {
      const r = await s.call("POST", "/v1/check", {
        key: s.key.decide,
        raw,
        headers: { "content-type": type },
      });
      assert.equal(r.status, 415, type);
      assert.match(r.json.error.message, /send the body as JSON \(application\/json\)/);
    }
    const json = await s.call("POST", "/v1/check", {
      key: s.key.decide,
      raw,
      headers: { "content-type": "Application/JSON; charset=utf-8" },
    });
    assert.equal(json.status, 200, JSON.stringify(json.json));
  });

  test("JSON naming a field twice in one object is refused, naming it: which one counts is not said", async () => {
    const cases: [string, string][] = [
      ["point", '{"point":"06 12 34 56 78","campaign":"c","point":"jean@example.fr"}'],
      [
        "campaign.channel",
        '{"point":"jean@example.fr","campaign":{"controller":"A","channel":"email","channel":"sms"}}',
      ],
    ];
    for (const [path, raw] of cases) {
      const r = await s.call("POST", "/v1/check", { key: s.key.decide, raw });
      assert.equal(r.status, 400, raw);
      assert.deepEqual(
        [r.json.error.path, r.json.error.message],
        [path, "given twice in one object: which one counts is not said"],
      );
    }
  });

  test("past the rate: 429 with Retry-After, per key", async () => {
    const slow = await startServer({ rateLimit: { burst: 3, perSecond: 0.5 } });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const r = await slow.call("GET", "/v1/campaigns", { key: slow.key.read });
        statuses.push(r.status);
        retryAfter ??= r.headers.get("retry-after");
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      assert.equal(retryAfter, "2");
      // Another key has its own bucket.
      assert.equal((await slow.call("GET", "/v1/campaigns", { key: slow.key.admin })).status, 200);
    } finally {
      await slow.close();
    }
  });
});

test("vigie keys create: prints the key once, keeps only its hash, mode 0600", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vigie-keys-"));
  try {
    const store = join(dir, "v.db");
    const r = vigie([
      "keys",
      "create",
      "--scope",
      "decide,write-evidence",
      "--name",
      "crm",
      "--store",
      store,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const key = r.stdout.trim();
    assert.match(key, /^vk_[A-Za-z0-9_-]{43}$/);
    // The store's bytes, its write-ahead log included, never hold the key.
    for (const file of [store, `${store}-wal`].filter((f) => existsSync(f))) {
      assert.ok(!readFileSync(file).includes(key.slice(3)), file);
      assert.equal(statSync(file).mode & 0o777, 0o600, file);
    }
    const held = new SqliteStore(store);
    const [record] = await listKeys(held, "default");
    await held.close();
    assert.deepEqual(record?.scopes, ["decide", "write-evidence"]);
    assert.equal(record?.name, "crm");
    assert.equal(record?.sha256, createHash("sha256").update(key).digest("hex"));
    const bad = vigie(["keys", "create", "--scope", "everything", "--store", store]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--scope everything/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("logs: method, route, status and duration, no personal data and no key", async () => {
  const lines: string[] = [];
  const log = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const logged = await startServer({ log });
  try {
    const point = "jeanne.martin@example.fr";
    await logged.call("POST", "/v1/consents", {
      key: logged.key["write-evidence"],
      body: { point, controller: "Agence Dupont", channel: "email", proofRef: "secret-ref" },
      headers: { "user-agent": "PersonalBrowser/9" },
    });
    await logged.call("GET", `/v1/subjects/${encodeURIComponent(point)}/export`, { key: logged.key.read });
    await logged.call("POST", "/v1/check", { key: null, body: { point } });
  } finally {
    await logged.close();
  }
  const text = lines.join("\n");
  for (const secret of ["jeanne", "secret-ref", "PersonalBrowser", "vk_", "remoteAddress", "user-agent"]) {
    assert.ok(!text.includes(secret), `${secret} in the logs:\n${text}`);
  }
  const requests = lines.map((l) => JSON.parse(l)).filter((l) => "route" in l);
  assert.deepEqual(
    requests.map((l) => [l.method, l.route, l.status]),
    [
      ["POST", "/v1/consents", 201],
      ["GET", "/v1/subjects/:point/export", 200],
      ["POST", "/v1/check", 401],
    ],
  );
  assert.ok(requests.every((l) => typeof l.ms === "number"));
  const fields = new Set(requests.flatMap((l) => Object.keys(l)));
  assert.deepEqual([...fields].sort(), [
    "hostname",
    "level",
    "method",
    "ms",
    "pid",
    "reqId",
    "route",
    "status",
    "time",
  ]);
});

test("vigie serve: listens, answers, stops on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vigie-serve-"));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", MAIN, "serve", "--port", "0", "--store", join(dir, "v.db")],
    { env: { ...process.env, VIGIE_KEYRING: join(dir, "keyring.json") } },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += String(d);
        const m = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const r = await fetch(`${url}/openapi.json`);
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { openapi: string }).openapi, "3.1.0");
    assert.equal((await fetch(`${url}/v1/campaigns`)).status, 401);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
