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
  const reason = (r: ReturnType<typeof normalizePoint>) => (r.ok ? "accepted" : r.reason);
  assert.equal(reason(normalizePoint("phone", "0612345")), "too short: 6 digits after the national prefix");
  assert.equal(reason(normalizePoint("email", "jean@localhost")), "domain without a dot");
  // Each type is parsed by its own rules only.
  assert.equal(normalizePoint("email", "0612345678").ok, false);
  assert.equal(normalizePoint("phone", "jean@example.fr").ok, false);
});
