// docs/integrations.md's examples, run as written: every `sh` block that does not start a server
// goes through bash and the real curl (failing on any HTTP error) against a running API, its
// `vigie` commands through the command line on the same store; the webhook receiver it names is
// a local stub that checks each delivery's signature the way the doc says to, and the payload's
// shape against the doc's example.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { type Server, startServer } from "../api/helpers.ts";

const ROOT = new URL("../../", import.meta.url);
const doc = readFileSync(new URL("docs/integrations.md", ROOT), "utf8");
const blocks = [...doc.matchAll(/```(sh|json)\n([\s\S]*?)```/g)].map(([, lang, text]) => ({
  lang: lang as string,
  text: text as string,
}));
/** The doc's example receiver: the blocks are run with the stub's address in its place. */
const RECEIVER = "https://mailer.example/vigie";

interface Delivery {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

let api: Server;
let dir: string;
const got: Delivery[] = [];
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    got.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
});
let stub: string;

before(async () => {
  api = await startServer({ tenant: "default" });
  dir = mkdtempSync(join(tmpdir(), "vigie-doc-examples-"));
  // `vigie` as users have it on their PATH, on the server's store and keyring.
  const main = new URL("src/cli/main.ts", ROOT).pathname;
  writeFileSync(
    join(dir, "vigie"),
    `#!/bin/sh\nexec "${process.execPath}" --import "${import.meta.resolve("tsx")}" "${main}" "$@"\n`,
  );
  chmodSync(join(dir, "vigie"), 0o755);
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  stub = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/vigie`;
});

after(async () => {
  receiver.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs a block with bash: any failing command, or curl answered an HTTP error, fails it. Not
 * synchronously: the API answering curl runs in this process.
 */
async function run(script: string, env: Record<string, string>): Promise<string> {
  const prelude = `curl() { command curl --fail-with-body "$@"; }\n`;
  try {
    const { stdout } = await promisify(execFile)("bash", ["-e", "-o", "pipefail", "-c", prelude + script], {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: `${dir}:${process.env.PATH}`,
        VIGIE_STORE: join(api.dir, "vigie.db"),
        VIGIE: api.url,
        ...env,
      },
    });
    return stdout;
  } catch (e) {
    const { code, stdout, stderr } = e as { code: number; stdout: string; stderr: string };
    assert.fail(`${script}\n→ exit ${code}\n${stdout}\n${stderr}`);
  }
}

/** Without curl (CI installs it: .ci/run) the examples cannot run as written: skipped, saying so. */
const noCurl = spawnSync("curl", ["--version"]).status !== 0 ? "curl is not installed" : false;

test("every sh block of docs/integrations.md runs as written, with curl, against the API", {
  skip: noCurl,
}, async () => {
  const stored = await api.call("POST", "/v1/campaigns", {
    body: {
      campaign: {
        controller: "Agence Dupont",
        channel: "voice_live",
        sector: "other",
        callerId: "+33 1 44 00 00 00",
        dialer: "manual",
        habitualCaller: true,
      },
    },
  });
  assert.equal(stored.status, 201, stored.text);
  const runnable = blocks.filter((b) => b.lang === "sh" && !/\bvigie serve\b/.test(b.text));
  assert.ok(runnable.length >= 5, "the doc has its examples");
  let secrets: string[] = [];
  for (const { text } of runnable) {
    const out = await run(text.replaceAll(RECEIVER, stub), { KEY: api.key.admin, CAMPAIGN: stored.json.id });
    if (text.includes("/v1/check")) assert.match(out, /"verdict":"(allow|block)".*"nextAllowedAt"/s);
    secrets = [...secrets, ...[...out.matchAll(/whsec_[A-Za-z0-9+/=]+/g)].map(([s]) => s)];
  }
  assert.equal(secrets.length, 2, "the CLI and the API each made a subscription and showed its secret");

  // A new objection reaches the stub from both subscriptions, signed as the doc says.
  const objection = await api.call("POST", "/v1/objections", {
    body: { point: "+33698765432", channel: "all", via: "stop_sms", at: "2026-11-30" },
  });
  assert.equal(objection.status, 201, objection.text);
  await run("vigie webhooks deliver", {});
  const mine = got.filter((d) => d.body.includes('"objection.recorded"'));
  assert.equal(mine.length, 2, JSON.stringify(got));
  const example = JSON.parse(blocks.find((b) => b.lang === "json")?.text ?? "null");
  for (const d of mine) {
    const id = String(d.headers["webhook-id"]);
    const timestamp = String(d.headers["webhook-timestamp"]);
    const signature = String(d.headers["webhook-signature"]);
    const signer = secrets.find(
      (secret) =>
        signature ===
        `v1,${createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64"))
          .update(`${id}.${timestamp}.${d.body}`)
          .digest("base64")}`,
    );
    assert.ok(signer !== undefined, `a delivery signed by neither secret: ${signature}`);
    const payload = JSON.parse(d.body);
    assert.deepEqual(Object.keys(payload).sort(), Object.keys(example).sort());
    assert.deepEqual(Object.keys(payload.data).sort(), Object.keys(example.data).sort());
    assert.deepEqual(payload.data.event, example.data.event);
  }
  assert.notEqual(mine[0]?.headers["webhook-signature"], mine[1]?.headers["webhook-signature"]);
});
