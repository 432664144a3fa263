import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatFactsError, parseFacts } from "./parse.ts";

const minimal = {
  at: "2026-09-15T11:00:00+02:00",
  campaign: { controller: "Agence Dupont", channel: "email" },
  contact: { kind: "consumer" },
};

function errorsOf(input: unknown): string[] {
  const r = parseFacts(input);
  assert.equal(r.ok, false, "expected invalid facts");
  return r.ok ? [] : r.errors.map(formatFactsError);
}

describe("parseFacts", () => {
  test("only at, controller, channel and kind are required; absent evidence stays absent", () => {
    const r = parseFacts(minimal);
    assert.ok(r.ok);
    const { contact, campaign, policy } = r.facts;
    assert.deepEqual(contact.consents, []);
    assert.equal(contact.origin, null);
    assert.equal(contact.bloctel, null);
    assert.equal(campaign.sector, "other");
    assert.equal(campaign.relatedToContract, false);
    assert.equal(campaign.message, null);
    assert.equal(policy.callbackWindowHours, 48);
    assert.equal(r.facts.at, Date.parse("2026-09-15T09:00:00Z"));
  });

  test("a bare date is midnight in Europe/Paris", () => {
    const r = parseFacts({ ...minimal, at: "2026-08-11" });
    assert.ok(r.ok);
    assert.equal(r.facts.at, Date.parse("2026-08-10T22:00:00Z"));
  });

  test("controllers are matched case- and space-insensitively", () => {
    const r = parseFacts({
      ...minimal,
      contact: {
        kind: "consumer",
        consents: [
          { channel: "email", controller: "  agence   DUPONT ", givenAt: "2026-01-01", proof: true },
        ],
      },
    });
    assert.ok(r.ok);
    assert.equal(r.facts.contact.consents[0]?.controllerKey, r.facts.campaign.controllerKey);
  });

  test("a controller or advertiser of spaces or invisible characters alone is refused at its path", () => {
    const NO_NAME = "no name: only spaces or invisible characters";
    const errors = errorsOf({
      ...minimal,
      campaign: { controller: "   ", advertiser: "\u200b\u00a0", channel: "email" },
      contact: {
        kind: "consumer",
        consents: [{ channel: "email", controller: "\u200b", givenAt: "2026-01-01", proof: true }],
        // Its key would be "", no campaign's: the objection would bind nobody.
        objections: [{ at: "2026-01-02", channel: "all", controller: "   " }],
        history: [
          { at: "2026-01-03", channel: "email", controller: "A", advertiser: "\ufeff", outcome: "answered" },
        ],
      },
    });
    assert.deepEqual(errors, [
      `campaign.controller: ${NO_NAME} ("   ")`,
      `campaign.advertiser: ${NO_NAME} ("\\u200b\\u00a0")`,
      `contact.consents[0].controller: ${NO_NAME} ("\\u200b")`,
      `contact.objections[0].controller: ${NO_NAME} ("   ")`,
      `contact.history[0].advertiser: ${NO_NAME} ("\\ufeff")`,
    ]);
    // An objection's empty controller still says every controller.
    const every = parseFacts({
      ...minimal,
      contact: { kind: "consumer", objections: [{ at: "2026-01-02", channel: "all", controller: "" }] },
    });
    assert.ok(every.ok);
    assert.equal(every.facts.contact.objections[0]?.controllerKey, null);
  });

  test("errors name the JSON path of the field (docs/contract.md example)", () => {
    const errors = errorsOf({
      ...minimal,
      contact: { kind: "consumer", consents: [{ channel: "email", controller: "X", givenAt: "yesterday" }] },
    });
    assert.deepEqual(errors, [
      "contact.consents[0].givenAt: not a date (ISO 8601 with an offset or Z, or a bare YYYY-MM-DD)",
    ]);
  });

  test("missing required fields, wrong enums and wrong types are each reported", () => {
    const errors = errorsOf({ at: 12, campaign: { channel: "pigeon" }, contact: {} });
    assert.ok(errors.includes("at: not a date"), errors.join("\n"));
    assert.ok(errors.includes("campaign.controller: required"), errors.join("\n"));
    assert.ok(
      errors.some((e) => e.startsWith("campaign.channel: must be one of: voice_live")),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((e) => e.startsWith("contact.kind: must be one of: consumer")),
      errors.join("\n"),
    );
  });

  test("a consent's collector and naming are read, and how a form named the sender is asked only of a third party's", () => {
    const consent = { channel: "email", controller: "X", givenAt: "2025-01-01" };
    const read = (extra: object) =>
      errorsOf({ ...minimal, contact: { kind: "consumer", consents: [{ ...consent, ...extra }] } });
    assert.deepEqual(read({ collectedBy: "self", namedHow: "named" }), [
      'contact.consents[0].namedHow: only for a consent collected by a partner or broker (collectedBy "partner" or "broker")',
    ]);
    assert.equal(read({ namedHow: "named" }).length, 1);
    assert.match(
      read({ collectedBy: "cousin" })[0] ?? "",
      /^contact\.consents\[0\]\.collectedBy: must be one of: self, partner, broker/,
    );
    assert.match(
      read({ collectedBy: "partner", namedHow: "yes" })[0] ?? "",
      /namedHow: must be one of: named, listed_with_link, not_named/,
    );
    const third = { ...consent, collectedBy: "broker", namedHow: "listed_with_link" };
    assert.ok(parseFacts({ ...minimal, contact: { kind: "consumer", consents: [third] } }).ok);
    const parsed = parseFacts({ ...minimal, contact: { kind: "consumer", consents: [consent] } });
    assert.ok(parsed.ok);
    assert.deepEqual(
      [parsed.facts.contact.consents[0]?.collectedBy, parsed.facts.contact.consents[0]?.namedHow],
      [null, null],
      "absent: not recorded",
    );
  });

  test("calls say who made them, for whom, in what sector and how they ended; each error names its field", () => {
    const call = {
      at: "2026-09-01",
      channel: "voice_live",
      controller: "Centre Beta",
      outcome: "no_interest",
    };
    const ok = parseFacts({
      ...minimal,
      campaign: { ...minimal.campaign, advertiser: "Agence  DUPONT" },
      contact: { kind: "consumer", history: [{ ...call, advertiser: "AGENCE Dupont", sector: "insurance" }] },
    });
    assert.ok(ok.ok);
    assert.equal(ok.facts.campaign.advertiser, "Agence  DUPONT");
    assert.deepEqual(ok.facts.contact.history[0], {
      at: Date.parse("2026-08-31T22:00:00Z"),
      channel: "voice_live",
      controllerKey: "centre beta",
      advertiserKey: "agence dupont",
      sector: "insurance",
      outcome: "no_interest",
    });
    const errors = errorsOf({
      ...minimal,
      campaign: { ...minimal.campaign, advertiser: "" },
      contact: {
        kind: "consumer",
        history: [{ ...call, sector: "cars", outcome: "hung_up", advertiser: 3 }],
      },
    });
    assert.deepEqual(errors.map((e) => e.split(":")[0]).sort(), [
      "campaign.advertiser",
      "contact.history[0].advertiser",
      "contact.history[0].outcome",
      "contact.history[0].sector",
    ]);
  });

  test("when and through how many hands partner data came are asked only of a partner's or broker's", () => {
    const origin = (o: object) => ({ ...minimal, contact: { kind: "consumer", origin: o } });
    const ok = parseFacts(
      origin({ type: "broker", collectedAt: "2026-01-01", obtainedAt: "2026-03-01", transfers: 2 }),
    );
    assert.ok(ok.ok);
    assert.equal(ok.facts.contact.origin?.transfers, 2);
    assert.equal(ok.facts.contact.origin?.obtainedAt, Date.parse("2026-02-28T23:00:00Z"));
    assert.deepEqual(errorsOf(origin({ type: "direct", obtainedAt: "2026-03-01", transfers: 1 })), [
      'contact.origin.obtainedAt: only for data from a partner or broker (type "partner" or "broker")',
      'contact.origin.transfers: only for data from a partner or broker (type "partner" or "broker")',
    ]);
    assert.deepEqual(
      errorsOf(origin({ type: "partner", collectedAt: "2026-03-02", obtainedAt: "2026-03-01" })),
      ["contact.origin.obtainedAt: before collectedAt: data cannot be obtained before they were collected"],
    );
    for (const transfers of [0, 1.5, "2"]) {
      const [error] = errorsOf(origin({ type: "partner", transfers }));
      assert.match(error ?? "", /^contact\.origin\.transfers: /);
    }
  });

  test("a free account of a paid model is asked only of an account without a sale", () => {
    const rel = (r: object) => ({ ...minimal, contact: { kind: "consumer", relationship: r } });
    const ok = parseFacts(rel({ status: "account_only", freeAccountOfPaidModel: true }));
    assert.ok(ok.ok);
    assert.equal(ok.facts.contact.relationship?.freeAccountOfPaidModel, true);
    assert.deepEqual(errorsOf(rel({ status: "past_customer", freeAccountOfPaidModel: false })), [
      'contact.relationship.freeAccountOfPaidModel: only for an account without a sale (status "account_only")',
    ]);
  });

  test("unknown fields are errors, so a typo never drops evidence silently", () => {
    assert.deepEqual(errorsOf({ ...minimal, contact: { kind: "consumer", consent: [] } }), [
      "contact.consent: unknown field",
    ]);
    assert.deepEqual(errorsOf({ ...minimal, extra: 1 }), ["extra: unknown field"]);
  });

  test("an instant without offset is refused rather than guessed", () => {
    assert.deepEqual(errorsOf({ ...minimal, at: "2026-09-15T11:00:00" }), [
      "at: not a date (ISO 8601 with an offset or Z, or a bare YYYY-MM-DD)",
    ]);
  });

  test("dates outside the rulebook's coverage are refused", () => {
    assert.deepEqual(errorsOf({ ...minimal, at: "2015-12-31T23:00:00+01:00" }), [
      "at: before 2016-01-01: outside the rulebook's coverage",
    ]);
    assert.deepEqual(errorsOf({ ...minimal, at: "2035-01-01" }), [
      "at: after 2034-12-31: outside the rulebook's coverage",
    ]);
    assert.ok(parseFacts({ ...minimal, at: "2016-01-01" }).ok);
  });

  test("evidence dated before the floor is refused at its path; a date after now is not (planned facts)", () => {
    const contact = (patch: Record<string, unknown>) => ({
      ...minimal,
      contact: { kind: "consumer", ...patch },
    });
    assert.deepEqual(errorsOf(contact({ objections: [{ at: "0000-01-01" }] })), [
      "contact.objections[0].at: before 1990-01-01: not a plausible date",
    ]);
    assert.deepEqual(
      errorsOf(
        contact({ relationship: { status: "past_customer", since: "1899-12-31", endedAt: "2020-01-01" } }),
      ),
      ["contact.relationship.since: before 1900-01-01: not a plausible date"],
    );
    assert.deepEqual(errorsOf(contact({ bloctel: { effectiveAt: "1989-12-31" } })), [
      "contact.bloctel.effectiveAt: before 1990-01-01: not a plausible date",
    ]);
    assert.deepEqual(errorsOf(contact({ history: [], lastBloctelScrubAt: "2025-02-30" })), [
      "contact.lastBloctelScrubAt: not a date (ISO 8601 with an offset or Z, or a bare YYYY-MM-DD)",
    ]);
    assert.ok(parseFacts(contact({ relationship: { status: "active_contract", since: "1950-01-01" } })).ok);
    assert.ok(
      parseFacts(contact({ objections: [{ at: "2099-01-01" }] })).ok,
      "a decision may describe the future",
    );
  });

  test("the point must be what the channel reaches", () => {
    assert.deepEqual(
      errorsOf({ ...minimal, contact: { kind: "consumer", point: { type: "phone", value: "0612345678" } } }),
      ["contact.point.type: a email campaign reaches a email point, not phone"],
    );
  });

  test("departments, time zones and policy values are checked", () => {
    const errors = errorsOf({
      ...minimal,
      contact: { kind: "consumer", location: { department: "20", timeZone: "Europe/Atlantis" } },
      policy: { callbackWindowHours: -1, unknownSwitch: true },
    });
    assert.deepEqual(errors.sort(), [
      "contact.location.department: not a French department code (01–95, 2A, 2B, 971–978)",
      "contact.location.timeZone: not an IANA time zone",
      "policy.callbackWindowHours: must be ≥ 0",
      "policy.unknownSwitch: unknown field",
    ]);
  });

  test("a non-object input is one clear error", () => {
    assert.deepEqual(errorsOf(null), ["must be an object"]);
    assert.deepEqual(errorsOf([]), ["must be an object"]);
  });
});

