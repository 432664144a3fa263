// Boundary tests for art. L.34-5 CPCE (docs/law.md#cpce-l34-5): cpce-l34-5/consent (A1),
// cpce-l34-5/soft-opt-in (A2), cpce-l34-5/message-content (A3), cpce-l34-5/legal-entity (A5),
// cpce-l34-5/inbox-ad (A7).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  decideJson,
  expectNoReason,
  expectReason,
  type Json,
  merge,
  SHOP_EMAIL,
} from "../../../../test/support/facts.ts";
import { justBefore, shift, startOf } from "../../../../test/support/instants.ts";
import type { Channel, ConsentMethod } from "../../../facts/vocabulary.ts";
import { ELECTRONIC } from "../common.ts";

const L34_5_2004 = "CPCE, art. L.34-5 al. 1 (loi n° 2004-575, art. 22 ; loi n° 2014-344)";
const L34_5 = "CPCE, art. L.34-5 al. 1";
const L34_5_SOFT = "CPCE, art. L.34-5 al. 4 ; directive 2002/58/CE, art. 13(2)";
const L34_5_CONTENT = "CPCE, art. L.34-5 al. 5 ; LCEN art. 20";
const L34_5_LEGAL = "CPCE, art. L.34-5 al. 1 (« personne physique »)";
const INBOX_BEFORE = "CPCE, art. L.34-5 al. 1, lu par CJUE 25 nov. 2021, C-102/20 StWL";
const INBOX_AFTER =
  "CPCE, art. L.34-5 al. 1 ; CJUE 25 nov. 2021, C-102/20 StWL ; CNIL SAN-2024-019, SAN-2025-004";

/** A facts object for any channel: the point is left out so every channel is valid. */
function onChannel(base: Json, channel: Channel): Json {
  const out = merge(base, { campaign: { channel } });
  out.contact = merge(out.contact as Json, { point: null });
  return out;
}

/** A consent as the contract writes it; valid unless the overrides say otherwise. */
function consent(overrides: Json = {}): Json {
  return {
    channel: "email",
    controller: "Boutique SAS",
    givenAt: "2024-11-02T10:00:00+01:00",
    method: "unticked_checkbox",
    proof: true,
    ...overrides,
  };
}

const withConsents = (base: Json, ...consents: Json[]): Json => merge(base, { contact: { consents } });

/** An automated call whose caller ID is in an ARCEP range, so only L.34-5 decides. */
const ROBOCALL: Json = merge(SHOP_EMAIL, {
  campaign: { channel: "voice_automated", callerId: "+33 9 48 00 00 00", message: null },
  contact: { point: { type: "phone", value: "06 12 34 56 78" } },
});

