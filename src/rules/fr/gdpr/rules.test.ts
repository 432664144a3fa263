// Boundary tests for the GDPR / loi 78-17 rules (docs/law.md#gdpr): gdpr-21/objection (D3),
// gdpr-14/information (D2), gdpr-6/legal-basis (D1), gdpr-7/consent-proof (D4).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  decideJson,
  expectNoReason,
  expectReason,
  type Json,
  merge,
  PIGE_CALL,
  SHOP_EMAIL,
} from "../../../../test/support/facts.ts";
import { justBefore, shift, startOf } from "../../../../test/support/instants.ts";
import { CHANNELS, type Channel } from "../../../facts/vocabulary.ts";

const RGPD_21 = "RGPD, art. 21(2)-(3)";
const LIL_38 = "Loi n° 78-17 du 6 janvier 1978, art. 38";
const RGPD_14 = "RGPD, art. 14(2)(f) et 14(3)";
const LIL_32 = "Loi n° 78-17 du 6 janvier 1978, art. 32 III";
const RGPD_6 = "RGPD, art. 6(1)(a) et (f) ; CNIL, « liste repoussoir » (27 janv. 2022)";
const LIL_7 = "Loi n° 78-17 du 6 janvier 1978, art. 7";
const RGPD_7 = "RGPD, art. 7(1) et 7(3)";

/** A consumer written to by post from a scraped ad, informed the day after collection: allowed. */
const POSTAL_PIGE: Json = {
  at: "2025-03-04T11:00:00+01:00",
  campaign: { controller: "Agence Dupont", channel: "postal" },
  contact: {
    kind: "consumer",
    point: { type: "postal", value: "12 rue des Lilas, 75011 Paris" },
    origin: {
      type: "scraped_public",
      collectedAt: "2025-02-20",
      sourceUrl: "https://annonces.example/123",
      informedAt: "2025-02-21",
    },
  },
};

/** SHOP_EMAIL with a valid, proven e-mail consent to Boutique SAS: allowed. */
const CONSENTED_EMAIL = merge(SHOP_EMAIL, {
  contact: {
    consents: [
      {
        channel: "email",
        controller: "Boutique SAS",
        givenAt: "2024-11-02T10:00:00+01:00",
        method: "double_opt_in",
        proof: true,
      },
    ],
  },
});

/** A facts object for any channel: the point is left out so every channel is valid. */
function onChannel(base: Json, channel: Channel): Json {
  const out = merge(base, { campaign: { channel } });
  out.contact = merge(out.contact as Json, { point: null });
  return out;
}

