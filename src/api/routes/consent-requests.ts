// Double opt-in: a consent is recorded only once the person confirms, by a link sent by e-mail
// (`GET /c/TOKEN` shows a form and changes nothing, its POST confirms) or by a 6-digit code sent by
// SMS (the form that collected the number posts it to /v1/consents/confirm). The confirmation is
// recorded with its time, the confirming request's IP and User-Agent, and the request's wording.
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Proof } from "../../evidence/events.ts";
import type { PendingConsent } from "../../services/pending-consents.ts";
import { consentEvent } from "../../services/record.ts";
import { erasedAt, erasedMessage } from "../../services/rights.ts";
import { subjectOf } from "../../services/session.ts";
import { escapeHtml, page } from "../../web/html.ts";
import { NO_PUBLIC_URL, publicLink } from "../../web/public-url.ts";
import { answerSchema, consentRequestAnswer, duplicateAnswer, recordedAnswer } from "../answers.ts";
import type { ApiContext } from "../context.ts";
import { messageError } from "../errors.ts";
import { DEFAULT_OPT_IN_LIMITS, OptInGuard, type OptInLimits } from "../opt-in-limits.ts";
import { formFields, PAGES, publicPages } from "../public-pages.ts";
import type { Routes } from "../route.ts";
import { consentMethod, consentScope, controller, point, publicBaseUrl, requiredText } from "../schemas.ts";
import { openValue, sealValue } from "../unsubscribe.ts";
import { proofFields } from "./evidence.ts";

const requestBody = z.strictObject({
  point,
  controller,
  channel: z.enum(["email", "sms"], {
    error: () => "must be email (a link) or sms (a code): double opt-in confirms by one of them",
  }),
  method: consentMethod
    .optional()
    .meta({ description: "absent, or double_opt_in for email and sms_code for sms" }),
  scope: consentScope.default("standard"),
  ...proofFields,
  baseUrl: publicBaseUrl.optional().meta({
    description:
      "public address of this server, for the link; default `vigie serve --public-url` (none: 409)",
  }),
});
const confirmBody = z.strictObject({
  point,
  code: requiredText().regex(/^\d{6}$/, "expected the 6 digits sent by SMS"),
});

/** The proof fields that are set (the store's Proof has no `undefined` values). */
const definedOnly = (proof: PendingConsent["proof"]): Omit<Proof, "recordedBy"> =>
  Object.fromEntries(Object.entries(proof).filter(([, v]) => v !== undefined));

const METHOD = { email: "double_opt_in", sms: "sms_code" } as const;
const linkPayload = z.strictObject({ tenant: z.string(), consentRequest: z.string() });

const INVALID = [
  "Lien invalide / Invalid link",
  "<p>Ce lien n'est pas valide, a expiré ou a déjà servi. / " +
    "This link is not valid, has expired or was already used.</p>",
] as const;

const LIMITED = {
  locked: (s: number) => `too many wrong codes for this point: it is locked for ${s} s`,
  point: (s: number) => `too many requests for this point this hour: retry in ${s} s`,
  key: (s: number) => `too many double opt-in requests by this key this hour: retry in ${s} s`,
} as const;

const tooMany = (reply: FastifyReply, seconds: number, message: string) =>
  reply.code(429).header("retry-after", String(seconds)).send(messageError(message, "point"));

