// Storage limitation (GDPR art. 5(1)(e)): an uploaded list is personal data, about prospects
// above all. Screenings older than the server's retention are deleted — list, campaign and
// outputs — when the server starts and every hour after, each deletion recorded in the trail
// (`screening.deleted`, by `retention`); the `list.screened` event and the list's SHA-256 stay.
// Export a screening's evidence pack first if it must be kept longer.
import type { FastifyInstance } from "fastify";
import { recordActivity } from "../services/activity.ts";
import type { Screenings } from "../services/screen/jobs.ts";
import type { Session } from "../services/session.ts";

export const DEFAULT_KEEP_SCREENINGS_DAYS = 90;
const EVERY_MS = 3600 * 1000;

/** Deletes the screenings created more than `keepDays` before `now`; returns how many. */
export async function expireScreenings(
  screenings: Screenings,
  session: Session,
  now: number,
  keepDays: number,
): Promise<number> {
  const before = now - keepDays * 86_400_000;
  let deleted = 0;
  for (const meta of screenings.list()) {
    if (Date.parse(meta.createdAt) >= before) continue;
    // A running screening is left for the next sweep.
    if (!(await screenings.remove(meta.id))) continue;
    await recordActivity(session, {
      action: "screening.deleted",
      target: meta.listSha256,
      by: "retention",
      at: now,
    });
    deleted++;
  }
  return deleted;
}

/** Sweeps now and every hour while the server runs; `keepDays` 0 keeps screenings for ever. */
export function scheduleScreeningRetention(
  app: FastifyInstance,
  screenings: Screenings,
  session: Session,
  now: () => number,
  keepDays: number,
): void {
  if (keepDays === 0) return;
  const sweep = () =>
    expireScreenings(screenings, session, now(), keepDays).catch((e: Error) => {
      app.log.error({ error: `screening retention: ${e.message}` });
    });
  // The first sweep is done before the server answers: no expired list is served meanwhile.
  app.addHook("onReady", async () => {
    await sweep();
  });
  const timer = setInterval(() => void sweep(), EVERY_MS);
  timer.unref();
  app.addHook("onClose", async () => clearInterval(timer));
}
