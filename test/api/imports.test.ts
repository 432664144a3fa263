// POST /v1/imports/{kind} over real HTTP: the CSV as the body or as a multipart file, imported by
// the service `vigie import` uses; rejected rows with their line and column; the same file again
// is a no-op; scopes; the upload limit apart from the JSON body limit.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { verifyAudit } from "../../src/services/audit.ts";
import { type Server, startServer } from "./helpers.ts";

const example = (name: string) =>
  readFileSync(new URL(`../../examples/evidence/${name}`, import.meta.url), "utf8");

describe("POST /v1/imports/{kind}", () => {
  let s: Server;
  before(async () => {
    s = await startServer({ uploadLimit: 16384, bodyLimit: 1024 });
  });
  after(() => s.close());

  const csv = (kind: string, text: string, key = s.key["write-evidence"], query = "") =>
    s.call("POST", `/v1/imports/${kind}${query}`, {
      key,
      raw: text,
      headers: { "content-type": "text/csv" },
    });

  test("a good file as text/csv: imported, counted, then found by a check", async () => {
    const rows = Array.from(
      { length: 100 },
      (_, i) => `07 56 10 ${String(1000 + i).replace(/(..)(..)/, "$1 $2")},,2026-06-01,,all,letter`,
    );
    const text = `phone,email,at,controller,channel,via\n${rows.join("\n")}\n`;
    assert.ok(text.length > 1024, "larger than the JSON body limit: the upload limit applies instead");
    const r = await csv("objections", text);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.kind, "objections");
    assert.equal(r.json.alreadyImportedAt, null);
    assert.equal(r.json.rejectedCount, 0);
    assert.equal(r.json.rows, r.json.accepted);
    assert.ok(r.json.events.appended > 0);
    assert.match(r.json.sha256, /^[0-9a-f]{64}$/);
    assert.equal(r.json.file, null, "no temporary path leaks out");
    const events: { proof: { recordedBy: string } }[] = [];
    for await (const e of s.session.store.events("t")) events.push(e);
    assert.match(events.at(-1)?.proof.recordedBy ?? "", /^api:k_[\w-]+ import objections$/);
  });

  test("the same file again changes nothing", async () => {
    const r = await csv("objections", example("objections.csv"));
    assert.equal(r.status, 201, r.text);
    const again = await csv("objections", example("objections.csv"));
    assert.equal(again.status, 200, again.text);
    assert.equal(typeof again.json.alreadyImportedAt, "number");
    assert.equal(again.json.sha256, r.json.sha256);
    assert.equal(again.json.rows, 0);
    assert.equal(again.json.events.appended, 0);
  });

  test("a CRM's export read as `vigie import --map --encoding` reads it; a corrected mapping imports again", async () => {
    const text = "Téléphone;Date;Responsable;Canal;Via\r\n07 56 20 00 01;2026-06-01;;all;letter\r\n";
    const bytes = Buffer.from(text, "latin1");
    const post = (query: string) =>
      s.call("POST", `/v1/imports/objections${query}`, {
        key: s.key["write-evidence"],
        raw: bytes,
        headers: { "content-type": "text/csv" },
      });
    const wrong = await post(
      `?encoding=windows-1252&map=${encodeURIComponent("phone=Téléphone,at=Responsable,controller=Date,channel=Canal,via=Via")}`,
    );
    assert.deepEqual([wrong.status, wrong.json.accepted, wrong.json.rejectedCount], [201, 0, 1], wrong.text);
    const right = await post(
      `?encoding=windows-1252&map=${encodeURIComponent("phone=Téléphone,at=Date,controller=Responsable,channel=Canal,via=Via")}`,
    );
    assert.deepEqual(
      [right.status, right.json.accepted, right.json.events.appended],
      [201, 1, 1],
      right.text,
    );
    assert.equal(right.json.encoding.encoding, "windows-1252");
    const bad = await post("?encoding=latin9");
    assert.deepEqual([bad.status, bad.json.error.path], [400, "encoding"], bad.text);
    assert.match(bad.json.error.message, /^must be one of: utf8, utf16le, utf16be, windows-1252/);
  });

  test("a multipart file, its name kept in the report", async () => {
    const form = new FormData();
    form.append("file", new Blob([example("consents.csv")], { type: "text/csv" }), "consents-juin.csv");
    const res = await fetch(`${s.url}/v1/imports/consents`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.key["write-evidence"]}` },
      body: form,
    });
    const json = (await res.json()) as { file: string; rejectedCount: number; events: { appended: number } };
    assert.equal(res.status, 201, JSON.stringify(json));
    assert.equal(json.file, "consents-juin.csv");
    assert.equal(json.rejectedCount, 0);
    assert.ok(json.events.appended > 0);
  });

  test("malformed rows are reported with their line and column; the others are imported", async () => {
    const text = [
      "phone,at,controller,channel,via",
      "06 11 22 33 44,2026-05-01,,all,stop_sms",
      "not a phone,2026-05-01,,all,stop_sms",
      "06 11 22 33 45,someday,,all,stop_sms",
      "06 11 22 33 46,2026-05-01,,carrier pigeon,stop_sms",
      '06 11 22 33 47,"2026-05-01,,all',
    ].join("\n");
    const r = await csv("objections", `${text}\n`);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.rows, 5);
    assert.equal(r.json.accepted, 1);
    assert.equal(r.json.rejectedCount, 4);
    const byLine = new Map<number, { line: number; column?: string; message: string }>(
      r.json.rejected.map((x: { line: number; column?: string; message: string }) => [x.line, x]),
    );
    assert.equal(byLine.get(3)?.column, "phone");
    assert.equal(byLine.get(4)?.column, "at");
    assert.equal(byLine.get(5)?.column, "channel");
    assert.ok(byLine.has(6), "an unterminated quote is rejected with its line");
    assert.equal((await verifyAudit(s.session.store)).ok, true);
  });

  test("a file that cannot be imported: 400, nothing imported", async () => {
    const r = await csv("consents", "phone,colour\n0611223344,blue\n");
    assert.equal(r.status, 400);
    assert.match(r.json.error.message, /unknown column\(s\) colour.*nothing imported/);
    const again = await csv("consents", "phone,colour\n0611223344,blue\n", undefined, "?ignoreUnknown=true");
    assert.equal(again.status, 400);
    assert.match(again.json.error.message, /missing required column/);
  });

  test("keys and scopes: 401 without a key, 403 without write-evidence, bloctel is admin only", async () => {
    const text = "phone,at\n0611223344,2026-05-01\n";
    assert.equal((await csv("objections", text, null as unknown as string)).status, 401);
    assert.equal((await csv("objections", text, s.key.decide)).status, 403);
    assert.equal((await csv("objections", text, s.key.read)).status, 403);
    const bloctel = "phone,registered\n0611223344,true\n";
    const denied = await csv("bloctel", bloctel, s.key["write-evidence"], "?date=2026-08-03");
    assert.equal(denied.status, 403);
    const noDate = await csv("bloctel", bloctel, s.key.admin);
    assert.equal(noDate.status, 400);
    assert.equal(noDate.json.error.path, "date");
    const ok = await csv("bloctel", bloctel, s.key.admin, "?date=2026-08-03&complete=true");
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.accepted, 1);
    assert.equal((await verifyAudit(s.session.store)).ok, true);
  });

  test("unknown kinds and media types", async () => {
    assert.equal((await csv("friends", "phone\n0611223344\n")).status, 404);
    const json = await s.call("POST", "/v1/imports/objections", { key: s.key.admin, body: { phone: "x" } });
    assert.equal(json.status, 415);
  });

  test("an upload over the limit: 413, as text/csv or multipart", async () => {
    const big = `phone,at\n${"0611223344,2026-05-01\n".repeat(800)}`;
    assert.ok(big.length > 16384);
    const r = await csv("objections", big);
    assert.equal(r.status, 413);
    assert.match(r.json.error.message, /upload larger than 16384 bytes/);
    const form = new FormData();
    form.append("file", new Blob([big], { type: "text/csv" }), "big.csv");
    const res = await fetch(`${s.url}/v1/imports/objections`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.key.admin}` },
      body: form,
    });
    assert.equal(res.status, 413);
    // Chunked, without a Content-Length: cut off while streaming.
    const chunked = await fetch(`${s.url}/v1/imports/objections`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.key.admin}`, "content-type": "text/csv" },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    assert.equal(chunked.status, 413);
  });

  test("imports and evidence writes at the same time: all kept, one chain", async () => {
    const file = (n: number) =>
      `phone,at,controller,channel,via\n${Array.from({ length: 150 }, (_, i) => `06${String(20000000 + n * 1000 + i)},2026-05-02,,all,`).join("\n")}\n`;
    const [a, b, ...writes] = await Promise.all([
      csv("objections", file(1)),
      csv("objections", file(2)),
      ...Array.from({ length: 10 }, (_, i) =>
        s.call("POST", "/v1/objections", {
          key: s.key["write-evidence"],
          body: { point: `06 30 00 00 ${String(10 + i)}`, at: "2026-05-03" },
        }),
      ),
    ]);
    for (const r of [a, b, ...writes]) assert.ok(r !== undefined && r.status === 201, r?.text);
    assert.equal(a?.json.events.appended, 150);
    assert.equal(b?.json.events.appended, 150);
    assert.equal((await verifyAudit(s.session.store)).ok, true);
  });

  test("listed in /openapi.json with their scopes and media types", async () => {
    const doc = (await s.call("GET", "/openapi.json")).json;
    const kind = doc.paths["/v1/imports/{kind}"].post;
    assert.equal(kind["x-scope"], "write-evidence");
    assert.ok(kind.requestBody.content["text/csv"]);
    assert.ok(kind.requestBody.content["multipart/form-data"]);
    assert.equal(doc.paths["/v1/imports/bloctel"].post["x-scope"], "admin");
    assert.ok(
      doc.paths["/v1/imports/bloctel"].post.parameters.some((p: { name: string }) => p.name === "date"),
    );
    assert.deepEqual((await s.call("GET", "/healthz", { key: null })).json, { status: "ok" });
  });
});
