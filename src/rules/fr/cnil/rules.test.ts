// Boundary tests for the CNIL doctrine rules: cnil/b2b (docs/law.md, A4), cnil/non-commercial (A6),
// cnil/partner-consent (A8), cnil/retention (D5), cnil/postal (E1).
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
import { justBefore, startOf } from "../../../../test/support/instants.ts";
import type { Channel } from "../../../facts/vocabulary.ts";
import { ELECTRONIC } from "../common.ts";

const CNIL_B2B =
  "CNIL, position du 17 février 2005 ; CNIL, « La prospection commerciale par courrier électronique »";
const CNIL_PARTNERS =
  "CNIL, recommandation du 28 décembre 2018 (B2C, transmission de données à des partenaires) ; SAN-2023-015 Canal+";
const NS_048 = "CNIL, norme simplifiée n° 48 (NS-048), art. 6";
const REFERENTIEL =
  "CNIL, référentiel « gestion des activités commerciales » (délib. n° 2021-131 du 23 septembre 2021)";
const CNIL_POSTAL =
  "CNIL, « La prospection commerciale par courrier postal et par téléphone » (6 déc. 2019) ; RGPD art. 21";

/** A facts object for any channel: the point is left out so every channel is valid. */
function onChannel(base: Json, channel: Channel): Json {
  const out = merge(base, { campaign: { channel } });
  out.contact = merge(out.contact as Json, { point: null });
  return out;
}

const CONSENT_2025: Json = {
  channel: "email",
  controller: "Boutique SAS",
  givenAt: "2025-01-10",
  method: "unticked_checkbox",
  proof: true,
};

/** A sales director e-mailed at work, address found on a professional network (informed). */
const B2B_EMAIL: Json = {
  at: "2025-03-04T11:00:00+01:00",
  campaign: {
    controller: "Emballages Martin",
    channel: "email",
    relatedToProfession: true,
    message: { senderIdentified: true, optOut: true },
  },
  contact: {
    kind: "professional",
    point: { type: "email", value: "directeur.production@usine.example" },
    origin: {
      type: "scraped_public",
      collectedAt: "2025-02-01",
      sourceUrl: "https://reseau-pro.example/p/123",
      informedAt: "2025-02-03",
    },
  },
};

describe("cnil/b2b — professionals prospected about their function (docs/law.md, A4)", () => {
  test("A4: an offer about the recipient's function needs no consent — allowed through cnil/b2b, uncontested", () => {
    const d = decideJson(B2B_EMAIL);
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "cnil/b2b", "allow");
    assert.equal(r.article, CNIL_B2B);
    assert.equal(r.contested, false);
    // The exception stands in for the consent rule's block.
    expectNoReason(d, "cpce-l34-5/consent");
  });

  test("A4 / Nestor (SAN-2020-018): LinkedIn prospects offered office lunches, unrelated to their function — consent needed, blocked", () => {
    const nestor = merge(B2B_EMAIL, {
      at: "2019-11-05T09:30:00+01:00",
      campaign: { controller: "Nestor", relatedToProfession: false },
      contact: {
        origin: {
          collectedAt: "2019-10-15",
          informedAt: "2019-10-16",
          sourceUrl: "https://www.linkedin.com/sales/",
        },
      },
    });
    const d = decideJson(nestor);
    assert.equal(d.verdict, "block");
    expectReason(d, "cpce-l34-5/consent", "block");
    expectNoReason(d, "cnil/b2b");
    // Had the offer concerned their function, the same e-mail would have been allowed.
    assert.equal(decideJson(merge(nestor, { campaign: { relatedToProfession: true } })).verdict, "allow");
  });

  test("A4 channels: e-mail, SMS, automated calls, social DMs and inbox ads — not fax", () => {
    for (const channel of ELECTRONIC) {
      const d = decideJson(onChannel(B2B_EMAIL, channel));
      if (channel === "fax") {
        expectNoReason(d, "cnil/b2b");
        expectReason(d, "cpce-l34-5/consent", "block");
      } else {
        expectReason(d, "cnil/b2b", "allow");
        expectNoReason(d, "cpce-l34-5/consent");
      }
    }
  });

  test("A4: a consumer cannot rely on it, even for an offer 'related to their profession'", () => {
    const d = decideJson(merge(B2B_EMAIL, { contact: { kind: "consumer" } }));
    assert.equal(d.verdict, "block");
    expectNoReason(d, "cnil/b2b");
    expectReason(d, "cpce-l34-5/consent", "block");
  });

  test("A4: an address collected directly without a way to object loses the exception; with one, or unrecorded, it holds", () => {
    const direct = (optOut: boolean | null) =>
      decideJson(
        merge(B2B_EMAIL, {
          contact: { origin: { type: "direct", informedAt: null, optOutOfferedAtCollection: optOut } },
        }),
      );
    const none = direct(false);
    assert.equal(none.verdict, "block");
    expectNoReason(none, "cnil/b2b");
    assert.equal(direct(true).verdict, "allow");
    expectReason(direct(true), "cnil/b2b", "allow");
    expectReason(direct(null), "cnil/b2b", "allow");
  });

  test("A4 / D3: the B2B exception does not survive the professional's objection", () => {
    const d = decideJson(merge(B2B_EMAIL, { contact: { objections: [{ at: "2025-02-10" }] } }));
    assert.equal(d.verdict, "block");
    expectReason(d, "gdpr-21/objection", "block");
    expectReason(d, "cnil/b2b", "allow");
  });
});

