// The API's contract as clients take it: the OpenAPI document served is the one committed
// (docs/openapi.generated.json), linted by Redocly's recommended rules; the TypeScript types
// generated from it (src/api/openapi.generated.ts) are current; and a client typed by them
// (openapi-fetch) calls every operation that answers JSON against the running server, its answers
// matching the described schemas exactly, and those that answer text say their media type.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import createClient from "openapi-fetch";
import { z } from "zod";
import {
  batchAnswer,
  consentRequestAnswer,
  decisionAnswer,
  duplicateAnswer,
  erasureAnswer,
  healthAnswer,
  importAnswer,
  recordedAnswer,
  storedCampaignAnswer,
  subjectExportAnswer,
  unsubscribeLinkAnswer,
  webhookAnswer,
} from "../../src/api/answers.ts";
import type { paths } from "../../src/api/openapi.generated.ts";
import { type Server, startServer } from "./helpers.ts";

const ROOT = new URL("../../", import.meta.url);
const SNAPSHOT = new URL("docs/openapi.generated.json", ROOT);
const TYPES = new URL("src/api/openapi.generated.ts", ROOT);
const REDOCLY = new URL("node_modules/@redocly/cli/bin/cli.js", ROOT).pathname;

const campaign = {
  controller: "Agence Dupont",
  channel: "sms",
  sector: "other",
  message: { senderIdentified: true, optOut: true },
} as const;

