// Evidence events as services/record.ts builds them: a consent recorded without a collector is
// the same event, with the same id, as before collectors existed (re-imports stay duplicates).
import assert from "node:assert/strict";
import { hash } from "node:crypto";
import { test } from "node:test";
import fc from "fast-check";
import { eventIdOf } from "../../src/evidence/events.ts";
import { consentEvent } from "../../src/services/record.ts";

const recording = {
  tenant: "acme",
  subject: { point: { type: "email" as const, value: "claire@example.fr" }, key: "k:1", keys: ["k:1"] },
  controller: "Agence Dupont",
  proof: { recordedBy: "test" },
};
const input = {
  channel: "email" as const,
  givenAt: Date.parse("2025-03-01T09:00:00Z"),
  method: "double_opt_in" as const,
  scope: "standard" as const,
  proof: true,
};
/** The id of this consent's event as vigie computed it before consents said who collected them. */
const PINNED = "342beec130d16a42371967faa68f2b9114219c1859e306beb780d6033ff7a575";

test("a consent without a collector keeps the event, and the id, it had before collectors existed", () => {
  for (const e of [
    consentEvent(recording, input),
    consentEvent(recording, { ...input, collectedBy: undefined, namedHow: undefined }),
  ]) {
    assert.deepEqual(e.data, {
      type: "consent.given",
      consent: { channel: "email", method: "double_opt_in", scope: "standard", proof: true },
    });
    assert.equal(eventIdOf(e), PINNED);
  }
});

test("a consent with a collector is another fact: a new event that the state merges (schema.ts)", () => {
  const e = consentEvent(recording, { ...input, collectedBy: "partner", namedHow: "not_named" });
  assert.notEqual(eventIdOf(e), PINNED);
  assert.deepEqual(e.data, {
    type: "consent.given",
    consent: {
      channel: "email",
      method: "double_opt_in",
      scope: "standard",
      proof: true,
      collectedBy: "partner",
      namedHow: "not_named",
    },
  });
});

/** The key-sorted JSON of event ids as first written (filter, sort, map, join): the reference. */
function sortedJsonReference(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(sortedJsonReference).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJsonReference(record[k])}`).join(",")}}`;
}

test("event ids are what the first way of writing them gave, whatever the data's shape", () => {
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom(null, undefined, true, false, 0, -1.5, "", 'é\u0000"', 2 ** 53),
      fc.string(),
      fc.array(tie("node"), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 6 }), tie("node"), { maxKeys: 5 }),
    ),
  })).node;
  fc.assert(
    fc.property(fc.dictionary(fc.string({ maxLength: 6 }), value, { maxKeys: 6 }), (data) => {
      const e = { ...consentEvent(recording, input), data: data as never };
      const reference = hash(
        "sha256",
        `${JSON.stringify([e.tenant, e.pointKey, e.controller, e.occurredAt])}\n${sortedJsonReference(data)}`,
        "hex",
      );
      assert.equal(eventIdOf(e), reference);
    }),
    { numRuns: 500 },
  );
});
