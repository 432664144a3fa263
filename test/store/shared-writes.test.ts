// On SQLite an import keeps its transaction open on the store's one connection while it reads its
// file: a shared write (a session, a pending opt-in) made meanwhile waits for the import's end
// instead of landing inside it — so an import that rolls back takes none of it along.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-shared-writes-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("a shared write during an import waits for it, and survives its rollback; reads go on", async () => {
  const store = new SqliteStore(join(dir, "s.db"));
  try {
    let release = () => {};
    const reading = new Promise<void>((resolve) => {
      release = resolve;
    });
    const imported = store.bulk(async () => {
      await reading; // the file being read
      throw new Error("a row past the limits: nothing imported");
    });
    let written = false;
    const write = store
      .shared("sessionOpen", [
        "t",
        "a".repeat(64),
        "dpo",
        "2026-01-01T00:00:00.000Z",
        "csrf",
        Date.now() + 60_000,
      ])
      .then(() => {
        written = true;
      });
    // A read is not held back.
    assert.deepEqual(await store.shared("usersAll", ["t"]), []);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(written, false, "the write waits while the import's transaction is open");
    release();
    await assert.rejects(imported, /nothing imported/);
    await write;
    const [row] = await store.shared("sessionGet", ["t", "a".repeat(64), Date.now()]);
    assert.equal(row?.user_name, "dpo", "written after the rollback, not undone by it");
  } finally {
    await store.close();
  }
});
