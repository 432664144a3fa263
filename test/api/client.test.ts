// The API's contract as clients take it: the OpenAPI document served is the one committed
// (docs/openapi.generated.json), linted by Redocly's recommended rules; the TypeScript types
// generated from it (src/api/openapi.generated.ts) are current; and a client typed by them
// (openapi-fetch) checks, decides and screens a batch against the running server, its answers
// matching the described schemas exactly.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import createClient from "openapi-fetch";
import {
  batchAnswer,
  decisionAnswer,
  duplicateAnswer,
  recordedAnswer,
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
};

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
});