describe("parseFacts: contact points", () => {
  const phoneFacts = (value: string) => ({
    ...minimal,
    campaign: { controller: "A", channel: "voice_live" },
    contact: { kind: "consumer", point: { type: "phone", value } },
  });

  test("phones are normalized to E.164 and e-mails lower-cased", () => {
    const phone = parseFacts(phoneFacts("+33 (0)6 12 34 56 78"));
    assert.ok(phone.ok);
    assert.deepEqual(phone.facts.contact.point, { type: "phone", value: "+33612345678" });
    const email = parseFacts({
      ...minimal,
      contact: { kind: "consumer", point: { type: "email", value: " Jean@Exämple.FR " } },
    });
    assert.ok(email.ok);
    assert.deepEqual(email.facts.contact.point, { type: "email", value: "jean@xn--exmple-cua.fr" });
  });

  test("an invalid phone number or e-mail is refused with the reason, at its path", () => {
    const [phoneError] = errorsOf(phoneFacts("06 12 34"));
    assert.match(phoneError ?? "", /^contact\.point\.value: not a valid phone number: /);
    const [emailError] = errorsOf({
      ...minimal,
      contact: { kind: "consumer", point: { type: "email", value: "jean.example.fr" } },
    });
    assert.match(emailError ?? "", /^contact\.point\.value: not a valid e-mail address: /);
  });
});
