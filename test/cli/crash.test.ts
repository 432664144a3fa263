// kill -9 during an import, again and again: the file is in the store whole or not at all, and
// every event acknowledged before the crash is still there.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { vigie } from "./vigie.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-crash-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { VIGIE_KEYRING: join(dir, "keys", "keyring.json"), VIGIE_STORE: join(dir, "vigie.db") };
const ROWS = 60_000;

function bigConsents(): string {
  const lines = ["phone,controller,channel,given_at,method,proof_ref"];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      `06${String(10_000_000 + i).padStart(8, "0")},Agence Dupont,sms,2026-01-01,double_opt_in,r${i}`,
    );
  return `${lines.join("\n")}\n`;
}

function killedImport(file: string, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        new URL("../../src/cli/main.ts", import.meta.url).pathname,
        "import",
        "consents",
        file,
      ],
      {
        env: { ...process.env, ...env },
        stdio: "ignore",
      },
    );
    const timer = setTimeout(() => child.kill("SIGKILL"), afterMs);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function countFrom(file: string): { events: number; imports: number } {
  const db = new Database(env.VIGIE_STORE, { readonly: true });
  try {
    const events = db.prepare("SELECT COUNT(*) AS n FROM events WHERE proof LIKE ?").get(`%${file}%`) as {
      n: number;
    };
    const imports = db.prepare("SELECT COUNT(*) AS n FROM imports WHERE kind = 'consents'").get() as {
      n: number;
    };
    return { events: events.n, imports: imports.n };
  } finally {
    db.close();
  }
}

test("kill -9 during an import leaves no half-imported file and loses no acknowledged event", {
  timeout: 240_000,
}, async () => {
  const acknowledged = ["06 99 00 00 01", "06 99 00 00 02", "06 99 00 00 03"];
  for (const phone of acknowledged) {
    const r = vigie(
      ["consent", "add", phone, "--controller", "Agence Dupont", "--channel", "email", "--at", "2026-02-01"],
      undefined,
      env,
    );
    assert.equal(r.stdout, "consent recorded\n");
  }
  const file = join(dir, "big-consents.csv");
  writeFileSync(file, bigConsents());
  for (const afterMs of [700, 1100, 1500, 1900, 2400]) {
    await killedImport(file, afterMs);
    const { events, imports } = countFrom(file);
    assert.ok(
      (events === 0 && imports === 0) || (events === ROWS && imports === 1),
      `after a kill at ${afterMs} ms: ${events} events and ${imports} import records — a half-imported file`,
    );
    const audit = vigie(["audit", "verify"], undefined, env);
    assert.equal(audit.status, 0, audit.stdout);
    for (const phone of acknowledged) {
      const x = JSON.parse(vigie(["subject", "export", phone, "--json"], undefined, env).stdout);
      assert.equal(x.evidence.consents.length, 1, `${phone} lost after a kill at ${afterMs} ms`);
    }
  }
  const done = vigie(["import", "consents", file, "--json"], undefined, env);
  const report = JSON.parse(done.stdout);
  assert.ok(report.alreadyImportedAt !== null || report.events.appended === ROWS, done.stdout);
  assert.equal(countFrom(file).events, ROWS);
});
