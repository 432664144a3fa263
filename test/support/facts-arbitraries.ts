// Random Facts as the engine reads them (typed, past the parser), for properties that compare two
// ways of deciding: every channel, kind of person and zone, every kind of evidence, and instants
// spread over the rulebook's coverage with many of them close to where the law or the clock
// turns — a rule's or a parameter's first or last day, a public holiday, a DST change, the edge
// of a calling window. Evidence dates come from a small pool per campaign, so that contacts of one
// list share dates while differing in everything else.
import fc from "fast-check";
import { RULES } from "../../src/engine/rulebook.ts";
import {
  type Campaign,
  type Consent,
  type Contact,
  type ContactMade,
  controllerKeyOf,
  DEFAULT_POLICY,
  type Facts,
  type Objection,
  type Policy,
} from "../../src/facts/types.ts";
import {
  CHANNELS,
  type Channel,
  COLLECTORS,
  CONSENT_METHODS,
  CONSENT_SCOPES,
  DIALERS,
  KINDS,
  OBJECTION_VIAS,
  ORIGIN_TYPES,
  OUTCOMES,
  POINT_TYPE_OF_CHANNEL,
  type PointType,
  RELATIONSHIP_STATUSES,
  SECTORS,
  SENDER_NAMINGS,
} from "../../src/facts/vocabulary.ts";
import { holidaysIn } from "../../src/params/fr/holidays.ts";
import * as params from "../../src/params/fr/params.ts";
import { REGION_TIME_ZONE, REGIONS } from "../../src/params/fr/regions.ts";
import { dayAfter, dayStart } from "../../src/time/dates.ts";
import { dayNumberOf, instantOf } from "../../src/time/zoned.ts";

const HOUR = 3_600_000;
const DAY = 86_400_000;
const YEAR = 365 * DAY;
const FIRST = dayStart("2016-01-01");
const LAST = dayAfter("2034-12-31") - 1;

function paramStarts(): number[] {
  return Object.values(params).flatMap((p) =>
    typeof p === "object" && p !== null && "starts" in p ? (p.starts as readonly number[]) : [],
  );
}

/** Where the law turns: the first and the day after the last day of every rule version, exception and parameter row. */
const LAW_CHANGES: readonly number[] = [
  ...RULES.flatMap((r) => r.versions.flatMap((v) => [dayStart(v.from), ...(v.to ? [dayAfter(v.to)] : [])])),
  ...RULES.flatMap((r) =>
    (r.exceptions ?? []).flatMap((e) =>
      typeof e === "string" ? [] : [...(e.from ? [dayStart(e.from)] : []), ...(e.to ? [dayAfter(e.to)] : [])],
    ),
  ),
  ...paramStarts(),
].filter((ms) => ms >= FIRST && ms <= LAST);

/** Local midnights and calling-window edges of public holidays, in each region's zone. */
const HOLIDAYS: readonly number[] = REGIONS.flatMap((region) =>
  [2017, 2020, 2023, 2024, 2025, 2026, 2027, 2031].flatMap((year) =>
    holidaysIn(region, year).flatMap((h) =>
      [0, 600, 779, 1199].map((minute) => instantOf(dayNumberOf(h.date), minute, REGION_TIME_ZONE[region])),
    ),
  ),
);

/** DST changes: Paris (last Sundays of March and October, 01:00 UTC) and Miquelon. */
const DST_CHANGES: readonly number[] = Array.from({ length: 19 }, (_, i) => 2016 + i).flatMap((year) =>
  [3, 10, 11].flatMap((month) => {
    const out: number[] = [];
    for (let d = 1; d <= 31; d++) {
      const ms = Date.UTC(year, month - 1, d, 1);
      if (new Date(ms).getUTCMonth() !== month - 1 || new Date(ms).getUTCDay() !== 0) continue;
      out.push(ms, ms + 3 * HOUR, ms + 5 * HOUR);
    }
    return out;
  }),
);

const TURNS = [...LAW_CHANGES, ...HOLIDAYS, ...DST_CHANGES];

/** Calling-window edges (10:00, 13:00, 14:00, 20:00) on any day, in any of the regions' zones. */
const windowEdge = fc
  .record({
    day: fc.integer({ min: dayNumberOf("2016-01-01"), max: dayNumberOf("2034-12-30") }),
    minute: fc.constantFrom(600, 780, 840, 1200),
    zone: fc.constantFrom(...Object.values(REGION_TIME_ZONE)),
  })
  .map(({ day, minute, zone }) => instantOf(day, minute, zone));