describe("cpce-l34-5/consent — prior consent to electronic prospecting (docs/law.md, A1)", () => {
  test("A1: e-mail, SMS, automated calls, fax, social DMs and inbox ads to a consumer are blocked without consent and allowed with one", () => {
    for (const channel of ELECTRONIC) {
      const without = decideJson(onChannel(SHOP_EMAIL, channel));
      assert.equal(without.verdict, "block", channel);
      const r = expectReason(without, "cpce-l34-5/consent", "block");
      assert.equal(r.article, L34_5);
      assert.equal(r.contested, false);
      const withIt = decideJson(onChannel(withConsents(SHOP_EMAIL, consent({ channel })), channel));
      expectReason(withIt, "cpce-l34-5/consent", "allow");
    }
    assert.equal(decideJson(withConsents(SHOP_EMAIL, consent())).verdict, "allow");
    assert.equal(
      decideJson(onChannel(withConsents(SHOP_EMAIL, consent({ channel: "sms" })), "sms")).verdict,
      "allow",
    );
  });

  test("A1: live calls and post are outside L.34-5", () => {
    for (const channel of ["voice_live", "postal"] as const) {
      expectNoReason(decideJson(onChannel(SHOP_EMAIL, channel)), "cpce-l34-5/consent");
    }
  });

  test("A1 « par ce moyen »: a consent to e-mail is not a consent to SMS", () => {
    const d = decideJson(onChannel(withConsents(SHOP_EMAIL, consent({ channel: "email" })), "sms"));
    assert.equal(d.verdict, "block");
    expectReason(d, "cpce-l34-5/consent", "block");
  });

  test("A1: a consent to another controller does not count; the controller's name matches in any case and spacing", () => {
    const other = decideJson(withConsents(SHOP_EMAIL, consent({ controller: "Boutique Voisine" })));
    assert.equal(other.verdict, "block");
    const spelled = decideJson(withConsents(SHOP_EMAIL, consent({ controller: "  BOUTIQUE   sas " })));
    assert.equal(spelled.verdict, "allow");
    expectReason(spelled, "cpce-l34-5/consent", "allow");
  });

  test("A1: consent must be prior — given at the instant of the contact counts, a millisecond later does not", () => {
    const at = "2025-03-04T10:00:00.000Z";
    const given = (when: string) =>
      decideJson(merge(withConsents(SHOP_EMAIL, consent({ givenAt: when })), { at }));
    const same = given(at);
    assert.equal(same.verdict, "allow");
    assert.match(expectReason(same, "cpce-l34-5/consent", "allow").message.en, /given on 2025-03-04/);
    const later = given(shift(at, 1));
    assert.equal(later.verdict, "block");
    expectReason(later, "cpce-l34-5/consent", "block");
  });

  test("A1 / D4: a consent withdrawn by the time of contact no longer counts; a withdrawal after it does not matter", () => {
    const at = "2025-03-04T10:00:00.000Z";
    const withdrawn = (when: string) =>
      decideJson(merge(withConsents(SHOP_EMAIL, consent({ withdrawnAt: when })), { at }));
    const gone = withdrawn(at);
    assert.equal(gone.verdict, "block");
    assert.match(expectReason(gone, "cpce-l34-5/consent", "block").message.en, /withdrawn on 2025-03-04/);
    assert.equal(withdrawn(shift(at, 1)).verdict, "allow");
  });

  test("A1 / Accor (SAN-2022-017): a pre-ticked box counted until 2018-05-24 and is invalid from 2018-05-25", () => {
    const preTicked = merge(
      withConsents(SHOP_EMAIL, consent({ givenAt: "2018-02-01", method: "pre_ticked_checkbox" })),
      {
        contact: { origin: { collectedAt: "2018-02-01" } },
      },
    );
    const before = decideJson(merge(preTicked, { at: justBefore("2018-05-25") }));
    assert.equal(before.verdict, "allow");
    expectReason(before, "cpce-l34-5/consent", "allow");
    const after = decideJson(merge(preTicked, { at: startOf("2018-05-25") }));
    assert.equal(after.verdict, "block");
    assert.match(expectReason(after, "cpce-l34-5/consent", "block").message.en, /"pre_ticked_checkbox"/);
  });

  test("A1 / Accor (SAN-2022-017): hotel guests subscribed by a pre-ticked box to partners' offers in 2019 — blocked, no soft opt-in", () => {
    const accor = merge(SHOP_EMAIL, {
      at: "2019-04-02T10:00:00+02:00",
      campaign: { controller: "Accor", analogousProducts: false },
      contact: {
        origin: { type: "direct", collectedAt: "2018-11-20", optOutOfferedAtCollection: false },
        relationship: { status: "past_customer", since: "2018-11-20", endedAt: "2018-11-22" },
        consents: [consent({ controller: "Accor", givenAt: "2018-11-20", method: "pre_ticked_checkbox" })],
      },
    });
    const d = decideJson(accor);
    assert.equal(d.verdict, "block");
    expectReason(d, "cpce-l34-5/consent", "block");
    expectNoReason(d, "cpce-l34-5/soft-opt-in");
  });

  test("A1 / CE 11 mars 2015 n° 368624: accepting terms of use is never consent", () => {
    for (const at of [startOf("2016-01-01"), "2025-03-04T11:00:00+01:00"]) {
      const d = decideJson(
        merge(withConsents(SHOP_EMAIL, consent({ givenAt: "2015-12-01", method: "terms_acceptance" })), {
          at,
          contact: { origin: { collectedAt: "2015-12-01" }, relationship: { status: "prospect" } },
        }),
      );
      assert.equal(d.verdict, "block", at);
      assert.match(expectReason(d, "cpce-l34-5/consent", "block").message.en, /"terms_acceptance"/);
    }
  });

  test("A1: every clear affirmative act is a valid method (and an unrecorded method with proof is not held against it)", () => {
    const methods: (ConsentMethod | null)[] = [
      "unticked_checkbox",
      "double_opt_in",
      "verbal_recorded",
      "written_signed",
      "sms_code",
      null,
    ];
    for (const method of methods) {
      const d = decideJson(withConsents(SHOP_EMAIL, consent({ method })));
      assert.equal(d.verdict, "allow", String(method));
    }
  });

  test("A1 versions: until 2016-06-30 the citation names loi 2004-575 and 2014-344; from 2016-07-01 plain L.34-5 al. 1", () => {
    const early = merge(SHOP_EMAIL, { contact: { origin: { collectedAt: "2016-05-01" } } });
    const before = decideJson(merge(early, { at: justBefore("2016-07-01") }));
    assert.equal(expectReason(before, "cpce-l34-5/consent", "block").article, L34_5_2004);
    const after = decideJson(merge(early, { at: startOf("2016-07-01") }));
    assert.equal(expectReason(after, "cpce-l34-5/consent", "block").article, L34_5);
    const allowed = decideJson(
      merge(withConsents(early, consent({ givenAt: "2016-05-01" })), { at: "2016-06-30T12:00:00+02:00" }),
    );
    assert.equal(expectReason(allowed, "cpce-l34-5/consent", "allow").article, L34_5_2004);
  });
});

