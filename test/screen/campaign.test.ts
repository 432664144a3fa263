// CAMPAIGN.json: the campaign object plus at or from/to, and a policy; errors name the field.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { formatFactsError } from "../../src/facts/parse.ts";
import { CampaignFileError, loadCampaign, parseScreenCampaign } from "../../src/services/screen/campaign.ts";
import { parseInstant } from "../../src/time/zoned.ts";
import { CALL_2025, EMAIL_2026 } from "./helpers.ts";

const errorsOf = (input: unknown): string[] => {
  const r = parseScreenCampaign(input);
  assert.equal(r.ok, false);
  return r.ok ? [] : r.errors.map(formatFactsError);
};

test("a campaign at an instant, and one over a window", () => {
  const at = parseScreenCampaign(CALL_2025);
  assert.ok(at.ok);
  assert.equal(at.value.at, parseInstant("2025-03-04T11:00:00+01:00"));
  assert.equal(at.value.window, null);
  assert.equal(at.value.pointType, "phone");
  assert.equal(at.value.campaign.controllerKey, "agence dupont");
  const window = parseScreenCampaign({
    ...EMAIL_2026,
    at: undefined,
    from: "2026-12-01",
    to: "2026-12-08",
    policy: {},
  });
  assert.ok(window.ok);
  assert.equal(window.value.pointType, "email");
  assert.deepEqual(window.value.window, { from: parseInstant("2026-12-01"), to: parseInstant("2026-12-08") });
  assert.deepEqual(window.value.when, { from: "2026-12-01", to: "2026-12-08" });
});

test("every error names its field, as the campaign file writes it", () => {
  const base = { ...CALL_2025, at: undefined };
  assert.deepEqual(errorsOf({ ...CALL_2025, channel: "pigeon" }), [
    "channel: must be one of: voice_live, voice_automated, sms, email, fax, social_dm, inbox_ad, postal",
  ]);
  assert.deepEqual(errorsOf({ ...CALL_2025, controler: "typo" }), ["controler: unknown field"]);
  assert.deepEqual(errorsOf({ ...CALL_2025, controller: undefined }), ["controller: required"]);
  assert.deepEqual(errorsOf({ ...CALL_2025, policy: { callbackWindowHours: -1 } }), [
    "policy.callbackWindowHours: must be ≥ 0",
  ]);
  assert.deepEqual(errorsOf(base), ["at: required (or a window: from and to)"]);
  assert.deepEqual(errorsOf({ ...CALL_2025, at: "tomorrow" }), [
    "at: not a date (ISO 8601 with an offset or Z, or a bare YYYY-MM-DD)",
  ]);
  assert.deepEqual(errorsOf({ ...CALL_2025, at: "2015-06-01" }), [
    "at: before 2016-01-01: outside the rulebook's coverage",
  ]);
  assert.deepEqual(errorsOf({ ...CALL_2025, from: "2025-03-04" }), [
    "at: give either at, or a window from/to, not both",
  ]);
  assert.deepEqual(errorsOf({ ...base, from: "2025-03-04" }), ["to: required with from"]);
  assert.deepEqual(errorsOf({ ...base, to: "2025-03-04" }), ["from: required with to"]);
  assert.deepEqual(errorsOf({ ...base, from: "2025-03-04T12:00:00+01:00", to: "2025-03-04" }), [
    "to: must be after from",
  ]);
  assert.deepEqual(errorsOf({ ...CALL_2025, channel: "postal" }), [
    "channel: a postal campaign reaches postal points: screen takes lists of phone numbers or e-mail addresses",
  ]);
  assert.deepEqual(errorsOf([CALL_2025]), ["expected a JSON object (the campaign, with at or from/to)"]);
  assert.deepEqual(errorsOf({ ...CALL_2025, channel: 3, at: 4 }), [
    "channel: must be one of: voice_live, voice_automated, sms, email, fax, social_dm, inbox_ad, postal",
    "at: not a date (ISO 8601 with an offset or Z, or a bare YYYY-MM-DD)",
  ]);
});

test("a campaign file naming a field twice is refused, naming it: which one counts is not said", () => {
  const dir = mkdtempSync(join(tmpdir(), "vigie-campaign-"));
  try {
    const file = join(dir, "campaign.json");
    writeFileSync(
      file,
      '{"controller":"Agence Dupont","channel":"email","channel":"voice_live","at":"2026-12-01"}',
    );
    assert.throws(
      () => loadCampaign(file),
      (e: Error) =>
        e instanceof CampaignFileError &&
        e.message === `${file}: channel: given twice in one object: which one counts is not said`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
