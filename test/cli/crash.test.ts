// kill -9 during an import, again and again, each time inside its transaction (the import says
// so through a test hook, and waits to be killed): none of the file is in the store, every event
// acknowledged before the crash is still there, and the import run again records the file once.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { BATCH } from "../../src/services/import/run.ts";
import { PAUSE_VARIABLE, PAUSED_LINE } from "../../src/services/import/test-pause.ts";
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

/** How an import killed in its transaction ended. */
interface Killed {
  /** The import said it was inside its transaction, rows written, and was killed there. */
  readonly paused: boolean;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Imports `file`, and kills the process with SIGKILL once it says (the test hook of
 * src/services/import/test-pause.ts) that its `batch`th batch is written, uncommitted.
 */
function killedImport(file: string, batch: number): Promise<Killed> {
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
        env: { ...process.env, ...env, [PAUSE_VARIABLE]: String(batch) },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    let paused = false;
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      if (!paused && stderr.includes(`${PAUSED_LINE} after batch ${batch}\n`)) {
        paused = true;
        child.kill("SIGKILL");
      }
    });
    child.on("close", (_code, signal) => resolve({ paused, signal, stderr }));
  });
}

/** The file's events, its import record, and the consents the store holds (folded state). */
function countFrom(file: string): { events: number; imports: number; consents: number } {
  const db = new Database(env.VIGIE_STORE, { readonly: true });
  const count = (sql: string, ...args: string[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  try {
    return {
      events: count(
        "SELECT COUNT(*) AS n FROM events e JOIN event_texts p ON p.id = e.proof WHERE p.text LIKE ?",
        `%${file}%`,
      ),
      imports: count("SELECT COUNT(*) AS n FROM imports WHERE kind = 'consents'"),
      consents: count("SELECT COUNT(*) AS n FROM consents"),
    };
  } finally {
    db.close();
  }
}

test("kill -9 inside an import transaction leaves none of the file and loses no acknowledged event", {
  timeout: 240_000,
}, async () => {
  const acknowledged = ["06 99 00 00 01", "06 99 00 00 02", "06 99 00 00 03"];
  for (const phone of acknowledged) {
    const r = vigie(
      ["consent", "add", phone, "--controller", "Agence Dupont", "--channel", "sms", "--at", "2026-02-01"],
      undefined,
      env,
    );
    assert.equal(r.stdout, "consent recorded\n");
  }
  const file = join(dir, "big-consents.csv");
  writeFileSync(file, bigConsents());
  // The import appends ROWS / BATCH full batches, then the rest (here none): killed after the
  // first, the second, half of them, and the last — the whole file written, not committed.
  const appends = Math.floor(ROWS / BATCH) + 1;
  for (const batch of [1, 2, Math.ceil(appends / 2), appends]) {
    const killed = await killedImport(file, batch);
    assert.ok(killed.paused, `the import never said it was in its transaction: ${killed.stderr}`);
    assert.equal(killed.signal, "SIGKILL", killed.stderr);
    assert.deepEqual(
      countFrom(file),
      { events: 0, imports: 0, consents: acknowledged.length },
      `killed after batch ${batch} of ${appends}: the store holds part of the file`,
    );
    const audit = vigie(["audit", "verify"], undefined, env);
    assert.equal(audit.status, 0, audit.stdout);
    for (const phone of acknowledged) {
      const x = JSON.parse(vigie(["subject", "export", phone, "--json"], undefined, env).stdout);
      assert.equal(x.evidence.consents.length, 1, `${phone} lost after a kill after batch ${batch}`);
    }
  }
  // Run again, to its end: every row imported once; a third time, nothing.
  const done = JSON.parse(vigie(["import", "consents", file, "--json"], undefined, env).stdout);
  assert.equal(done.alreadyImportedAt, null);
  assert.deepEqual(done.events, { appended: ROWS, duplicates: 0, suppressed: 0 });
  // Its rows' events, and the one that puts the import in the audit trail.
  assert.deepEqual(countFrom(file), { events: ROWS + 1, imports: 1, consents: ROWS + acknowledged.length });
  const again = JSON.parse(vigie(["import", "consents", file, "--json"], undefined, env).stdout);
  assert.notEqual(again.alreadyImportedAt, null);
  assert.deepEqual(countFrom(file), { events: ROWS + 1, imports: 1, consents: ROWS + acknowledged.length });
  assert.equal(vigie(["audit", "verify"], undefined, env).status, 0);
});