describe("cpce-l34-5/legal-entity — generic details of a legal person (docs/law.md, A5)", () => {
  const GENERIC = merge(SHOP_EMAIL, {
    contact: { kind: "legal_entity", point: { type: "email", value: "contact@fournisseur.example" } },
  });

  test("A5: a generic company address needs no consent — allowed through cpce-l34-5/legal-entity, citing « personne physique »", () => {
    const d = decideJson(GENERIC);
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "cpce-l34-5/legal-entity", "allow");
    assert.equal(r.article, L34_5_LEGAL);
    assert.equal(r.contested, false);
    expectNoReason(d, "cpce-l34-5/consent");
  });

  test("A5 covers every electronic channel, fax included", () => {
    for (const channel of ELECTRONIC) {
      expectReason(decideJson(onChannel(GENERIC, channel)), "cpce-l34-5/legal-entity", "allow");
    }
  });

  test("A5 is for legal entities only: consumers and professionals at the same address still need consent", () => {
    for (const kind of ["consumer", "professional"]) {
      const d = decideJson(merge(GENERIC, { contact: { kind } }));
      assert.equal(d.verdict, "block", kind);
      expectNoReason(d, "cpce-l34-5/legal-entity");
    }
  });

  test("A5 / A3: the message duties still bind a generic address (« dans tous les cas »)", () => {
    const d = decideJson(merge(GENERIC, { campaign: { message: { optOut: false } } }));
    assert.equal(d.verdict, "block");
    expectReason(d, "cpce-l34-5/message-content", "block");
    expectReason(d, "cpce-l34-5/legal-entity", "allow");
  });
});