describe("cnil/non-commercial — messages that sell nothing (docs/law.md, A6)", () => {
  const CHARITY = merge(SHOP_EMAIL, { campaign: { controller: "Restos du Cœur", sector: "non_commercial" } });

  test("A6: a charity's e-mail to a consumer without consent is allowed through cnil/non-commercial", () => {
    const d = decideJson(CHARITY);
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "cnil/non-commercial", "allow");
    assert.match(r.article, /^CPCE, art\. L\.34-5 al\. 3/);
    assert.equal(r.contested, false);
    expectNoReason(d, "cpce-l34-5/consent");
    // The same e-mail selling something is blocked.
    assert.equal(decideJson(merge(CHARITY, { campaign: { sector: "other" } })).verdict, "block");
  });

  test("A6 covers every electronic channel and every kind of recipient", () => {
    for (const channel of ELECTRONIC) {
      for (const kind of ["consumer", "professional"]) {
        const d = decideJson(onChannel(merge(CHARITY, { contact: { kind } }), channel));
        expectReason(d, "cnil/non-commercial", "allow");
        expectNoReason(d, "cpce-l34-5/consent");
      }
    }
  });

  test("A6 / A3 / D3: a non-commercial message still needs its sender and opt-out, and yields to an objection", () => {
    const noOptOut = decideJson(merge(CHARITY, { campaign: { message: { optOut: false } } }));
    assert.equal(noOptOut.verdict, "block");
    expectReason(noOptOut, "cpce-l34-5/message-content", "block");
    const objected = decideJson(merge(CHARITY, { contact: { objections: [{ at: "2025-01-01" }] } }));
    assert.equal(objected.verdict, "block");
    expectReason(objected, "gdpr-21/objection", "block");
  });
});

