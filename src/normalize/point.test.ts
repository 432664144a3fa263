import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizePoint } from "./point.ts";

test("a phone becomes its E.164 value, with its line type", () => {
  assert.deepEqual(normalizePoint("phone", "+33 (0)6 12 34 56 78"), {
    ok: true,
    point: { type: "phone", value: "+33612345678" },
    lineType: "mobile",
  });
});

test("an e-mail becomes its normalized address, without a line type", () => {
  const result = normalizePoint("email", " Jean@Exämple.FR ");
  assert.deepEqual(result, { ok: true, point: { type: "email", value: "jean@xn--exmple-cua.fr" } });
  assert.ok(result.ok && !("lineType" in result));
});

test("rejections keep their reason", () => {
  assert.deepEqual(normalizePoint("phone", "0612345"), {
    ok: false,
    reason: "too short: 6 digits after the national prefix",
  });
  assert.deepEqual(normalizePoint("email", "jean@localhost"), { ok: false, reason: "domain without a dot" });
  // Each type is parsed by its own rules only.
  assert.equal(normalizePoint("email", "0612345678").ok, false);
  assert.equal(normalizePoint("phone", "jean@example.fr").ok, false);
});