describe("cpce-l34-5/soft-opt-in — the existing-customer exception (docs/law.md, A2)", () => {
  /** A customer who bought in November 2024, offered an opt-out then, e-mailed about similar goods. */
  const CUSTOMER = merge(SHOP_EMAIL, {
    campaign: { analogousProducts: true },
    contact: { relationship: { status: "past_customer", since: "2024-11-02", endedAt: "2024-11-02" } },
  });

  test("A2: details taken from the customer at a sale, analogous products, opt-out offered — allowed without consent, uncontested", () => {
    const d = decideJson(CUSTOMER);
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "cpce-l34-5/soft-opt-in", "allow");
    assert.equal(r.article, L34_5_SOFT);
    assert.equal(r.contested, false);
    expectNoReason(d, "cpce-l34-5/consent");
    const active = decideJson(merge(CUSTOMER, { contact: { relationship: { status: "active_contract" } } }));
    assert.equal(active.verdict, "allow");
    expectReason(active, "cpce-l34-5/soft-opt-in", "allow");
  });

  test("A2 condition (a): details not collected from the person (partner, broker, scraped, directory, unknown) — blocked", () => {
    for (const type of ["partner", "broker", "scraped_public", "directory"]) {
      const d = decideJson(
        merge(CUSTOMER, {
          contact: { origin: { type, senderNamedAtCollection: true, informedAt: "2024-11-03" } },
        }),
      );
      assert.equal(d.verdict, "block", type);
      expectNoReason(d, "cpce-l34-5/soft-opt-in");
    }
    const unknown = decideJson(merge(CUSTOMER, { contact: { origin: null } }));
    assert.equal(unknown.verdict, "block");
    expectNoReason(unknown, "cpce-l34-5/soft-opt-in");
  });

  test("A2 condition (a): no sale — a prospect, or no relationship on record — blocked", () => {
    for (const patch of [{ relationship: { status: "prospect" } }, { relationship: null }]) {
      const d = decideJson(merge(CUSTOMER, { contact: patch }));
      assert.equal(d.verdict, "block");
      expectReason(d, "cpce-l34-5/consent", "block");
      expectNoReason(d, "cpce-l34-5/soft-opt-in");
    }
  });

  test("A2 condition (b): products not analogous to what was bought — blocked", () => {
    const d = decideJson(merge(CUSTOMER, { campaign: { analogousProducts: false } }));
    assert.equal(d.verdict, "block");
    expectNoReason(d, "cpce-l34-5/soft-opt-in");
  });

  test("A2 condition (c): no opt-out offered at collection, or none on record — blocked", () => {
    for (const optOut of [false, null]) {
      const d = decideJson(merge(CUSTOMER, { contact: { origin: { optOutOfferedAtCollection: optOut } } }));
      assert.equal(d.verdict, "block", String(optOut));
      expectNoReason(d, "cpce-l34-5/soft-opt-in");
    }
  });

  test("A2 condition (c), each message: the exception does not excuse a message without an opt-out", () => {
    const d = decideJson(merge(CUSTOMER, { campaign: { message: { optOut: false } } }));
    assert.equal(d.verdict, "block");
    expectReason(d, "cpce-l34-5/soft-opt-in", "allow");
    expectReason(d, "cpce-l34-5/message-content", "block");
  });

  test("A2 / H1: an account without a sale is no customer by default; policy softOptInForFreeAccounts lets in a free account of a paid model, contested (CJEU C-654/23)", () => {
    const account = merge(CUSTOMER, {
      contact: {
        relationship: {
          status: "account_only",
          since: "2024-11-02",
          endedAt: null,
          freeAccountOfPaidModel: true,
        },
      },
    });
    const byDefault = decideJson(account);
    assert.equal(byDefault.verdict, "block");
    expectNoReason(byDefault, "cpce-l34-5/soft-opt-in");
    const inteligo = decideJson(merge(account, { policy: { softOptInForFreeAccounts: true } }));
    assert.equal(inteligo.verdict, "allow");
    assert.equal(expectReason(inteligo, "cpce-l34-5/soft-opt-in", "allow").contested, true);
    // The policy does not make a mere prospect a customer, nor contest a real customer's exception.
    const prospect = merge(account, {
      contact: { relationship: { status: "prospect", freeAccountOfPaidModel: null } },
    });
    assert.equal(
      decideJson(merge(prospect, { policy: { softOptInForFreeAccounts: true } })).verdict,
      "block",
    );
    const real = decideJson(merge(CUSTOMER, { policy: { softOptInForFreeAccounts: true } }));
    assert.equal(expectReason(real, "cpce-l34-5/soft-opt-in", "allow").contested, false);
  });

  test("A2 / H1: under the policy, a free account of a wholly free service, or one not known to belong to a paid model, is still no customer", () => {
    for (const freeAccountOfPaidModel of [false, null]) {
      const d = decideJson(
        merge(CUSTOMER, {
          contact: { relationship: { status: "account_only", since: "2024-11-02", freeAccountOfPaidModel } },
          policy: { softOptInForFreeAccounts: true },
        }),
      );
      assert.equal(d.verdict, "block", `freeAccountOfPaidModel ${freeAccountOfPaidModel}`);
      expectNoReason(d, "cpce-l34-5/soft-opt-in");
    }
  });

  test("A2 / H2: automated calls get no soft opt-in by default; policy softOptInForAutomatedCalls allows it, contested", () => {
    const robocall = merge(ROBOCALL, {
      campaign: { analogousProducts: true },
      contact: { relationship: { status: "past_customer", since: "2024-11-02", endedAt: "2024-11-02" } },
    });
    const byDefault = decideJson(robocall);
    assert.equal(byDefault.verdict, "block");
    expectReason(byDefault, "cpce-l34-5/consent", "block");
    const cnil = decideJson(merge(robocall, { policy: { softOptInForAutomatedCalls: true } }));
    assert.equal(cnil.verdict, "allow");
    assert.equal(expectReason(cnil, "cpce-l34-5/soft-opt-in", "allow").contested, true);
  });

  test("A2 channels: e-mail and SMS (uncontested); fax, social DMs and inbox ads need consent", () => {
    for (const channel of ELECTRONIC) {
      if (channel === "voice_automated") continue;
      const d = decideJson(onChannel(CUSTOMER, channel));
      if (channel === "email" || channel === "sms") {
        assert.equal(d.verdict, "allow", channel);
        assert.equal(expectReason(d, "cpce-l34-5/soft-opt-in", "allow").contested, false);
      } else {
        assert.equal(d.verdict, "block", channel);
        expectNoReason(d, "cpce-l34-5/soft-opt-in");
      }
    }
  });

  test("A2 duration: it lasts 3 years after the relationship ends — the instant before it holds, the instant it ends it lapses (CNIL référentiel)", () => {
    const old = merge(CUSTOMER, {
      contact: {
        origin: { collectedAt: "2021-02-01" },
        relationship: { since: "2021-02-01", endedAt: "2022-03-15" },
      },
    });
    const last = decideJson(merge(old, { at: justBefore("2025-03-15") }));
    assert.equal(last.verdict, "allow");
    expectReason(last, "cpce-l34-5/soft-opt-in", "allow");
    const lapsed = decideJson(merge(old, { at: startOf("2025-03-15") }));
    assert.equal(lapsed.verdict, "block");
    expectNoReason(lapsed, "cpce-l34-5/soft-opt-in");
    expectReason(lapsed, "cpce-l34-5/consent", "block");
    expectReason(lapsed, "cnil/retention", "block");
  });

  test("A2 serves professionals too (natural persons); a valid consent makes the exception unnecessary", () => {
    const pro = decideJson(merge(CUSTOMER, { contact: { kind: "professional" } }));
    assert.equal(pro.verdict, "allow");
    expectReason(pro, "cpce-l34-5/soft-opt-in", "allow");
    const consented = decideJson(withConsents(CUSTOMER, consent()));
    expectReason(consented, "cpce-l34-5/consent", "allow");
    expectNoReason(consented, "cpce-l34-5/soft-opt-in");
  });
});

