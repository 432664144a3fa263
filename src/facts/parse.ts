// The boundary: JSON facts (docs/contract.md §1) → validated Facts. Every error names the JSON path
// of the field (`contact.consents[0].givenAt: not a date`); unknown fields are errors, so a typo
// never silently drops evidence.
import { z } from "zod";
import { coverageError } from "../engine/rulebook-coverage.ts";
import { type FieldIssue, issuesOf } from "../io/zod-words.ts";
import { withoutControlCharacters } from "../normalize/control-characters.ts";
import { parseInstant } from "../time/zoned.ts";
import { type DateKind, evidenceDateError } from "./evidence-dates.ts";
import {
  blankNameError,
  type Campaign,
  controllerKeyOf,
  DEFAULT_POLICY,
  type Facts,
  type Policy,
} from "./types.ts";
import { checkDepartment, checkPoint, checkTimeZone, DEPARTMENT_ERROR, TIME_ZONE_ERROR } from "./values.ts";
import {
  CHANNELS,
  COLLECTORS,
  CONSENT_METHODS,
  CONSENT_SCOPES,
  DIALERS,
  KINDS,
  OBJECTION_VIAS,
  ORIGIN_TYPES,
  OUTCOMES,
  POINT_TYPE_OF_CHANNEL,
  POINT_TYPES,
  RELATIONSHIP_STATUSES,
  SECTORS,
  SENDER_NAMINGS,
} from "./vocabulary.ts";

/** A field at fault: its JSON path (`contact.consents[0].givenAt`; "" for the whole input) and what is wrong. */
export type FactsError = FieldIssue;

export type ParseResult =
  | { readonly ok: true; readonly facts: Facts }
  | { readonly ok: false; readonly errors: FactsError[] };

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => `must be one of: ${values.join(", ")}` });

/**
 * An instant, refused before the floor of its kind (facts/evidence-dates.ts). Facts may describe a
 * planned contact, so the bound on future evidence does not apply here.
 */
const instantOf = (kind: DateKind) =>
  z.string({ error: "not a date" }).transform((text, ctx) => {
    const ms = parseInstant(text);
    const error =
      ms === undefined
        ? "not a date (ISO 8601 with an offset or Z, or a bare YYYY-MM-DD)"
        : evidenceDateError(ms, kind, null);
    if (error !== undefined) {
      ctx.issues.push({ code: "custom", input: text, message: error });
      return z.NEVER;
    }
    return ms as number;
  });
const optionalInstantOf = (kind: DateKind) =>
  instantOf(kind)
    .nullish()
    .transform((v) => v ?? null);
const instant = instantOf("event");
const optionalInstant = optionalInstantOf("event");
const flag = z.boolean({ error: "expected true or false" });
const optionalFlag = flag.nullish().transform((v) => v ?? null);
const text = withoutControlCharacters(
  z.string({ error: "expected a string" }).min(1, { error: "must not be empty" }),
);
/** A controller's or advertiser's name: something in it besides spaces and invisible characters. */
export const withoutBlankName = <S extends z.ZodType<string>>(schema: S): S =>
  schema.superRefine((name, ctx) => {
    const error = blankNameError(name);
    if (error !== undefined) ctx.addIssue({ code: "custom", input: name, message: error });
  }) as unknown as S;
const name = withoutBlankName(text);
const controller = name.transform(controllerKeyOf);

/** Phones and e-mails are normalized (E.164, lower-cased IDN-safe address); invalid ones are refused. */
const point = z.strictObject({ type: oneOf(POINT_TYPES), value: text }).transform((p, ctx) => {
  if (p.type !== "phone" && p.type !== "email") return p;
  const normalized = checkPoint(p.type, p.value);
  if (!normalized.ok) {
    ctx.issues.push({ code: "custom", input: p.value, path: ["value"], message: normalized.error });
    return z.NEVER;
  }
  return normalized.value;
});

const location = z.strictObject({
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, { error: "expected an ISO 3166 alpha-2 code such as FR" })
    .nullish(),
  // The same checks as a list's or an import's cells (facts/values.ts); the path names the field.
  department: z
    .string()
    .refine((v) => checkDepartment(v).ok, { error: DEPARTMENT_ERROR })
    .nullish(),
  timeZone: z
    .string()
    .refine((v) => checkTimeZone(v).ok, { error: TIME_ZONE_ERROR })
    .nullish(),
});

