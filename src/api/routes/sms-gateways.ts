// SMS gateways as they post: Twilio relays an inbound SMS as a form post signed with
// X-Twilio-Signature (HMAC-SHA1 under the account's auth token, over the URL it called and the
// parameters sorted by name, base64). A STOP among them records an objection to SMS, for every
// controller of the tenant (the person answered the tenant's sending number); the answer is the
// empty TwiML Twilio expects (no auto-reply: Twilio's own Advanced Opt-Out confirms the STOP).
// Without a token configured the route answers 404: an unsigned relay would let anyone record
// objections, or learn which numbers vigie knows.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { objectionEvent } from "../../services/record.ts";
import { subjectOf } from "../../services/session.ts";
import type { ApiContext } from "../context.ts";
import { messageError } from "../errors.ts";
import type { Routes } from "../route.ts";
import { isStopMessage } from "../sms-stop.ts";

const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** Twilio's signature of a request: base64 HMAC-SHA1 of the URL then each parameter, sorted. */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Readonly<Record<string, string>>,
): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, k) => `${text}${k}${params[k]}`, url);
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function smsGatewayRoutes(routes: Routes, ctx: ApiContext, twilioAuthToken: string | undefined): void {
  routes.raw(
    {
      method: "POST",
      url: "/v1/sms/twilio",
      summary: "Twilio's inbound SMS webhook: a STOP records an objection to SMS",
      description:
        "application/x-www-form-urlencoded as Twilio posts it (From, To, Body, MessageSid…), signed with X-Twilio-Signature under the auth token in $VIGIE_TWILIO_AUTH_TOKEN (the URL signed is --public-url's when set). Answers empty TwiML. 404 when no token is configured, 403 for a signature that does not hold.",
      scope: null,
      responses: {
        200: "empty TwiML (text/xml)",
        400: "no From, or not a number",
        403: "bad signature",
        404: "not configured",
      },
    },
    async (body, req: FastifyRequest, reply: FastifyReply) => {
      if (twilioAuthToken === undefined) {
        return reply
          .code(404)
          .send(messageError("no Twilio auth token: set VIGIE_TWILIO_AUTH_TOKEN for vigie serve"));
      }
      const params = formOf(body);
      if (params === null)
        return reply.code(415).send(messageError("expected application/x-www-form-urlencoded"));
      const base = ctx.publicUrl ?? `${req.protocol}://${req.headers.host ?? ""}`;
      const expected = twilioSignature(twilioAuthToken, `${base.replace(/\/$/, "")}${req.url}`, params);
      const given = req.headers["x-twilio-signature"];
      if (typeof given !== "string" || !sameText(given, expected)) {
        return reply.code(403).send(messageError("X-Twilio-Signature does not hold for this URL and body"));
      }
      const from = params.From;
      if (from === undefined) return reply.code(400).send(messageError("required", "From"));
      if (isStopMessage(params.Body ?? "")) {
        const subject = subjectOf(ctx.session.ring, from);
        if (!subject.ok) return reply.code(400).send(messageError(subject.reason, "From"));
        const proof = {
          recordedBy: "sms-gateway:twilio",
          ...(params.MessageSid === undefined ? {} : { proofRef: `twilio:${params.MessageSid}` }),
        };
        await ctx.session.store.append([
          objectionEvent(
            { tenant: ctx.session.tenant, subject: subject.subject, proof },
            "sms",
            "stop_sms",
            ctx.now(),
          ),
        ]);
      }
      return reply.header("content-type", "text/xml; charset=utf-8").send(TWIML);
    },
  );
}

/** A form body as @fastify/formbody parses it: every value a string (a repeated name: refused). */
function formOf(body: unknown): Record<string, string> | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v !== "string") return null;
    out[k] = v;
  }
  return out;
}
