// PostgreSQL's writes of a batch go as waves (src/store/postgres/write-plan.ts): statements that
// share no table, sent as one. A wave must keep the order of statements that share a table, and
// its statement must give each part its own parameters.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Part } from "../../src/store/postgres/row-kinds.ts";
import { waveStatement, waves } from "../../src/store/postgres/write-plan.ts";

const TABLES = ["events", "points", "consents", "withdrawals", "chain_head"];

const part = (i: number, tables: string[], values: unknown[] = [i]): Part => ({
  name: `p${i}`,
  text: `INSERT INTO t${i} SELECT ${values.map((_, j) => `$${j + 1}`).join(", ")}`,
  values,
  tables,
  planned: false,
});

test("waves keep the parts' order, and no two parts of a wave share a table", () => {
  fc.assert(
    fc.property(fc.array(fc.subarray(TABLES, { minLength: 1 }), { maxLength: 30 }), (tableSets) => {
      const parts = tableSets.map((tables, i) => part(i, tables));
      const out = waves(parts);
      assert.deepEqual(out.flat(), parts, "every part, once, in order");
      for (const wave of out) {
        assert.ok(wave.length > 0);
        const seen = new Set<string>();
        for (const p of wave) {
          for (const t of p.tables) {
            assert.ok(!seen.has(t), `${t} twice in one wave`);
            seen.add(t);
          }
        }
      }
      // A wave closes only at a part sharing a table with it: fewest statements in order.
      for (let i = 1; i < out.length; i++) {
        const before = new Set((out[i - 1] as Part[]).flatMap((p) => p.tables));
        assert.ok((out[i] as Part[])[0]?.tables.some((t) => before.has(t)));
      }
    }),
  );
});

test("a wave's statement numbers each part's parameters after the parts before it", () => {
  const s = waveStatement([
    part(1, ["events"], ["a", "b"]),
    part(2, ["points"], ["c"]),
    part(3, ["chain_head"], ["d", "e"]),
  ]);
  assert.equal(s.name, "p1+p2+p3");
  assert.deepEqual(s.values, ["a", "b", "c", "d", "e"]);
  assert.equal(
    s.text,
    "WITH w0 AS (INSERT INTO t1 SELECT $1, $2),\nw1 AS (INSERT INTO t2 SELECT $3),\nw2 AS (INSERT INTO t3 SELECT $4, $5)\nSELECT 1",
  );
  assert.deepEqual(s.tables, ["events", "points", "chain_head"]);
  const alone = part(4, ["events"]);
  assert.equal(waveStatement([alone]), alone);
});

test("a wave is planned for its values if one of its parts is, and a long name is cut with a hash", () => {
  const parts = Array.from({ length: 8 }, (_, i) => ({
    ...part(i, [`t${i}`]),
    name: `erase_table_number_${i}`,
  }));
  const s = waveStatement(parts.map((p, i) => (i === 5 ? { ...p, planned: true } : p)));
  assert.equal(s.planned, true);
  assert.ok(s.name.length <= 56, s.name);
  assert.notEqual(s.name, waveStatement(parts.slice(1)).name);
});
