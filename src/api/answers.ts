// The shapes of the API's answers that clients build on, as zod schemas: the OpenAPI document
// describes them from here (openapi.ts), a generated client types them, and the API's tests check
// real answers against them strictly — so the description cannot drift from what is sent.
import { z } from "zod";
import { RULE_IDS } from "../engine/rule-ids.ts";
import type { EventData } from "../evidence/events.ts";
import { campaignInput } from "../facts/parse.ts";
import {
  CHANNELS,
  COLLECTORS,
  CONSENT_METHODS,
  CONSENT_SCOPES,
  KINDS,
  OBJECTION_VIAS,
  ORIGIN_TYPES,
  OUTCOMES,
  RELATIONSHIP_STATUSES,
  SECTORS,
  SENDER_NAMINGS,
} from "../facts/vocabulary.ts";
import { TEXT_ENCODINGS } from "../io/text/encoding.ts";
import { IMPORT_KINDS } from "../services/import/kinds.ts";

export const reasonAnswer = z
  .strictObject({
    rule: z.enum(RULE_IDS),
    effect: z.enum(["block", "allow", "condition", "info"]),
    article: z.string().meta({ description: "the article applied, as cited" }),
    message: z.strictObject({ fr: z.string(), en: z.string() }),
    contested: z.boolean().meta({ description: "case law or doctrine disagree with the reading applied" }),
  })
  .meta({ title: "Reason" });

export const decisionAnswer = z
  .strictObject({
    verdict: z.enum(["allow", "block"]),
    reasons: z.array(reasonAnswer).meta({ description: "every rule that applied, in rulebook order" }),
    obligations: z.array(reasonAnswer).meta({ description: "what an allowed contact must still do" }),
    nextAllowedAt: z
      .string()
      .nullable()
      .meta({ description: "when only time rules block: the next instant allowed (ISO 8601 with offset)" }),
    rulebook: z.string().meta({ description: "the version (date) of the rulebook that decided" }),
  })
  .meta({ title: "Decision" });

export const batchAnswer = z.strictObject({
  at: z.string().meta({ description: "the instant decided, ISO 8601" }),
  results: z
    .array(
      z.union([
        z.strictObject({
          point: z.string(),
          verdict: z.enum(["allow", "block"]),
          rule: z.enum(RULE_IDS).nullable().meta({ description: "the first blocking rule" }),
          nextAllowedAt: z.string().nullable(),
        }),
        z.strictObject({ point: z.string(), decision: decisionAnswer }),
        z.strictObject({
          point: z.string(),
          error: z.strictObject({ path: z.string(), message: z.string(), issues: z.array(z.unknown()) }),
        }),
      ]),
    )
    .meta({ description: "in the order of `points`" }),
});

/** A piece of evidence recorded (201): the seq of its event in the log. */
export const recordedAnswer = z.strictObject({ seq: z.int().min(1) });
/** The same fact already recorded (200): nothing was added. */
export const duplicateAnswer = z.strictObject({ seq: z.null(), duplicate: z.literal(true) });

/** A webhook subscription as shown (src/services/webhooks/manage.ts): never its secret. */
export const webhookAnswer = z.strictObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  personalData: z.boolean(),
  createdAt: z.string().nullable(),
  deliveredSeq: z.int().min(0).meta({ description: "the last event handled" }),
  behind: z.int().min(0).meta({ description: "events of the log after it" }),
  attempts: z.int().min(0).meta({ description: "failed attempts at the next event" }),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  deadLetters: z.array(
    z.strictObject({ seq: z.int(), failedAt: z.string().nullable(), attempts: z.int(), error: z.string() }),
  ),
});

/** `GET /healthz`. */
export const healthAnswer = z.strictObject({ status: z.literal("ok") });

/**
 * A stored campaign: its id and when it was stored, beside the `{ campaign, policy? }` sent, as
 * sent (the input side of the schema that checked it: describe it with `answerSchema(…, "input")`).
 */
export const storedCampaignAnswer = z
  .strictObject({
    id: z.string(),
    createdAt: z.string().meta({ description: "ISO 8601, UTC" }),
    ...campaignInput.shape,
  })
  .meta({ title: "StoredCampaign" });

/** `POST /v1/unsubscribe-links`. */
export const unsubscribeLinkAnswer = z.strictObject({
  token: z.string(),
  path: z.string().meta({ description: "`/u/TOKEN`, on this server" }),
  headers: z
    .strictObject({
      "List-Unsubscribe": z.string().meta({ description: "`<https://HOST/u/TOKEN>`" }),
      "List-Unsubscribe-Post": z.literal("List-Unsubscribe=One-Click"),
    })
    .optional()
    .meta({ description: "the headers to put on the message; only when a public address is known" }),
});