describe("gdpr-21/objection — right to object to prospecting (docs/law.md, D3)", () => {
  test("D3: an objection to this controller blocks every channel and cites RGPD art. 21, uncontested", () => {
    for (const channel of CHANNELS) {
      const d = decideJson(
        onChannel(
          merge(CONSENTED_EMAIL, {
            contact: { objections: [{ at: "2025-01-15", channel: "email", controller: "Boutique SAS" }] },
          }),
          channel,
        ),
      );
      assert.equal(d.verdict, "block", channel);
      const r = expectReason(d, "gdpr-21/objection", "block");
      assert.equal(r.article, RGPD_21);
      assert.equal(r.contested, false);
      assert.deepEqual(d.obligations, []);
    }
  });

  test("D3: an objection recorded at the very instant of the contact binds; one a millisecond later does not", () => {
    const at = "2025-03-04T10:00:00.000Z";
    const withObjection = (when: string) =>
      decideJson(
        merge(CONSENTED_EMAIL, {
          at,
          contact: { objections: [{ at: when, controller: "Boutique SAS", via: "unsubscribe_link" }] },
        }),
      );
    const same = withObjection(at);
    assert.equal(same.verdict, "block");
    assert.match(expectReason(same, "gdpr-21/objection", "block").message.en, /unsubscribe_link/);
    const later = withObjection(shift(at, 1));
    assert.equal(later.verdict, "allow");
    expectReason(later, "gdpr-21/objection", "condition");
  });

  test("D3: the objection binds its controller in any spelling, and an objection naming no controller binds all", () => {
    const objecting = (controller: string | null) =>
      decideJson(merge(CONSENTED_EMAIL, { contact: { objections: [{ at: "2025-01-15", controller }] } }));
    assert.equal(objecting("  boutique   SAS ").verdict, "block");
    assert.equal(objecting(null).verdict, "block");
    const other = objecting("Autre Enseigne");
    assert.equal(other.verdict, "allow");
    expectReason(other, "gdpr-21/objection", "condition");
  });

  test("D3 / Futura (G1 #3): a refusal recorded as 'objected' during an earlier call blocks every later call", () => {
    const futura = merge(PIGE_CALL, {
      at: "2019-10-08T11:00:00+02:00",
      campaign: { controller: "Futura Internationale", sector: "energy_renovation" },
      contact: {
        origin: { collectedAt: "2019-09-01", informedAt: "2019-09-02" },
        lastBloctelScrubAt: "2019-10-01",
        history: [
          {
            at: "2019-09-20T15:00:00+02:00",
            channel: "voice_live",
            controller: "Futura Internationale",
            outcome: "objected",
          },
        ],
      },
    });
    const d = decideJson(futura);
    assert.equal(d.verdict, "block");
    const r = expectReason(d, "gdpr-21/objection", "block");
    assert.equal(r.article, RGPD_21);
    assert.match(r.message.en, /2019-09-20 \(during_call\)/);
    // The same refusal recorded by another company binds only that company.
    const other = decideJson(
      merge(futura, {
        contact: {
          history: [
            {
              at: "2019-09-20T15:00:00+02:00",
              channel: "voice_live",
              controller: "Autre",
              outcome: "objected",
            },
          ],
        },
      }),
    );
    assert.equal(other.verdict, "allow");
    expectReason(other, "gdpr-21/objection", "condition");
    // An explicit objection made during the call (via "during_call") blocks just the same.
    const viaObjection = decideJson(
      merge(futura, {
        contact: {
          history: [],
          objections: [{ at: "2019-09-20", controller: "Futura Internationale", via: "during_call" }],
        },
      }),
    );
    assert.equal(viaObjection.verdict, "block");
    expectReason(viaObjection, "gdpr-21/objection", "block");
  });

  test("D3: an objection answered to an e-mail and noted in the history blocks, and says it came by e-mail (fixed: it said during_call)", () => {
    const d = decideJson(
      merge(CONSENTED_EMAIL, {
        contact: {
          history: [
            {
              at: "2025-02-10T09:00:00+01:00",
              channel: "email",
              controller: "Boutique SAS",
              outcome: "objected",
            },
          ],
        },
      }),
    );
    assert.equal(d.verdict, "block");
    assert.match(expectReason(d, "gdpr-21/objection", "block").message.en, /on 2025-02-10 \(email\)/);
  });

  test("D3 (F1.2, pige 2011): a source saying the publisher refuses canvassing is an objection", () => {
    const d = decideJson(merge(POSTAL_PIGE, { contact: { origin: { publisherRefusedCanvassing: true } } }));
    assert.equal(d.verdict, "block");
    const r = expectReason(d, "gdpr-21/objection", "block");
    assert.match(r.message.en, /refuses canvassing/);
    const fine = decideJson(
      merge(POSTAL_PIGE, { contact: { origin: { publisherRefusedCanvassing: false } } }),
    );
    assert.equal(fine.verdict, "allow");
  });

  test("D3: until 2018-05-24 the objection cites loi 78-17 art. 38; from 2018-05-25 RGPD art. 21", () => {
    const objected = (at: string) =>
      decideJson(
        merge(CONSENTED_EMAIL, {
          at,
          contact: {
            origin: { collectedAt: "2018-01-10" },
            consents: [],
            objections: [{ at: "2018-03-01", controller: "Boutique SAS" }],
          },
        }),
      );
    const before = objected(justBefore("2018-05-25"));
    assert.equal(before.verdict, "block");
    assert.equal(expectReason(before, "gdpr-21/objection", "block").article, LIL_38);
    const after = objected(startOf("2018-05-25"));
    assert.equal(expectReason(after, "gdpr-21/objection", "block").article, RGPD_21);
  });

  test("D3: natural persons must be told of the right to object; a legal entity's generic address is not, but its objection still binds", () => {
    const consumer = decideJson(CONSENTED_EMAIL);
    expectReason(consumer, "gdpr-21/objection", "condition");
    assert.ok(consumer.obligations.some((o) => o.rule === "gdpr-21/objection"));
    const generic = merge(SHOP_EMAIL, { contact: { kind: "legal_entity" } });
    expectNoReason(decideJson(generic), "gdpr-21/objection");
    const objected = decideJson(merge(generic, { contact: { objections: [{ at: "2025-01-01" }] } }));
    assert.equal(objected.verdict, "block");
    expectReason(objected, "gdpr-21/objection", "block");
  });

  test("D3: an objection outweighs an earlier valid consent and the soft opt-in (no exception)", () => {
    const customer = merge(CONSENTED_EMAIL, {
      campaign: { analogousProducts: true },
      contact: {
        relationship: { status: "active_contract", since: "2024-11-02" },
        objections: [{ at: "2025-02-01", controller: "Boutique SAS", via: "email" }],
      },
    });
    const d = decideJson(customer);
    assert.equal(d.verdict, "block");
    expectReason(d, "gdpr-21/objection", "block");
    // The consent is still recorded as such: the objection alone blocks.
    expectReason(d, "cpce-l34-5/consent", "allow");
  });
});

