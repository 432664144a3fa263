import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  allPointKeys,
  defaultKeyRingPath,
  type KeyRing,
  type KeyVersion,
  loadOrCreateKeyRing,
  pointKey,
  rotateKeyRing,
} from "./keys.ts";
import type { NormalizedPoint } from "./point.ts";

const root = mkdtempSync(join(tmpdir(), "vigie-keys-"));
after(() => rmSync(root, { recursive: true, force: true }));
let cases = 0;
const freshPath = (): string => join(root, `case-${++cases}`, "vigie", "keyring.json");

const version = (n: number, secret = randomBytes(32)): KeyVersion => ({
  version: n,
  secret,
  createdAt: "2026-01-01T00:00:00.000Z",
});
const ringOf = (...versions: KeyVersion[]): KeyRing => ({
  current: versions[versions.length - 1] as KeyVersion,
  versions,
});
const mobile: NormalizedPoint = { type: "phone", value: "+33612345678" };

/** RFC 2104 HMAC-SHA-256 built from createHash, independent of the createHmac under test. */
function referenceHmac(secret: Buffer, message: string): string {
  const block = Buffer.alloc(64);
  secret.copy(block);
  const pad = (byte: number): Buffer => Buffer.from(block.map((b) => b ^ byte));
  const inner = createHash("sha256").update(pad(0x36)).update(message).digest();
  return createHash("sha256").update(pad(0x5c)).update(inner).digest("base64url");
}

describe("pointKey", () => {
  test("is v<version>: + base64url HMAC-SHA-256 of type:value", () => {
    const secret = randomBytes(32);
    const key = pointKey(ringOf(version(3, secret)), mobile);
    assert.match(key, /^v3:[A-Za-z0-9_-]{43}$/);
    assert.equal(key, `v3:${referenceHmac(secret, "phone:+33612345678")}`);
  });

  test("is stable for the same input and ring", () => {
    const ring = ringOf(version(1));
    assert.equal(pointKey(ring, mobile), pointKey(ring, { type: "phone", value: "+33612345678" }));
  });

  test("differs between secrets", () => {
    assert.notEqual(pointKey(ringOf(version(1)), mobile), pointKey(ringOf(version(1)), mobile));
  });

  test("keeps a phone and an e-mail with the same value apart", () => {
    const ring = ringOf(version(1));
    const value = "+33612345678";
    assert.notEqual(pointKey(ring, { type: "phone", value }), pointKey(ring, { type: "email", value }));
  });

  test("can use an older version, and refuses an unknown one", () => {
    const v1 = version(1);
    const ring = ringOf(v1, version(2));
    assert.equal(pointKey(ring, mobile, 1), pointKey(ringOf(v1), mobile));
    assert.throws(() => pointKey(ring, mobile, 3), /no version 3/);
  });

  test("allPointKeys gives one key per version, current first", () => {
    const [v1, v2, v3] = [version(1), version(2), version(3)];
    const keys = allPointKeys(ringOf(v1, v2, v3), mobile);
    assert.deepEqual(
      keys.map((k) => k.slice(0, 3)),
      ["v3:", "v2:", "v1:"],
    );
    assert.equal(keys[2], pointKey(ringOf(v1), mobile));
  });
});

