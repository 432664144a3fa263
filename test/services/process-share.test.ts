// The server processes of one store share an API key's rate: each applies 1/N of it, N the
// processes alive; one stopped counts no more at once, one killed after a few seconds of silence.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { BEAT_MS, ProcessShare } from "../../src/services/process-share.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { postgresReady, testSchema } from "../support/postgres.ts";

const LIMIT = { burst: 400, perSecond: 200 };

function suite(name: string, open: () => Promise<Store>): void {
  test(`${name}: 1/N of a key's rate, N the processes alive`, async () => {
    const store = await open();
    let clock = Date.parse("2026-12-02T10:00:00Z");
    const now = () => clock;
    const [a, b, c] = [0, 1, 2].map(() => new ProcessShare(store, "t", now)) as [
      ProcessShare,
      ProcessShare,
      ProcessShare,
    ];
    try {
      await a.start();
      assert.deepEqual(a.share(LIMIT), LIMIT, "alone: the whole rate");
      await b.start();
      await c.start();
      await a.refresh();
      assert.equal(a.processes, 3);
      assert.deepEqual(c.share(LIMIT), { burst: 400 / 3, perSecond: 200 / 3 });
      const other = new ProcessShare(store, "other", now);
      await other.refresh();
      assert.equal(other.processes, 1, "another tenant's processes are its own");
      await other.stop();
      await b.stop();
      await a.refresh();
      assert.equal(a.processes, 2, "a process stopped counts no more");
      // c is killed: it beats no more; a keeps beating and soon counts itself alone.
      clock += 4 * BEAT_MS;
      await a.refresh();
      assert.equal(a.processes, 1);
      assert.deepEqual(a.share({ burst: 1, perSecond: 1 }), { burst: 1, perSecond: 1 });
    } finally {
      for (const p of [a, b, c]) await p.stop();
      await store.close();
    }
  });
}

const dir = mkdtempSync(join(tmpdir(), "vigie-processes-"));
after(() => rmSync(dir, { recursive: true, force: true }));
suite("sqlite", async () => new SqliteStore(join(dir, "s.db")));

test("sqlite: a beat, written without an fsync, leaves the connection durable (FULL) for every other write", async () => {
  const store = new SqliteStore(join(dir, "durable.db"));
  const db = (store as unknown as { db: { pragma(p: string, o: { simple: true }): unknown } }).db;
  const share = new ProcessShare(store, "t");
  try {
    await share.refresh();
    await share.stop();
    assert.equal(share.processes, 1, "the beat was written and read back");
    // 2: FULL — an evidence write after a beat is as durable as one before it.
    assert.equal(db.pragma("synchronous", { simple: true }), 2);
  } finally {
    await store.close();
  }
});

if (await postgresReady("server processes: postgres", "test/services/process-share.test.ts")) {
  const s = testSchema("vigie_processes");
  after(() => s.drop());
  suite("postgres", () => s.open());
}