describe("the API's contract for clients", () => {
  let s: Server;
  let served: unknown;
  before(async () => {
    s = await startServer();
    served = await (await fetch(`${s.url}/openapi.json`)).json();
  });
  after(async () => {
    await s.close();
  });

  test("the document served is the one committed, and the generated types are made from it", () => {
    const committed = readFileSync(SNAPSHOT, "utf8");
    assert.deepEqual(served, JSON.parse(committed), "the API changed: run npm run gen:client");
    const sha = createHash("sha256").update(committed).digest("hex");
    assert.match(
      readFileSync(TYPES, "utf8"),
      new RegExp(`^// From docs/openapi.generated.json, sha256 ${sha}`),
    );
  });

  test("Redocly's recommended rules: no error; no warning but the three reads that cannot fail", () => {
    const file = join(s.dir, "openapi.json");
    writeFileSync(file, JSON.stringify(served));
    const r = spawnSync(process.execPath, [REDOCLY, "lint", file, "--format=json"], { encoding: "utf8" });
    const report = JSON.parse(r.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; location: { pointer: string }[] }[];
    };
    assert.equal(report.totals.errors, 0, r.stdout);
    // /healthz, /openapi.json and /docs are public reads with no 4xx to declare.
    assert.deepEqual(
      report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`),
      [
        "operation-4xx-response #/paths/~1healthz/get/responses",
        "operation-4xx-response #/paths/~1openapi.json/get/responses",
        "operation-4xx-response #/paths/~1docs/get/responses",
      ],
    );
  });

  test("a client typed by the generated types checks, records evidence, subscribes; answers match their schemas", async () => {
    const client = createClient<paths>({
      baseUrl: s.url,
      headers: { authorization: `Bearer ${s.key.decide}` },
    });
    const one = await client.POST("/v1/check", {
      body: { point: "06 12 34 56 78", campaign, at: "2026-10-06T10:00:00+02:00" },
    });
    assert.equal(one.response.status, 200);
    const decision = decisionAnswer.parse(one.data);
    assert.equal(decision.verdict, one.data?.verdict);

    // The facts body is typed from the schema that checks it: an example file fits it.
    const facts = JSON.parse(readFileSync(new URL("examples/facts/pige-2026.json", ROOT), "utf8"));
    const decided = await client.POST("/v1/decisions", { body: facts });
    assert.equal(decided.response.status, 200);
    decisionAnswer.parse(decided.data);

    const batch = await client.POST("/v1/check/batch", {
      body: { points: ["06 12 34 56 78", "not a number"], campaign, at: "2026-10-06T10:00:00+02:00" },
    });
    assert.equal(batch.response.status, 200);
    const parsed = batchAnswer.parse(batch.data);
    assert.equal(parsed.results.length, 2);
    assert.equal("error" in (parsed.results[1] ?? {}), true);

    const writer = createClient<paths>({
      baseUrl: s.url,
      headers: { authorization: `Bearer ${s.key["write-evidence"]}` },
    });
    const objection = {
      point: "06 12 34 56 79",
      channel: "sms" as const,
      via: "stop_sms" as const,
      at: "2026-10-01T09:00:00+02:00",
    };
    const recorded = await writer.POST("/v1/objections", { body: objection });
    assert.equal(recorded.response.status, 201);
    assert.ok(recordedAnswer.parse(recorded.data).seq >= 1);
    const again = await writer.POST("/v1/objections", { body: objection });
    assert.deepEqual(duplicateAnswer.parse(again.data), { seq: null, duplicate: true });

    const admin = createClient<paths>({
      baseUrl: s.url,
      headers: { authorization: `Bearer ${s.key.admin}` },
    });
    const made = await admin.POST("/v1/webhooks", {
      body: { url: "https://mailer.example/vigie", events: ["objection"] },
    });
    assert.equal(made.response.status, 201);
    assert.match(made.data?.secret ?? "", /^whsec_/);
    const listed = await admin.GET("/v1/webhooks");
    assert.equal(webhookAnswer.parse(listed.data?.webhooks[0]).id, made.data?.id);

    const bad = await client.POST("/v1/check", { body: { point: "", campaign } });
    assert.equal(bad.response.status, 400);
    assert.equal(bad.error?.error.path, "point");
  });

  test("campaigns, a subject's export and erasure, links, a double opt-in by SMS, an import: answers match", async () => {
    const as = (key: string) =>
      createClient<paths>({ baseUrl: s.url, headers: { authorization: `Bearer ${key}` } });
    const admin = as(s.key.admin);
    const reader = as(s.key.read);
    const writer = as(s.key["write-evidence"]);

    const stored = await admin.POST("/v1/campaigns", {
      body: { campaign, policy: { callbackWindowHours: 48 } },
    });
    assert.equal(stored.response.status, 201);
    const made = storedCampaignAnswer.parse(stored.data);
    assert.equal(made.policy?.callbackWindowHours, 48);
    const listed = await reader.GET("/v1/campaigns");
    const all = z.strictObject({ campaigns: z.array(storedCampaignAnswer) }).parse(listed.data);
    assert.ok(all.campaigns.some((c) => c.id === made.id));
    const one = await reader.GET("/v1/campaigns/{id}", { params: { path: { id: made.id } } });
    assert.deepEqual(storedCampaignAnswer.parse(one.data), made);

    // One row naming a phone and an e-mail: one person, so each point's export shows the other.
    const contacts =
      "phone;email;kind;origin;controller;collected_at;source_url\n" +
      "06 12 34 56 70;jeanne@example.fr;consumer;direct;Agence Dupont;2026-09-20;https://example.fr/form\n" +
      "not a number;;consumer;direct;Agence Dupont;2026-09-20;\n";
    const upload = (key: string) =>
      as(key).POST("/v1/imports/{kind}", {
        params: { path: { kind: "contacts" } },
        body: contacts,
        bodySerializer: (text) => text,
        headers: { "content-type": "text/csv" },
      });
    const imported = await upload(s.key["write-evidence"]);
    assert.equal(imported.response.status, 201);
    const report = importAnswer.parse(imported.data);
    assert.deepEqual([report.accepted, report.rejectedCount, report.file], [1, 1, null]);
    const again = await upload(s.key["write-evidence"]);
    assert.equal(again.response.status, 200);
    assert.notEqual(importAnswer.parse(again.data).alreadyImportedAt, null);
    const bloctel = await admin.POST("/v1/imports/bloctel", {
      params: { query: { date: "2026-11-30", complete: "true" } },
      body: "phone,registered\n06 12 34 56 71,true\n",
      bodySerializer: (text) => text,
      headers: { "content-type": "text/csv" },
    });
    assert.equal(bloctel.response.status, 201);
    assert.equal(importAnswer.parse(bloctel.data).kind, "bloctel");

    const point = { path: { point: "+33612345670" } };
    const exported = await reader.GET("/v1/subjects/{point}/export", { params: point });
    assert.equal(exported.response.status, 200);
    const held = subjectExportAnswer.parse(exported.data);
    assert.equal(held.evidence.sources[0]?.sourceUrl, "https://example.fr/form");
    assert.equal(held.linked[0]?.point?.value, "jeanne@example.fr");
    assert.ok(held.events.some((e) => e.data.type === "source.recorded" && e.pii?.sourceUrl !== undefined));
    const erased = await admin.POST("/v1/subjects/{point}/erase", { params: point });
    assert.equal(erased.response.status, 200);
    const erasure = erasureAnswer.parse(erased.data);
    assert.deepEqual([erasure.alreadyErasedAt, erasure.linked[0]?.value], [null, "jeanne@example.fr"]);
    const after = subjectExportAnswer.parse(
      (await reader.GET("/v1/subjects/{point}/export", { params: point })).data,
    );
    assert.equal(after.evidence.point?.value, null);

    const link = await writer.POST("/v1/unsubscribe-links", {
      body: { point: "06 12 34 56 72", controller: "Agence Dupont", baseUrl: "https://vigie.example.fr" },
    });
    assert.equal(link.response.status, 200);
    const unsubscribe = unsubscribeLinkAnswer.parse(link.data);
    assert.equal(unsubscribe.headers?.["List-Unsubscribe"], `<https://vigie.example.fr${unsubscribe.path}>`);

    const asked = await writer.POST("/v1/consents/requests", {
      body: { point: "06 12 34 56 73", controller: "Agence Dupont", channel: "sms" },
    });
    assert.equal(asked.response.status, 201);
    assert.equal(consentRequestAnswer.parse(asked.data).channel, "sms");
    const sent = readFileSync(s.outboxPath, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const code = /^(\d{6})\b/.exec(sent.findLast((m) => m.to === "+33612345673")?.text ?? "")?.[1];
    assert.ok(code, "no code sent");
    const confirmed = await writer.POST("/v1/consents/confirm", { body: { point: "06 12 34 56 73", code } });
    assert.equal(confirmed.response.status, 201);
    assert.ok(recordedAnswer.parse(confirmed.data).seq >= 1);

    const health = await as("").GET("/healthz");
    assert.deepEqual(healthAnswer.parse(health.data), { status: "ok" });
  });

  test("the answers that are text say their media type, as the document does", async () => {
    const suppression = await fetch(`${s.url}/v1/suppression?channel=sms`, {
      headers: { authorization: `Bearer ${s.key.read}` },
    });
    const hashed = await fetch(`${s.url}/v1/suppression?channel=sms&format=hashed-sha256`, {
      headers: { authorization: `Bearer ${s.key.read}` },
    });
    const docs = await fetch(`${s.url}/docs`);
    const page = await fetch(`${s.url}/u/not-a-token`);
    const typeOf = (r: Response) => r.headers.get("content-type")?.split(";")[0];
    assert.deepEqual(
      [suppression, hashed, docs, page].map((r) => `${r.status} ${typeOf(r)}`),
      ["200 text/csv", "200 text/plain", "200 text/html", "404 text/html"],
    );
    const media = (path: string, method: string, code: string) =>
      Object.keys((served as Doc).paths[path]?.[method]?.responses[code]?.content ?? {});
    assert.deepEqual(media("/v1/suppression", "get", "200"), ["text/csv", "text/plain"]);
    assert.deepEqual(media("/docs", "get", "200"), ["text/html"]);
    assert.deepEqual(media("/u/{token}", "get", "404"), ["text/html"]);
    assert.deepEqual(media("/u/{token}", "post", "400"), ["application/json"]);
  });

  test("every answer with a body has its content described", () => {
    const bare = Object.entries((served as Doc).paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) =>
        Object.entries(op.responses)
          .filter(([code, r]) => code !== "204" && r.content === undefined)
          .map(([code]) => `${method} ${path} ${code}`),
      ),
    );
    assert.deepEqual(bare, []);
  });
});

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
};
