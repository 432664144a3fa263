// SMS gateways as they post: Twilio relays an inbound SMS as a form post signed with
// X-Twilio-Signature (HMAC-SHA1 under the account's auth token, over the URL it called and the
// parameters sorted by name, base64); Vonage as JSON, a form or a query string with a `sig`
// parameter (its signature secret over the other parameters sorted, `&name=value`, by the method
// set in its dashboard); Brevo as JSON, one transactional SMS event or a batch of them, which it
// does not sign: it sends the token set on the webhook (`auth: {type: "bearer"}`) or the
// credentials written in its URL. A STOP among them (or Brevo's own `unsubscribe` event) records
// an objection to SMS, for every controller of the tenant (the person answered the tenant's
// sending number); the answer is what each expects (Twilio: empty TwiML, no auto-reply — its
// Advanced Opt-Out confirms the STOP; Vonage and Brevo: 204). Without a secret configured a route
// answers 404: an unsigned relay would let anyone record objections, or learn which numbers vigie
// knows.
import { createHash, createHmac } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { objectionEvent } from "../../services/record.ts";
import { subjectOf } from "../../services/session.ts";
import { sameText } from "../../web/same-text.ts";
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

/** How Vonage signs: the method chosen with the signature secret in its dashboard. */
export const VONAGE_METHODS = ["md5hash", "md5", "sha1", "sha256", "sha512"] as const;
export type VonageMethod = (typeof VONAGE_METHODS)[number];

/**
 * Vonage's signature of a request's parameters (all but `sig`): `&name=value` sorted by name, `&`
 * and `=` in values as `_`, then HMAC under the secret (hex), or for md5hash the MD5 of that text
 * followed by the secret.
 */
export function vonageSignature(
  secret: string,
  method: VonageMethod,
  params: Readonly<Record<string, string>>,
): string {
  const text = Object.keys(params)
    .filter((k) => k !== "sig")
    .sort()
    .map((k) => `&${k}=${(params[k] as string).replace(/[&=]/g, "_")}`)
    .join("");
  return method === "md5hash"
    ? createHash("md5").update(`${text}${secret}`, "utf8").digest("hex")
    : createHmac(method, secret).update(text, "utf8").digest("hex");
}

export interface GatewaySecrets {
  /** Twilio's auth token, which signs its inbound SMS webhook; absent: /v1/sms/twilio answers 404. */
  readonly twilioAuthToken?: string | undefined;
  /** Vonage's signature secret and method; absent: /v1/sms/vonage answers 404. */
  readonly vonage?: { readonly secret: string; readonly method: VonageMethod } | undefined;
  /** The token Brevo sends with its SMS webhook; absent: /v1/sms/brevo answers 404. */
  readonly brevoToken?: string | undefined;
}

/**
 * Whether an Authorization header carries the token, as Brevo sends it: `Bearer TOKEN` (a webhook
 * made with `auth: {type: "bearer", token}`) or Basic credentials whose password is the token
 * (a webhook URL written `https://user:TOKEN@host/…`).
 */
export function carriesToken(authorization: string | undefined, token: string): boolean {
  if (authorization === undefined) return false;
  const [scheme = "", value = ""] = authorization.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme)) return sameText(value, token);
  if (!/^basic$/i.test(scheme)) return false;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon >= 0 && sameText(decoded.slice(colon + 1), token);
}

/** Vonage and Brevo give a number international without its +: E.164 has it. */
const withPlus = (n: string): string => (/^[1-9]\d{6,14}$/.test(n) ? `+${n}` : n);

/** A Brevo SMS event that stops messages: a reply that is a STOP, or Brevo's own unsubscribe. */
export interface BrevoStop {
  readonly from: string;
  readonly messageId: string | undefined;
}

/**
 * The STOPs among Brevo's SMS events (`to`: the number that received the message and answered,
 * international without its +; `msg_status` or `event`: what happened; `reply`: the text), or the
 * field at fault: a `reply` that is a STOP, or an `unsubscribe` event. Other events (sent,
 * delivered, bounces, other replies…) are taken and record nothing.
 */
export function brevoStops(body: unknown): { stops: BrevoStop[] } | { path: string; message: string } {
  const events = Array.isArray(body) ? body : [body];
  const stops: BrevoStop[] = [];
  for (const [i, e] of events.entries()) {
    const at = Array.isArray(body) ? `[${i}].` : "";
    if (e === null || typeof e !== "object" || Array.isArray(e)) {
      return { path: at.replace(/\.$/, ""), message: "expected Brevo's SMS event, a JSON object" };
    }
    const fields = e as Record<string, unknown>;
    const what = String(fields.msg_status ?? fields.event ?? "").toLowerCase();
    // A STOP in `reply` counts whatever the event says it is (fail closed: a status named another
    // way must not turn a STOP into nothing).
    const reply = typeof fields.reply === "string" ? fields.reply : "";
    const stop = /^unsubscribed?$/.test(what) || isStopMessage(reply);
    if (!stop) continue;
    const to = fields.to;
    if (typeof to !== "string" && typeof to !== "number") return { path: `${at}to`, message: "required" };
    const number = String(to);
    const id = fields.messageId ?? fields["message-id"];
    stops.push({
      from: withPlus(number),
      messageId: typeof id === "string" || typeof id === "number" ? String(id) : undefined,
    });
  }
  return { stops };
}

