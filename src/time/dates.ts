// Calendar arithmetic on legal dates. A bare date in the law or the contract means that day in
// Europe/Paris (docs/contract.md); periods are counted in calendar days, months and years of the
// relevant zone, not as fixed numbers of milliseconds (DST makes some days 23 or 25 hours).
import {
  civilFromDays,
  dayNumberOf,
  daysFromCivil,
  daysInMonth,
  instantOf,
  isoDateOf,
  localTime,
  PARIS,
} from "./zoned.ts";

export const DAY_MS = 86_400_000;

/** 00:00 Europe/Paris on the ISO date `iso`. */
export function dayStart(iso: string): number {
  return instantOf(dayNumberOf(iso), 0, PARIS);
}

/** 00:00 Europe/Paris on the day after `iso`: the end of a period whose last day is `iso`. */
export function dayAfter(iso: string): number {
  return instantOf(dayNumberOf(iso) + 1, 0, PARIS);
}

/** Formatted days, since decisions repeat the same few dates in their messages. */
const isoDates = new Map<number, string>();

/** The local calendar date of an instant, as YYYY-MM-DD. */
export function isoDate(ms: number, timeZone: string = PARIS): string {
  const dayNumber = localTime(ms, timeZone).dayNumber;
  let text = isoDates.get(dayNumber);
  if (text === undefined) {
    text = isoDateOf(dayNumber);
    if (isoDates.size >= 100_000) isoDates.clear();
    isoDates.set(dayNumber, text);
  }
  return text;
}

/** Start of the local day `days` calendar days after the local day of `ms`. */
export function startOfDayPlus(ms: number, days: number, timeZone: string = PARIS): number {
  return instantOf(localTime(ms, timeZone).dayNumber + days, 0, timeZone);
}

/**
 * The same wall-clock time `months` calendar months later (31 January + 1 month = 28/29 February,
 * as in ordinary legal computation where the day does not exist).
 */
export function addMonths(ms: number, months: number, timeZone: string = PARIS): number {
  const local = localTime(ms, timeZone);
  const [y, m, d] = civilFromDays(local.dayNumber);
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = (((monthIndex % 12) + 12) % 12) + 1;
  const dayNumber = daysFromCivil(year, month, Math.min(d, daysInMonth(year, month)));
  const seconds = ((ms % 60_000) + 60_000) % 60_000; // zone offsets are whole minutes
  return instantOf(dayNumber, local.minuteOfDay, timeZone) + seconds;
}

export function addYears(ms: number, years: number, timeZone: string = PARIS): number {
  return addMonths(ms, 12 * years, timeZone);
}

/**
 * Whether `at` is at or past `start` + `months` calendar months (Paris). A month is 28 to 31
 * days, so far from the boundary plain arithmetic answers; the calendar is consulted only within
 * a few days of it (decisions ask this for every contact, and most are nowhere near a deadline).
 */
export function monthsElapsed(start: number, months: number, at: number): boolean {
  const average = (months * 365.2425) / 12;
  const elapsed = at - start;
  if (elapsed < (Math.floor(average) - 3) * DAY_MS) return false;
  if (elapsed >= (Math.ceil(average) + 3) * DAY_MS) return true;
  return at >= addMonths(start, months);
}