const nudge = fc.oneof(
  fc.constant(0),
  fc.constantFrom(-60_000, -1, 1, 60_000, -HOUR, HOUR, -DAY, DAY),
  fc.integer({ min: -3 * DAY, max: 3 * DAY }),
);

/** A decided instant: anywhere in the coverage, or near where the law or the clock turns. */
export const instantArb: fc.Arbitrary<number> = fc
  .oneof(
    { arbitrary: fc.integer({ min: FIRST, max: LAST }), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom(...TURNS), nudge).map(([t, d]) => t + d), weight: 3 },
    { arbitrary: fc.tuple(windowEdge, nudge).map(([t, d]) => t + d), weight: 2 },
  )
  .map((ms) => Math.min(LAST, Math.max(FIRST, ms)));

const CONTROLLERS = ["Agence Dupont", "Boutique SAS"] as const;
const KEYS = [...CONTROLLERS, "Autre Société"].map(controllerKeyOf);
const ADVERTISERS = ["Isolation Plus", "Assur Direct"] as const;

const POINTS: Readonly<Record<PointType, readonly string[]>> = {
  phone: [
    "+33612345678",
    "+33144000000",
    "+33388000000",
    "+590590123456",
    "+596696123456",
    "+594594123456",
    "+262692000000",
    "+262269601234",
    "+508411234",
    "+33590123456",
  ],
  email: ["claire@example.fr", "contact@entreprise.example"],
  postal: ["12 rue des Lilas, 75011 Paris"],
  social: ["@claire.m"],
};
const DEPARTMENTS = [
  "75",
  "13",
  "57",
  "67",
  "68",
  "2A",
  "971",
  "972",
  "973",
  "974",
  "975",
  "976",
  "977",
  "978",
];
const TIME_ZONES = [
  "Europe/Paris",
  "America/Guadeloupe",
  "Indian/Reunion",
  "America/Miquelon",
  "America/Cayenne",
  "Pacific/Noumea",
];

const bool = fc.boolean();
const nullableBool = fc.constantFrom(true, false, null);
/** Null one time in `nullEvery`: for evidence most contacts hold (`present`) or few do (`absent`). */
const present = <T>(arb: fc.Arbitrary<T>, nullEvery: number) =>
  fc.option(arb, { nil: null, freq: nullEvery });
const absent = <T>(arb: fc.Arbitrary<T>, presentEvery: number) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: presentEvery - 1 }, { arbitrary: arb, weight: 1 });
const often = <T>(arb: fc.Arbitrary<T>) => present(arb, 2);
const rarely = <T>(arb: fc.Arbitrary<T>) => absent(arb, 4);
const upTo = <T>(arb: fc.Arbitrary<T>, max: number) =>
  fc.oneof(
    { arbitrary: fc.constant<T[]>([]), weight: 2 },
    { arbitrary: fc.array(arb, { maxLength: max }), weight: 1 },
  );

/**
 * Evidence dates for one campaign at `at`: a pool of instants, mostly in the recent past (where
 * retention, notice, the 30-day cap and the 60-day pause turn), some years back, a few after `at`.
 */
export function datePoolArb(at: number): fc.Arbitrary<number[]> {
  const date = fc
    .oneof(
      { arbitrary: fc.integer({ min: 0, max: 90 * DAY }).map((d) => at - d), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 4 * YEAR }).map((d) => at - d), weight: 3 },
      { arbitrary: fc.integer({ min: 0, max: 40 * DAY }).map((d) => at + d), weight: 1 },
      { arbitrary: fc.constantFrom(...TURNS), weight: 1 },
      // Whole Paris days, as lists and imports write dates.
      {
        arbitrary: fc
          .integer({ min: 0, max: 3 * YEAR })
          .map((d) => instantOf(Math.floor((at - d) / DAY), 0, "Europe/Paris")),
        weight: 2,
      },
    )
    .map((ms) => Math.max(dayStart("1995-01-01"), ms));
  // A few dates often: the contacts of a list then share them in every role.
  return fc.oneof(
    { arbitrary: fc.array(date, { minLength: 2, maxLength: 3 }), weight: 2 },
    { arbitrary: fc.array(date, { minLength: 1, maxLength: 12 }), weight: 1 },
  );
}

