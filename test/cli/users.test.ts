// `vigie users add|list|remove` and the trail they leave, with `vigie keys create`'s.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { vigie } from "./vigie.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-cli-users-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, "vigie.db");
const env = { VIGIE_KEYRING: join(dir, "keys", "keyring.json"), VIGIE_STORE: store };
const run = (args: string[], input?: string) => vigie(args, input, env);

describe("vigie users", () => {
  test("adds a user with the password read from standard input, keeping only a scrypt hash", () => {
    const r = run(["users", "add", "dpo", "--role", "admin"], "a long enough password\n");
    assert.equal(r.status, 0, r.stderr);
    // In the store (0600), as a scrypt hash: the password is in none of its bytes.
    const db = new Database(store, { readonly: true });
    const record = db
      .prepare("SELECT record FROM dashboard_users WHERE name = 'dpo'")
      .pluck()
      .get() as string;
    db.close();
    assert.match(JSON.parse(record).password, /^scrypt\$32768\$8\$1\$/);
    for (const file of [store, `${store}-wal`].filter((f) => existsSync(f))) {
      assert.ok(!readFileSync(file).includes("a long enough password"), file);
      assert.equal(statSync(file).mode & 0o777, 0o600, file);
    }
    assert.match(run(["users", "list"]).stdout, /^dpo\tadmin\t\d{4}-/);
  });

  test("refuses a short password, an unknown role and a second user of the same name", () => {
    const short = run(["users", "add", "x", "--role", "viewer"], "short\n");
    assert.equal(short.status, 2);
    assert.match(short.stderr, /password: at least 12 characters/);
    const role = run(["users", "add", "y", "--role", "boss"], "a long enough password\n");
    assert.equal(role.status, 2);
    assert.match(role.stderr, /--role boss: expected one of viewer, operator, admin/);
    const twice = run(["users", "add", "dpo", "--role", "viewer"], "another long password\n");
    assert.equal(twice.status, 2);
    assert.match(twice.stderr, /user dpo exists already/);
  });

  test("removes a user; users and API keys created leave activity events in the chained log", () => {
    assert.equal(run(["users", "remove", "dpo"]).status, 0);
    assert.equal(run(["users", "list"]).stdout, "");
    assert.equal(run(["users", "remove", "dpo"]).status, 2);
    const key = run(["keys", "create", "--scope", "read"]);
    assert.equal(key.status, 0, key.stderr);
    const db = new Database(store, { readonly: true });
    const rows = db
      .prepare(
        "SELECT d.text AS data, p.text AS proof FROM events e JOIN event_texts d ON d.id = e.data JOIN event_texts p ON p.id = e.proof ORDER BY seq",
      )
      .all() as {
      data: string;
      proof: string;
    }[];
    db.close();
    const actions = rows.map((r) => JSON.parse(r.data) as { action: string; target: string });
    assert.deepEqual(
      actions.map((a) => a.action),
      ["user.created", "user.removed", "api-key.created"],
    );
    assert.equal(actions[0]?.target, "dpo");
    assert.match(actions[2]?.target ?? "", /^k_/);
    assert.match(JSON.parse(rows[0]?.proof ?? "{}").recordedBy, /^cli:/);
    assert.equal(run(["audit", "verify"]).status, 0);
  });
});
