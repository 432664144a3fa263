// One server, two faces: the API and the dashboard share one set of web rules (src/web/), so the
// same request gets the same treatment at either face, and the dashboard depends on the API's
// shared pieces only through src/web/ and src/services/.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Dashboard, startDashboard } from "../dashboard/helpers.ts";

describe("the shared web rules", () => {
  let d: Dashboard;
  before(async () => {
    d = await startDashboard();
  });
  after(() => d.close());

  test("every answer carries the security headers; a page that allows framing by itself keeps its own", async () => {
    const api = await fetch(`${d.url}/healthz`);
    const page = await fetch(`${d.url}/login`);
    assert.equal(api.status, 200);
    assert.equal(page.status, 200);
    for (const res of [api, page]) {
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    }
    assert.equal(api.headers.get("x-frame-options"), "DENY");
    assert.equal(page.headers.get("x-frame-options"), "SAMEORIGIN");
  });

  test("a path that is not UTF-8: 400 at either face, the URL not echoed", async () => {
    for (const path of ["/v1/subjects/%ED%A0%80/export", "/people/%ED%A0%80"]) {
      const res = await fetch(`${d.url}${path}`);
      const text = await res.text();
      assert.equal(res.status, 400, path);
      assert.doesNotMatch(text, /%ED/i);
      assert.equal(JSON.parse(text).error.path, "url");
    }
  });

  test("a compressed body: 415 at either face", async () => {
    for (const path of ["/v1/decisions", "/login"]) {
      const res = await fetch(`${d.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" },
        body: "x=1",
      });
      assert.equal(res.status, 415, path);
    }
  });
});

test("the dashboard imports nothing from src/api/", () => {
  const root = new URL("../../src/dashboard/", import.meta.url).pathname;
  const offenders = readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .filter((f) => /from "(\.\.\/)+api\//.test(readFileSync(join(root, f), "utf8")));
  assert.deepEqual(offenders, []);
});