/** A campaign that breaks no rule of its own: its contacts' time rules can be the only block. */
function lawfulCampaignArb(channel: Channel): fc.Arbitrary<Campaign> {
  return fc
    .record({
      controller: fc.constantFrom(...CONTROLLERS),
      sector: fc.constantFrom("other" as const, "insurance" as const, "press" as const),
      habitualCaller: fc.constantFrom(true, null),
    })
    .map((c) => ({
      ...c,
      controllerKey: controllerKeyOf(c.controller),
      advertiser: null,
      channel,
      relatedToContract: false,
      analogousProducts: false,
      relatedToProfession: false,
      callerId: "+33 9 48 00 00 00",
      callerIdAuthorised: true,
      dialer: "manual" as const,
      startsAt: null,
      message: { senderIdentified: true, optOut: true },
    }));
}

export function campaignArb(channel: Channel, at: number): fc.Arbitrary<Campaign> {
  return fc.oneof({ arbitrary: anyCampaignArb(channel, at), weight: 2 }, lawfulCampaignArb(channel));
}

function anyCampaignArb(channel: Channel, at: number): fc.Arbitrary<Campaign> {
  return fc
    .record({
      controller: fc.constantFrom(...CONTROLLERS),
      advertiser: rarely(fc.constantFrom(...ADVERTISERS)),
      sector: fc.constantFrom(...SECTORS),
      relatedToContract: bool,
      analogousProducts: bool,
      relatedToProfession: bool,
      callerId: fc.constantFrom(
        null,
        "masked",
        "+33 9 48 00 00 00",
        "09 47 51 00 00",
        "06 98 76 54 32",
        "01 44 00 00 00",
        "38000",
        "VIGIE",
      ),
      callerIdAuthorised: nullableBool,
      dialer: fc.constantFrom(...DIALERS),
      habitualCaller: nullableBool,
      startsAt: rarely(fc.integer({ min: -60 * DAY, max: 10 * DAY }).map((d) => at + d)),
      message: often(fc.record({ senderIdentified: nullableBool, optOut: nullableBool })),
    })
    .map((c) => ({ ...c, channel, controllerKey: controllerKeyOf(c.controller) }));
}

export const policyArb: fc.Arbitrary<Policy> = fc.oneof(
  { arbitrary: fc.constant(DEFAULT_POLICY), weight: 2 },
  {
    arbitrary: fc.record({
      softOptInForFreeAccounts: bool,
      softOptInForAutomatedCalls: bool,
      callbackWindowHours: fc.integer({ min: 0, max: 744 }),
      callbackExceptionInSectorBans: bool,
      localHolidaysBlockCalls: bool,
      hoursForAutomatedCalls: bool,
      pastCustomersArePreexistingRelations: bool,
      phoneConsentMaxAgeDays: rarely(fc.integer({ min: 1, max: 3650 })),
    }),
    weight: 1,
  },
);

const pointArb = (channel: Channel) => {
  const type = POINT_TYPE_OF_CHANNEL[channel];
  return present(
    fc.constantFrom(...POINTS[type]).map((value) => ({ type, value })),
    8,
  );
};

const locationArb = often(
  fc.record({
    country: fc.constantFrom("FR", null),
    department: often(fc.constantFrom(...DEPARTMENTS)),
    timeZone: rarely(fc.constantFrom(...TIME_ZONES)),
  }),
);

/**
 * A contact of `campaign` at `at`: its dates drawn from `dates`, its calls also in the month
 * before `at` (where they count towards the cap of D.223-9); one time in four, a contact whose
 * evidence lets the contact through, so that the time rules are at times the only block.
 */
export function contactArb(campaign: Campaign, at: number, dates: readonly number[]): fc.Arbitrary<Contact> {
  return fc.oneof(
    { arbitrary: anyContactArb(campaign, at, dates), weight: 3 },
    lawfulContactArb(campaign, at),
  );
}