export function consentRequestRoutes(
  routes: Routes,
  ctx: ApiContext,
  secret: Buffer,
  limits: OptInLimits = DEFAULT_OPT_IN_LIMITS,
): void {
  const { session, pendingConsents: pending, outbox, now } = ctx;
  const guard = new OptInGuard(limits, now, session.store, session.tenant);

  /** Records the confirmed consent; null when the point was erased meanwhile. */
  async function confirm(p: PendingConsent, req: FastifyRequest): Promise<number | null | "erased"> {
    const subject = subjectOf(session.ring, p.point);
    if (!subject.ok) return "erased";
    const recording = {
      tenant: session.tenant,
      subject: subject.subject,
      controller: p.controller,
      proof: { recordedBy: `double-opt-in:api:${p.requestedBy}`, ...definedOnly(p.proof) },
    };
    const r = await session.store.append([
      consentEvent(recording, {
        channel: p.channel,
        givenAt: now(),
        method: METHOD[p.channel],
        scope: p.scope,
        proof: true,
        // vigie captured it: the person confirmed to the controller, named in the link or code message.
        collectedBy: "self",
        ip: req.ip,
        userAgent: req.headers["user-agent"],
      }),
    ]);
    return r.suppressed.length > 0 ? "erased" : (r.seqs[0] ?? null);
  }

  routes.withBody(
    {
      url: "/v1/consents/requests",
      summary: "Ask a person to confirm a consent (double opt-in by e-mail link or SMS code)",
      description:
        "Sends the link (valid 7 days) or a 6-digit code (valid 15 minutes, 5 attempts) through the outbox; " +
        "nothing is recorded until the person confirms. A new SMS request replaces the code pending for the number. " +
        "At most 5 requests a point and 1000 a key each hour.",
      scope: "write-evidence",
      schema: requestBody,
      responses: {
        201: "`{ id, channel, expiresAt }`",
        400: "invalid body",
        409: "the point was erased: nothing is sent; or an e-mail link with no public address (--public-url, baseUrl)",
        429: "too many requests for this point or by this key this hour, or the point is locked (Retry-After)",
        502: "the outbox refused the message",
      },
      answers: { 201: answerSchema(consentRequestAnswer) },
    },
    async (b, req, reply) => {
      const subject = subjectOf(session.ring, b.point);
      if (!subject.ok) return reply.code(400).send(messageError(subject.reason, "point"));
      const want = b.channel === "email" ? "email" : "phone";
      if (subject.subject.point.type !== want) {
        return reply
          .code(400)
          .send(
            messageError(
              `channel ${b.channel} needs a ${want === "email" ? "e-mail address" : "phone number"}`,
              "point",
            ),
          );
      }
      if (b.method !== undefined && b.method !== METHOD[b.channel]) {
        return reply
          .code(400)
          .send(messageError(`must be absent or ${METHOD[b.channel]} for ${b.channel}`, "method"));
      }
      const base = b.baseUrl ?? ctx.publicUrl;
      if (b.channel === "email" && base === null) {
        return reply.code(409).send(messageError(NO_PUBLIC_URL, "baseUrl"));
      }
      // No message goes to an erased person: their consent could not be recorded anyway.
      const erased = await erasedAt(session, subject.subject);
      if (erased !== null) return reply.code(409).send(messageError(erasedMessage(erased), "point"));
      const { wordingVersion, wordingSha256, collectionPoint, proofRef } = b;
      const to = subject.subject.point.value;
      const limit = await guard.request(subject.subject.key, req.apiKey?.id ?? "");
      if (limit.why !== null) return tooMany(reply, limit.wait, LIMITED[limit.why](limit.wait));
      const at = now();
      const { id, request, code } = await pending.add(
        {
          channel: b.channel,
          point: to,
          pointKey: subject.subject.key,
          controller: b.controller,
          scope: b.scope,
          proof: {
            ...(wordingVersion === undefined ? {} : { wordingVersion }),
            ...(wordingSha256 === undefined ? {} : { wordingSha256 }),
            ...(collectionPoint === undefined ? {} : { collectionPoint }),
            ...(proofRef === undefined ? {} : { proofRef }),
          },
          requestedBy: req.apiKey?.id ?? "",
        },
        at,
      );
      try {
        if (b.channel === "email") {
          const token = sealValue(secret, { tenant: session.tenant, consentRequest: id });
          const link = publicLink(base ?? "", `c/${token}`);
          await outbox.send({
            to,
            channel: "email",
            subject: `Confirmez votre accord / Confirm your consent — ${b.controller}`,
            text:
              `${b.controller} vous demande votre accord pour vous écrire à cette adresse. ` +
              `Pour le donner, ouvrez ce lien (valable 7 jours) :\n${link}\n\n` +
              `${b.controller} asks for your consent to write to this address. ` +
              `To give it, open this link (valid 7 days):\n${link}\n\n` +
              "Sans réponse de votre part, rien n'est enregistré. / Without an answer, nothing is recorded.\n",
          });
        } else {
          await outbox.send({
            to,
            channel: "sms",
            text: `${code} : votre code pour accepter les SMS de ${b.controller} (valable 15 min). / your code to accept SMS from ${b.controller}.`,
          });
        }
      } catch (e) {
        await pending.remove(id);
        req.log.error({ error: `outbox: ${(e as Error).message}` });
        return reply
          .code(502)
          .send(messageError("the outbox could not send the message; nothing is pending"));
      }
      return reply.code(201).send({
        id,
        channel: request.channel,
        expiresAt: new Date(request.expiresAt).toISOString(),
      });
    },
  );

  const requestOf = (token: string): string | null => {
    const parsed = linkPayload.safeParse(openValue(secret, token));
    return parsed.success && parsed.data.tenant === session.tenant ? parsed.data.consentRequest : null;
  };

  const thanks = (reply: FastifyReply, seq: number | null | "erased") =>
    seq === "erased"
      ? page(
          reply,
          409,
          "Impossible / Not possible",
          "<p>Cette adresse a été effacée. / This address was erased.</p>",
        )
      : page(
          reply,
          200,
          "Merci / Thank you",
          "<p>Votre accord est enregistré. / Your consent is recorded.</p>",
        );

  publicPages(routes, ctx.perAddress, (routes) => {
    routes.raw(
      {
        method: "GET",
        url: "/c/:token",
        summary: "Double opt-in confirmation page (changes nothing)",
        scope: null,
        responses: {
          200: "HTML page with a confirmation button",
          404: "invalid, expired or used link",
          429: "too many requests from this address",
        },
        textAnswers: PAGES,
      },
      async (_body, req, reply) => {
        const id = requestOf((req.params as { token: string }).token);
        const p = id === null ? undefined : await pending.link(id, now());
        if (p === undefined) return page(reply, 404, ...INVALID);
        const who = escapeHtml(p.controller);
        return page(
          reply,
          200,
          "Confirmer / Confirm",
          `<p>${who} vous demande votre accord pour vous écrire à ${escapeHtml(p.point)}. / ` +
            `${who} asks for your consent to write to ${escapeHtml(p.point)}.</p>` +
            `<form method="post"><input type="hidden" name="confirm" value="yes">` +
            `<button type="submit">J'accepte / I agree</button></form>`,
        );
      },
    );

    routes.raw(
      {
        method: "POST",
        url: "/c/:token",
        summary: "Double opt-in: the person confirms; records the consent",
        description:
          "Body `confirm=yes` (application/x-www-form-urlencoded or multipart/form-data). Records `consent.given` with method " +
          "double_opt_in, the time of confirmation, this request's IP and User-Agent, and the request's wording.",
        scope: null,
        responses: {
          200: "HTML page: consent recorded",
          400: "body is not confirm=yes",
          404: "invalid, expired or used link",
          409: "the address was erased meanwhile",
          429: "too many requests from this address",
        },
        textAnswers: { ...PAGES, 409: ["text/html"] },
      },
      async (body, req, reply) => {
        const id = requestOf((req.params as { token: string }).token);
        if (id === null || (await pending.link(id, now())) === undefined) return page(reply, 404, ...INVALID);
        if (formFields(body).confirm !== "yes") {
          return reply.code(400).send(messageError("expected confirm=yes", "confirm"));
        }
        const p = await pending.takeLink(id, now());
        if (p === undefined) return page(reply, 404, ...INVALID);
        return thanks(reply, await confirm(p, req));
      },
    );
  });

  routes.withBody(
    {
      url: "/v1/consents/confirm",
      summary: "Double opt-in by SMS: the code the person typed; records the consent",
      description:
        "Posted by the form that collected the number. Records `consent.given` with method sms_code, the time of " +
        "confirmation, this request's IP and User-Agent, and the request's wording. 5 wrong codes for a number, " +
        "across its requests, drop its code and lock it for 15 minutes (429 with Retry-After); the lock then ends.",
      scope: "write-evidence",
      schema: confirmBody,
      responses: {
        201: "recorded: `{ seq }`",
        200: "the same consent was recorded already: `{ seq: null, duplicate: true }`",
        400: "invalid body, or wrong code (the attempts left in the message)",
        404: "no code pending for this number (none asked, expired, used or dropped by a lock)",
        409: "the number was erased meanwhile",
        429: "too many wrong codes: the number is locked (Retry-After)",
      },
      answers: { 201: answerSchema(recordedAnswer), 200: answerSchema(duplicateAnswer) },
    },
    async (b, req, reply) => {
      const subject = subjectOf(session.ring, b.point);
      if (!subject.ok) return reply.code(400).send(messageError(subject.reason, "point"));
      const locked = await guard.lockedFor(subject.subject.key);
      if (locked > 0)
        return tooMany(reply, locked, `too many wrong codes: this number is locked for ${locked} s`);
      const check = await pending.checkCode(subject.subject.key, b.code, now());
      if (!check.ok) {
        if (check.reason === "none") {
          return reply
            .code(404)
            .send(
              messageError("no code pending for this number (none asked, expired, used or locked)", "code"),
            );
        }
        const wrong = await guard.wrongCode(subject.subject.key);
        if (wrong.lockedFor > 0) {
          await pending.dropCode(subject.subject.key);
          return tooMany(
            reply,
            wrong.lockedFor,
            `wrong code; too many attempts: this number is locked for ${wrong.lockedFor} s, then ask for a new code`,
          );
        }
        return reply
          .code(400)
          .send(messageError(`wrong code; ${wrong.attemptsLeft} attempt(s) left`, "code"));
      }
      await guard.rightCode(subject.subject.key);
      const seq = await confirm(check.request, req);
      if (seq === "erased") {
        return reply
          .code(409)
          .send(messageError("this contact point was erased: it cannot be recorded again", "point"));
      }
      return seq === null ? { seq: null, duplicate: true } : reply.code(201).send({ seq });
    },
  );
}
