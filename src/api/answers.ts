// The shapes of the API's answers that clients build on, as zod schemas: the OpenAPI document
// describes them from here (openapi.ts), a generated client types them, and the API's tests check
// real answers against them strictly — so the description cannot drift from what is sent.
import { z } from "zod";
import { RULE_IDS } from "../engine/rule-ids.ts";

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

/** A schema as the OpenAPI document holds it (JSON Schema 2020-12, the dialect it declares). */
export function answerSchema(schema: z.ZodType): object {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: "output" }) as Record<string, unknown>;
  return json;
}