const origin = z
  .strictObject({
    type: oneOf(ORIGIN_TYPES),
    collectedAt: optionalInstant,
    sourceUrl: withoutControlCharacters(z.string()).nullish(),
    senderNamedAtCollection: optionalFlag,
    optOutOfferedAtCollection: optionalFlag,
    publisherRefusedCanvassing: optionalFlag,
    informedAt: optionalInstant,
    obtainedAt: optionalInstant,
    transfers: z
      .number({ error: "expected a whole number of transfers (1: straight from the collector)" })
      .int({ error: "expected a whole number of transfers (1: straight from the collector)" })
      .min(1, { error: "must be at least 1 (1: straight from the collector)" })
      .max(100, { error: "must be at most 100" })
      .nullish()
      .transform((v) => v ?? null),
  })
  .superRefine((o, ctx) => {
    // Both describe how a partner or broker passed the data on; a direct collection has neither.
    const thirdParty = o.type === "partner" || o.type === "broker";
    for (const field of ["obtainedAt", "transfers"] as const) {
      if (o[field] !== null && !thirdParty) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: 'only for data from a partner or broker (type "partner" or "broker")',
        });
      }
    }
    if (o.obtainedAt !== null && o.collectedAt !== null && o.obtainedAt < o.collectedAt) {
      ctx.addIssue({
        code: "custom",
        path: ["obtainedAt"],
        message: "before collectedAt: data cannot be obtained before they were collected",
      });
    }
  });

const relationship = z
  .strictObject({
    status: oneOf(RELATIONSHIP_STATUSES),
    since: optionalInstantOf("relationship-start"),
    endedAt: optionalInstantOf("relationship-end"),
    lastInboundAt: optionalInstant,
    freeAccountOfPaidModel: optionalFlag,
  })
  .superRefine((r, ctx) => {
    if (r.freeAccountOfPaidModel !== null && r.status !== "account_only") {
      ctx.addIssue({
        code: "custom",
        path: ["freeAccountOfPaidModel"],
        message: 'only for an account without a sale (status "account_only")',
      });
    }
  });

/** How a form named the sender is asked only of a partner's or broker's collection (A8). */
const NAMED_HOW_ERROR =
  'only for a consent collected by a partner or broker (collectedBy "partner" or "broker")';

const consent = z
  .strictObject({
    channel: oneOf(CHANNELS),
    controller,
    givenAt: instant,
    withdrawnAt: optionalInstant,
    method: oneOf(CONSENT_METHODS).nullish(),
    proof: flag.nullish(),
    scope: oneOf(CONSENT_SCOPES).nullish(),
    collectedBy: oneOf(COLLECTORS).nullish(),
    namedHow: oneOf(SENDER_NAMINGS).nullish(),
  })
  .superRefine((c, ctx) => {
    if (c.namedHow != null && c.collectedBy !== "partner" && c.collectedBy !== "broker") {
      ctx.addIssue({ code: "custom", path: ["namedHow"], message: NAMED_HOW_ERROR });
    }
  });

const objection = z.strictObject({
  at: instant,
  channel: oneOf(["all", ...CHANNELS] as const).nullish(),
  controller: withoutBlankName(withoutControlCharacters(z.string())).nullish(),
  via: oneOf(OBJECTION_VIAS).nullish(),
});

const contactMade = z.strictObject({
  at: instant,
  channel: oneOf(CHANNELS),
  controller,
  advertiser: controller.nullish(),
  sector: oneOf(SECTORS).nullish(),
  outcome: oneOf(OUTCOMES),
});

const campaign = z.strictObject({
  controller: name,
  advertiser: name.nullish(),
  channel: oneOf(CHANNELS),
  sector: oneOf(SECTORS).nullish(),
  relatedToContract: flag.nullish(),
  analogousProducts: flag.nullish(),
  relatedToProfession: flag.nullish(),
  callerId: text.nullish(),
  callerIdAuthorised: flag.nullish(),
  dialer: oneOf(DIALERS).nullish(),
  habitualCaller: flag.nullish(),
  startsAt: optionalInstant,
  message: z.strictObject({ senderIdentified: optionalFlag, optOut: optionalFlag }).nullish(),
});

