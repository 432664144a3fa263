// Reads asked in one turn of the event loop are made as one batch read per tenant
// (src/store/sqlite/coalesced-reads.ts); each gets its own answer, and a failed batch fails every
// read it held. What a serving store answers through it is compared with plain reads in
// held-parts.test.ts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { coalescedReads } from "../../src/store/sqlite/coalesced-reads.ts";
import type { Evidence } from "../../src/store/store.ts";

/** A fake batch read: records each call, answers each point with its keys joined. */
function recorder(fail?: string) {
  const calls: { tenant: string; points: string[][] }[] = [];
  const readMany = async (tenant: string, points: readonly (readonly string[])[]) => {
    calls.push({ tenant, points: points.map((p) => [...p]) });
    if (tenant === fail) throw new Error(`store failed for ${tenant}`);
    return points.map((p) => ({ answer: `${tenant}:${p.join("+")}` }) as unknown as Evidence);
  };
  return { calls, read: coalescedReads(readMany) };
}

describe("coalesced evidence reads", () => {
  test("reads of one turn are one batch read per tenant, each answered with its own evidence", async () => {
    const { calls, read } = recorder();
    const answers = await Promise.all([
      read("a", ["k1"]),
      read("b", ["k2"]),
      read("a", ["k3", "k4"]),
      read("a", ["k1"]),
    ]);
    assert.deepEqual(
      answers.map((e) => (e as unknown as { answer: string }).answer),
      ["a:k1", "b:k2", "a:k3+k4", "a:k1"],
    );
    assert.deepEqual(calls, [
      { tenant: "a", points: [["k1"], ["k3", "k4"], ["k1"]] },
      { tenant: "b", points: [["k2"]] },
    ]);
  });

  test("a read asked after a turn ended is made in the next batch", async () => {
    const { calls, read } = recorder();
    await read("a", ["k1"]);
    await read("a", ["k2"]);
    assert.deepEqual(
      calls.map((c) => c.points),
      [[["k1"]], [["k2"]]],
    );
  });

  test("a failed batch fails every read it held, and only those", async () => {
    const { read } = recorder("bad");
    const settled = await Promise.allSettled([
      read("bad", ["k1"]),
      read("good", ["k2"]),
      read("bad", ["k3"]),
    ]);
    assert.deepEqual(
      settled.map((s) => (s.status === "rejected" ? (s.reason as Error).message : "ok")),
      ["store failed for bad", "ok", "store failed for bad"],
    );
  });
});
