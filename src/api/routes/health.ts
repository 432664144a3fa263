// Liveness for load balancers and orchestrators: the process answers HTTP. Public, no store
// access, nothing logged beyond the usual request line.
import { answerSchema, healthAnswer } from "../answers.ts";
import type { Routes } from "../route.ts";

const OK = { status: "ok" } as const;

export function healthRoutes(routes: Routes): void {
  routes.raw(
    {
      method: "GET",
      url: "/healthz",
      summary: "Liveness: the server answers",
      description: 'Public; touches neither the store nor the keys. `{ status: "ok" }`.',
      scope: null,
      responses: { 200: '`{ status: "ok" }`' },
      answers: { 200: answerSchema(healthAnswer) },
    },
    async () => OK,
  );
}