describe("gdpr-14/information — art. 14 notice with the source (docs/law.md, D2)", () => {
  const UNINFORMED = merge(POSTAL_PIGE, { contact: { origin: { informedAt: null } } });

  test("D2: data collected from the person itself need no art. 14 notice; nor do data of unknown origin", () => {
    expectNoReason(decideJson(SHOP_EMAIL), "gdpr-14/information");
    expectNoReason(decideJson(merge(POSTAL_PIGE, { contact: { origin: null } })), "gdpr-14/information");
  });

  test("D2: a notice sent before (or at) the contact is recorded as info; one dated after the contact does not count", () => {
    const at = "2025-03-04T10:00:00.000Z";
    const informed = (when: string) =>
      decideJson(merge(UNINFORMED, { at, contact: { origin: { informedAt: when } } }));
    const r = expectReason(informed(at), "gdpr-14/information", "info");
    assert.equal(r.article, RGPD_14);
    expectReason(informed(shift(at, 1)), "gdpr-14/information", "condition");
  });

  test("D2: a first contact within a month of collection must carry the notice, naming the source (condition)", () => {
    const d = decideJson(UNINFORMED);
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "gdpr-14/information", "condition");
    assert.match(r.message.en, /precise source of the data \(https:\/\/annonces\.example\/123\)/);
    assert.ok(d.obligations.includes(r));
  });

  test("D2 deadline (art. 14(3)(a)): one month after collection — the instant before it a condition, the instant it falls a block", () => {
    const at = (when: string) => decideJson(merge(UNINFORMED, { at: when }));
    // Collected 2025-02-20 (Paris): the notice is due by 2025-03-20 00:00 Paris.
    const lastMoment = at(justBefore("2025-03-20"));
    assert.equal(lastMoment.verdict, "allow");
    expectReason(lastMoment, "gdpr-14/information", "condition");
    const due = at(startOf("2025-03-20"));
    assert.equal(due.verdict, "block");
    const r = expectReason(due, "gdpr-14/information", "block");
    assert.equal(r.article, RGPD_14);
    assert.equal(r.contested, false);
    assert.match(r.message.en, /due by 2025-03-20/);
  });

  test("D2 deadline (art. 14(3)(a)): partner data are due one month after this controller obtained them, not after the partner collected them", () => {
    const obtained = merge(UNINFORMED, {
      contact: {
        origin: {
          type: "partner",
          collectedAt: "2025-01-05",
          obtainedAt: "2025-02-20",
          optOutOfferedAtCollection: true,
        },
      },
    });
    expectReason(
      decideJson(merge(obtained, { at: justBefore("2025-03-20") })),
      "gdpr-14/information",
      "condition",
    );
    const due = decideJson(merge(obtained, { at: startOf("2025-03-20") }));
    const r = expectReason(due, "gdpr-14/information", "block");
    assert.match(r.message.en, /Data obtained on 2025-02-20 \(partner\).*due by 2025-03-20/);
    // Not recorded: the partner's collection stands in for it, and the deadline has passed.
    const unknown = merge(obtained, { contact: { origin: { obtainedAt: null } } });
    assert.match(
      expectReason(
        decideJson(merge(unknown, { at: justBefore("2025-03-20") })),
        "gdpr-14/information",
        "block",
      ).message.en,
      /due by 2025-02-05/,
    );
  });

  test("D2 deadline: data collected on 31 January are due by 28 February (no 31 February)", () => {
    const late = merge(UNINFORMED, { contact: { origin: { collectedAt: "2025-01-31" } } });
    expectReason(
      decideJson(merge(late, { at: justBefore("2025-02-28") })),
      "gdpr-14/information",
      "condition",
    );
    const due = decideJson(merge(late, { at: startOf("2025-02-28") }));
    assert.match(expectReason(due, "gdpr-14/information", "block").message.en, /due by 2025-02-28/);
  });

  test("D2: once this controller has contacted the person without the notice, further contact is blocked", () => {
    const contacted = (controller: string) =>
      decideJson(
        merge(UNINFORMED, {
          contact: {
            history: [
              { at: "2025-02-25T11:00:00+01:00", channel: "postal", controller, outcome: "answered" },
            ],
          },
        }),
      );
    const d = contacted("Agence Dupont");
    assert.equal(d.verdict, "block");
    assert.match(expectReason(d, "gdpr-14/information", "block").message.en, /First contact on 2025-02-25/);
    expectReason(contacted("Autre Agence"), "gdpr-14/information", "condition");
  });

  test("D2: a consent the person later gave this controller directly informed them (info)", () => {
    const d = decideJson(
      merge(UNINFORMED, {
        at: "2025-06-04T11:00:00+02:00",
        contact: {
          consents: [
            {
              channel: "postal",
              controller: "Agence Dupont",
              givenAt: "2025-03-01",
              method: "unticked_checkbox",
              proof: true,
            },
          ],
        },
      }),
    );
    assert.match(expectReason(d, "gdpr-14/information", "info").message.en, /consenting directly/);
  });

  test("D2 / A8: a consent given on a partner's form at collection is not first-hand information (fixed: it used to count)", () => {
    const partner = merge(UNINFORMED, {
      at: "2025-06-04T11:00:00+02:00",
      contact: {
        origin: { type: "partner", collectedAt: "2025-02-20", optOutOfferedAtCollection: true },
        consents: [
          {
            channel: "postal",
            controller: "Agence Dupont",
            givenAt: "2025-02-20",
            method: "unticked_checkbox",
            proof: true,
          },
        ],
      },
    });
    const d = decideJson(partner);
    assert.equal(d.verdict, "block");
    expectReason(d, "gdpr-14/information", "block");
    // The same consent given to the controller after the transfer is first-hand.
    const later = decideJson(
      merge(partner, {
        contact: {
          consents: [
            {
              channel: "postal",
              controller: "Agence Dupont",
              givenAt: "2025-02-21",
              method: "unticked_checkbox",
              proof: true,
            },
          ],
        },
      }),
    );
    expectReason(later, "gdpr-14/information", "info");
    // With no collection date, every consent may be the partner's own.
    const undated = merge(partner, { contact: { origin: { collectedAt: null } } });
    expectReason(decideJson(undated), "gdpr-14/information", "condition");
  });

  test("D2: before 2018-05-25 loi 78-17 art. 32 III wants the notice as soon as the data are recorded; from that day the RGPD gives a month", () => {
    const old = merge(UNINFORMED, { contact: { origin: { collectedAt: "2018-01-10" } } });
    const before = decideJson(merge(old, { at: justBefore("2018-05-25") }));
    assert.equal(before.verdict, "block");
    const due = expectReason(before, "gdpr-14/information", "block");
    assert.equal(due.article, LIL_32);
    assert.match(due.message.en, /Data obtained on 2018-01-10 .* the notice was due by 2018-01-10\./);
    const after = decideJson(merge(old, { at: startOf("2018-05-25") }));
    assert.equal(after.verdict, "block");
    assert.equal(expectReason(after, "gdpr-14/information", "block").article, RGPD_14);
    // Data recorded that very day: a month to inform from 2018-05-25, none before.
    const fresh = (at: string) =>
      decideJson(merge(UNINFORMED, { at, contact: { origin: { collectedAt: at.slice(0, 10) } } }));
    expectReason(fresh("2018-05-24T11:00:00+02:00"), "gdpr-14/information", "block");
    expectReason(fresh("2018-05-25T11:00:00+02:00"), "gdpr-14/information", "condition");
  });

  test("D2 / Kaspr (G1 #15): LinkedIn contacts of professionals used with no notice past the month are blocked; a later notice only counts from its date", () => {
    const kaspr: Json = {
      at: "2023-06-06T11:00:00+02:00",
      campaign: {
        controller: "Kaspr",
        channel: "email",
        relatedToProfession: true,
        message: { senderIdentified: true, optOut: true },
      },
      contact: {
        kind: "professional",
        point: { type: "email", value: "j.martin@entreprise.example" },
        origin: {
          type: "scraped_public",
          collectedAt: "2023-01-05",
          sourceUrl: "https://www.linkedin.com/in/x",
        },
      },
    };
    const d = decideJson(kaspr);
    assert.equal(d.verdict, "block");
    expectReason(d, "gdpr-14/information", "block");
    // The B2B exception let the e-mail through L.34-5: only the missing notice blocks.
    expectReason(d, "cnil/b2b", "allow");
    const informedLater = decideJson(merge(kaspr, { contact: { origin: { informedAt: "2024-01-05" } } }));
    expectReason(informedLater, "gdpr-14/information", "block");
    const afterNotice = decideJson(
      merge(kaspr, { at: "2024-02-06T11:00:00+01:00", contact: { origin: { informedAt: "2024-01-05" } } }),
    );
    assert.equal(afterNotice.verdict, "allow");
    expectReason(afterNotice, "gdpr-14/information", "info");
  });

  test("D2: generic addresses of legal entities are outside art. 14", () => {
    const d = decideJson(
      merge(UNINFORMED, { at: "2025-09-02T11:00:00+02:00", contact: { kind: "legal_entity" } }),
    );
    expectNoReason(d, "gdpr-14/information");
  });
});