describe("cnil/partner-consent — consents collected by partners must name the sender (docs/law.md, A8, H10)", () => {
  /** Canal+ (SAN-2023-015): 2021 e-mails to ISP subscribers whose partner opt-in never named Canal+. */
  const CANAL: Json = merge(SHOP_EMAIL, {
    at: "2021-06-08T10:00:00+02:00",
    campaign: { controller: "Groupe Canal+" },
    contact: {
      origin: {
        type: "partner",
        collectedAt: "2021-03-01",
        senderNamedAtCollection: false,
        optOutOfferedAtCollection: true,
        informedAt: "2021-03-15",
      },
      consents: [
        {
          channel: "email",
          controller: "Groupe Canal+",
          givenAt: "2021-03-01",
          method: "unticked_checkbox",
          proof: true,
        },
      ],
    },
  });

  test("A8 / Canal+ (SAN-2023-015): a partner opt-in that did not name the sender is blocked by cnil/partner-consent (contested, H10) and L.34-5", () => {
    const d = decideJson(CANAL);
    assert.equal(d.verdict, "block");
    const r = expectReason(d, "cnil/partner-consent", "block");
    assert.equal(r.article, CNIL_PARTNERS);
    assert.equal(r.contested, true, "C-317/25 is pending");
    assert.match(r.message.en, /did not name "Groupe Canal\+"/);
    const consent = expectReason(d, "cpce-l34-5/consent", "block");
    assert.match(consent.message.en, /third-party form that did not name the sender/);
  });

  test("A8 for a broker writing for an advertiser: the form had to name the advertiser, and the block says so", () => {
    const forAdvertiser = merge(CANAL, {
      campaign: { controller: "Leads Média", advertiser: "Groupe Canal+" },
    });
    const r = expectReason(decideJson(forAdvertiser), "cnil/partner-consent", "block");
    assert.match(r.message.en, /did not name "Groupe Canal\+"/);
  });

  test("A8 in force from 2018-12-28: on 2018-12-27 the same unnamed partner consent still counted", () => {
    const dated = merge(CANAL, {
      contact: { origin: { collectedAt: "2018-10-01", informedAt: "2018-10-05" }, consents: [] },
    });
    const withConsent = merge(dated, {
      contact: {
        consents: [{ channel: "email", controller: "Groupe Canal+", givenAt: "2018-10-01", proof: true }],
      },
    });
    const before = decideJson(merge(withConsent, { at: justBefore("2018-12-28") }));
    assert.equal(before.verdict, "allow");
    expectNoReason(before, "cnil/partner-consent");
    expectReason(before, "cpce-l34-5/consent", "allow");
    const after = decideJson(merge(withConsent, { at: startOf("2018-12-28") }));
    assert.equal(after.verdict, "block");
    expectReason(after, "cnil/partner-consent", "block");
  });

  test("A8: a form that named the sender makes a valid consent, noted as info (contested)", () => {
    const d = decideJson(merge(CANAL, { contact: { origin: { senderNamedAtCollection: true } } }));
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "cnil/partner-consent", "info");
    assert.equal(r.contested, true);
    assert.match(r.message.en, /inform the person at the first contact/);
  });

  test("A8: a consent the person later gave the sender directly is first-hand (no partner reason; fixed: it was called a partner's)", () => {
    const d = decideJson(
      merge(CANAL, {
        contact: {
          consents: [
            {
              channel: "email",
              controller: "Groupe Canal+",
              givenAt: "2021-03-02",
              method: "double_opt_in",
              proof: true,
            },
          ],
        },
      }),
    );
    assert.equal(d.verdict, "allow");
    expectNoReason(d, "cnil/partner-consent");
    expectReason(d, "cpce-l34-5/consent", "allow");
  });

  test("A8: brokers are held to the same rule; with no collection date every consent counts as the broker's", () => {
    const broker = merge(CANAL, { contact: { origin: { type: "broker" } } });
    expectReason(decideJson(broker), "cnil/partner-consent", "block");
    const undated = merge(broker, {
      contact: {
        origin: { collectedAt: null },
        consents: [{ channel: "email", controller: "Groupe Canal+", givenAt: "2021-05-01", proof: true }],
      },
    });
    expectReason(decideJson(undated), "cnil/partner-consent", "block");
  });

  test("A8 is B2C: a professional's partner consent is not checked for naming", () => {
    const d = decideJson(merge(CANAL, { contact: { kind: "professional" } }));
    expectNoReason(d, "cnil/partner-consent");
    expectReason(d, "cpce-l34-5/consent", "allow");
  });

  test("A8 covers the electronic channels only: live calls and post are left to gdpr-6", () => {
    for (const channel of ["voice_live", "postal"] as const) {
      expectNoReason(decideJson(onChannel(CANAL, channel)), "cnil/partner-consent");
    }
    for (const channel of ELECTRONIC) {
      const d = decideJson(
        onChannel(
          merge(CANAL, {
            contact: {
              consents: [{ channel, controller: "Groupe Canal+", givenAt: "2021-03-01", proof: true }],
            },
          }),
          channel,
        ),
      );
      expectReason(d, "cnil/partner-consent", "block");
    }
  });

  test("A8 / A6: a charity needs no consent, so an unnamed partner consent does not block it (fixed: it did)", () => {
    const charity = merge(CANAL, { campaign: { controller: "Groupe Canal+", sector: "non_commercial" } });
    const d = decideJson(charity);
    assert.equal(d.verdict, "allow");
    expectNoReason(d, "cnil/partner-consent");
    expectReason(d, "cnil/non-commercial", "allow");
    // Same verdict as without the consent at all.
    assert.equal(decideJson(merge(charity, { contact: { consents: [] } })).verdict, "allow");
  });
});

