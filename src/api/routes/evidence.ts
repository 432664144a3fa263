// Evidence writes: one event each, built by services/record.ts and appended to the log. 201 with
// its seq; 200 with seq null when the same fact was already recorded; 409 when the point was
// erased and the event (a new consent) would bring its personal data back.
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { NewEvent, Proof } from "../../evidence/events.ts";
import { type Channel, consentPointError } from "../../facts/vocabulary.ts";
import {
  callbackEvent,
  consentEvent,
  contactEvent,
  noticeEvent,
  objectionEvent,
  type Recording,
  withdrawalEvent,
} from "../../services/record.ts";
import { erasedAt, erasedMessage } from "../../services/rights.ts";
import { subjectOf } from "../../services/session.ts";
import { answerSchema, duplicateAnswer, recordedAnswer } from "../answers.ts";
import type { ApiContext } from "../context.ts";
import { messageError } from "../errors.ts";
import type { Routes } from "../route.ts";
import {
  channel,
  channelOrAll,
  collector,
  consentMethod,
  consentScope,
  controller,
  evidenceInstant,
  objectionVia,
  optionalName,
  outcome,
  plainText,
  point,
  requiredText,
  sector,
  senderNaming,
  slotInstant,
} from "../schemas.ts";
import { isStopMessage } from "../sms-stop.ts";

/** The wording and proof fields of a consent, shared with the double opt-in requests. */
export const proofFields = {
  wordingVersion: plainText().min(1).optional(),
  wordingSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "expected 64 lower-case hex digits")
    .optional(),
  collectionPoint: plainText().min(1).optional(),
  proofRef: plainText().min(1).optional(),
};

/** The bodies; `at` is an instant evidence may carry, read against the server's clock. */
function bodies(at: ReturnType<typeof evidenceInstant>) {
  return {
    consent: z
      .strictObject({
        point,
        controller,
        channel,
        givenAt: at.optional(),
        method: consentMethod.optional(),
        scope: consentScope.default("standard"),
        proof: z
          .boolean()
          .optional()
          .meta({ description: "evidence is held; default: true when a proof field is given" }),
        collectedBy: collector
          .optional()
          .meta({ description: "who collected it; absent: not recorded (docs/readings.md)" }),
        namedHow: senderNaming
          .optional()
          .meta({ description: "partner or broker only: how its form named the controller" }),
        ...proofFields,
      })
      .superRefine((b, ctx) => {
        if (b.namedHow !== undefined && b.collectedBy !== "partner" && b.collectedBy !== "broker") {
          ctx.addIssue({
            code: "custom",
            path: ["namedHow"],
            message:
              'only for a consent collected by a partner or broker (collectedBy "partner" or "broker")',
          });
        }
      }),
    withdraw: z.strictObject({ point, controller, channel, at: at.optional() }),
    objection: z.strictObject({
      point,
      controller: optionalName().optional().meta({ description: "absent or empty: every controller" }),
      channel: channelOrAll,
      via: objectionVia.optional(),
      at: at.optional(),
    }),
    contact: z.strictObject({
      point,
      controller: controller.meta({ description: "who made the contact (the call centre, when one called)" }),
      channel,
      at,
      outcome,
      advertiser: optionalName()
        .min(1)
        .optional()
        .meta({ description: "for whom a call centre called; absent: the controller itself" }),
      sector: sector.optional().meta({ description: "what the contact offered; absent: not recorded" }),
    }),
    notice: z.strictObject({ point, controller, at: at.optional() }),
    callback: z
      .strictObject({
        point,
        controller,
        at: at.optional(),
        slot: z.strictObject({ from: slotInstant, to: slotInstant }).optional(),
        subject: sector.optional(),
      })
      .refine((b) => b.slot === undefined || b.slot.from <= b.slot.to, {
        error: "ends before it starts",
        path: ["slot", "to"],
      }),
    smsReply: z.strictObject({
      from: point.meta({ description: "the number that replied" }),
      text: requiredText().max(1600),
      controller: optionalName()
        .optional()
        .meta({ description: "the sender the reply went to; absent: every controller" }),
      at: at.optional(),
    }),
  };
}