describe("gdpr-6/legal-basis — legal basis for live calls and post (docs/law.md, D1)", () => {
  /** Foriou-like: a consumer's number bought from a broker, called by a live agent in 2022. */
  const BROKER_CALL = merge(PIGE_CALL, {
    at: "2022-06-07T11:00:00+02:00",
    campaign: { controller: "Foriou" },
    contact: {
      origin: {
        type: "broker",
        collectedAt: "2022-05-20",
        informedAt: "2022-05-25",
        sourceUrl: "https://jeu-concours.example",
      },
      lastBloctelScrubAt: "2022-06-01",
    },
  });

  test("D1: only live calls and post need a GDPR legal basis of their own; electronic channels rest on L.34-5", () => {
    for (const channel of CHANNELS) {
      const d = decideJson(onChannel(POSTAL_PIGE, channel));
      if (channel === "voice_live" || channel === "postal")
        expectReason(d, "gdpr-6/legal-basis", "condition");
      else expectNoReason(d, "gdpr-6/legal-basis");
    }
  });

  test("D1: scraped public data may be used by post on legitimate interest (condition), noting that public data stay personal", () => {
    const d = decideJson(POSTAL_PIGE);
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "gdpr-6/legal-basis", "condition");
    assert.equal(r.article, RGPD_6);
    assert.match(r.message.en, /legitimate interest.*Publicly accessible data are still personal data/);
    const direct = decideJson(merge(POSTAL_PIGE, { contact: { origin: { type: "direct" } } }));
    assert.doesNotMatch(expectReason(direct, "gdpr-6/legal-basis", "condition").message.en, /Publicly/);
  });

  test("D1 / Foriou (G1 #12): broker data called with no opt-out offered at the transfer — no legal basis, blocked", () => {
    for (const optOut of [false, null]) {
      const d = decideJson(
        merge(BROKER_CALL, { contact: { origin: { optOutOfferedAtCollection: optOut } } }),
      );
      assert.equal(d.verdict, "block", String(optOut));
      const r = expectReason(d, "gdpr-6/legal-basis", "block");
      assert.equal(r.article, RGPD_6);
      assert.equal(r.contested, false);
      assert.match(r.message.en, /Foriou/);
    }
  });

  test("D1 / A8: partner or broker data whose transfer could be refused at collection rest on legitimate interest", () => {
    for (const type of ["broker", "partner"]) {
      const d = decideJson(
        merge(BROKER_CALL, { contact: { origin: { type, optOutOfferedAtCollection: true } } }),
      );
      assert.equal(d.verdict, "allow", type);
      expectReason(d, "gdpr-6/legal-basis", "condition");
    }
  });

  test("D1: a valid consent to this channel is the legal basis (allow), even for broker data; a consent to another channel is not", () => {
    const consent = (channel: string) => ({
      contact: {
        consents: [
          { channel, controller: "Foriou", givenAt: "2022-05-30", method: "verbal_recorded", proof: true },
        ],
      },
    });
    const d = decideJson(merge(BROKER_CALL, consent("voice_live")));
    assert.equal(d.verdict, "allow");
    assert.match(expectReason(d, "gdpr-6/legal-basis", "allow").message.en, /consent given on 2022-05-30/);
    expectReason(decideJson(merge(BROKER_CALL, consent("sms"))), "gdpr-6/legal-basis", "block");
  });

  test("D1: until 2018-05-24 the basis cites loi 78-17 art. 7; from 2018-05-25 RGPD art. 6", () => {
    const old = merge(POSTAL_PIGE, {
      contact: { origin: { collectedAt: "2018-05-01", informedAt: "2018-05-02" } },
    });
    const before = decideJson(merge(old, { at: justBefore("2018-05-25") }));
    assert.equal(expectReason(before, "gdpr-6/legal-basis", "condition").article, LIL_7);
    const after = decideJson(merge(old, { at: startOf("2018-05-25") }));
    assert.equal(expectReason(after, "gdpr-6/legal-basis", "condition").article, RGPD_6);
    // The broker-transfer block exists under both texts.
    const broker = merge(old, { contact: { origin: { type: "broker" } } });
    const lil = expectReason(
      decideJson(merge(broker, { at: justBefore("2018-05-25") })),
      "gdpr-6/legal-basis",
      "block",
    );
    assert.equal(lil.article, LIL_7);
  });

  test("D1: generic addresses of legal entities are outside it", () => {
    expectNoReason(
      decideJson(merge(POSTAL_PIGE, { contact: { kind: "legal_entity" } })),
      "gdpr-6/legal-basis",
    );
  });
});