describe("cnil/partner-consent — who collected each consent (docs/law.md, A8; docs/readings.md)", () => {
  /** A shop's own customer list (direct origin) holding a consent a partner passed on. */
  const PASSED_ON = (consent: Json): Json =>
    merge(SHOP_EMAIL, {
      contact: {
        consents: [
          {
            channel: "email",
            controller: "Boutique SAS",
            givenAt: "2025-01-10",
            method: "unticked_checkbox",
            proof: true,
            ...consent,
          },
        ],
      },
    });

  test("A8: a partner's form that did not name the sender blocks, whatever the contact's origin says (contested, H10)", () => {
    const d = decideJson(PASSED_ON({ collectedBy: "partner", namedHow: "not_named" }));
    assert.equal(d.verdict, "block");
    const r = expectReason(d, "cnil/partner-consent", "block");
    assert.equal(r.article, CNIL_PARTNERS);
    assert.equal(r.contested, true);
    assert.match(r.message.en, /collected by a partner on a form that did not name "Boutique SAS"/);
    expectReason(d, "cpce-l34-5/consent", "block");
  });

  test("A8: a broker's consent with no record of how its form named the sender blocks (fail closed; the user must check)", () => {
    const d = decideJson(PASSED_ON({ collectedBy: "broker" }));
    assert.equal(d.verdict, "block");
    const r = expectReason(d, "cnil/partner-consent", "block");
    assert.match(
      r.message.en,
      /collected by a data broker: nothing shows that its form named "Boutique SAS"/,
    );
  });

  test("A8: a form that named the sender counts, with the partner's duties (not contested)", () => {
    const d = decideJson(PASSED_ON({ collectedBy: "partner", namedHow: "named" }));
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "cnil/partner-consent", "info");
    assert.equal(r.contested, false);
    expectReason(d, "cpce-l34-5/consent", "allow");
  });

  test("A8 / H10: a list of partners behind a link counts, contested (C-317/25)", () => {
    const d = decideJson(PASSED_ON({ collectedBy: "broker", namedHow: "listed_with_link" }));
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "cnil/partner-consent", "info");
    assert.equal(r.contested, true);
    assert.match(r.message.en, /linked to a list of partners naming the sender/);
  });

  test("A8: a consent the controller collected itself counts, even on partner data collected that day", () => {
    const partnerData = merge(PASSED_ON({ collectedBy: "self" }), {
      contact: { origin: { type: "partner", collectedAt: "2025-01-10", senderNamedAtCollection: false } },
    });
    const d = decideJson(partnerData);
    expectNoReason(d, "cnil/partner-consent");
    expectReason(d, "cpce-l34-5/consent", "allow");
    // Without collectedBy the same consent reads as the partner's (given when it collected).
    const legacy = merge(partnerData, { contact: { consents: [{ ...CONSENT_2025, collectedBy: null }] } });
    expectReason(decideJson(legacy), "cnil/partner-consent", "block");
  });

  test("A8: with no collector and no origin on record, the consent counts but the decision asks to check who collected it", () => {
    const d = decideJson(merge(PASSED_ON({}), { contact: { origin: null } }));
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "cnil/partner-consent", "condition");
    assert.ok(d.obligations.includes(r));
    assert.match(r.message.en, /Who collected the consent of 2025-01-10 is not recorded/);
    // Data the controller collected from the person: first-hand, nothing to ask.
    expectNoReason(decideJson(PASSED_ON({})), "cnil/partner-consent");
  });

  test("A8 / A2: a customer the soft opt-in covers is not blocked by a flawed partner consent", () => {
    const customer = merge(PASSED_ON({ collectedBy: "partner", namedHow: "not_named" }), {
      campaign: { analogousProducts: true },
      contact: { relationship: { status: "past_customer", since: "2024-11-02", endedAt: "2024-12-01" } },
    });
    const d = decideJson(customer);
    assert.equal(d.verdict, "allow");
    expectReason(d, "cpce-l34-5/soft-opt-in", "allow");
    expectNoReason(d, "cnil/partner-consent");
  });

  test("A8 / gdpr-14: a partner's consent does not inform the person first-hand; the controller's own does", () => {
    const bought = (collectedBy: string) =>
      merge(PASSED_ON({ collectedBy, ...(collectedBy === "self" ? {} : { namedHow: "named" }) }), {
        at: "2025-01-20T11:00:00+01:00",
        contact: { origin: { type: "broker", collectedAt: "2025-01-05", informedAt: null } },
      });
    expectReason(decideJson(bought("broker")), "gdpr-14/information", "condition");
    expectReason(decideJson(bought("self")), "gdpr-14/information", "info");
  });
});

