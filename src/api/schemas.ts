// Shapes shared by the request bodies.
import { z } from "zod";
import { CLOCK_SKEW_MS, type Clock, EVIDENCE_FLOOR, evidenceDateError } from "../facts/evidence-dates.ts";
import { withoutBlankName } from "../facts/parse.ts";
import {
  CHANNELS,
  COLLECTORS,
  CONSENT_METHODS,
  CONSENT_SCOPES,
  OBJECTION_VIAS,
  OUTCOMES,
  SECTORS,
  SENDER_NAMINGS,
} from "../facts/vocabulary.ts";
import { withoutControlCharacters } from "../normalize/control-characters.ts";
import { parseInstant } from "../time/zoned.ts";
import { publicBase } from "../web/public-url.ts";

/**
 * A required text field: "required" when it is missing, "must be a string" when it is there as
 * another type (a phone number sent as a JSON number is given, not missing).
 */
export const requiredText = () =>
  z.string({ error: (issue) => (issue.input === undefined ? "required" : "must be a string") });

export const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => `must be one of: ${values.join(", ")}` });

/** An instant: ISO 8601 with an offset, or a bare date (that day in Europe/Paris); to epoch ms. */
export const instant = z
  .string({ error: "not a date" })
  .transform((text, ctx) => {
    const ms = parseInstant(text);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: "not a date (YYYY-MM-DD or ISO 8601 with an offset)" });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: "ISO 8601 instant with an offset, or a bare date (Europe/Paris)" });

/**
 * The instant of an event recorded as evidence: refused outside the bounds of
 * facts/evidence-dates.ts. One within the clock skew allowed ahead of the server's clock happened
 * now, and is recorded so: an objection stamped by a clock running fast must bind at once, not
 * minutes later.
 */
export const evidenceInstant = (now: Clock) =>
  instant
    .check((ctx) => {
      const error = evidenceDateError(ctx.value, "event", now());
      if (error !== undefined) ctx.issues.push({ code: "custom", input: ctx.value, message: error });
    })
    .transform((ms) => Math.min(ms, now()))
    .meta({
      description: `ISO 8601 instant with an offset, or a bare date (Europe/Paris); not in the future (${CLOCK_SKEW_MS / 60_000} min of clock skew allowed), not before ${EVIDENCE_FLOOR}`,
    });

/**
 * The public address a request gives for the links it makes, checked as `--public-url` is: an
 * http(s) URL without query, fragment or credentials (a link made under `?x` lost its path, one
 * under `user:pw@` carried them to the person).
 */
export const publicBaseUrl = z
  .url({ protocol: /^https?$/ })
  .transform((text, ctx) => {
    const base = publicBase(text);
    if (typeof base === "string") return base;
    ctx.issues.push({ code: "custom", input: text, message: base.error });
    return z.NEVER;
  })
  .meta({ description: "an http(s) URL without query, fragment or credentials" });

/** A callback slot: an instant that may lie ahead, within the bounds of facts/evidence-dates.ts. */
export const slotInstant = instant.check((ctx) => {
  const error = evidenceDateError(ctx.value, "callback-slot", null);
  if (error !== undefined) ctx.issues.push({ code: "custom", input: ctx.value, message: error });
});

/** Free text that may reach a message, a header or a file: no control characters. */
export const plainText = () => withoutControlCharacters(z.string());

export const point = withoutControlCharacters(requiredText().min(1, "required")).meta({
  description: "a phone number or an e-mail address, as the person gave it",
});
export const controller = withoutBlankName(withoutControlCharacters(requiredText().min(1, "required")));
/** A controller or advertiser that may be absent or empty (every controller; the controller itself). */
export const optionalName = () => withoutBlankName(plainText());
export const channel = oneOf(CHANNELS);
/** A channel, or `all` of them (an objection, an unsubscribe link); `all` when absent. */
export const channelOrAll = oneOf(["all", ...CHANNELS] as const).default("all");
export const consentMethod = oneOf(CONSENT_METHODS);
export const consentScope = oneOf(CONSENT_SCOPES);
export const collector = oneOf(COLLECTORS);
export const senderNaming = oneOf(SENDER_NAMINGS);
export const objectionVia = oneOf(OBJECTION_VIAS);
export const outcome = oneOf(OUTCOMES);
export const sector = oneOf(SECTORS);