/** `POST /v1/consents/requests`: nothing is recorded until the person confirms. */
export const consentRequestAnswer = z.strictObject({
  id: z.string(),
  channel: z.enum(["email", "sms"]),
  expiresAt: z.string().meta({ description: "ISO 8601, UTC" }),
});

/** An import's report (src/services/import/run.ts), its rejected rows listed up to 1000. */
export const importAnswer = z.strictObject({
  kind: z.enum(IMPORT_KINDS),
  file: z.string().nullable().meta({ description: "the multipart file's name; null for a text/csv body" }),
  sha256: z.string().meta({ description: "of the file: the same file again changes nothing" }),
  alreadyImportedAt: z
    .int()
    .nullable()
    .meta({ description: "epoch ms: this very file was imported then, and nothing was done now" }),
  encoding: z
    .strictObject({ encoding: z.enum(TEXT_ENCODINGS), source: z.enum(["bom", "content", "forced"]) })
    .optional()
    .meta({
      description:
        "how the file's bytes were read: a byte-order mark, else UTF-8 if they are, else Windows-1252 (absent when already imported)",
    }),
  interpretations: z
    .strictObject({ datesFrench: z.int().min(0), wordsSpelled: z.int().min(0) })
    .optional()
    .meta({
      description:
        "what the accepted rows were read as otherwise than written, one per cell: dates day first (JJ/MM/AAAA), words in other capitals or with spaces (SMS for sms); absent when already imported",
    }),
  rows: z.int().min(0),
  accepted: z.int().min(0),
  rejectedCount: z.int().min(0),
  rejected: z
    .array(
      z.strictObject({
        line: z.int().min(1),
        column: z.string().optional().meta({ description: "the column at fault, when the error is in one" }),
        message: z.string(),
      }),
    )
    .max(1000)
    .meta({ description: "the first 1000 rejected rows; `rejectedCount` counts them all" }),
  events: z.strictObject({
    appended: z.int().min(0),
    duplicates: z.int().min(0),
    suppressed: z.int().min(0),
  }),
});

// Evidence as the store holds it (src/store/store.ts `Evidence`); instants are epoch ms.
const epochMs = z.int();
const pointType = z.enum(["phone", "email"]);
const objectionHeld = z.strictObject({
  controller: z.string(),
  channel: z.enum([...CHANNELS, "all"]),
  at: epochMs,
  via: z.enum(OBJECTION_VIAS).nullable(),
});
const contactHeld = z.strictObject({
  controller: z.string(),
  channel: z.enum(CHANNELS),
  at: epochMs,
  outcome: z.enum(OUTCOMES),
  advertiser: z.string().nullable(),
  sector: z.enum(SECTORS).nullable(),
});

export const evidenceAnswer = z
  .strictObject({
    point: z
      .strictObject({ type: pointType, value: z.string().nullable(), erasedAt: epochMs.nullable() })
      .nullable()
      .meta({ description: "null when nothing was recorded; its value null once erased" }),
    sources: z.array(
      z.strictObject({
        controller: z.string(),
        seq: z.int().min(1),
        kind: z.enum(KINDS),
        originType: z.enum(ORIGIN_TYPES),
        collectedAt: epochMs.nullable(),
        senderNamed: z.boolean().nullable(),
        optOutOffered: z.boolean().nullable(),
        publisherRefused: z.boolean().nullable(),
        informedAt: epochMs.nullable(),
        relationship: z.enum(RELATIONSHIP_STATUSES).nullable(),
        customerSince: epochMs.nullable(),
        customerUntil: epochMs.nullable(),
        lastInboundAt: epochMs.nullable(),
        department: z.string().nullable(),
        timeZone: z.string().nullable(),
        sourceUrl: z.string().nullable(),
        obtainedAt: epochMs.nullable(),
        transfers: z.int().min(0).nullable(),
        freeAccountOfPaidModel: z.boolean().nullable(),
      }),
    ),
    consents: z.array(
      z.strictObject({
        controller: z.string(),
        channel: z.enum(CHANNELS),
        givenAt: epochMs,
        withdrawnAt: epochMs.nullable(),
        method: z.enum(CONSENT_METHODS).nullable(),
        scope: z.enum(CONSENT_SCOPES),
        proof: z.boolean(),
        collectedBy: z.enum(COLLECTORS).nullable(),
        namedHow: z.enum(SENDER_NAMINGS).nullable(),
      }),
    ),
    objections: z.array(objectionHeld),
    contacts: z.array(contactHeld),
    notices: z.array(z.strictObject({ controller: z.string(), at: epochMs })),
    callbacks: z.array(
      z.strictObject({
        controller: z.string(),
        at: epochMs,
        slot: z.strictObject({ from: epochMs, to: epochMs }).nullable(),
        subject: z
          .string()
          .nullable()
          .meta({ description: "a sector; empty when two requests named different ones" }),
      }),
    ),
    registry: z.array(
      z.strictObject({
        checkedAt: epochMs,
        registered: z.boolean(),
        registeredAt: epochMs.nullable(),
        effectiveAt: epochMs.nullable(),
      }),
    ),
    person: z
      .strictObject({
        keys: z.array(z.string()),
        erasedAt: epochMs.nullable(),
        objections: z.array(objectionHeld),
        contacts: z.array(contactHeld),
      })
      .meta({ description: "what the person's other points hold that binds this one too" }),
  })
  .meta({ title: "Evidence", description: "everything held about a point; instants in epoch ms" });