function lawfulContactArb(campaign: Campaign, at: number): fc.Arbitrary<Contact> {
  const recent = fc.integer({ min: 60_000, max: 20 * DAY }).map((d) => at - d);
  const consent = (channel: Channel, scope: "standard" | "out_of_hours") =>
    recent.map(
      (givenAt): Consent => ({
        channel,
        controllerKey: campaign.controllerKey,
        givenAt,
        withdrawnAt: null,
        method: "double_opt_in",
        proof: true,
        scope,
        collectedBy: "self",
        namedHow: null,
      }),
    );
  const call = fc.record({
    at: fc.integer({ min: 60_000, max: 70 * DAY }).map((d) => at - d),
    channel: fc.constant<Channel>("voice_live"),
    controllerKey: fc.constant(campaign.controllerKey),
    advertiserKey: fc.constant(null),
    sector: fc.constant(null),
    outcome: fc.constantFrom("no_answer" as const, "answered" as const, "refused_offer" as const),
  });
  return fc.record({
    kind: fc.constantFrom("consumer" as const, "consumer" as const, "professional" as const),
    point: pointArb(campaign.channel),
    location: locationArb,
    origin: recent.map((collectedAt) => ({
      type: "direct" as const,
      collectedAt,
      sourceUrl: null,
      senderNamedAtCollection: true,
      optOutOfferedAtCollection: true,
      publisherRefusedCanvassing: false,
      informedAt: null,
      obtainedAt: null,
      transfers: null,
    })),
    relationship: fc.constant(null),
    consents: fc
      .tuple(
        consent(campaign.channel, "standard"),
        consent("voice_live", "standard"),
        rarely(consent(campaign.channel, "out_of_hours")),
      )
      .map(([a, b, c]) => (c === null ? [a, b] : [a, b, c])),
    objections: fc.constant([]),
    erasedAt: fc.constant(null),
    bloctel: fc.constant(null),
    lastBloctelScrubAt: recent,
    callbackRequestedAt: fc.constant(null),
    callbackSlot: fc.constant(null),
    callbackSubject: fc.constant(null),
    history: upTo(call, 5),
  });
}

function anyContactArb(campaign: Campaign, at: number, dates: readonly number[]): fc.Arbitrary<Contact> {
  const channel = campaign.channel;
  const date = fc.constantFrom(...dates);
  const controllerKey = fc.oneof(fc.constant(campaign.controllerKey), fc.constantFrom(...KEYS));
  const lastMonth = fc.integer({ min: 1, max: 30 * DAY }).map((d) => at - d);
  const aChannel = fc.oneof(fc.constant(channel), fc.constantFrom(...CHANNELS));
  const consent: fc.Arbitrary<Consent> = fc
    .record({
      channel: aChannel,
      controllerKey,
      givenAt: date,
      withdrawnAt: rarely(date),
      method: often(fc.constantFrom(...CONSENT_METHODS)),
      proof: bool,
      scope: fc.constantFrom(...CONSENT_SCOPES),
      collectedBy: often(fc.constantFrom(...COLLECTORS)),
      namedHow: often(fc.constantFrom(...SENDER_NAMINGS)),
    })
    .map((c) => (c.collectedBy === "self" || c.collectedBy === null ? { ...c, namedHow: null } : c));
  const objection: fc.Arbitrary<Objection> = fc.record({
    at: date,
    channel: fc.constantFrom("all" as const, channel, ...CHANNELS),
    controllerKey: fc.constantFrom(null, ...KEYS),
    via: often(fc.constantFrom(...OBJECTION_VIAS)),
  });
  const call: fc.Arbitrary<ContactMade> = fc.record({
    at: fc.oneof(date, lastMonth),
    channel: fc.oneof(fc.constantFrom("voice_live" as const, "voice_automated" as const), aChannel),
    controllerKey: fc.constantFrom(...KEYS),
    advertiserKey: rarely(fc.constantFrom(...ADVERTISERS.map(controllerKeyOf), ...KEYS)),
    sector: often(fc.constantFrom(...SECTORS)),
    outcome: fc.constantFrom(...OUTCOMES),
  });
  /** The campaign's own calls in the last month: enough, at times, to reach the cap. */
  const burst = fc.array(
    fc.record({
      at: lastMonth,
      channel: fc.constant<Channel>("voice_live"),
      controllerKey: fc.constant(campaign.controllerKey),
      advertiserKey: fc.constant(null),
      sector: fc.constant(null),
      outcome: fc.constantFrom("no_answer" as const, "answered" as const),
    }),
    { minLength: 3, maxLength: 5 },
  );
  const history = fc.oneof(
    { arbitrary: upTo(call, 6), weight: 5 },
    { arbitrary: fc.tuple(burst, upTo(call, 2)).map(([a, b]) => [...a, ...b]), weight: 1 },
  );
  return fc
    .record({
      kind: fc.constantFrom(...KINDS),
      point: pointArb(channel),
      location: locationArb,
      origin: present(
        fc.record({
          type: fc.constantFrom(...ORIGIN_TYPES),
          collectedAt: often(date),
          sourceUrl: fc.constantFrom(null, "https://annonces.example/123"),
          senderNamedAtCollection: nullableBool,
          optOutOfferedAtCollection: fc.constantFrom(true, true, false, null),
          publisherRefusedCanvassing: fc.constantFrom(false, null, false, true),
          informedAt: rarely(date),
          obtainedAt: rarely(date),
          transfers: rarely(fc.integer({ min: 1, max: 3 })),
        }),
        6,
      ),
      relationship: often(
        fc.record({
          status: fc.constantFrom(...RELATIONSHIP_STATUSES),
          since: often(date),
          endedAt: often(date),
          lastInboundAt: often(date),
          freeAccountOfPaidModel: nullableBool,
        }),
      ),
      consents: upTo(consent, 3),
      objections: upTo(objection, 2),
      erasedAt: absent(date, 12),
      bloctel: often(fc.record({ registeredAt: often(date), effectiveAt: often(date) })),
      lastBloctelScrubAt: often(date),
      callbackRequestedAt: rarely(date),
      callbackSlot: rarely(
        fc.tuple(date, fc.integer({ min: 0, max: 3 * DAY })).map(([from, d]) => ({ from, to: from + d })),
      ),
      callbackSubject: rarely(fc.constantFrom(...SECTORS)),
      history,
    })
    .map((c) => ({
      ...c,
      origin:
        c.origin === null || c.origin.type === "partner" || c.origin.type === "broker"
          ? c.origin
          : { ...c.origin, obtainedAt: null, transfers: null },
    }));
}