const contact = z
  .strictObject({
    kind: oneOf(KINDS),
    point: point.nullish(),
    location: location.nullish(),
    origin: origin.nullish(),
    relationship: relationship.nullish(),
    consents: z.array(consent).nullish(),
    objections: z.array(objection).nullish(),
    erasedAt: optionalInstant,
    bloctel: z
      .strictObject({
        registeredAt: optionalInstant,
        effectiveAt: optionalInstantOf("registry-effect"),
      })
      .nullish(),
    lastBloctelScrubAt: optionalInstant,
    callbackRequestedAt: optionalInstant,
    callbackSlot: z.strictObject({ from: instant, to: instant }).nullish(),
    callbackSubject: oneOf(SECTORS).nullish(),
    history: z.array(contactMade).nullish(),
  })
  .superRefine((c, ctx) => {
    // A slot or a subject describes a callback the person asked for: without when they asked,
    // nothing says they asked at all.
    for (const field of ["callbackSlot", "callbackSubject"] as const) {
      if (c[field] != null && c.callbackRequestedAt === null) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: "goes with callbackRequestedAt (when the person asked)",
        });
      }
    }
    if (c.callbackSlot && c.callbackSlot.to < c.callbackSlot.from) {
      ctx.addIssue({ code: "custom", path: ["callbackSlot", "to"], message: "ends before it starts" });
    }
  });

const policy = z.strictObject({
  softOptInForFreeAccounts: flag.optional(),
  softOptInForAutomatedCalls: flag.optional(),
  callbackWindowHours: z
    .number({ error: "expected a number of hours" })
    .min(0, { error: "must be ≥ 0" })
    .max(24 * 31, { error: "must be at most 744 hours" })
    .optional(),
  callbackExceptionInSectorBans: flag.optional(),
  localHolidaysBlockCalls: flag.optional(),
  hoursForAutomatedCalls: flag.optional(),
  phoneConsentMaxAgeDays: z
    .number({ error: "expected a number of days, or null" })
    .int({ error: "expected a whole number of days" })
    .min(1, { error: "must be at least 1" })
    .max(3650, { error: "must be at most 3650 days" })
    .nullable()
    .optional(),
  pastCustomersArePreexistingRelations: flag.optional(),
});

const factsSchema = z
  .strictObject({ at: instant, campaign, contact, policy: policy.nullish() })
  .superRefine((f, ctx) => {
    const outside = coverageError(f.at);
    if (outside !== undefined) ctx.addIssue({ code: "custom", path: ["at"], message: outside });
    const needed = POINT_TYPE_OF_CHANNEL[f.campaign.channel];
    if (f.contact.point && f.contact.point.type !== needed) {
      ctx.addIssue({
        code: "custom",
        path: ["contact", "point", "type"],
        message: `a ${f.campaign.channel} campaign reaches a ${needed} point, not ${f.contact.point.type}`,
      });
    }
  });

/**
 * The input a facts object may take, as JSON Schema (2020-12): the API's description of
 * /v1/decisions, made from the very schema that checks it. Checks beyond shapes (a date's floor,
 * a phone number's validity) are the parser's; they answer 400 naming the field.
 */
export function factsInputJsonSchema(): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(factsSchema, { io: "input", unrepresentable: "any" });
  return json;
}

/** Validates one facts object and converts it to the engine's form; never throws on bad input. */
/**
 * Every object is built with all its keys in one order, whatever the input omitted: the engine
 * then sees one shape per type, which keeps V8's property access fast in batch decisions.
 */
