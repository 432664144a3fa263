// Token buckets in the store (src/services/shared-buckets.ts), on both adapters: two instances over
// one store stand for two server processes, and together let through what one would.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { SharedBuckets } from "../../src/services/shared-buckets.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { postgresReady, testSchema } from "../support/postgres.ts";

function bucketsContract(name: string, open: () => Promise<Store>) {
  describe(`shared token buckets: ${name}`, () => {
    test("two processes share a bucket: the burst, then the rate, whoever asks", async () => {
      const store = await open();
      try {
        let now = 5_000_000;
        const clock = () => now;
        const limit = { burst: 3, perSecond: 0.5 };
        const a = new SharedBuckets(store, "t1", "test.burst", limit, clock);
        const b = new SharedBuckets(store, "t1", "test.burst", limit, clock);
        assert.equal(await a.take("x"), 0);
        assert.equal(await b.take("x"), 0);
        assert.equal(await a.wait("x"), 0, "waiting spends nothing");
        assert.equal(await b.take("x"), 0);
        assert.equal(await a.take("x"), 2, "empty: a token in 2 s");
        assert.equal(await b.wait("x"), 2);
        now += 1_000;
        assert.equal(await b.take("x"), 1, "half a token: 1 s more");
        now += 1_000;
        assert.equal(await a.take("x"), 0);
        assert.equal(await b.take("x"), 2);
        // Another subject, scope or tenant is another bucket.
        assert.equal(await a.take("y"), 0);
        assert.equal(await new SharedBuckets(store, "t1", "test.other", limit, clock).take("x"), 0);
        assert.equal(await new SharedBuckets(store, "t2", "test.burst", limit, clock).take("x"), 0);
        // A clock behind the last touch (another process's) refills nothing and takes nothing back.
        now -= 10_000;
        assert.equal(await a.take("x"), 2);
        now += 10_000 + 60_000;
        for (let i = 0; i < 3; i++) assert.equal(await b.take("x"), 0, `refilled to the burst, take ${i}`);
        assert.ok((await a.take("x")) > 0, "and no more than the burst");
      } finally {
        await store.close();
      }
    });

    test("hourly limits (a person's double opt-in requests): five, then one each twelve minutes", async () => {
      const store = await open();
      try {
        let now = 7_000_000;
        const limit = { burst: 5, perSecond: 5 / 3600 };
        const procs = [0, 1, 2].map(() => new SharedBuckets(store, "t1", "test.hourly", limit, () => now));
        for (let i = 0; i < 5; i++) assert.equal(await (procs[i % 3] as SharedBuckets).take("k"), 0);
        for (const p of procs) assert.equal(await p.take("k"), 720);
        now += 720_000;
        assert.equal(await (procs[2] as SharedBuckets).take("k"), 0);
        assert.equal(await (procs[0] as SharedBuckets).take("k"), 720);
      } finally {
        await store.close();
      }
    });

    test("buckets full again are forgotten: their rows are swept", async () => {
      const store = await open();
      try {
        let now = 9_000_000;
        const limit = { burst: 2, perSecond: 1 };
        const a = new SharedBuckets(store, "t1", "test.sweep", limit, () => now);
        for (const id of ["p", "q", "r"]) await a.take(id);
        now += 61_000;
        await a.take("s");
        assert.equal(await a.wait("p"), 0);
        const rows = await store.shared("bucketPeek", ["t1", "test.sweep", "p"]);
        assert.deepEqual(rows, [], "a bucket untouched for longer than it takes to refill is gone");
        assert.equal((await store.shared("bucketPeek", ["t1", "test.sweep", "s"])).length, 1);
      } finally {
        await store.close();
      }
    });

    test("a limit under one token is refused at once", async () => {
      const store = await open();
      try {
        assert.throws(
          () => new SharedBuckets(store, "t1", "test.bad", { burst: 0.5, perSecond: 1 }),
          /at least 1/,
        );
      } finally {
        await store.close();
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "vigie-buckets-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
bucketsContract("sqlite", async () => new SqliteStore(join(dir, `b${n++}.db`)));

if (await postgresReady("shared token buckets: postgres", "test/services/shared-buckets.test.ts")) {
  const schema = testSchema("vigie_buckets");
  after(() => schema.drop());
  bucketsContract("postgres", schema.open);
}