describe("cnil/partner-consent — a consent is not transmissible (CNIL 2018, A8)", () => {
  /** A partner's list, its form naming the shop, the data passed on `transfers` times. */
  const VIA = (transfers: number | null): Json =>
    merge(SHOP_EMAIL, {
      contact: {
        origin: { type: "partner", collectedAt: "2025-01-10", informedAt: "2025-01-12", transfers },
        consents: [
          {
            channel: "email",
            controller: "Boutique SAS",
            givenAt: "2025-01-10",
            method: "unticked_checkbox",
            proof: true,
            collectedBy: "partner",
            namedHow: "named",
          },
        ],
      },
    });

  test("A8: straight from the partner that collected it (1 transfer, or not recorded), the named consent counts", () => {
    for (const transfers of [1, null]) {
      const d = decideJson(VIA(transfers));
      assert.equal(d.verdict, "allow", `transfers ${transfers}`);
      expectReason(d, "cnil/partner-consent", "info");
    }
  });

  test("A8: passed on again by a partner (2 transfers or more), it does not count: blocked, not contested", () => {
    for (const transfers of [2, 5]) {
      const d = decideJson(VIA(transfers));
      assert.equal(d.verdict, "block");
      const r = expectReason(d, "cnil/partner-consent", "block");
      assert.equal(r.article, CNIL_PARTNERS);
      assert.equal(r.contested, false);
      assert.match(r.message.en, new RegExp(`after ${transfers} transfers: .*not transferable`));
    }
  });

  test("A8: a consent the person later gave the shop itself is not the partner's: the chain does not matter", () => {
    const own = merge(VIA(3), {
      contact: {
        consents: [
          {
            channel: "email",
            controller: "Boutique SAS",
            givenAt: "2025-02-01",
            method: "double_opt_in",
            proof: true,
            collectedBy: "self",
          },
        ],
      },
    });
    assert.equal(decideJson(own).verdict, "allow");
  });
});

describe("cnil/partner-consent on calls, from the 2026 opt-in (L.223-1 al. 2, loi 2025-594)", () => {
  const CALL: Json = {
    at: "2026-09-15T11:00:00+02:00",
    campaign: { controller: "Agence Dupont", channel: "voice_live", callerId: "+33 1 44 00 00 01" },
    contact: {
      kind: "consumer",
      point: { type: "phone", value: "06 12 34 56 78" },
      origin: { type: "direct", collectedAt: "2026-09-01", optOutOfferedAtCollection: true },
      consents: [
        {
          channel: "voice_live",
          controller: "Agence Dupont",
          givenAt: "2026-09-01",
          method: "unticked_checkbox",
          proof: true,
          collectedBy: "partner",
          namedHow: "not_named",
        },
      ],
    },
  };

  test("from 2026-08-11 an unnamed partner's phone consent is blocked by A8, citing L.223-1 al. 2", () => {
    const d = decideJson(CALL);
    assert.equal(d.verdict, "block");
    const r = expectReason(d, "cnil/partner-consent", "block");
    assert.match(r.article, /L\.223-1 al\. 2/);
    expectReason(d, "conso-l223-1/phone-consent", "block");
  });

  test("named on the form, the phone consent counts", () => {
    const named = merge(CALL, {
      contact: { consents: [{ ...(CALL.contact as { consents: Json[] }).consents[0], namedHow: "named" }] },
    });
    const d = decideJson(named);
    expectReason(d, "cnil/partner-consent", "info");
    expectReason(d, "conso-l223-1/phone-consent", "allow");
  });

  test("an ongoing related contract needs no consent: the partner's flaw yields to the exception", () => {
    const d = decideJson(
      merge(CALL, {
        campaign: { relatedToContract: true },
        contact: { relationship: { status: "active_contract", since: "2025-01-01" } },
      }),
    );
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "cnil/partner-consent", "allow");
    assert.match(r.message.en, /ongoing contract/);
  });

  test("before 2026-08-11 calls needed no consent: A8 says nothing on voice_live", () => {
    const d = decideJson(merge(CALL, { at: justBefore("2026-08-11") }));
    expectNoReason(d, "cnil/partner-consent");
  });
});

