// `vigie webhooks` end to end: an objection committed while `vigie serve` runs, the server killed
// before it delivered it, the objection delivered by the next server — the log is the queue.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { signatureOf } from "../../src/services/webhooks/sign.ts";
import { vigie } from "./vigie.ts";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "vigie-webhooks-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const env = { VIGIE_KEYRING: join(dir, "keyring.json"), VIGIE_SIGNING_KEY: join(dir, "signing-key.pem") };
const store = join(dir, "vigie.db");

/** `vigie serve` on a free port, delivering webhooks every `every` seconds. */
async function serve(every: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", MAIN, "serve", "--port", "0", "--store", store, "--webhooks-every", every],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout?.on("data", (c) => {
    out += c;
  });
  child.stderr?.on("data", (c) => {
    out += c;
  });
  // Listening: Fastify logs its address.
  for (let i = 0; i < 300 && !/listening|"msg":"Server listening/i.test(out); i++) {
    if (child.exitCode !== null) throw new Error(`vigie serve exited: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

test("an event committed and not yet delivered when the server is killed is delivered by the next one", async () => {
  const got: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.statusCode = 204;
      res.end();
    });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    const added = vigie(
      ["webhooks", "add", url, "--events", "objection,erasure", "--store", store],
      undefined,
      env,
    );
    assert.equal(added.status, 0, added.stderr);
    const secret = added.stdout.trim();
    assert.match(secret, /^whsec_/);
    const id = /webhook (wh_[0-9a-f]+)/.exec(added.stderr)?.[1] as string;

    // A server that would deliver only in an hour: the objection is committed, then it is killed.
    const first = await serve("3600");
    const file = join(dir, "objections.csv");
    writeFileSync(file, "phone,at,controller,channel,via\n06 12 34 56 78,2026-11-30,,all,stop_sms\n");
    const imported = vigie(["import", "objections", file, "--store", store], undefined, env);
    assert.equal(imported.status, 0, imported.stderr);
    first.kill("SIGKILL");
    await once(first, "exit");
    assert.equal(got.length, 0, "nothing delivered before the kill");
    const status = vigie(["webhooks", "status", id, "--store", store, "--json"], undefined, env);
    assert.equal(JSON.parse(status.stdout).behind > 0, true, status.stdout);

    const second = await serve("0.2");
    try {
      for (let i = 0; i < 200 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      second.kill("SIGTERM");
      await once(second, "exit");
    }
    assert.equal(got.length, 1, "delivered once, by the second server");
    const [d] = got;
    const body = JSON.parse(d?.body ?? "");
    assert.equal(body.type, "objection.recorded");
    assert.equal(body.data.event.channel, "all");
    assert.equal(body.data.point, undefined, "keys only: no point value");
    const ts = Number(d?.headers["webhook-timestamp"]);
    assert.equal(
      d?.headers["webhook-signature"],
      signatureOf(secret, d?.headers["webhook-id"] as string, ts, d?.body ?? ""),
    );
    const after = vigie(["webhooks", "status", id, "--store", store, "--json"], undefined, env);
    assert.equal(after.status, 0, after.stdout);
    assert.equal(JSON.parse(after.stdout).behind, 0);
  } finally {
    receiver.close();
  }
});