describe("cpce-l34-5/message-content — identity, opt-out and subject in every message (docs/law.md, A3)", () => {
  const CONSENTED = withConsents(SHOP_EMAIL, consent());

  test("A3: a message hiding the sender, or without a free opt-out, is blocked even with consent", () => {
    const hidden = decideJson(merge(CONSENTED, { campaign: { message: { senderIdentified: false } } }));
    assert.equal(hidden.verdict, "block");
    const r = expectReason(hidden, "cpce-l34-5/message-content", "block");
    assert.equal(r.article, L34_5_CONTENT);
    assert.equal(r.contested, false);
    assert.equal(r.message.en, "The message lacks the sender's identity.");
    const noOptOut = decideJson(merge(CONSENTED, { campaign: { message: { optOut: false } } }));
    assert.equal(
      expectReason(noOptOut, "cpce-l34-5/message-content", "block").message.en,
      "The message lacks a free way to opt out.",
    );
    const both = decideJson(
      merge(CONSENTED, { campaign: { message: { senderIdentified: false, optOut: false } } }),
    );
    assert.equal(
      expectReason(both, "cpce-l34-5/message-content", "block").message.en,
      "The message lacks the sender's identity and a free way to opt out.",
    );
  });

  test("A3: when the message is not described, its duties are a condition of the allowed contact", () => {
    for (const message of [null, { senderIdentified: null, optOut: null }, { senderIdentified: true }]) {
      const d = decideJson(merge(CONSENTED, { campaign: { message } }));
      assert.equal(d.verdict, "allow");
      const r = expectReason(d, "cpce-l34-5/message-content", "condition");
      assert.ok(d.obligations.includes(r));
    }
  });

  test("A3 applies to every electronic channel and not to live calls or post", () => {
    for (const channel of ELECTRONIC) {
      expectReason(
        decideJson(onChannel(merge(CONSENTED, { campaign: { message: { optOut: false } } }), channel)),
        "cpce-l34-5/message-content",
        "block",
      );
    }
    for (const channel of ["voice_live", "postal"] as const) {
      expectNoReason(decideJson(onChannel(CONSENTED, channel)), "cpce-l34-5/message-content");
    }
  });
});

