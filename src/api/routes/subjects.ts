// A person's rights of access (GDPR art. 15) and erasure (art. 17): everything held about a
// contact point, and its erasure as `vigie subject erase` does it.
import { recordActivity } from "../../services/activity.ts";
import { eraseSubject, exportSubject } from "../../services/rights.ts";
import { subjectOf } from "../../services/session.ts";
import { answerSchema, erasureAnswer, subjectExportAnswer } from "../answers.ts";
import type { ApiContext } from "../context.ts";
import { messageError } from "../errors.ts";
import type { Routes } from "../route.ts";

export function subjectRoutes(routes: Routes, ctx: ApiContext): void {
  routes.raw(
    {
      method: "GET",
      url: "/v1/subjects/:point/export",
      summary: "Everything held about a contact point (as `vigie subject export --json`)",
      description: "`point` is URL-encoded (`%2B33612345678`, `a%40example.fr`).",
      scope: "read",
      responses: {
        200: "`{ point, tenant, evidence, events, linked }` (instants in epoch ms)",
        400: "not a phone number or e-mail",
      },
      answers: { 200: answerSchema(subjectExportAnswer) },
    },
    async (_body, req, reply) => {
      const { point } = req.params as { point: string };
      const subject = subjectOf(ctx.session.ring, point);
      if (!subject.ok) return reply.code(400).send(messageError(subject.reason, "point"));
      const x = await exportSubject(ctx.session, subject.subject);
      await recordActivity(ctx.session, {
        action: "subject.exported",
        target: "",
        pointKey: subject.subject.key,
        by: `api:${req.apiKey?.id}`,
        at: ctx.now(),
      });
      return x;
    },
  );

  routes.raw(
    {
      method: "POST",
      url: "/v1/subjects/:point/erase",
      summary: "Erase a contact point (as `vigie subject erase`)",
      description:
        "Personal data of every event about the point goes; the keyed suppression stays, so a later " +
        "consent for it is refused (409) while an objection is still recorded. No body. " +
        "`point` is URL-encoded.",
      scope: "admin",
      responses: {
        200:
          "`{ erasedAt, alreadyErasedAt, keys, linked, files, store }` (epoch ms; `alreadyErasedAt` null the first time; " +
          "`linked`: the person's other points erased with it; `files.purged` / `files.notPurged`: the outbox and " +
          "saved screenings purged of the person, and where they may remain; `store`: what the store could not scrub)",
        400: "not a phone number or e-mail",
      },
      answers: { 200: answerSchema(erasureAnswer) },
    },
    async (_body, req, reply) => {
      const { point } = req.params as { point: string };
      const subject = subjectOf(ctx.session.ring, point);
      if (!subject.ok) return reply.code(400).send(messageError(subject.reason, "point"));
      // A double opt-in still pending for the point goes with its data (the store's erase).
      return eraseSubject(ctx.session, subject.subject, ctx.now(), `api:${req.apiKey?.id}`, ctx.erasureFiles);
    },
  );
}
