// Instants at the edges of legal dates, as the facts contract writes them. A bare date in the law
// is that day in Europe/Paris: these give its first instant and the last instant before it.
import { dayStart } from "../../src/time/dates.ts";

/** 00:00 Europe/Paris on `date` (YYYY-MM-DD), as an ISO instant. */
export function startOf(date: string): string {
  return new Date(dayStart(date)).toISOString();
}

/** The last millisecond before 00:00 Europe/Paris on `date`: the end of the day before. */
export function justBefore(date: string): string {
  return new Date(dayStart(date) - 1).toISOString();
}

/** `ms` milliseconds after the instant `iso` (negative: before), as an ISO instant. */
export function shift(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}
