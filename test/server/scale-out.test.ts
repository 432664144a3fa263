// Three `vigie serve` processes on one PostgreSQL behind a small round-robin proxy on loopback, as
// a call centre or a SaaS runs them: a campaign stored through one is used by the others; a
// double opt-in sent by one is confirmed on another; a dashboard session survives the switch; an
// API key's rate limit holds across them; and no acknowledged write is lost when one is killed.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { BEAT_MS } from "../../src/services/process-share.ts";
import { postgresReady, TEST_DATABASE_URL } from "../support/postgres.ts";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const TSX = import.meta.resolve("tsx");
const PASSWORD = "correct horse battery staple";

if (await postgresReady("three server processes on one PostgreSQL", "test/server/scale-out.test.ts")) {
  const dir = mkdtempSync(join(tmpdir(), "vigie-scale-out-"));
  const schema = `vigie_scale_${process.pid}`;
  const url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const env = { ...process.env, VIGIE_KEYRING: join(dir, "keyring.json"), VIGIE_DATABASE_URL: url };
  const servers: { child: ChildProcess; url: string }[] = [];
  let proxy: Server;
  let front = "";
  /** A key limited to 10 requests a second (burst 20), and one unlimited for the other parts. */
  let limited = "";
  let key = "";

  const vigie = (args: string[], input?: string) => {
    const r = spawnSync(process.execPath, ["--import", TSX, MAIN, ...args], { env, input, encoding: "utf8" });
    assert.equal(r.status, 0, `vigie ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };

  async function serve(publicUrl: string): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(
      process.execPath,
      ["--import", TSX, MAIN, "serve", "--port", "0", "--public-url", publicUrl],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout?.on("data", (c) => {
      out += c;
    });
    child.stderr?.on("data", (c) => {
      out += c;
    });
    for (let i = 0; i < 400; i++) {
      const at = /listening at (http:\/\/[\d.:]+)/.exec(out)?.[1];
      if (at !== undefined) return { child, url: at };
      if (child.exitCode !== null) throw new Error(`vigie serve exited: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`vigie serve did not start: ${out}`);
  }

  before(async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const made = (rate: string) =>
      /vk_\S+/.exec(
        vigie(["keys", "create", "--scope", "admin", "--name", `rate ${rate}`, "--rate", rate]),
      )?.[0] ?? "";
    limited = made("10");
    key = made("0");
    vigie(["users", "add", "dpo", "--role", "admin"], `${PASSWORD}\n`);
    // The proxy: each request to the next live server, in turn.
    let next = 0;
    proxy = createServer((req, res) => {
      const target = servers[next++ % servers.length] as { url: string };
      const forward = request(
        `${target.url}${req.url}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on("error", () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(forward);
    });
    proxy.listen(0, "127.0.0.1");
    await once(proxy, "listening");
    front = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    for (let i = 0; i < 3; i++) servers.push(await serve(front));
    // Every process has counted the three.
    await new Promise((r) => setTimeout(r, BEAT_MS + 500));
  });

  after(async () => {
    const running = servers.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
    for (const s of running) s.child.kill("SIGTERM");
    await Promise.all(running.map((s) => once(s.child, "exit")));
    proxy.close();
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = (method: string, path: string, body?: unknown, as = key, at = front) =>
    fetch(`${at}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${as}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  test("a campaign stored through one server is used by the others", async () => {
    const stored = await api("POST", "/v1/campaigns", {
      campaign: { controller: "Agence Dupont", channel: "sms" },
    });
    assert.equal(stored.status, 201, await stored.clone().text());
    const { id } = (await stored.json()) as { id: string };
    for (let i = 0; i < 3; i++) {
      const r = await api("POST", "/v1/check", { point: "+33612345678", campaign: id });
      assert.equal(r.status, 200, await r.text());
    }
  });

  test("a double opt-in sent by one server is confirmed on another", async () => {
    const asked = await api("POST", "/v1/consents/requests", {
      point: "marie@example.fr",
      controller: "Agence Dupont",
      channel: "email",
    });
    assert.equal(asked.status, 201, await asked.clone().text());
    const outbox = readFileSync(join(dir, "api.outbox.jsonl"), "utf8");
    const link = /http:\/\/127\.0\.0\.1:\d+\/c\/[\w.-]+/.exec(outbox)?.[0];
    assert.ok(link !== undefined, outbox);
    assert.equal((await fetch(link)).status, 200, "the next server shows the page");
    const confirmed = await fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "confirm=yes",
    });
    assert.equal(confirmed.status, 200, await confirmed.text());
    assert.equal(
      (await fetch(link, { method: "POST", body: new URLSearchParams({ confirm: "yes" }) })).status,
      404,
    );
    const held = (await (await api("GET", "/v1/subjects/marie%40example.fr/export")).json()) as {
      evidence: { consents: { channel: string; method: string }[] };
    };
    assert.deepEqual(
      held.evidence.consents.map((c) => [c.channel, c.method]),
      [["email", "double_opt_in"]],
    );
  });

  test("wrong SMS codes are counted across the servers: the fifth locks the number", async () => {
    const point = "+33698765400";
    const asked = await api("POST", "/v1/consents/requests", {
      point,
      controller: "Agence Dupont",
      channel: "sms",
    });
    assert.equal(asked.status, 201, await asked.clone().text());
    const code = /"text":"(\d{6}) /.exec(
      readFileSync(join(dir, "api.outbox.jsonl"), "utf8")
        .split("\n")
        .filter((l) => l.includes("98765400"))
        .at(-1) ?? "",
    )?.[1];
    assert.ok(code !== undefined);
    const wrong = code === "000000" ? "000001" : "000000";
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await api("POST", "/v1/consents/confirm", { point, code: wrong })).status);
    }
    assert.deepEqual(statuses, [400, 400, 400, 400, 429], "five tries in all, on three servers");
    assert.equal(
      (await api("POST", "/v1/consents/confirm", { point, code })).status,
      429,
      "locked everywhere",
    );
  });

  test("a person's double opt-in requests are counted across the servers: five an hour in all", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const asked = await api("POST", "/v1/consents/requests", {
        point: "flood@example.fr",
        controller: "Agence Dupont",
        channel: "email",
      });
      statuses.push(asked.status);
    }
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429], "not five on each of three servers");
  });

  test("a dashboard session survives the switch from server to server", async () => {
    const signIn = await fetch(`${front}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ user: "dpo", password: PASSWORD }).toString(),
      redirect: "manual",
    });
    assert.equal(signIn.status, 303);
    const cookie = (signIn.headers.getSetCookie()[0] ?? "").split(";")[0] as string;
    for (let i = 0; i < 3; i++) {
      const page = await fetch(`${front}/`, { headers: { cookie }, redirect: "manual" });
      assert.equal(page.status, 200, `request ${i + 1}: ${page.headers.get("location")}`);
    }
  });

  test("an API key's rate limit holds across the three servers", async () => {
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 60 }, () =>
        api(
          "POST",
          "/v1/check",
          { point: "+33612345678", campaign: { controller: "A", channel: "sms" } },
          limited,
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const allowed = answers.filter((r) => r.status === 200).length;
    assert.equal(allowed + answers.filter((r) => r.status === 429).length, 60);
    // Burst 20 and 10/s for the whole key, whichever server answers; each alone would give 20.
    const most = 20 + 10 * seconds;
    assert.ok(
      allowed <= most * 1.1,
      `${allowed} allowed in ${seconds.toFixed(2)} s; at most ${most.toFixed(1)}`,
    );
    assert.ok(allowed >= 20 * 0.8, `${allowed} allowed: the key's burst is shared, not lost`);
  });

  test("no acknowledged write is lost when a server is killed", async () => {
    const points = Array.from({ length: 30 }, (_, i) => `+336123400${String(i).padStart(2, "0")}`);
    const killed = servers[1] as { child: ChildProcess };
    setTimeout(() => killed.child.kill("SIGKILL"), 300);
    const results = await Promise.all(
      points.map(async (point, i) => {
        await new Promise((r) => setTimeout(r, i * 40));
        const r = await api("POST", "/v1/objections", { point, channel: "sms", via: "stop_sms" });
        return { point, status: r.status };
      }),
    );
    const acknowledged = results.filter((r) => r.status === 201).map((r) => r.point);
    assert.ok(acknowledged.length >= 15, JSON.stringify(results));
    assert.ok(
      results.some((r) => r.status === 502),
      "some writes reached the killed server and were not acknowledged",
    );
    // Read back through a server still alive.
    const alive = (servers[0] as { url: string }).url;
    const lost: string[] = [];
    for (const point of acknowledged) {
      const r = await api("GET", `/v1/subjects/${encodeURIComponent(point)}/export`, undefined, key, alive);
      const held = (await r.json()) as { evidence: { objections: unknown[] } };
      if (held.evidence.objections.length !== 1) lost.push(point);
    }
    assert.deepEqual(lost, []);
  });
}
