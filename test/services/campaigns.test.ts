// Stored campaigns live in the store: a campaign stored through one server process is found by
// another on the same database; a campaign file of an earlier version is read into the store once.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Campaigns } from "../../src/services/campaigns.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { postgresReady, testSchema } from "../support/postgres.ts";

const body = { campaign: { controller: "Agence Dupont", channel: "sms" } };

function suite(name: string, open: () => Promise<[Store, Store]>): void {
  test(`${name}: a campaign stored through one process is found by the other; an old file is read in`, async () => {
    const [a, b] = await open();
    const dir = mkdtempSync(join(tmpdir(), "vigie-campaigns-file-"));
    try {
      const legacy = join(dir, "vigie.db.campaigns.json");
      writeFileSync(
        legacy,
        JSON.stringify({ campaigns: [{ id: "c_old", createdAt: "2026-01-02T03:04:05.000Z", body }] }),
      );
      const first = await Campaigns.open(a, "t", legacy);
      const second = await Campaigns.open(b, "t");
      assert.deepEqual(second.get("c_old")?.body, body, "the file's campaign is in the store");
      const made = await first.add(body, new Date("2026-11-01T00:00:00Z"));
      assert.equal(second.get(made.id), undefined, "not seen yet");
      assert.deepEqual(await second.find(made.id), made);
      assert.deepEqual(
        second.list().map((c) => c.id),
        ["c_old", made.id],
      );
      // Opened again with the file: nothing changes.
      const again = await Campaigns.open(a, "t", legacy);
      assert.equal(again.list().length, 2);
      assert.equal(await second.find("c_nope"), undefined);
      assert.equal((await Campaigns.open(a, "other")).list().length, 0, "one tenant's campaigns only");
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

const dir = mkdtempSync(join(tmpdir(), "vigie-campaigns-"));
after(() => rmSync(dir, { recursive: true, force: true }));
suite("sqlite", async () => [new SqliteStore(join(dir, "s.db")), new SqliteStore(join(dir, "s.db"))]);

if (await postgresReady("stored campaigns: postgres", "test/services/campaigns.test.ts")) {
  const s = testSchema("vigie_campaigns");
  after(() => s.drop());
  suite("postgres", async () => [await s.open(), await s.open()]);
}