describe("cpce-l34-5/inbox-ad — ads among e-mails are e-mail prospecting (docs/law.md, A7)", () => {
  /** A webmail provider showing e-mail-like ads to its users. */
  const INBOX: Json = merge(SHOP_EMAIL, {
    campaign: { controller: "Orange", channel: "inbox_ad" },
    contact: { origin: { collectedAt: "2021-01-04" }, relationship: { status: "active_contract" } },
  });

  test("A7: the qualification is contested before CJEU C-102/20 (2021-11-24) and settled from 2021-11-25", () => {
    const before = decideJson(merge(INBOX, { at: justBefore("2021-11-25") }));
    const r1 = expectReason(before, "cpce-l34-5/inbox-ad", "info");
    assert.equal(r1.article, INBOX_BEFORE);
    assert.equal(r1.contested, true);
    const after = decideJson(merge(INBOX, { at: startOf("2021-11-25") }));
    const r2 = expectReason(after, "cpce-l34-5/inbox-ad", "info");
    assert.equal(r2.article, INBOX_AFTER);
    assert.equal(r2.contested, false);
    // Either way L.34-5 consent governs: no consent, blocked.
    assert.equal(before.verdict, "block");
    assert.equal(after.verdict, "block");
  });

  test("A7 / Orange (SAN-2024-019) and Google (SAN-2025-004): inbox ads without consent are blocked by L.34-5 consent", () => {
    for (const [controller, at] of [
      ["Orange", "2023-06-06T10:00:00+02:00"],
      ["Google", "2024-03-05T10:00:00+01:00"],
    ] as const) {
      const d = decideJson(merge(INBOX, { at, campaign: { controller } }));
      assert.equal(d.verdict, "block", controller);
      expectReason(d, "cpce-l34-5/consent", "block");
      expectReason(d, "cpce-l34-5/inbox-ad", "info");
      // A subscriber is no soft-opt-in customer for inbox ads.
      expectNoReason(d, "cpce-l34-5/soft-opt-in");
    }
  });

  test("A7: with a consent to inbox advertising the ad is allowed", () => {
    const d = decideJson(
      withConsents(INBOX, consent({ channel: "inbox_ad", controller: "Orange", givenAt: "2023-01-10" })),
    );
    assert.equal(d.verdict, "allow");
    expectReason(d, "cpce-l34-5/consent", "allow");
    expectReason(d, "cpce-l34-5/inbox-ad", "info");
  });

  test("A7 concerns inbox ads only", () => {
    expectNoReason(decideJson(SHOP_EMAIL), "cpce-l34-5/inbox-ad");
  });
});
