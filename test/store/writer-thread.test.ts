// A SQLite store in a file imports on a writer thread of its own (src/store/sqlite/writer-thread.ts):
// the store's connection keeps answering meanwhile, its writes wait for the import's end, and a
// thread that dies ends the import it held with nothing of it kept.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { NewEvent } from "../../src/evidence/events.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-writer-thread-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const T = "t";
const day = (d: number) => Date.UTC(2026, 0, d);
const consent = (key: string, d: number): NewEvent => ({
  tenant: T,
  pointKey: key,
  controller: "acme",
  occurredAt: day(d),
  data: {
    type: "consent.given",
    consent: { channel: "sms", method: "double_opt_in", scope: "standard", proof: true },
  },
  proof: { recordedBy: "test" },
  pii: { point: { type: "phone", value: `+3361234${key.slice(-4)}` } },
});
const objection = (key: string, d: number): NewEvent => ({
  tenant: T,
  pointKey: key,
  controller: "acme",
  occurredAt: day(d),
  data: { type: "objection.recorded", channel: "all", via: null },
  proof: { recordedBy: "test" },
  pii: null,
});
const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((r) => setTimeout(r, 50));
  return done;
};

test("writes asked for during an import wait for its end, reads see the store before it, and a failed import keeps none of its rows", async () => {
  const store = new SqliteStore(join(dir, "waits.db"));
  try {
    await store.append([consent("k:0000", 1)]);
    let append: Promise<unknown> = Promise.resolve();
    let campaign: Promise<unknown> = Promise.resolve();
    const imported = store.bulk(async (w) => {
      await w.append([consent("k:1111", 2)]);
      await w.append([consent("k:2222", 3)]);
      append = store.append([objection("k:0000", 4)]);
      campaign = store.addCampaign(T, { id: "c1", createdAt: "2026-01-05T00:00:00.000Z", body: { a: 1 } });
      assert.equal(await settled(append), false, "an append waits for the import's end");
      assert.equal(await settled(campaign), false, "so does a stored campaign");
      assert.equal(
        (await store.evidence(T, ["k:1111"])).consents.length,
        0,
        "the import's rows are not seen",
      );
      assert.equal((await store.evidence(T, ["k:0000"])).consents.length, 1, "what was committed is");
      throw new Error("a row past the limits: nothing imported");
    });
    await assert.rejects(imported, /nothing imported/);
    await append;
    await campaign;
    assert.equal((await store.evidence(T, ["k:1111"])).consents.length, 0);
    assert.equal((await store.evidence(T, ["k:0000"])).objections.length, 1, "written after the rollback");
    assert.deepEqual(
      (await store.campaigns(T)).map((c) => c.id),
      ["c1"],
    );
    assert.equal((await store.chainHead(T))?.seq, 2);
    assert.equal((await verifyAudit(store)).ok, true);
  } finally {
    await store.close();
  }
});

test("an import whose writer thread dies fails with nothing of it kept, and the next import gets a new thread", async () => {
  const store = new SqliteStore(join(dir, "dies.db"));
  try {
    await store.append([consent("k:0000", 1)]);
    const imported = store.bulk(async (w) => {
      await w.append([consent("k:1111", 2)]);
      await w.append([consent("k:2222", 3)]);
      // The thread ends as a crash would end it, its transaction open.
      await (store as unknown as { writer: { close(): Promise<void> } }).writer.close();
      await w.append([consent("k:3333", 4)]);
    });
    await assert.rejects(imported, /writer thread/);
    for (const key of ["k:1111", "k:2222", "k:3333"])
      assert.equal((await store.evidence(T, [key])).consents.length, 0, key);
    await store.bulk(async (w) => {
      await w.append([consent("k:4444", 5)]);
      await w.append([consent("k:0000", 1)]);
    });
    assert.equal((await store.evidence(T, ["k:4444"])).consents.length, 1);
    assert.equal((await store.chainHead(T))?.seq, 2, "the import's duplicate is not appended again");
    assert.equal((await verifyAudit(store)).ok, true);
  } finally {
    await store.close();
  }
});

test("an import's batches are planned while the thread writes the one before: a point of one batch erased in the next, and a fact recorded in both, count as if written one by one", async () => {
  const store = new SqliteStore(join(dir, "carry.db"));
  try {
    const erase: NewEvent = {
      tenant: T,
      pointKey: "k:5555",
      controller: "",
      occurredAt: day(7),
      data: { type: "subject.erased", pointType: "phone", reason: "request" },
      proof: { recordedBy: "test" },
      pii: null,
    };
    const results = await store.bulk(async (w) => [
      await w.append([consent("k:5555", 5), consent("k:6666", 5)]),
      // Planned before the batch above is written: its consent is known from the plan's carry.
      await w.append([erase, consent("k:6666", 5)]),
      // So is the erasure of the batch above: the consent is refused, the objection kept.
      await w.append([consent("k:5555", 8), objection("k:5555", 9)]),
    ]);
    assert.deepEqual(
      results.map((r) => [r.appended, r.duplicates, r.suppressed.length]),
      [
        [2, 0, 0],
        [1, 1, 0],
        [1, 0, 1],
      ],
    );
    const evidence = await store.evidence(T, ["k:5555"]);
    assert.equal(evidence.consents.length, 0, "erased");
    assert.equal(evidence.objections.length, 1);
    assert.equal((await verifyAudit(store)).ok, true);
  } finally {
    await store.close();
  }
});