describe("cnil/retention — 3 years for prospects and former customers (docs/law.md, D5)", () => {
  /** A prospect written to by post; the address was collected directly with an opt-out box. */
  const PROSPECT: Json = {
    at: "2025-03-04T11:00:00+01:00",
    campaign: { controller: "Boutique SAS", channel: "postal" },
    contact: {
      kind: "consumer",
      point: { type: "postal", value: "3 place du Marché, 69002 Lyon" },
      origin: { type: "direct", collectedAt: "2022-03-15", optOutOfferedAtCollection: true },
      relationship: { status: "prospect" },
    },
  };

  test("D5: a prospect's data expire 3 years after collection — allowed the instant before, blocked the instant it ends", () => {
    const last = decideJson(merge(PROSPECT, { at: justBefore("2025-03-15") }));
    assert.equal(last.verdict, "allow");
    expectNoReason(last, "cnil/retention");
    const ended = decideJson(merge(PROSPECT, { at: startOf("2025-03-15") }));
    assert.equal(ended.verdict, "block");
    const r = expectReason(ended, "cnil/retention", "block");
    assert.equal(r.article, REFERENTIEL);
    assert.equal(r.contested, false);
    assert.match(r.message.en, /2022-03-15.*ended on 2025-03-15/);
  });

  test("D5: the prospect's last inbound contact restarts the 3 years; a future one does not count", () => {
    const clicked = merge(PROSPECT, {
      at: "2026-03-04T11:00:00+01:00",
      contact: { origin: { collectedAt: "2020-01-10" }, relationship: { lastInboundAt: "2023-03-15" } },
    });
    assert.equal(decideJson(clicked).verdict, "allow");
    expectNoReason(decideJson(merge(clicked, { at: justBefore("2026-03-15") })), "cnil/retention");
    expectReason(decideJson(merge(clicked, { at: startOf("2026-03-15") })), "cnil/retention", "block");
    const future = merge(clicked, { contact: { relationship: { lastInboundAt: "2026-06-01" } } });
    expectReason(decideJson(future), "cnil/retention", "block");
  });

  test("D5: a former customer may be prospected 3 years after the relationship ends — the day before yes, the instant it ends no", () => {
    const customer = merge(PROSPECT, {
      contact: {
        origin: { collectedAt: "2015-06-01" },
        relationship: { status: "past_customer", since: "2015-06-01", endedAt: "2022-03-15" },
      },
    });
    const lastDay = decideJson(merge(customer, { at: "2025-03-14T11:00:00+01:00" }));
    assert.equal(lastDay.verdict, "allow");
    expectNoReason(lastDay, "cnil/retention");
    expectNoReason(decideJson(merge(customer, { at: justBefore("2025-03-15") })), "cnil/retention");
    const ended = decideJson(merge(customer, { at: startOf("2025-03-15") }));
    assert.equal(ended.verdict, "block");
    assert.match(
      expectReason(ended, "cnil/retention", "block").message.en,
      /Customer relationship ended on 2022-03-15/,
    );
  });

  test("D5: a current customer's data are kept while the contract runs; unknown dates only give a condition", () => {
    const active = merge(PROSPECT, {
      contact: { origin: { collectedAt: "2010-01-01" }, relationship: { status: "active_contract" } },
    });
    expectNoReason(decideJson(active), "cnil/retention");
    const endUnknown = decideJson(
      merge(PROSPECT, { contact: { relationship: { status: "past_customer" } } }),
    );
    assert.equal(endUnknown.verdict, "allow");
    assert.match(expectReason(endUnknown, "cnil/retention", "condition").message.en, /End of the customer/);
    const noDates = decideJson(merge(PROSPECT, { contact: { origin: { collectedAt: null } } }));
    assert.equal(noDates.verdict, "allow");
    assert.match(expectReason(noDates, "cnil/retention", "condition").message.en, /Collection date unknown/);
  });

  test("D5 versions: NS-048 is cited until 2022-04-09, the référentiel from 2022-04-10", () => {
    const expired = merge(PROSPECT, { contact: { origin: { collectedAt: "2019-04-01" } } });
    const before = decideJson(merge(expired, { at: justBefore("2022-04-10") }));
    assert.equal(expectReason(before, "cnil/retention", "block").article, NS_048);
    const after = decideJson(merge(expired, { at: startOf("2022-04-10") }));
    assert.equal(expectReason(after, "cnil/retention", "block").article, REFERENTIEL);
  });

  test("D5: 29 February + 3 years ends on 28 February", () => {
    const leap = merge(PROSPECT, { contact: { origin: { collectedAt: "2020-02-29" } } });
    expectNoReason(decideJson(merge(leap, { at: justBefore("2023-02-28") })), "cnil/retention");
    expectReason(decideJson(merge(leap, { at: startOf("2023-02-28") })), "cnil/retention", "block");
  });

  test("D5 applies on every channel, but not to a legal entity's generic details", () => {
    const expired = merge(PROSPECT, { contact: { origin: { collectedAt: "2019-04-01" } } });
    for (const channel of ["voice_live", "email", "sms", "postal"] as const) {
      expectReason(decideJson(onChannel(expired, channel)), "cnil/retention", "block");
    }
    expectNoReason(decideJson(merge(expired, { contact: { kind: "legal_entity" } })), "cnil/retention");
  });
});