export function parseFacts(input: unknown): ParseResult {
  const parsed = factsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesOf(parsed.error, input) };
  const f = parsed.data;
  const c = f.contact;
  const facts: Facts = {
    at: f.at,
    campaign: campaignOf(f.campaign),
    contact: {
      kind: c.kind,
      point: c.point ? { type: c.point.type, value: c.point.value } : null,
      location: c.location
        ? {
            country: c.location.country ?? null,
            department: c.location.department ?? null,
            timeZone: c.location.timeZone ?? null,
          }
        : null,
      origin: c.origin
        ? {
            type: c.origin.type,
            collectedAt: c.origin.collectedAt,
            sourceUrl: c.origin.sourceUrl ?? null,
            senderNamedAtCollection: c.origin.senderNamedAtCollection,
            optOutOfferedAtCollection: c.origin.optOutOfferedAtCollection,
            publisherRefusedCanvassing: c.origin.publisherRefusedCanvassing,
            informedAt: c.origin.informedAt,
            obtainedAt: c.origin.obtainedAt,
            transfers: c.origin.transfers,
          }
        : null,
      relationship: c.relationship
        ? {
            status: c.relationship.status,
            since: c.relationship.since,
            endedAt: c.relationship.endedAt,
            lastInboundAt: c.relationship.lastInboundAt,
            freeAccountOfPaidModel: c.relationship.freeAccountOfPaidModel,
          }
        : null,
      consents: (c.consents ?? []).map((x) => ({
        channel: x.channel,
        controllerKey: x.controller,
        givenAt: x.givenAt,
        withdrawnAt: x.withdrawnAt,
        method: x.method ?? null,
        proof: x.proof === true,
        scope: x.scope ?? "standard",
        collectedBy: x.collectedBy ?? null,
        namedHow: x.namedHow ?? null,
      })),
      objections: (c.objections ?? []).map((x) => ({
        at: x.at,
        channel: x.channel ?? "all",
        controllerKey: x.controller ? controllerKeyOf(x.controller) : null,
        via: x.via ?? null,
      })),
      erasedAt: c.erasedAt,
      bloctel: c.bloctel
        ? { registeredAt: c.bloctel.registeredAt, effectiveAt: c.bloctel.effectiveAt }
        : null,
      lastBloctelScrubAt: c.lastBloctelScrubAt,
      callbackRequestedAt: c.callbackRequestedAt,
      callbackSlot: c.callbackSlot ? { from: c.callbackSlot.from, to: c.callbackSlot.to } : null,
      callbackSubject: c.callbackSubject ?? null,
      history: (c.history ?? []).map((h) => ({
        at: h.at,
        channel: h.channel,
        controllerKey: h.controller,
        advertiserKey: h.advertiser ?? null,
        sector: h.sector ?? null,
        outcome: h.outcome,
      })),
    },
    policy: policyOf(f.policy ?? {}),
  };
  return { ok: true, facts };
}

function campaignOf(c: z.infer<typeof campaign>): Campaign {
  return {
    controller: c.controller,
    controllerKey: controllerKeyOf(c.controller),
    advertiser: c.advertiser ?? null,
    channel: c.channel,
    sector: c.sector ?? "other",
    relatedToContract: c.relatedToContract === true,
    analogousProducts: c.analogousProducts === true,
    relatedToProfession: c.relatedToProfession === true,
    callerId: c.callerId ?? null,
    callerIdAuthorised: c.callerIdAuthorised ?? null,
    dialer: c.dialer ?? "manual",
    habitualCaller: c.habitualCaller ?? null,
    startsAt: c.startsAt,
    message: c.message ? { senderIdentified: c.message.senderIdentified, optOut: c.message.optOut } : null,
  };
}

export type CampaignResult =
  | { readonly ok: true; readonly campaign: Campaign; readonly policy: Policy }
  | { readonly ok: false; readonly errors: FactsError[] };

/**
 * A stored campaign (the `campaign` object of the facts, with an optional `policy`): what the
 * evidence store combines with a person's evidence to build facts. Its input side describes the
 * API's stored campaigns (src/api/answers.ts).
 */
// Built once: a Zod schema compiles itself on first use, which costs more than a parse.
export const campaignInput = z.strictObject({ campaign, policy: policy.nullish() });

export function parseCampaign(input: unknown): CampaignResult {
  const parsed = campaignInput.safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesOf(parsed.error, input) };
  return { ok: true, campaign: campaignOf(parsed.data.campaign), policy: policyOf(parsed.data.policy ?? {}) };
}

function policyOf(p: z.infer<typeof policy>): Policy {
  const d = DEFAULT_POLICY;
  return {
    softOptInForFreeAccounts: p.softOptInForFreeAccounts ?? d.softOptInForFreeAccounts,
    softOptInForAutomatedCalls: p.softOptInForAutomatedCalls ?? d.softOptInForAutomatedCalls,
    callbackWindowHours: p.callbackWindowHours ?? d.callbackWindowHours,
    callbackExceptionInSectorBans: p.callbackExceptionInSectorBans ?? d.callbackExceptionInSectorBans,
    localHolidaysBlockCalls: p.localHolidaysBlockCalls ?? d.localHolidaysBlockCalls,
    hoursForAutomatedCalls: p.hoursForAutomatedCalls ?? d.hoursForAutomatedCalls,
    phoneConsentMaxAgeDays:
      p.phoneConsentMaxAgeDays === undefined ? d.phoneConsentMaxAgeDays : p.phoneConsentMaxAgeDays,
    pastCustomersArePreexistingRelations:
      p.pastCustomersArePreexistingRelations ?? d.pastCustomersArePreexistingRelations,
  };
}

/** The error as one line: `contact.consents[0].givenAt: not a date`. */
export function formatFactsError(e: FactsError): string {
  return e.path === "" ? e.message : `${e.path}: ${e.message}`;
}
