// Numbers repeated in a Bloctel check: found in one pass over millions, merged toward registered.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RegistryDigest } from "../../evidence/registry-digest.ts";
import { mergeEntries, RepeatedKeys, RepeatedMerge } from "./registry-duplicates.ts";

const entry = (pointKey: string, registered: boolean, registeredAt: number | null = null) => ({
  pointKey,
  registered,
  registeredAt,
  effectiveAt: null,
});

test("the keys seen twice among 200 000 are found, through the table's growth", () => {
  const seen = new RepeatedKeys();
  for (let i = 0; i < 200_000; i++) seen.add(`v1:key-${i}`);
  for (const i of [0, 77_777, 199_999]) seen.add(`v1:key-${i}`);
  assert.deepEqual([...seen.repeated].sort(), ["v1:key-0", "v1:key-199999", "v1:key-77777"]);
});

test("rows of one number merge toward registered, at the earliest date; the digest is the merged rows'", () => {
  assert.deepEqual(mergeEntries(entry("k", false), entry("k", true, 5)), entry("k", true, 5));
  assert.deepEqual(mergeEntries(entry("k", true, 9), entry("k", true, 5)), entry("k", true, 5));
  const rows = [entry("a", true, 9), entry("b", false), entry("a", false), entry("a", true, 5)];
  const digest = new RegistryDigest();
  const seen = new RepeatedKeys();
  for (const r of rows) {
    digest.add(r);
    seen.add(r.pointKey);
  }
  const merge = new RepeatedMerge(seen.repeated, digest);
  for (const r of rows) merge.take(r);
  merge.finish();
  const expected = new RegistryDigest();
  expected.add(entry("a", true, 5));
  expected.add(entry("b", false));
  assert.equal(digest.digest(), expected.digest());
});