describe("cnil/postal — addressed post (docs/law.md, E1)", () => {
  const LETTER: Json = {
    at: "2025-03-04T11:00:00+01:00",
    campaign: { controller: "Boutique SAS", channel: "postal" },
    contact: {
      kind: "consumer",
      point: { type: "postal", value: "3 place du Marché, 69002 Lyon" },
      origin: { type: "direct", collectedAt: "2024-11-02", optOutOfferedAtCollection: true },
    },
  };

  test("E1: post needs no consent: with an opt-out at collection it is allowed, with the CNIL duties as a condition", () => {
    const d = decideJson(LETTER);
    assert.equal(d.verdict, "allow");
    const r = expectReason(d, "cnil/postal", "condition");
    assert.equal(r.article, CNIL_POSTAL);
    assert.ok(d.obligations.includes(r));
    expectNoReason(d, "cpce-l34-5/consent");
  });

  test("E1: an address collected directly with no way to object to postal prospecting is blocked", () => {
    const d = decideJson(merge(LETTER, { contact: { origin: { optOutOfferedAtCollection: false } } }));
    assert.equal(d.verdict, "block");
    assert.match(expectReason(d, "cnil/postal", "block").message.en, /no way to object/);
    // Unrecorded is not "refused": the duty stays a condition.
    const unknown = decideJson(merge(LETTER, { contact: { origin: { optOutOfferedAtCollection: null } } }));
    expectReason(unknown, "cnil/postal", "condition");
  });

  test("E1: third-party addresses owe art. 14 information at the first mailing (condition), not an opt-out at collection", () => {
    const d = decideJson(
      merge(LETTER, {
        contact: {
          origin: { type: "directory", collectedAt: "2025-02-25", optOutOfferedAtCollection: false },
        },
      }),
    );
    assert.equal(d.verdict, "allow");
    expectReason(d, "cnil/postal", "condition");
    expectReason(d, "gdpr-14/information", "condition");
  });

  test("E1 covers natural persons by post only, across the whole coverage period", () => {
    expectNoReason(decideJson(merge(LETTER, { contact: { kind: "legal_entity" } })), "cnil/postal");
    expectNoReason(decideJson(SHOP_EMAIL), "cnil/postal");
    const early = decideJson(
      merge(LETTER, { at: startOf("2016-01-01"), contact: { origin: { collectedAt: "2015-12-01" } } }),
    );
    assert.equal(expectReason(early, "cnil/postal", "condition").article, CNIL_POSTAL);
  });
});

describe("cnil/retention: a former customer's later inbound contact restarts the clock", () => {
  const formerCustomer = (lastInboundAt: string | null) =>
    merge(SHOP_EMAIL, {
      at: "2026-03-04T11:00:00+01:00",
      contact: {
        consents: [
          {
            channel: "email",
            controller: "Boutique SAS",
            givenAt: "2021-01-01",
            method: "double_opt_in",
            proof: true,
          },
        ],
        relationship: { status: "past_customer", since: "2020-01-01", endedAt: "2022-05-01", lastInboundAt },
      },
    });

  test("3 years after the end of the relationship, with no later contact from the person: blocked", () => {
    expectReason(decideJson(formerCustomer(null)), "cnil/retention", "block");
  });

  test("the person wrote to the controller in 2024: kept until 2027", () => {
    expectNoReason(decideJson(formerCustomer("2024-02-10")), "cnil/retention");
  });
});