describe("loadOrCreateKeyRing", () => {
  test("creates version 1 with a 32-byte secret, file 0600, directory 0700", () => {
    const path = freshPath();
    const ring = loadOrCreateKeyRing(path);
    assert.equal(ring.current.version, 1);
    assert.equal(ring.current.secret.length, 32);
    assert.deepEqual(ring.versions, [ring.current]);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(path, "..")).mode & 0o777, 0o700);
  });

  test("loads the same secret again: keys are stable across runs", () => {
    const path = freshPath();
    const first = loadOrCreateKeyRing(path);
    const again = loadOrCreateKeyRing(path);
    assert.deepEqual(again, first);
    assert.equal(pointKey(again, mobile), pointKey(first, mobile));
  });

  test("refuses a group- or world-readable file", () => {
    const path = freshPath();
    loadOrCreateKeyRing(path);
    chmodSync(path, 0o644);
    assert.throws(
      () => loadOrCreateKeyRing(path),
      (error: Error) => {
        assert.match(error.message, /group or others have access \(mode 644\)/);
        assert.ok(error.message.includes(path));
        return true;
      },
    );
  });

  const corrupt: [name: string, content: string, message: RegExp][] = [
    ["not JSON", "{versions:", /not valid JSON/],
    ["no versions", "{}", /expected \{"versions"/],
    ["empty versions", '{"versions":[]}', /expected \{"versions"/],
    [
      "a short secret",
      JSON.stringify({
        versions: [{ version: 1, secret: randomBytes(16).toString("base64"), createdAt: "2026-01-01" }],
      }),
      /secret is 16 bytes, expected 32/,
    ],
    [
      "a secret that is not base64",
      JSON.stringify({ versions: [{ version: 1, secret: "not base64!", createdAt: "2026-01-01" }] }),
      /secret is not base64/,
    ],
    [
      "a duplicate version",
      JSON.stringify({
        versions: [1, 1].map((v) => ({
          version: v,
          secret: randomBytes(32).toString("base64"),
          createdAt: "2026",
        })),
      }),
      /duplicate version 1/,
    ],
    [
      "a bad date",
      JSON.stringify({
        versions: [{ version: 1, secret: randomBytes(32).toString("base64"), createdAt: "soon" }],
      }),
      /invalid createdAt/,
    ],
  ];
  for (const [name, content, message] of corrupt) {
    test(`refuses a file with ${name}, naming the path`, () => {
      const path = freshPath();
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, content, { mode: 0o600 });
      assert.throws(
        () => loadOrCreateKeyRing(path),
        (error: Error) => {
          assert.match(error.message, message);
          assert.ok(error.message.startsWith(`keyring ${path}: `), error.message);
          return true;
        },
      );
      assert.equal(readFileSync(path, "utf8"), content, "a refused keyring is left untouched");
    });
  }

  test("processes starting together on a fresh path all get the same secret", async () => {
    const keys = new URL("./keys.ts", import.meta.url).href;
    // Each racer loads everything, says "ready", and creates the keyring once told "go".
    const script = `
      import { loadOrCreateKeyRing } from ${JSON.stringify(keys)};
      process.stdout.write("ready\\n");
      process.stdin.once("data", () => {
        process.stdout.write(loadOrCreateKeyRing(process.env.KEYRING).current.secret.toString("hex"));
        process.exit(0);
      });
    `;
    const paths = [freshPath(), freshPath(), freshPath()];
    const racers = paths.flatMap((path) =>
      [1, 2, 3].map(() => {
        const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
          env: { ...process.env, KEYRING: path },
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk) => {
          out += chunk;
        });
        child.stderr.on("data", (chunk) => {
          err += chunk;
        });
        const ready = new Promise<void>((resolve) => {
          const check = () => out.includes("ready\n") && resolve();
          child.stdout.on("data", check);
        });
        const done = new Promise<string>((resolve, reject) => {
          child.on("error", reject);
          child.on("close", (code) =>
            code === 0 ? resolve(out.replace("ready\n", "")) : reject(new Error(err)),
          );
        });
        return { child, ready, done };
      }),
    );
    await Promise.all(racers.map((r) => r.ready));
    for (const { child } of racers) child.stdin.write("go\n");
    const secrets = await Promise.all(racers.map((r) => r.done));
    for (const [i, path] of paths.entries()) {
      const mine = secrets.slice(i * 3, i * 3 + 3);
      assert.equal(new Set(mine).size, 1, `different secrets for ${path}: ${mine.join(", ")}`);
      assert.equal(mine[0], loadOrCreateKeyRing(path).current.secret.toString("hex"));
    }
  });
});

describe("rotateKeyRing", () => {
  test("appends version n+1 and keeps the old ones, so old keys still match", () => {
    const path = freshPath();
    const before = loadOrCreateKeyRing(path);
    const oldKey = pointKey(before, mobile);
    const rotated = rotateKeyRing(path);
    assert.equal(rotated.current.version, 2);
    assert.deepEqual(rotated.versions[0], before.current);
    assert.deepEqual(loadOrCreateKeyRing(path), rotated);
    const keys = allPointKeys(rotated, mobile);
    assert.equal(keys.length, 2);
    assert.notEqual(keys[0], oldKey);
    assert.equal(keys[1], oldKey);
    assert.equal(rotateKeyRing(path).current.version, 3);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  test("refuses a missing keyring rather than creating a new secret", () => {
    const path = freshPath();
    assert.throws(() => rotateKeyRing(path), /does not exist, nothing to rotate/);
    mkdirSync(join(path, ".."), { recursive: true });
    assert.throws(() => rotateKeyRing(path), /does not exist, nothing to rotate/);
  });

  test("refuses to run while another rotation holds the lock", () => {
    const path = freshPath();
    loadOrCreateKeyRing(path);
    writeFileSync(`${path}.lock`, "");
    assert.throws(() => rotateKeyRing(path), /another rotation is running/);
    assert.equal(loadOrCreateKeyRing(path).versions.length, 1);
  });
});

describe("defaultKeyRingPath", () => {
  const names = ["VIGIE_KEYRING", "XDG_CONFIG_HOME", "HOME"] as const;
  const saved = names.map((name) => process.env[name]);
  after(() => {
    names.forEach((name, i) => {
      const value = saved[i];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    });
  });

  test("prefers $VIGIE_KEYRING", () => {
    process.env.VIGIE_KEYRING = "/etc/vigie/keys.json";
    assert.equal(defaultKeyRingPath(), "/etc/vigie/keys.json");
  });

  test("else lives under $XDG_CONFIG_HOME, else ~/.config", () => {
    delete process.env.VIGIE_KEYRING;
    process.env.XDG_CONFIG_HOME = "/srv/config";
    assert.equal(defaultKeyRingPath(), "/srv/config/vigie/keyring.json");
    process.env.XDG_CONFIG_HOME = "relative/ignored";
    process.env.HOME = "/home/jean";
    assert.equal(defaultKeyRingPath(), "/home/jean/.config/vigie/keyring.json");
    delete process.env.XDG_CONFIG_HOME;
    assert.equal(defaultKeyRingPath(), "/home/jean/.config/vigie/keyring.json");
  });
});
