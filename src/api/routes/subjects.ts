// A person's right of access (GDPR art. 15): everything held about a contact point.
import { exportSubject } from "../../services/rights.ts";
import { subjectOf } from "../../services/session.ts";
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
      responses: { 200: "`{ point, tenant, evidence, events }`", 400: "not a phone number or e-mail" },
    },
    async (_body, req, reply) => {
      const { point } = req.params as { point: string };
      const subject = subjectOf(ctx.session.ring, point);
      if (!subject.ok) return reply.code(400).send(messageError(subject.reason, "point"));
      return exportSubject(ctx.session, subject.subject);
    },
  );
}
