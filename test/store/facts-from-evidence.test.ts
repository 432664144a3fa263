import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decide } from "../../src/engine/decide.ts";
import { factsFromEvidence } from "../../src/evidence/facts-from-evidence.ts";
import { parseCampaign } from "../../src/facts/parse.ts";
import { type Evidence, NO_PERSON } from "../../src/store/store.ts";
import { dayStart } from "../../src/time/dates.ts";

const campaign = (() => {
  const r = parseCampaign({
    campaign: { controller: "Agence Dupont", channel: "voice_live", callerId: "+33144000000" },
  });
  assert.ok(r.ok);
  return r;
})();
const point = { type: "phone" as const, value: "+33612345678" };
const d = dayStart;

const evidence: Evidence = {
  point: { type: "phone", value: "+33612345678", erasedAt: d("2026-12-01") },
  sources: [
    {
      controller: "agence dupont",
      seq: 1,
      kind: "consumer",
      originType: "scraped_public",
      collectedAt: d("2025-02-20"),
      senderNamed: null,
      optOutOffered: null,
      publisherRefused: null,
      informedAt: d("2025-02-21"),
      relationship: "prospect",
      customerSince: null,
      customerUntil: null,
      lastInboundAt: null,
      department: "974",
      timeZone: null,
      sourceUrl: "https://ads.example/1",
      obtainedAt: null,
      transfers: null,
      freeAccountOfPaidModel: null,
    },
    {
      controller: "agence dupont",
      seq: 9,
      kind: "professional",
      originType: "broker",
      collectedAt: d("2026-11-01"),
      senderNamed: null,
      optOutOffered: null,
      publisherRefused: null,
      informedAt: null,
      relationship: null,
      customerSince: null,
      customerUntil: null,
      lastInboundAt: null,
      department: null,
      timeZone: null,
      sourceUrl: null,
      obtainedAt: d("2026-11-10"),
      transfers: 2,
      freeAccountOfPaidModel: null,
    },
  ],
  consents: [
    {
      controller: "agence dupont",
      channel: "voice_live",
      givenAt: d("2026-09-01"),
      withdrawnAt: d("2026-11-15"),
      method: "double_opt_in",
      scope: "standard",
      proof: true,
      collectedBy: "self",
      namedHow: null,
    },
  ],
  objections: [{ controller: "", channel: "sms", at: d("2026-10-01"), via: "stop_sms" }],
  contacts: [
    {
      controller: "centre d'appels",
      channel: "voice_live",
      at: d("2026-09-10"),
      outcome: "no_answer",
      advertiser: "agence dupont",
      sector: "other",
    },
  ],
  notices: [],
  callbacks: [],
  registry: [
    {
      checkedAt: d("2025-03-01"),
      registered: true,
      registeredAt: d("2021-01-01"),
      effectiveAt: d("2021-01-31"),
    },
    { checkedAt: d("2025-06-01"), registered: false, registeredAt: null, effectiveAt: null },
  ],
  person: NO_PERSON,
};

const factsAt = (iso: string) =>
  factsFromEvidence(evidence, { ...campaign, at: dayStart(iso) + 11 * 3_600_000, point });

test("facts as of an instant leave out the evidence dated after it (a replay sees what was known)", () => {
  // Before the erasure of December, which binds every instant (below).
  const kept: Evidence = { ...evidence, point: { type: "phone", value: "+33612345678", erasedAt: null } };
  const factsAt = (iso: string) =>
    factsFromEvidence(kept, { ...campaign, at: dayStart(iso) + 11 * 3_600_000, point });
  const sept = factsAt("2026-09-15");
  assert.equal(sept.contact.consents.length, 1);
  assert.equal(
    sept.contact.consents[0]?.withdrawnAt,
    null,
    "the withdrawal of November is not known in September",
  );
  assert.equal(sept.contact.objections.length, 0);
  assert.equal(sept.contact.history.length, 1);
  assert.equal(sept.contact.kind, "consumer", "the broker source of November is not known yet");
  assert.equal(sept.contact.origin?.sourceUrl, "https://ads.example/1");
  assert.equal(sept.contact.location?.department, "974");
  const nov = factsAt("2026-11-20");
  assert.equal(nov.contact.consents[0]?.withdrawnAt, d("2026-11-15"));
  assert.equal(nov.contact.objections.length, 1);
  assert.equal(nov.contact.kind, "professional", "the latest source recorded wins");
  assert.equal(nov.contact.origin?.obtainedAt, d("2026-11-10"));
  assert.equal(nov.contact.origin?.transfers, 2);
});

test("a call keeps who made it, for whom and in what sector", () => {
  const h = factsAt("2026-09-15").contact.history[0];
  assert.equal(h?.controllerKey, "centre d'appels");
  assert.equal(h?.advertiserKey, "agence dupont");
  assert.equal(h?.sector, "other");
});

test("the latest Bloctel check on or before the instant decides: registered, then found clean", () => {
  const march = factsAt("2025-04-01");
  assert.deepEqual(march.contact.bloctel, { registeredAt: d("2021-01-01"), effectiveAt: d("2021-01-31") });
  assert.equal(march.contact.lastBloctelScrubAt, d("2025-03-01"));
  const june = factsAt("2025-06-02");
  assert.equal(june.contact.bloctel, null);
  assert.equal(june.contact.lastBloctelScrubAt, d("2025-06-01"));
  assert.equal(factsAt("2025-02-25").contact.lastBloctelScrubAt, null, "before any check: unscreened");
});