/** Records a STOP from `from` as an objection to SMS, proved by the gateway's message id. */
async function recordStop(ctx: ApiContext, from: string, gateway: string, messageId: string | undefined) {
  const subject = subjectOf(ctx.session.ring, from);
  if (!subject.ok) return subject.reason;
  const proof = {
    recordedBy: `sms-gateway:${gateway}`,
    ...(messageId === undefined ? {} : { proofRef: `${gateway}:${messageId}` }),
  };
  await ctx.session.store.append([
    objectionEvent(
      { tenant: ctx.session.tenant, subject: subject.subject, proof },
      "sms",
      "stop_sms",
      ctx.now(),
    ),
  ]);
  return null;
}

export function smsGatewayRoutes(routes: Routes, ctx: ApiContext, secrets: GatewaySecrets): void {
  const { twilioAuthToken, vonage, brevoToken } = secrets;
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
      textAnswers: { 200: ["text/xml"] },
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
        const bad = await recordStop(ctx, from, "twilio", params.MessageSid);
        if (bad !== null) return reply.code(400).send(messageError(bad, "From"));
      }
      return reply.header("content-type", "text/xml; charset=utf-8").send(TWIML);
    },
  );
  // Vonage posts JSON or a form, or sends a GET, as set in its dashboard: the same handling.
  for (const method of ["POST", "GET"] as const) {
    routes.raw(
      {
        method,
        url: "/v1/sms/vonage",
        summary: `Vonage's inbound SMS webhook (${method}): a STOP records an objection to SMS`,
        description:
          "Vonage's fields (msisdn, to, text, messageId, message-timestamp, timestamp, nonce…) as JSON, a form or a query string, signed with `sig` under $VIGIE_VONAGE_SIGNATURE_SECRET by $VIGIE_VONAGE_SIGNATURE_METHOD (md5hash, md5, sha1, sha256 — the default — or sha512, as set in Vonage's dashboard). Answers 204. 404 when no secret is configured, 403 for a signature that does not hold.",
        scope: null,
        responses: {
          204: "taken",
          400: "no msisdn, or not a number",
          403: "bad signature",
          404: "not configured",
        },
      },
      async (body, req: FastifyRequest, reply: FastifyReply) => {
        if (vonage === undefined) {
          return reply
            .code(404)
            .send(
              messageError("no Vonage signature secret: set VIGIE_VONAGE_SIGNATURE_SECRET for vigie serve"),
            );
        }
        const params = method === "GET" ? formOf(req.query) : (formOf(body) ?? scalarsOf(body));
        if (params === null) return reply.code(400).send(messageError("expected Vonage's parameters"));
        const given = params.sig;
        const expected = vonageSignature(vonage.secret, vonage.method, params);
        if (given === undefined || !sameText(given.toLowerCase(), expected)) {
          return reply.code(403).send(messageError("sig does not hold for these parameters"));
        }
        const msisdn = params.msisdn;
        if (msisdn === undefined) return reply.code(400).send(messageError("required", "msisdn"));
        if (isStopMessage(params.text ?? "")) {
          const bad = await recordStop(ctx, withPlus(msisdn), "vonage", params.messageId);
          if (bad !== null) return reply.code(400).send(messageError(bad, "msisdn"));
        }
        return reply.code(204).send();
      },
    );
  }
  routes.raw(
    {
      method: "POST",
      url: "/v1/sms/brevo",
      summary:
        "Brevo's transactional SMS webhook: a STOP replied, or an unsubscribe, records an objection to SMS",
      description:
        'Brevo\'s SMS events as JSON (one object, or an array from a batched webhook): `to`, `msg_status` (or `event`), `reply`, `messageId`… An event whose `reply` is a STOP (a `replied` event, whatever it is called), or an `unsubscribe` event, is an objection to SMS from `to`; other events record nothing. Brevo does not sign: make the webhook with `auth: {type: "bearer", token}` (or the token as the password in its URL) equal to $VIGIE_BREVO_WEBHOOK_TOKEN. Answers 204. 404 when no token is configured, 403 when the token does not hold, 400 naming the field of an event that cannot be read (nothing recorded).',
      scope: null,
      responses: {
        204: "taken",
        400: "an event that cannot be read, or not a number",
        403: "no token, or not the one configured",
        404: "not configured",
      },
    },
    async (body, req: FastifyRequest, reply: FastifyReply) => {
      if (brevoToken === undefined) {
        return reply
          .code(404)
          .send(messageError("no Brevo token: set VIGIE_BREVO_WEBHOOK_TOKEN for vigie serve"));
      }
      if (!carriesToken(req.headers.authorization, brevoToken)) {
        return reply
          .code(403)
          .send(messageError("Authorization does not carry the token of VIGIE_BREVO_WEBHOOK_TOKEN"));
      }
      const read = brevoStops(body);
      if ("path" in read) return reply.code(400).send(messageError(read.message, read.path));
      // Every number is checked before any is recorded: a batch is taken whole or not at all.
      const subjects = read.stops.map((s, i) => ({ s, i, subject: subjectOf(ctx.session.ring, s.from) }));
      for (const { i, subject } of subjects) {
        if (!subject.ok) {
          const at = Array.isArray(body) ? `[${i}].to` : "to";
          return reply.code(400).send(messageError(subject.reason, at));
        }
      }
      for (const { s } of subjects) await recordStop(ctx, s.from, "brevo", s.messageId);
      return reply.code(204).send();
    },
  );
}

/** A JSON body of scalars, each as the text Vonage signed (nested values: refused). */
function scalarsOf(body: unknown): Record<string, string> | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === "string") out[k] = v;
    else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
    else if (v !== null) return null;
  }
  return out;
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