/** Every type of event: a record, so that the type checker sees a new one missing here. */
const EVENT_TYPES: Record<EventData["type"], true> = {
  "source.recorded": true,
  "consent.given": true,
  "consent.withdrawn": true,
  "objection.recorded": true,
  "registry.snapshot": true,
  "contact.made": true,
  "notice.sent": true,
  "callback.requested": true,
  "subject.linked": true,
  "subject.erased": true,
  "activity.recorded": true,
};

/** An event of the log (src/evidence/events.ts `StoredEvent`). */
export const eventAnswer = z
  .strictObject({
    tenant: z.string(),
    seq: z.int().min(1),
    eventId: z.string(),
    pointKey: z.string().meta({ description: "keyed hash of the point; empty for events about no one" }),
    controller: z.string(),
    occurredAt: epochMs,
    recordedAt: epochMs,
    data: z
      .looseObject({ type: z.enum(Object.keys(EVENT_TYPES) as [EventData["type"], ...EventData["type"][]]) })
      .meta({
        description:
          "what happened: its `type`, and the fields of that type (src/evidence/events.ts `EventData`), not described here",
      }),
    proof: z.strictObject({
      recordedBy: z.string(),
      collectionPoint: z.string().optional(),
      wordingVersion: z.string().optional(),
      wordingSha256: z.string().optional(),
      proofRef: z.string().optional(),
    }),
    pii: z
      .strictObject({
        point: z.strictObject({ type: pointType, value: z.string() }).optional(),
        ip: z.string().optional(),
        userAgent: z.string().optional(),
        sourceUrl: z.string().optional(),
      })
      .nullable()
      .meta({ description: "the event's personal data; null once erased, or when it had none" }),
    piiHash: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ title: "Event" });

/** `GET /v1/subjects/{point}/export` (src/services/rights.ts `SubjectExport`). */
export const subjectExportAnswer = z.strictObject({
  point: z.strictObject({ type: pointType, value: z.string() }).meta({ description: "as normalized" }),
  tenant: z.string(),
  evidence: evidenceAnswer,
  events: z.array(eventAnswer),
  linked: z
    .array(
      z.strictObject({
        key: z.string(),
        point: z
          .strictObject({ type: pointType, value: z.string().nullable() })
          .nullable()
          .meta({ description: "null when not held; its value null once erased" }),
        evidence: evidenceAnswer,
        events: z.array(eventAnswer),
      }),
    )
    .meta({ description: "the person's other points (recorded with this one), and what is held on each" }),
});

/** `POST /v1/subjects/{point}/erase` (src/services/rights.ts `ErasureResult`). */
export const erasureAnswer = z.strictObject({
  erasedAt: epochMs,
  alreadyErasedAt: epochMs.nullable().meta({ description: "null the first time" }),
  keys: z
    .int()
    .min(0)
    .meta({ description: "keys erased: the point's under every keyring version, and its linked points'" }),
  linked: z
    .array(z.strictObject({ key: z.string(), type: pointType, value: z.string().nullable() }))
    .meta({ description: "the person's other points, erased with it (their former value)" }),
  files: z
    .strictObject({
      purged: z.array(z.strictObject({ file: z.string(), removed: z.int().min(1) })),
      notPurged: z.array(z.strictObject({ where: z.string(), why: z.string() })),
    })
    .meta({ description: "the outbox and saved screenings purged of the person, and where they may remain" }),
  store: z.array(z.string()).meta({ description: "what the store could not make unrecoverable" }),
});

/**
 * A schema as the OpenAPI document holds it (JSON Schema 2020-12, the dialect it declares): the
 * output side, or the input side for an answer that gives back what the client sent.
 */
export function answerSchema(schema: z.ZodType, io: "input" | "output" = "output"): object {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io }) as Record<string, unknown>;
  return json;
}