test("an erased point is blocked for every controller, even at an instant before its erasure (gdpr-17/erased); its consents no longer count", () => {
  const before = factsAt("2026-11-30");
  assert.equal(before.contact.erasedAt, d("2026-12-01"));
  assert.equal(decide(before).reasons.find((r) => r.rule === "gdpr-17/erased")?.effect, "block");
  const after = factsAt("2026-12-02");
  assert.equal(after.contact.erasedAt, d("2026-12-01"));
  assert.deepEqual(after.contact.consents, []);
  const decision = decide(after);
  assert.equal(decision.verdict, "block");
  const reason = decision.reasons.find((r) => r.rule === "gdpr-17/erased");
  assert.equal(reason?.effect, "block");
  assert.match(reason?.article ?? "", /art\. 17/);
});

test("a number a check lists as registered is in force on the check's day, whatever dates it lacks", () => {
  const listed = (registeredAt: string | null, effectiveAt: string | null) =>
    factsFromEvidence(
      {
        ...evidence,
        registry: [
          {
            checkedAt: d("2026-03-01"),
            registered: true,
            registeredAt: registeredAt === null ? null : d(registeredAt),
            effectiveAt: effectiveAt === null ? null : d(effectiveAt),
          },
        ],
      },
      { ...campaign, at: d("2026-03-10"), point },
    ).contact.bloctel;
  assert.deepEqual(
    listed(null, null),
    { registeredAt: null, effectiveAt: d("2026-03-01") },
    "no dates: the check's day",
  );
  assert.deepEqual(
    listed("2026-02-20", null),
    { registeredAt: d("2026-02-20"), effectiveAt: d("2026-03-01") },
    "registered + 30 days falls after the check: the check's day",
  );
  assert.deepEqual(
    listed("2026-01-10", null),
    { registeredAt: d("2026-01-10"), effectiveAt: d("2026-02-09") },
    "registered + 30 days (the rule's computation) falls before the check",
  );
  assert.deepEqual(listed(null, "2026-03-25"), { registeredAt: null, effectiveAt: d("2026-03-01") });
  assert.deepEqual(listed(null, "2025-12-01"), { registeredAt: null, effectiveAt: d("2025-12-01") });
});

test("the latest source decides, sources of one day told apart by their content, in any order", () => {
  const base = evidence.sources[0] as Evidence["sources"][number];
  const kinds = ["consumer", "professional"] as const;
  const origins = ["scraped_public", "directory", "broker"] as const;
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          day: fc.constantFrom("2025-01-01", "2025-02-01", "2025-03-01"),
          kind: fc.constantFrom(...kinds),
          origin: fc.constantFrom(...origins),
          seq: fc.nat(1000),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      fc.nat(),
      (drawn, shift) => {
        const sources = drawn.map((x) => ({
          ...base,
          seq: x.seq,
          kind: x.kind,
          originType: x.origin,
          collectedAt: d(x.day),
        }));
        const rotated = [
          ...sources.slice(shift % sources.length),
          ...sources.slice(0, shift % sources.length),
        ];
        const origin = (list: typeof sources) =>
          factsFromEvidence({ ...evidence, sources: list }, { ...campaign, at: d("2025-06-01"), point })
            .contact.origin;
        // The latest day; of its sources, the greatest content, its place in the log aside.
        const latest = Math.max(...sources.map((s) => s.collectedAt));
        const key = (s: (typeof sources)[number]) => JSON.stringify({ ...s, seq: 0 });
        const expected = sources
          .filter((s) => s.collectedAt === latest)
          .sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0))[0];
        const got = origin(sources);
        assert.deepEqual(origin(rotated), got);
        assert.equal(got?.type, expected?.originType);
        assert.equal(got?.collectedAt, latest);
      },
    ),
  );
});

test("a controller stored under an older key (its name decomposed, as macOS writes it) is matched as the campaign's", () => {
  const decomposed = "soci\u00e9t\u00e9 dupont".normalize("NFD");
  const r = parseCampaign({
    campaign: { controller: "Soci\u00e9t\u00e9 Dupont", channel: "voice_live", callerId: "+33144000000" },
  });
  assert.ok(r.ok);
  const stored: Evidence = {
    ...evidence,
    point: { type: "phone", value: "+33612345678", erasedAt: null },
    objections: [{ controller: decomposed, channel: "all", at: d("2026-10-01"), via: "letter" }],
  };
  const facts = factsFromEvidence(stored, { ...r, at: dayStart("2026-11-20") + 11 * 3_600_000, point });
  assert.equal(facts.contact.objections[0]?.controllerKey, r.campaign.controllerKey);
  assert.equal(decide(facts).reasons.find((x) => x.effect === "block")?.rule, "gdpr-21/objection");
});

test("an objection heard on a call whose records disagreed on the advertiser binds every advertiser's campaign", () => {
  const r = parseCampaign({
    campaign: {
      controller: "Centre Beta",
      advertiser: "Agence Dupont",
      channel: "voice_live",
      callerId: "+33144000000",
    },
  });
  assert.ok(r.ok);
  const stored: Evidence = {
    ...evidence,
    point: { type: "phone", value: "+33612345678", erasedAt: null },
    objections: [],
    contacts: [
      {
        controller: "centre alpha",
        channel: "voice_live",
        at: d("2026-11-02"),
        outcome: "objected",
        advertiser: "",
        sector: null,
      },
    ],
  };
  const facts = factsFromEvidence(stored, { ...r, at: dayStart("2026-11-20") + 11 * 3_600_000, point });
  const blocks = decide(facts)
    .reasons.filter((x) => x.effect === "block")
    .map((x) => x.rule);
  assert.ok(blocks.includes("gdpr-21/objection"), blocks.join(", "));
  assert.ok(blocks.includes("conso-l221-16/no-recontact"), "a refusal for the professional it may have been");
});
