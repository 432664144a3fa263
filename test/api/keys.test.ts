// API keys as an operator manages them while `vigie serve` runs: each key's own rate limit, `vigie
// keys list`, and `vigie keys revoke` refused at the next request and kept in the audit trail.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ApiKeys,
  DEFAULT_KEY_RATE,
  importKeyFile,
  KEYS_FRESH_MS,
  listKeys,
  rateOf,
} from "../../src/api/auth.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { vigie } from "../cli/vigie.ts";
import { type Server, startServer } from "./helpers.ts";

let s: Server;
let cli: (args: string[]) => ReturnType<typeof vigie>;
before(async () => {
  s = await startServer();
  // The same store and key file as the server's, under the server's tenant.
  const where = ["--store", join(s.dir, "vigie.db"), "--tenant", "t"];
  cli = (args) => vigie([...args, ...where]);
});
after(() => s.close());

/** A new key from `vigie keys create`: the key, and its id from the message. */
function create(...options: string[]): { key: string; id: string } {
  const r = cli(["keys", "create", "--scope", "read", ...options]);
  assert.equal(r.status, 0, r.stderr);
  const id = /key (k_[A-Za-z0-9_-]+)/.exec(r.stderr)?.[1];
  assert.ok(id, r.stderr);
  return { key: r.stdout.trim(), id };
}

const campaigns = (key: string) => s.call("GET", "/v1/campaigns", { key });

describe("each key's rate", () => {
  test("--rate 2 --burst 2: the third immediate request is 429 with Retry-After, and the key recovers", async () => {
    const { key } = create("--name", "slow", "--rate", "2", "--burst", "2");
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await campaigns(key));
    assert.deepEqual(
      statuses.map((r) => r.status),
      [200, 200, 429],
    );
    assert.equal(statuses[2]?.headers.get("retry-after"), "1");
    // Another key is not held back by this one's bucket.
    assert.equal((await campaigns(s.key.read)).status, 200);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal((await campaigns(key)).status, 200);
  });

  test("--rate 0: never limited, even past the default burst", async () => {
    const { key } = create("--name", "internal", "--rate", "0");
    const statuses = new Set<number>();
    for (let i = 0; i < DEFAULT_KEY_RATE.burst + 100; i++) {
      const r = await s.app.inject({
        method: "GET",
        url: "/v1/campaigns",
        headers: { authorization: `Bearer ${key}` },
      });
      statuses.add(r.statusCode);
    }
    assert.deepEqual([...statuses], [200]);
  });

  test("bad rates are usage errors", () => {
    for (const [options, message] of [
      [["--rate", "fast"], /--rate fast: expected requests per second/],
      [["--rate", "-1"], /--rate -1/],
      [["--burst", "5"], /--burst: give --rate too/],
      [["--rate", "0", "--burst", "5"], /unlimited/],
      [["--rate", "5", "--burst", "0"], /--burst 0: expected a whole number/],
    ] as const) {
      const r = cli(["keys", "create", "--scope", "read", ...options]);
      assert.equal(r.status, 2, options.join(" "));
      assert.match(r.stderr, message);
    }
  });
});

test("a key file of an earlier version is read into the store, its keys at the default rate", async () => {
  const path = join(s.dir, "old.keys.json");
  const key = `vk_${"o".repeat(43)}`;
  const sha256 = createHash("sha256").update(key).digest("hex");
  const record = {
    id: "k_old",
    name: "crm",
    sha256,
    scopes: ["read"],
    createdAt: "2026-01-01T00:00:00.000Z",
  };
  writeFileSync(path, JSON.stringify({ keys: [record] }));
  const store = new SqliteStore(join(s.dir, "old"));
  try {
    await importKeyFile(store, "default", path);
    await importKeyFile(store, "default", path);
    const found = await new ApiKeys(store, "default").lookup(`Bearer ${key}`);
    assert.equal(found?.id, "k_old");
    assert.deepEqual(found && rateOf(found), DEFAULT_KEY_RATE);
    assert.equal((await listKeys(store, "default")).length, 1, "read twice, held once");
    assert.equal(await new ApiKeys(store, "other").lookup(`Bearer ${key}`), null, "a tenant's own keys");
  } finally {
    await store.close();
  }
  const r = vigie(["keys", "list"], undefined, { VIGIE_STORE: join(s.dir, "old") });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "k_old\tcrm\tread\t200/s burst 400 (default)\t2026-01-01T00:00:00.000Z\tactive\n");
});

describe("vigie keys list and revoke", () => {
  test("list: id, name, scopes, rate, created, state — never the key nor its hash", async () => {
    const made = create("--name", "dialer", "--rate", "50");
    const r = cli(["keys", "list"]);
    assert.equal(r.status, 0, r.stderr);
    const line = r.stdout.split("\n").find((l) => l.startsWith(`${made.id}\t`));
    assert.match(line ?? "", /^k_\S+\tdialer\tread\t50\/s burst 100\t\d{4}-\d\d-\d\dT\S+\tactive$/);
    assert.match(r.stdout, /\tinternal\tread\tunlimited\t/);
    assert.match(r.stdout, /\ttest admin\tadmin\t1000\/s burst 1000\t/);
    const json = cli(["keys", "list", "--json"]);
    const rows = json.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const dialer = rows.find((k) => k.id === made.id);
    assert.deepEqual(Object.keys(dialer), [
      "id",
      "name",
      "scopes",
      "rate",
      "burst",
      "createdAt",
      "revokedAt",
    ]);
    assert.deepEqual([dialer.rate, dialer.burst, dialer.revokedAt], [50, 100, null]);
    assert.deepEqual(
      [rows.find((k) => k.name === "internal")?.rate, rows.find((k) => k.name === "internal")?.burst],
      [0, null],
    );
    const sha = (await listKeys(s.session.store, "t")).find((k) => k.id === made.id)?.sha256 ?? "";
    assert.match(sha, /^[0-9a-f]{64}$/);
    for (const out of [r.stdout, json.stdout]) {
      assert.ok(!out.includes(made.key.slice(3)) && !out.includes(sha));
    }
  });

  test("revoke: the running server answers 401 within a second; the trail records it once", async () => {
    const { key, id } = create("--name", "leaked");
    assert.equal((await campaigns(key)).status, 200, "a key just made works at its first request");
    const r = cli(["keys", "revoke", id]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "");
    await new Promise((done) => setTimeout(done, KEYS_FRESH_MS + 50));
    const refused = await campaigns(key);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get("www-authenticate"), "Bearer");
    assert.equal((await campaigns(s.key.read)).status, 200);

    assert.match(
      cli(["keys", "list"]).stdout,
      new RegExp(`^${id}\\tleaked\\t.*\\trevoked \\d{4}-\\S+$`, "m"),
    );
    const again = cli(["keys", "revoke", id]);
    assert.equal(again.status, 0);
    assert.match(again.stderr, /already revoked/);
    const unknown = cli(["keys", "revoke", "k_nope"]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no key k_nope/);

    const trail: { action: string; target: string; by: string }[] = [];
    for await (const e of s.session.store.events("t")) {
      if (e.data.type === "activity.recorded" && e.data.target === id) {
        trail.push({ action: e.data.action, target: e.data.target, by: e.proof.recordedBy });
      }
    }
    assert.deepEqual(
      trail.map((t) => t.action),
      ["api-key.created", "api-key.revoked"],
    );
    assert.match(trail[1]?.by ?? "", /^cli:/);
  });
});
