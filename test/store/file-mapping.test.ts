// A serving store maps its file while other connections commit seldom, and unmaps it while they
// commit often (src/store/sqlite/file-mapping.ts); its own commits do not count. Polled every
// 10 ms here over 10 polls, so the test takes a second rather than the server's five.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import type { NewEvent } from "../../src/evidence/events.ts";
import { SERVING_MMAP } from "../../src/store/sqlite/file-mapping.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-mapping-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const objection = (n: number): NewEvent => ({
  tenant: "mapping",
  pointKey: `k${n}`,
  controller: "agence dupont",
  occurredAt: Date.parse("2026-03-01T09:00:00Z") + n,
  data: { type: "objection.recorded", channel: "all", via: "letter" },
  proof: { recordedBy: "mapping-test" },
  pii: null,
});

/** Waits until `done` holds, at most 5 s (a loaded machine polls late). */
async function until(done: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > end) assert.fail(`not ${what} within 5 s`);
    await sleep(10);
  }
}

/** Another connection commits every 3 ms until the store has unmapped its file. */
async function unmappedByCommits(store: SqliteStore, other: Database.Database): Promise<void> {
  const put = other.prepare(
    "INSERT INTO server_processes (tenant, id, seen_at) VALUES ('mapping', 'other', ?) ON CONFLICT DO UPDATE SET seen_at = excluded.seen_at",
  );
  let n = 0;
  const writing = setInterval(() => put.run(++n), 3);
  try {
    await until(() => store.mapping?.mapped === false, "unmapped");
  } finally {
    clearInterval(writing);
  }
}

test("a serving store unmaps its file while another connection commits often, and maps it again once it stops", async () => {
  const file = join(dir, "store.db");
  const store = new SqliteStore(file, {
    heldParts: true,
    mapping: { pollMs: 10, window: 10, unmapAt: 5, mapAt: 1 },
  });
  const inside = (store as unknown as { db: Database.Database }).db;
  const mmapSize = () => inside.pragma("mmap_size", { simple: true });
  const other = new Database(file);
  try {
    assert.equal(store.mapping?.mapped, true);
    assert.equal(mmapSize(), SERVING_MMAP);

    // Its own commits, as often as the other connection's below: the file stays mapped.
    for (let n = 0; n < 60; n++) {
      await store.append([objection(n)]);
      await sleep(3);
    }
    assert.equal(store.mapping?.mapped, true, "its own commits do not unmap the file");

    await unmappedByCommits(store, other);
    assert.equal(mmapSize(), 0);
    // Reads go on, unmapped.
    assert.equal((await store.evidence("mapping", ["k1"])).objections.length, 1);

    await until(() => store.mapping?.mapped === true, "mapped again");
    assert.equal(mmapSize(), SERVING_MMAP);
  } finally {
    other.close();
    await store.close();
  }
});

test("a switch due while the store streams its log (a statement of its own open) waits for the stream's end, and does not throw", async () => {
  const file = join(dir, "streaming.db");
  const store = new SqliteStore(file, {
    heldParts: true,
    mapping: { pollMs: 10, window: 10, unmapAt: 5, mapAt: 1 },
  });
  const other = new Database(file);
  try {
    await store.append([objection(1), objection(2)]);
    await unmappedByCommits(store, other);
    // The log read as a pack or an export reads it: one statement left open across awaits, while
    // the polls stop seeing commits and the mapping comes due again.
    const stream = store.events("mapping")[Symbol.asyncIterator]();
    assert.equal((await stream.next()).done, false);
    await sleep(300);
    assert.equal(store.mapping?.mapped, false, "not switched while the statement is open");
    assert.equal((await stream.next()).done, false);
    assert.equal((await stream.next()).done, true);
    await until(() => store.mapping?.mapped === true, "mapped again once the stream ended");
  } finally {
    other.close();
    await store.close();
  }
});

test("a store that does not serve, or holds no file, maps nothing", async () => {
  const cli = new SqliteStore(join(dir, "cli.db"));
  const memory = new SqliteStore(":memory:", { heldParts: true });
  try {
    assert.equal(cli.mapping, null);
    assert.equal(memory.mapping, null);
  } finally {
    await cli.close();
    await memory.close();
  }
});
