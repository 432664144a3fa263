// The bug this guards against: run with another VIGIE_KEYRING (a store moved without its keyring,
// a shell without the variable), `vigie import` wrote evidence under keys nobody else finds,
// `vigie subject export` showed nothing and `vigie audit verify` said intact. Now each refuses,
// exit 2, with one line saying what to do (the rules themselves: test/services/keyring-check.test.ts).
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { loadOrCreateKeyRing } from "../../src/normalize/keys.ts";
import { vigie } from "./vigie.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-cli-keyring-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, "vigie.db");
const own = join(dir, "keys", "keyring.json");
const other = join(dir, "other.json");
const missing = join(dir, "missing", "keyring.json");
const run = (keyring: string, ...args: string[]) =>
  vigie(args, undefined, { VIGIE_STORE: store, VIGIE_KEYRING: keyring });
const example = (name: string) => new URL(`../../examples/evidence/${name}`, import.meta.url).pathname;

/** What the store holds: events, and files recorded as imported. */
function held(): { events: number; imports: number } {
  const db = new Database(store, { readonly: true });
  try {
    return {
      events: db.prepare("SELECT count(*) FROM events").pluck().get() as number,
      imports: db.prepare("SELECT count(*) FROM imports").pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

describe("a store used with a keyring that is not its own", () => {
  test("the first import creates the keyring; an import with another keyring is refused and writes nothing", () => {
    assert.equal(run(own, "import", "contacts", example("contacts.csv")).status, 0);
    assert.ok(existsSync(own));
    const before = held();
    loadOrCreateKeyRing(other);
    const r = run(other, "import", "consents", example("consents.csv"));
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      new RegExp(
        `^vigie: ${store} was keyed with keyring [0-9a-f]{8}, but VIGIE_KEYRING=${other} holds keyring [0-9a-f]{8}: set VIGIE_KEYRING to the keyring that came with this store\\n$`,
      ),
    );
    assert.equal(r.stdout, "");
    assert.deepEqual(held(), before);
  });

  test("subject export without the keyring is refused, and creates no keyring", () => {
    const r = run(missing, "subject", "export", "06 12 34 56 78");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /there is no keyring at VIGIE_KEYRING=.*vigie never creates a keyring/);
    assert.equal(existsSync(missing), false);
  });

  test("audit verify with another keyring is refused; with its own, intact", () => {
    const wrong = run(other, "audit", "verify");
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /was keyed with keyring/);
    assert.doesNotMatch(wrong.stdout, /intact/);
    assert.equal(run(own, "audit", "verify").status, 0);
  });

  test("vigie serve refuses to start", () => {
    const r = vigie(
      ["serve", "--port", "0"],
      undefined,
      { VIGIE_STORE: store, VIGIE_KEYRING: other },
      30_000,
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /was keyed with keyring/);
  });

  test("vigie keyring adopt never replaces the store's keyring", () => {
    const r = run(other, "keyring", "adopt");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /was keyed with keyring/);
    assert.match(
      run(own, "keyring", "adopt").stdout,
      /already keyed with keyring [0-9a-f]{8}.*nothing to do/,
    );
  });
});
