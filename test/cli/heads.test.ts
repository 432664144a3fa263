// The signed heads from the command line: `vigie import` appends one to FILE.heads.jsonl (and
// hands it to --heads-hook), `vigie serve` too, `vigie audit head|key` print them, and
// `vigie audit verify --heads` catches a log rolled back under them.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { retree } from "../support/retree.ts";
import { vigie } from "./vigie.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-cli-heads-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const example = (name: string) => new URL(`../../examples/evidence/${name}`, import.meta.url).pathname;
const setUp = (name: string) => {
  const env = { VIGIE_KEYRING: join(dir, name, "keyring.json"), VIGIE_STORE: join(dir, `${name}.db`) };
  return { env, store: env.VIGIE_STORE, heads: `${env.VIGIE_STORE}.heads.jsonl` };
};
const lines = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("signed heads from the command line", () => {
  test("each import appends its signed head (0600) and hands it to the hook; verify --heads passes", async () => {
    const { env, store, heads } = setUp("import");
    const hooked = join(dir, "hooked.jsonl");
    const imported = vigie(
      ["import", "contacts", example("contacts.csv"), "--heads-hook", `cat >> '${hooked}'`],
      undefined,
      env,
    );
    assert.equal(imported.status, 0, imported.stderr);
    assert.equal(statSync(heads).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "import", "signing-key.pem")).mode & 0o777, 0o600);
    assert.equal(vigie(["import", "objections", example("objections.csv")], undefined, env).status, 0);
    const again = vigie(["import", "objections", example("objections.csv")], undefined, env);
    assert.equal(again.status, 0);
    const [first, second, ...rest] = lines(heads);
    assert.equal(rest.length, 0, "an import that adds nothing signs nothing");
    assert.deepEqual(lines(hooked), [first]);
    assert.equal(first.statement.tenant, "default");
    assert.ok(second.statement.size > first.statement.size);

    const key = vigie(["audit", "key", "--json"], undefined, env);
    assert.equal(key.status, 0, key.stderr);
    assert.equal(JSON.parse(key.stdout).keyId, first.keyId);
    assert.match(JSON.parse(key.stdout).publicKey, /^-----BEGIN PUBLIC KEY-----/);
    const head = vigie(["audit", "head"], undefined, env);
    assert.equal(head.status, 0, head.stderr);
    const now = JSON.parse(head.stdout);
    assert.deepEqual(
      [now.statement.size, now.statement.root],
      [second.statement.size, second.statement.root],
    );

    const grew = vigie(["audit", "consistency", `${heads}:1`, `${heads}:2`], undefined, env);
    assert.equal(grew.status, 0, grew.stdout + grew.stderr);
    assert.match(
      grew.stdout,
      /consistency: the log of \d+ events .* extends the one of \d+ .*; proof: \d+ hash\(es\)/,
    );
    assert.equal(
      vigie(["audit", "consistency", heads, heads], undefined, env).status,
      2,
      "two heads in the file: which?",
    );

    const ok = vigie(["audit", "verify", "--heads", heads], undefined, env);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /heads: the log extends all 2 signed head\(s\)/);

    // Roll the log back to the first import, as someone with write access to the file could.
    const db = new SqliteStore(store);
    const size = first.statement.size;
    const kept = (await db.eventHashes("default", size, size))[0];
    db.unsafeExec(`DELETE FROM events WHERE seq > ${size}`);
    db.unsafeExec(`UPDATE chain_head SET seq = ${size}, hash = '${kept}'`);
    await retree(db, "default");
    await db.close();
    const chainOnly = vigie(["audit", "verify", "--quick"], undefined, env);
    assert.equal(chainOnly.status, 0, "the chain alone cannot tell");
    // The full audit sees state rows that no event records any more.
    assert.equal(vigie(["audit", "verify"], undefined, env).status, 1);
    const caught = vigie(["audit", "verify", "--heads", heads, "--json"], undefined, env);
    assert.equal(caught.status, 1, caught.stderr);
    const problems = JSON.parse(caught.stdout).heads.problems;
    assert.deepEqual(
      problems.map((p: { line: number; tenant: string; size: number; at: string }) => [
        p.line,
        p.tenant,
        p.size,
        p.at,
      ]),
      [[2, "default", second.statement.size, second.statement.at]],
    );
    const shrunk = vigie(["audit", "consistency", `${heads}:1`, `${heads}:2`, "--json"], undefined, env);
    assert.equal(shrunk.status, 1, shrunk.stderr);
    assert.match(JSON.parse(shrunk.stdout).problem, /the store cannot prove it: the tree lacks leaves/);
    const said = vigie(["audit", "verify", "--heads", heads], undefined, env);
    assert.match(
      said.stdout,
      new RegExp(
        `heads: FAILED .*:2 \\(tenant default, size ${second.statement.size}, at .*\\): the log was rolled back`,
      ),
    );
  });

  test("a store whose heads another key signed is refused; so is one without its key", () => {
    const { env, heads } = setUp("keys");
    assert.equal(vigie(["import", "contacts", example("contacts.csv")], undefined, env).status, 0);
    const other = { ...env, VIGIE_SIGNING_KEY: join(dir, "other.pem") };
    assert.equal(
      vigie(["import", "contacts", example("contacts.csv")], undefined, {
        ...other,
        VIGIE_STORE: join(dir, "other.db"),
      }).status,
      0,
    );
    const refused = vigie(["audit", "verify", "--heads", heads], undefined, other);
    assert.equal(refused.status, 2);
    assert.match(
      refused.stderr,
      /signs its heads with key [0-9a-f]{16}, but VIGIE_SIGNING_KEY=.*other\.pem holds key [0-9a-f]{16}/,
    );
    rmSync(join(dir, "keys", "signing-key.pem"));
    const missing = vigie(["import", "objections", example("objections.csv")], undefined, env);
    assert.equal(missing.status, 2);
    assert.match(
      missing.stderr,
      /there is no signing key at .*signing-key\.pem: restore the signing key of this store/,
    );
    assert.equal(existsSync(join(dir, "keys", "signing-key.pem")), false, "never re-created");
  });

  test("vigie serve appends the heads at start (and those that moved, periodically and at shutdown)", () => {
    const { env, heads } = setUp("serve");
    assert.equal(vigie(["import", "contacts", example("contacts.csv")], undefined, env).status, 0);
    rmSync(heads);
    const served = vigie(["serve", "--port", "0", "--heads-every", "1"], undefined, env, 6000);
    assert.equal(served.stderr.includes("vigie:"), false, served.stderr);
    const [head, ...rest] = lines(heads);
    assert.equal(rest.length, 0, "a head that did not move is not appended again");
    assert.equal(head.statement.tenant, "default");
    assert.equal(statSync(heads).mode & 0o777, 0o600);
  });
});
