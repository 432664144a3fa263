import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseInstant } from "../time/zoned.ts";
import { CLOCK_SKEW_MS, evidenceDateError } from "./evidence-dates.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");
const at = (text: string) => parseInstant(text) as number;

describe("evidence dates", () => {
  test("an event: from 1990-01-01 (Paris) to now + the clock skew", () => {
    assert.equal(evidenceDateError(at("2014-05-01"), "event", NOW), undefined, "a consent from 2014 is real");
    assert.equal(evidenceDateError(at("1990-01-01"), "event", NOW), undefined);
    assert.match(
      evidenceDateError(at("1989-12-31T23:59:59+01:00"), "event", NOW) ?? "",
      /^before 1990-01-01/,
    );
    assert.match(evidenceDateError(at("0000-01-01"), "event", NOW) ?? "", /^before 1990-01-01/);
    assert.equal(evidenceDateError(NOW + CLOCK_SKEW_MS, "event", NOW), undefined);
    assert.match(
      evidenceDateError(NOW + CLOCK_SKEW_MS + 1, "event", NOW) ?? "",
      /^in the future \(now is 2026-03-10T12:00:00.000Z\)/,
    );
    assert.match(evidenceDateError(at("2099-01-01"), "event", NOW) ?? "", /^in the future/);
    assert.match(evidenceDateError(at("9999-12-31"), "event", NOW) ?? "", /^in the future/);
  });

  test("a relationship may be older than any evidence; its end may be planned, before 2100", () => {
    assert.equal(evidenceDateError(at("1950-06-01"), "relationship-start", NOW), undefined);
    assert.match(evidenceDateError(at("1899-12-31"), "relationship-start", NOW) ?? "", /^before 1900-01-01/);
    assert.match(evidenceDateError(at("2027-01-01"), "relationship-start", NOW) ?? "", /^in the future/);
    assert.equal(evidenceDateError(at("2030-06-30"), "relationship-end", NOW), undefined, "a planned end");
    assert.match(evidenceDateError(at("9999-12-31"), "relationship-end", NOW) ?? "", /^2100-01-01 or later/);
  });

  test("a Bloctel registration may take effect after the check that lists it", () => {
    assert.equal(evidenceDateError(at("2026-04-05"), "registry-effect", NOW), undefined);
    assert.match(evidenceDateError(at("0001-01-01"), "registry-effect", NOW) ?? "", /^before 1990-01-01/);
  });

  test("without a clock (facts for a decision), only the floor applies", () => {
    assert.equal(evidenceDateError(at("2099-01-01"), "event", null), undefined);
    assert.equal(evidenceDateError(at("9999-12-31"), "relationship-end", null), undefined);
    assert.match(evidenceDateError(at("0000-01-01"), "event", null) ?? "", /^before 1990-01-01/);
  });
});