/** Everything of the facts but the contact: what a plan is compiled for. */
export interface CampaignAt {
  readonly at: number;
  readonly campaign: Campaign;
  readonly policy: Policy;
  readonly dates: readonly number[];
}

export const campaignAtArb: fc.Arbitrary<CampaignAt> = fc
  .record({
    at: instantArb,
    // Calls half the time: the time rules, the zones and the search for the next instant are theirs.
    channel: fc.oneof(
      fc.constantFrom(...CHANNELS),
      fc.constantFrom<Channel>("voice_live", "voice_automated"),
    ),
  })
  .chain(({ at, channel }) =>
    fc.record({
      at: fc.constant(at),
      campaign: campaignArb(channel, at),
      policy: policyArb,
      dates: datePoolArb(at),
    }),
  );

export const factsArb: fc.Arbitrary<Facts> = campaignAtArb.chain(({ at, campaign, policy, dates }) =>
  contactArb(campaign, at, dates).map((contact) => ({ at, campaign, contact, policy })),
);

/** One campaign at one instant and the contacts of its list, as screening decides them. */
export const listArb: fc.Arbitrary<CampaignAt & { readonly contacts: readonly Contact[] }> =
  campaignAtArb.chain((c) =>
    fc
      .array(contactArb(c.campaign, c.at, c.dates), { minLength: 1, maxLength: 60, size: "max" })
      .map((contacts) => ({
        ...c,
        contacts,
      })),
  );

/**
 * A lawful call campaign from 2023-03 (D.223-9 in force) and a list of contacts that nothing but
 * the time rules may block: most of them, outside the calling days and hours, wait for their zone's
 * next opening — many contacts asking about the same later instants.
 */
export const waitingListArb: fc.Arbitrary<CampaignAt & { readonly contacts: readonly Contact[] }> = fc
  .record({
    at: fc.integer({ min: dayStart("2023-03-01"), max: LAST }),
    channel: fc.constantFrom<Channel>("voice_live", "voice_automated"),
  })
  .chain(({ at, channel }) =>
    fc.record({
      at: fc.constant(at),
      campaign: lawfulCampaignArb(channel),
      policy: policyArb,
      dates: fc.constant([at]),
    }),
  )
  .chain((c) =>
    fc
      .array(
        // Most on the mainland, where they share its openings; the others anywhere.
        fc
          .tuple(lawfulContactArb(c.campaign, c.at), fc.nat(3))
          .map(([contact, d]) => (d > 0 ? { ...contact, location: null } : contact)),
        { minLength: 40, maxLength: 80 },
      )
      .map((contacts) => ({ ...c, contacts })),
  );
