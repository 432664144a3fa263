// `vigie serve` on a port another program holds: one line saying so, exit 2 — not a stack trace
// and exit 1, which the README gives to a broken chain.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { vigie } from "./vigie.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-serve-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("a port in use is a one-line error, exit 2", async () => {
  const other = createServer();
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  const { port } = other.address() as { port: number };
  try {
    const env = { VIGIE_KEYRING: join(dir, "keyring.json") };
    const r = vigie(
      ["serve", "--port", String(port), "--store", join(dir, "vigie.db")],
      undefined,
      env,
      30_000,
    );
    assert.equal(r.status, 2, r.stderr);
    assert.equal(
      r.stderr,
      `vigie: serve: cannot listen on 127.0.0.1:${port}: the port is in use (another vigie serve, or another program): choose another with --port\n`,
    );
  } finally {
    other.close();
  }
});

test("--outbox-webhook over plain http to another machine is refused: its messages hold addresses and links", () => {
  const env = { VIGIE_KEYRING: join(dir, "keyring.json") };
  const r = vigie(
    [
      "serve",
      "--port",
      "0",
      "--store",
      join(dir, "vigie.db"),
      "--outbox-webhook",
      "http://mailer.example/out",
    ],
    undefined,
    env,
    30_000,
  );
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    /^vigie: --outbox-webhook http:\/\/mailer\.example\/out: deliveries with personal data go over https/,
  );
});
