// RFC 8058 one-click unsubscribe. Senders get a link for a point (POST /v1/unsubscribe-links) and
// put it in `List-Unsubscribe: <https://…/u/TOKEN>` with `List-Unsubscribe-Post:
// List-Unsubscribe=One-Click`. GET shows a confirmation page and changes nothing (mail scanners
// follow links); POST with `List-Unsubscribe=One-Click` records the objection, once.
import { z } from "zod";
import { controllerKeyOf } from "../../facts/types.ts";
import { objectionEvent } from "../../services/record.ts";
import { subjectOf } from "../../services/session.ts";
import { page } from "../../web/html.ts";
import { publicLink } from "../../web/public-url.ts";
import { answerSchema, unsubscribeLinkAnswer } from "../answers.ts";
import type { ApiContext } from "../context.ts";
import { messageError } from "../errors.ts";
import { formFields, PAGES, publicPages } from "../public-pages.ts";
import type { Routes } from "../route.ts";
import { channelOrAll, optionalName, point, publicBaseUrl } from "../schemas.ts";
import { openToken, sealToken, type Unsubscribe } from "../unsubscribe.ts";

const linkBody = z.strictObject({
  point,
  controller: optionalName().optional().meta({ description: "absent or empty: every controller" }),
  channel: channelOrAll,
  baseUrl: publicBaseUrl.optional().meta({
    description:
      "public address of this server, default `vigie serve --public-url`: with one, the answer carries the two headers to send",
  }),
});

/** The RFC 2369 / RFC 8058 headers a sender puts on the message. */
export function unsubscribeHeaders(baseUrl: string, path: string): Record<string, string> {
  return {
    "List-Unsubscribe": `<${publicLink(baseUrl, path)}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

const ONE_CLICK_SCHEMA = {
  type: "object",
  properties: { "List-Unsubscribe": { const: "One-Click" } },
};

const INVALID = [
  "Lien invalide / Invalid link",
  "<p>Ce lien n'est pas valide. / This link is not valid.</p>",
] as const;

export function unsubscribeRoutes(routes: Routes, ctx: ApiContext, secret: Buffer): void {
  const { session } = ctx;

  routes.withBody(
    {
      url: "/v1/unsubscribe-links",
      summary: "Make a one-click unsubscribe link for a contact point (RFC 8058)",
      description:
        "Returns `{ token, path }`, and with `baseUrl` or `vigie serve --public-url` the `headers` to send: " +
        "`List-Unsubscribe: <https://HOST/u/TOKEN>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.",
      scope: "write-evidence",
      schema: linkBody,
      responses: { 200: "`{ token, path, headers? }`", 400: "invalid body" },
      answers: { 200: answerSchema(unsubscribeLinkAnswer) },
    },
    async (b, _req, reply) => {
      const subject = subjectOf(session.ring, b.point);
      if (!subject.ok) return reply.code(400).send(messageError(subject.reason, "point"));
      const token = sealToken(secret, {
        tenant: session.tenant,
        point: subject.subject.point.value,
        controller: b.controller ?? "",
        channel: b.channel,
      });
      const path = `/u/${token}`;
      const base = b.baseUrl ?? ctx.publicUrl;
      return base === null ? { token, path } : { token, path, headers: unsubscribeHeaders(base, path) };
    },
  );

  const open = (token: string) => {
    const u = openToken(secret, token);
    return u !== null && u.tenant === session.tenant ? u : null;
  };

  /**
   * Records the token's objection unless it already stands: one recorded for the same controller
   * and channel by an unsubscribe link, and no consent given for them since. Mail clients and
   * scanners replay links; the log must not grow with each replay. A replay after a newer consent
   * records it again: the person unsubscribed again. Concurrent replays of a token share one write.
   */
  const inFlight = new Map<string, Promise<"recorded" | "standing" | "invalid">>();
  async function objectOnce(u: Unsubscribe): Promise<"recorded" | "standing" | "invalid"> {
    const subject = subjectOf(session.ring, u.point);
    if (!subject.ok) return "invalid";
    const controller = u.controller ? controllerKeyOf(u.controller) : "";
    const evidence = await session.store.evidence(session.tenant, subject.subject.keys);
    const consentedAt = Math.max(
      -1,
      ...evidence.consents
        .filter((c) => c.controller === controller && (u.channel === "all" || c.channel === u.channel))
        .map((c) => c.givenAt),
    );
    const standing = evidence.objections.some(
      (o) =>
        o.controller === controller &&
        o.channel === u.channel &&
        o.via === "unsubscribe_link" &&
        o.at >= consentedAt,
    );
    if (standing) return "standing";
    const recording = {
      tenant: session.tenant,
      subject: subject.subject,
      controller: u.controller,
      proof: { recordedBy: "unsubscribe-link", collectionPoint: "one-click unsubscribe (RFC 8058)" },
    };
    await session.store.append([objectionEvent(recording, u.channel, "unsubscribe_link", ctx.now())]);
    return "recorded";
  }

  publicPages(routes, ctx.perAddress, (routes) => {
    routes.raw(
      {
        method: "GET",
        url: "/u/:token",
        summary: "Unsubscribe confirmation page (changes nothing)",
        scope: null,
        responses: {
          200: "HTML page with a confirmation button",
          404: "invalid link",
          429: "too many requests from this address",
        },
        textAnswers: PAGES,
      },
      async (_body, req, reply) => {
        const { token } = req.params as { token: string };
        if (open(token) === null) return page(reply, 404, ...INVALID);
        return page(
          reply,
          200,
          "Se désinscrire / Unsubscribe",
          `<p>Ne plus recevoir de prospection de notre part ? / Stop receiving our marketing?</p>` +
            `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
            `<button type="submit">Confirmer / Confirm</button></form>`,
        );
      },
    );

    routes.raw(
      {
        method: "POST",
        url: "/u/:token",
        summary: "One-click unsubscribe: records the objection",
        description:
          "Body `List-Unsubscribe=One-Click` as multipart/form-data (RFC 8058 §3.1) or " +
          "application/x-www-form-urlencoded, or no body. Replays record nothing more while the objection stands.",
        scope: null,
        content: {
          "multipart/form-data": ONE_CLICK_SCHEMA,
          "application/x-www-form-urlencoded": ONE_CLICK_SCHEMA,
        },
        responses: {
          200: "HTML page: unsubscribed (or already)",
          400: "a body that is not List-Unsubscribe=One-Click",
          404: "invalid link",
          429: "too many requests from this address",
        },
        textAnswers: PAGES,
      },
      async (body, req, reply) => {
        const { token } = req.params as { token: string };
        const u = open(token);
        if (u === null) return page(reply, 404, ...INVALID);
        const fields = formFields(body);
        if (Object.keys(fields).length > 0 && fields["List-Unsubscribe"] !== "One-Click") {
          return reply
            .code(400)
            .send(messageError("expected List-Unsubscribe=One-Click", "List-Unsubscribe"));
        }
        let once = inFlight.get(token);
        if (once === undefined) {
          once = objectOnce(u).finally(() => inFlight.delete(token));
          inFlight.set(token, once);
        }
        if ((await once) === "invalid") return page(reply, 404, ...INVALID);
        return page(reply, 200, "Désinscription enregistrée / Unsubscribed", "<p>C'est fait. / Done.</p>");
      },
    );
  });
}