describe("gdpr-7/consent-proof — consent must be provable (docs/law.md, D4)", () => {
  const UNPROVEN = merge(CONSENTED_EMAIL, {
    contact: {
      consents: [
        {
          channel: "email",
          controller: "Boutique SAS",
          givenAt: "2018-03-01",
          method: "unticked_checkbox",
          proof: false,
        },
      ],
      origin: { collectedAt: "2018-03-01" },
    },
  });

  test("D4: an unproven consent counted until 2018-05-24; from 2018-05-25 it cannot be relied on (RGPD art. 7(1))", () => {
    const before = decideJson(merge(UNPROVEN, { at: justBefore("2018-05-25") }));
    assert.equal(before.verdict, "allow");
    expectReason(before, "cpce-l34-5/consent", "allow");
    expectNoReason(before, "gdpr-7/consent-proof");
    const after = decideJson(merge(UNPROVEN, { at: startOf("2018-05-25") }));
    assert.equal(after.verdict, "block");
    assert.match(expectReason(after, "cpce-l34-5/consent", "block").message.en, /no proof/);
    const r = expectReason(after, "gdpr-7/consent-proof", "info");
    assert.equal(r.article, RGPD_7);
    assert.match(r.message.en, /2018-03-01.*no proof/);
  });

  test("D4 / Performeclic (G1 #4): 2020 e-mails resting on consents it cannot prove are blocked", () => {
    const d = decideJson(
      merge(UNPROVEN, {
        at: "2020-06-09T10:00:00+02:00",
        campaign: { controller: "Performeclic" },
        contact: {
          origin: { type: "broker", collectedAt: "2019-09-01", senderNamedAtCollection: true },
          consents: [{ channel: "email", controller: "Performeclic", givenAt: "2019-09-01", proof: false }],
        },
      }),
    );
    assert.equal(d.verdict, "block");
    expectReason(d, "gdpr-7/consent-proof", "info");
    expectReason(d, "cpce-l34-5/consent", "block");
  });

  test("D4: a proven consent draws no proof remark; a withdrawn unproven one is explained as withdrawn, not unproven", () => {
    expectNoReason(
      decideJson(merge(CONSENTED_EMAIL, { at: "2025-03-04T11:00:00+01:00" })),
      "gdpr-7/consent-proof",
    );
    const withdrawn = decideJson(
      merge(UNPROVEN, {
        at: "2025-03-04T11:00:00+01:00",
        contact: {
          consents: [
            {
              channel: "email",
              controller: "Boutique SAS",
              givenAt: "2024-11-02",
              withdrawnAt: "2025-01-10",
              proof: false,
            },
          ],
        },
      }),
    );
    expectNoReason(withdrawn, "gdpr-7/consent-proof");
    assert.match(
      expectReason(withdrawn, "cpce-l34-5/consent", "block").message.en,
      /withdrawn on 2025-01-10/,
    );
  });

  test("D4: proof is required on every channel — an unproven postal consent falls back to legitimate interest", () => {
    const d = decideJson(
      merge(POSTAL_PIGE, {
        contact: {
          consents: [{ channel: "postal", controller: "Agence Dupont", givenAt: "2025-02-22", proof: false }],
        },
      }),
    );
    expectReason(d, "gdpr-7/consent-proof", "info");
    expectReason(d, "gdpr-6/legal-basis", "condition");
  });
});
