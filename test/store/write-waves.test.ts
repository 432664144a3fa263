// PostgreSQL's writes of a batch go as waves (src/store/postgres/write-plan.ts): statements that
// share no table, sent as one. A wave must keep the order of statements that share a table, and
// its statement must give each part its own parameters.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { KINDS, type Part } from "../../src/store/postgres/row-kinds.ts";
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

test("an event's hashes go packed, 32 bytes a row, a missing personal-data hash as zeros beside a false; any other length is refused", () => {
  const hash = (b: number) => Buffer.alloc(32, b);
  // Columns in the table's order: tenant, seq, event_id, type, point_key, controller,
  // occurred_at, recorded_at, data, proof, pii_hash, hash.
  const rows = [
    ["t", 1, hash(1), "consent.given", "k1", "c", 10, 11, hash(2), hash(3), hash(4), hash(5)],
    ["t", 2, hash(6), "objection.recorded", "k2", "c", 12, 13, hash(7), hash(8), null, hash(9)],
  ];
  const columns = rows[0]?.map((_, j) => rows.map((r) => r[j])) as unknown[][];
  const [part] = KINDS.event.parts(columns);
  assert.ok(part !== undefined);
  const values = part.values;
  // The arrays (tenant, seq, type, point_key, controller, occurred_at, recorded_at), which rows
  // have a personal-data hash, then each hash column packed.
  assert.deepEqual(values.slice(0, 8), [
    ["t", "t"],
    [1, 2],
    ["consent.given", "objection.recorded"],
    ["k1", "k2"],
    ["c", "c"],
    [10, 12],
    [11, 13],
    [true, false],
  ]);
  assert.deepEqual(values[8], Buffer.concat([hash(1), hash(6)]), "event ids");
  assert.deepEqual(values[11], Buffer.concat([hash(4), Buffer.alloc(32)]), "personal-data hashes");
  assert.deepEqual(values[12], Buffer.concat([hash(5), hash(9)]), "hashes");
  assert.equal(values.length, 13);
  assert.match(part.text, /CASE WHEN u\.pii_hash_given THEN substring\(\$12::bytea/);

  const short = columns.map((c, j) => (j === 11 ? [hash(5), Buffer.alloc(31)] : c));
  assert.throws(() => KINDS.event.parts(short), /events\.hash: row 2 of the batch holds no 32-byte hash/);
  const missing = columns.map((c, j) => (j === 2 ? [hash(1), null] : c));
  assert.throws(() => KINDS.event.parts(missing), /events\.event_id: row 2/);
});
