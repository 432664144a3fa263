// Hostile uploads, at both faces: a header past the limits (one long line, thousands of columns) is
// refused with 400 naming the limit, the dashboard's mapping page stays small whatever the list, a
// compressed body is 415 before it is read, and a second file in a multipart body is refused by
// name rather than ignored.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { type Client, type Dashboard, startDashboard } from "../dashboard/helpers.ts";
import { type Server, startServer } from "./helpers.ts";

const MIB = 1024 * 1024;
const manyColumns = (n: number) => `${Array.from({ length: n }, (_, i) => `c${i}`).join(",")}\nphone\n`;

describe("the dashboard's list uploads", () => {
  let d: Dashboard;
  let operator: Client;
  before(async () => {
    d = await startDashboard();
    operator = await d.client("operator");
  });
  after(() => d.close());

  test("one line of 30 MB: 400 naming the header's limit, a small page, a bounded heap", async () => {
    const line = Buffer.alloc(30 * MIB, "aa,");
    const heapBefore = process.memoryUsage().heapUsed;
    const r = await operator.upload("/screen", { name: "list.csv", content: line });
    assert.equal(r.status, 400);
    assert.match(r.text, /line 1: header: longer than the 65 536 bytes a header may have/);
    assert.ok(r.text.length < 32 * 1024, `a page of ${r.text.length} bytes`);
    // The upload streams to disk and the check reads 64 KiB of it: the heap does not hold the list.
    const grown = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(grown < 64 * MIB, `the heap grew by ${Math.round(grown / MIB)} MiB`);
    const list = await operator.get("/screen");
    assert.doesNotMatch(list.text, /\/map"/, "nothing was kept");
  });

  test("5 000 columns: 400 naming the column limit", async () => {
    const r = await operator.upload("/screen", { name: "list.csv", content: manyColumns(5000) });
    assert.equal(r.status, 400);
    assert.match(r.text, /line 1: header: 5 000 columns, more than the 1 000 a file may have/);
  });

  test("JSON Lines with 5 000 keys: 400 naming the column limit", async () => {
    const object = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 1]));
    const r = await operator.upload("/screen", {
      name: "list.jsonl",
      content: `${JSON.stringify(object)}\n`,
    });
    assert.equal(r.status, 400);
    assert.match(r.text, /5 000 keys so far, more than the 1 000 columns a list may have/);
  });

  test("the widest list allowed, with long rows: the mapping page stays under a megabyte", async () => {
    const header = Array.from({ length: 1000 }, (_, i) => `column_${String(i).padStart(4, "0")}`);
    header[0] = "phone";
    const row = header.map(() => "x".repeat(60)).join(",");
    const content = `${header.join(",")}\n${Array.from({ length: 50 }, () => row).join("\n")}\n`;
    const r = await operator.upload("/screen", { name: "wide.csv", content });
    assert.equal(r.status, 303, r.text.slice(0, 500));
    const map = await operator.get(r.headers.get("location") as string);
    assert.equal(map.status, 200);
    assert.ok(map.text.length < MIB, `a page of ${Math.round(map.text.length / 1024)} KiB`);
  });

  test("a second file: 400 naming it, nothing kept", async () => {
    const form = new FormData();
    form.append("csrf", operator.csrf);
    form.append("list", new Blob(["phone\n0612345678\n"]), "a.csv");
    form.append("other", new Blob(["phone\n0612345679\n"]), "b.csv");
    const res = await operator.fetch("/screen", { method: "POST", body: form });
    const text = await res.text();
    assert.equal(res.status, 400);
    assert.match(
      text,
      /a second file, field &#34;other&#34; \(&#34;b.csv&#34;\)|a second file, field "other"/,
    );
    const list = await operator.get("/screen");
    assert.doesNotMatch(list.text, /a\.csv/);
  });

  test("a gzip-encoded upload: 415", async () => {
    const form = new FormData();
    form.append("csrf", operator.csrf);
    form.append("list", new Blob(["phone\n0612345678\n"]), "a.csv");
    const body = new Uint8Array(await new Response(form).arrayBuffer());
    const type = new Response(form).headers.get("content-type") as string;
    const res = await operator.fetch("/screen", {
      method: "POST",
      body: gzipSync(body),
      headers: { "content-type": type, "content-encoding": "gzip" },
    });
    assert.equal(res.status, 415);
    assert.match(await res.text(), /Content-Encoding gzip/);
  });
});

describe("API imports and bodies", () => {
  let s: Server;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  const auth = () => ({ authorization: `Bearer ${s.key.admin}` });

  test("a header of 5 000 columns: 400 naming the limit", async () => {
    const r = await s.call("POST", "/v1/imports/contacts", {
      raw: manyColumns(5000),
      headers: { "content-type": "text/csv" },
    });
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /line 1: header: 5 000 columns, more than the 1 000 a file may have/);
  });

  test("a header line of 2 MB: 400 naming the limit", async () => {
    const r = await s.call("POST", "/v1/imports/contacts", {
      raw: `${"a".repeat(2 * MIB)}\n`,
      headers: { "content-type": "text/csv" },
    });
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /longer than the 65 536 bytes a header may have/);
  });

  test("two files in a multipart import: 400 naming the second", async () => {
    const form = new FormData();
    form.append("file", new Blob(["phone\n06 12 34 56 78\n"]), "a.csv");
    form.append("more", new Blob(["phone\n06 12 34 56 79\n"]), "b.csv");
    const res = await fetch(`${s.url}/v1/imports/contacts`, { method: "POST", headers: auth(), body: form });
    const json = (await res.json()) as { error: { message: string } };
    assert.equal(res.status, 400);
    assert.equal(json.error.message, 'multipart: a second file, field "more" ("b.csv"): send one file');
  });

  for (const [route, type, body] of [
    ["/v1/imports/contacts", "text/csv", "phone\n06 12 34 56 78\n"],
    ["/v1/decisions", "application/json", "{}"],
    ["/v1/objections", "application/json", "{}"],
    ["/u/some-token", "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click"],
  ] as const) {
    for (const coding of ["gzip", "br", "deflate, gzip"]) {
      test(`${route} with Content-Encoding ${coding}: 415 naming it`, async () => {
        const res = await fetch(`${s.url}${route}`, {
          method: "POST",
          headers: { ...auth(), "content-type": type, "content-encoding": coding },
          body: gzipSync(body),
        });
        const json = (await res.json()) as { error: { message: string; path: string } };
        assert.equal(res.status, 415);
        assert.equal(json.error.path, "content-encoding");
        assert.match(
          json.error.message,
          new RegExp(`^Content-Encoding ${coding}: send the body uncompressed$`),
        );
      });
    }
  }

  test("Content-Encoding identity is the body as it is", async () => {
    const r = await s.call("POST", "/v1/imports/contacts", {
      raw: "phone,kind,origin\n06 12 34 56 78,consumer,direct\n",
      headers: { "content-type": "text/csv", "content-encoding": "identity" },
    });
    assert.equal(r.status, 201, r.text);
  });
});