const RESPONSES = {
  201: "recorded: `{ seq }`",
  200: "already recorded: `{ seq: null, duplicate: true }`",
  400: "invalid body",
};
const ANSWERS = { 201: answerSchema(recordedAnswer), 200: answerSchema(duplicateAnswer) };

export function evidenceRoutes(routes: Routes, ctx: ApiContext): void {
  const { session, now } = ctx;
  const shapes = bodies(evidenceInstant(now));

  /** Appends the event built for the body's point; `build` gets the recording to build it from. */
  async function record(
    req: FastifyRequest,
    reply: FastifyReply,
    body: { point: string; controller?: string | undefined },
    proof: Omit<Proof, "recordedBy">,
    build: (r: Recording) => NewEvent,
    pointField = "point",
  ) {
    const subject = subjectOf(session.ring, body.point);
    if (!subject.ok) return reply.code(400).send(messageError(subject.reason, pointField));
    const recording: Recording = {
      tenant: session.tenant,
      subject: subject.subject,
      controller: body.controller,
      proof: { recordedBy: `api:${req.apiKey?.id}`, ...proof },
    };
    const r = await session.store.append([build(recording)]);
    if (r.suppressed.length > 0) {
      return reply
        .code(409)
        .send(messageError("this contact point was erased: it cannot be recorded again", "point"));
    }
    const seq = r.seqs[0] ?? null;
    return seq === null ? { seq: null, duplicate: true } : reply.code(201).send({ seq });
  }

  /** Why `raw` is not the kind of point `channel` reaches (a phone for calls and SMS), or null. */
  const pointKindError = (raw: string, channel: Channel): string | null => {
    const subject = subjectOf(session.ring, raw);
    return subject.ok ? consentPointError(channel, subject.subject.point.type) : null;
  };

  routes.withBody(
    {
      url: "/v1/consents",
      summary: "Record a consent with its proof",
      description:
        "The request's IP address and User-Agent are recorded with it as personal data (erasable).",
      scope: "write-evidence",
      schema: shapes.consent,
      responses: { ...RESPONSES, 409: "the point was erased: a new consent is refused" },
      answers: ANSWERS,
    },
    async (b, req, reply) => {
      const { wordingVersion, wordingSha256, collectionPoint, proofRef } = b;
      const proof = {
        ...(wordingVersion === undefined ? {} : { wordingVersion }),
        ...(wordingSha256 === undefined ? {} : { wordingSha256 }),
        ...(collectionPoint === undefined ? {} : { collectionPoint }),
        ...(proofRef === undefined ? {} : { proofRef }),
      };
      const userAgent = req.headers["user-agent"];
      const subject = subjectOf(session.ring, b.point);
      // A consent is given for the point its channel reaches (kinds.ts consentPoints).
      const unreached = subject.ok ? consentPointError(b.channel, subject.subject.point.type) : null;
      if (unreached !== null) return reply.code(400).send(messageError(unreached, "channel"));
      const erased = subject.ok ? await erasedAt(session, subject.subject) : null;
      if (erased !== null) return reply.code(409).send(messageError(erasedMessage(erased), "point"));
      return record(req, reply, b, proof, (r) =>
        consentEvent(r, {
          channel: b.channel,
          givenAt: b.givenAt ?? now(),
          method: b.method ?? null,
          scope: b.scope,
          proof: b.proof ?? Object.keys(proof).length > 0,
          ip: req.ip,
          userAgent,
          collectedBy: b.collectedBy,
          namedHow: b.namedHow,
        }),
      );
    },
  );

  routes.withBody(
    {
      url: "/v1/consents/withdraw",
      summary: "Record the withdrawal of a consent",
      scope: "write-evidence",
      schema: shapes.withdraw,
      responses: RESPONSES,
      answers: ANSWERS,
    },
    (b, req, reply) => record(req, reply, b, {}, (r) => withdrawalEvent(r, b.channel, b.at ?? now())),
  );

  routes.withBody(
    {
      url: "/v1/objections",
      summary: "Record an objection to prospecting (GDPR art. 21)",
      scope: "write-evidence",
      schema: shapes.objection,
      responses: RESPONSES,
      answers: ANSWERS,
    },
    (b, req, reply) =>
      record(req, reply, b, {}, (r) => objectionEvent(r, b.channel, b.via ?? null, b.at ?? now())),
  );

  routes.withBody(
    {
      url: "/v1/contacts-made",
      summary: "Record a contact made, with its outcome",
      description: "Feeds the frequency and refusal-pause rules.",
      scope: "write-evidence",
      schema: shapes.contact,
      responses: RESPONSES,
      answers: ANSWERS,
    },
    async (b, req, reply) => {
      // A call reaches a phone number, an e-mail an address: recorded on the other kind, it would
      // count (or bind, when objected) for a point it never reached.
      const unreached = pointKindError(b.point, b.channel);
      if (unreached !== null) return reply.code(400).send(messageError(unreached, "channel"));
      return record(req, reply, b, {}, (r) =>
        contactEvent(r, b.channel, b.outcome, b.at, { advertiser: b.advertiser, sector: b.sector }),
      );
    },
  );

  routes.withBody(
    {
      url: "/v1/notices",
      summary: "Record that the GDPR art. 14 notice (with the source of the data) was sent",
      description:
        "Feeds gdpr-14/information: data not collected from the person may be used once it is sent.",
      scope: "write-evidence",
      schema: shapes.notice,
      responses: RESPONSES,
      answers: ANSWERS,
    },
    (b, req, reply) => record(req, reply, b, {}, (r) => noticeEvent(r, b.at ?? now())),
  );

  routes.withBody(
    {
      url: "/v1/callback-requests",
      summary: "Record that the person asked to be called back (in a slot, about a subject)",
      description:
        "Feeds the callback exception (docs/readings.md, H4): only the call asked for — inside the slot, about the subject, when given; else within the policy's window — is not canvassing.",
      scope: "write-evidence",
      schema: shapes.callback,
      responses: RESPONSES,
      answers: ANSWERS,
    },
    async (b, req, reply) => {
      const unreached = pointKindError(b.point, "voice_live");
      if (unreached !== null) return reply.code(400).send(messageError(`a callback ${unreached}`, "point"));
      return record(req, reply, b, {}, (r) =>
        callbackEvent(r, b.at ?? now(), b.slot ?? null, b.subject ?? null),
      );
    },
  );

  routes.withBody(
    {
      url: "/v1/sms/replies",
      summary: "An SMS gateway relays a reply: a STOP records an objection to SMS",
      description:
        "Recognises STOP, STOP SMS, ARRET, ARRÊT, DESABONNER, UNSUBSCRIBE, NE PLUS RECEVOIR… in French and English, " +
        "any case, accents or width, anywhere in a reply of up to 8 words, at its start or end in a longer one. " +
        "Other replies are acknowledged and not recorded: `{ stop: false }`.",
      scope: "write-evidence",
      schema: shapes.smsReply,
      responses: { ...RESPONSES, 200: "`{ stop: false }`, or an objection already recorded" },
      answers: {
        201: ANSWERS[201],
        200: answerSchema(z.union([z.strictObject({ stop: z.literal(false) }), duplicateAnswer])),
      },
    },
    async (b, req, reply) => {
      const unreached = pointKindError(b.from, "sms");
      if (unreached !== null) return reply.code(400).send(messageError(`an SMS reply: ${unreached}`, "from"));
      if (!isStopMessage(b.text)) return { stop: false };
      return record(
        req,
        reply,
        { point: b.from, controller: b.controller },
        {},
        (r) => objectionEvent(r, "sms", "stop_sms", b.at ?? now()),
        "from",
      );
    },
  );
}
