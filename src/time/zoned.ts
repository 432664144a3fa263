// Instants (epoch milliseconds) and wall-clock time in IANA time zones, on Intl alone.
//
// Hot path: `localTime` is called per contact × candidate instant, so the UTC offset is cached
// per (time zone, UTC hour) in an OffsetTable. That is exact as long as every offset transition
// falls on a whole UTC hour, which holds for every zone vigie uses (Europe/Paris switches at
// 01:00 UTC, America/Miquelon at 04:00/05:00 UTC, the other French overseas zones have had no
// transition since the 1990s); zoned.test.ts checks it for 2016–2030. Zones with half-hour
// transitions (e.g. Australia/Lord_Howe) would need a finer bucket.

export interface LocalTime {
  /** Days since 1970-01-01 of the local date. */
  dayNumber: number;
  /** ISO weekday: Monday = 1 … Sunday = 7. */
  weekday: number;
  /** 0..1439, local. */
  minuteOfDay: number;
  /** Local time minus UTC, in minutes (Paris in summer: 120). */
  offsetMinutes: number;
}

export const PARIS = "Europe/Paris";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/**
 * Offsets kept per zone in a direct-mapped table by UTC hour: a slot holds the last hour that
 * landed on it (hours 2^16 apart share one, about 7.5 years): bounded memory, and a read of two
 * typed arrays where a Map keyed by hour was the largest cost of the dates a decision computes.
 */
const SLOTS = 1 << 16;
/** Hours kept: ±122 000 years (an empty slot holds one outside them). */
const KEPT_HOURS = 2 ** 30;
/** Tables kept (384 KiB each): the zones of one country are a handful; past it, they start again. */
const MAX_TABLES = 16;

class OffsetTable {
  readonly hours = new Int32Array(SLOTS).fill(-KEPT_HOURS - 1);
  readonly offsets = new Int16Array(SLOTS);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetTables = new Map<string, OffsetTable>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    // Throws RangeError on an unknown zone, before anything is cached.
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Uncached: asks Intl for the wall clock at `ms` (a whole second) and compares it with UTC. */
function computeOffsetMinutes(ms: number, timeZone: string): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    const value = Number(part.value);
    switch (part.type) {
      case "year":
        year = value;
        break;
      case "month":
        month = value;
        break;
      case "day":
        day = value;
        break;
      case "hour":
        hour = value;
        break;
      case "minute":
        minute = value;
        break;
      case "second":
        second = value;
        break;
    }
  }
  // Our own civil arithmetic, not Date.UTC, which maps years 0–99 to 1900–1999.
  const wall = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
  return Math.round((wall - ms) / MINUTE_MS);
}

let lastZone = "";
let lastTable: OffsetTable | undefined;

export function offsetMinutes(ms: number, timeZone: string): number {
  const hour = Math.floor(ms / HOUR_MS);
  let table = lastTable;
  if (timeZone !== lastZone || table === undefined) {
    table = offsetTables.get(timeZone);
    if (table === undefined) {
      formatterFor(timeZone); // throws on an unknown zone, before a table is made for it
      if (offsetTables.size >= MAX_TABLES) offsetTables.clear();
      table = new OffsetTable();
      offsetTables.set(timeZone, table);
    }
    lastZone = timeZone;
    lastTable = table;
  }
  const slot = hour & (SLOTS - 1);
  const kept = hour >= -KEPT_HOURS && hour <= KEPT_HOURS;
  if (kept && table.hours[slot] === hour) return table.offsets[slot] as number;
  const offset = computeOffsetMinutes(hour * HOUR_MS, timeZone);
  if (kept) {
    table.hours[slot] = hour;
    table.offsets[slot] = offset;
  }
  return offset;
}

export function localTime(ms: number, timeZone: string): LocalTime {
  const offset = offsetMinutes(ms, timeZone);
  const local = ms + offset * MINUTE_MS;
  const dayNumber = Math.floor(local / DAY_MS);
  return {
    dayNumber,
    // 1970-01-01 was a Thursday (ISO 4); the double modulo keeps pre-1970 days positive.
    weekday: ((((dayNumber + 3) % 7) + 7) % 7) + 1,
    minuteOfDay: Math.floor((local - dayNumber * DAY_MS) / MINUTE_MS),
    offsetMinutes: offset,
  };
}

/**
 * Local wall clock → instant, with Temporal's 'compatible' disambiguation:
 * - in a gap (spring forward) the time is moved forward by the gap's length: Paris 2026-03-29
 *   02:30 does not exist and gives 03:30+02:00;
 * - in an overlap (fall back) the earlier instant wins: Paris 2026-10-25 02:30 gives 02:30+02:00.
 * Assumes at most one transition within a day either side, true of every real zone.
 */
export function instantOf(dayNumber: number, minuteOfDay: number, timeZone: string): number {
  if (
    !Number.isInteger(dayNumber) ||
    !Number.isInteger(minuteOfDay) ||
    minuteOfDay < 0 ||
    minuteOfDay > 1439
  ) {
    throw new RangeError(`instantOf: bad local time (day ${dayNumber}, minute ${minuteOfDay})`);
  }
  const wall = dayNumber * DAY_MS + minuteOfDay * MINUTE_MS;
  const before = offsetMinutes(wall - DAY_MS, timeZone) * MINUTE_MS;
  const after = offsetMinutes(wall + DAY_MS, timeZone) * MINUTE_MS;
  const early = wall - Math.max(before, after);
  const late = wall - Math.min(before, after);
  if (offsetMinutes(early, timeZone) * MINUTE_MS === wall - early) return early;
  if (offsetMinutes(late, timeZone) * MINUTE_MS === wall - late) return late;
  // Gap: read the wall clock with the offset in force before it, which lands past the gap.
  return wall - before;
}

/** A wall-clock time a person or a file gave: its instant, or the zone's spring-forward gap it falls in. */
export type WallClockInstant =
  | { readonly ok: true; readonly ms: number }
  /** `from`/`to`: the skipped wall-clock span, minutes of the day (Paris: 02:00 to 03:00). */
  | { readonly ok: false; readonly from: number; readonly to: number };

/**
 * `instantOf` for a time read from input: a wall-clock time the zone skipped (Paris 2026-03-29
 * 02:30) never happened, and reading it as 03:30 would date evidence or a campaign an hour off
 * without saying so — callers refuse it. An overlap's time (fall back) keeps `instantOf`'s earlier
 * instant: for an objection or a withdrawal it binds sooner (docs/evidence.md, "Dates").
 */
export function wallClockInstant(dayNumber: number, minuteOfDay: number, timeZone: string): WallClockInstant {
  const ms = instantOf(dayNumber, minuteOfDay, timeZone);
  const local = localTime(ms, timeZone);
  if (local.dayNumber === dayNumber && local.minuteOfDay === minuteOfDay) return { ok: true, ms };
  // In a gap, `ms` is the wall clock read with the offset before it; transitions fall on whole
  // UTC hours (header), so the one skipped is the hour `ms` falls in.
  const transition = Math.floor(ms / HOUR_MS) * HOUR_MS;
  const to = localTime(transition, timeZone).minuteOfDay;
  const skipped = offsetMinutes(transition, timeZone) - offsetMinutes(transition - 1, timeZone);
  return { ok: false, from: (((to - skipped) % 1440) + 1440) % 1440, to };
}

export function startOfLocalDay(ms: number, timeZone: string): number {
  return instantOf(localTime(ms, timeZone).dayNumber, 0, timeZone);
}

// Civil-calendar conversions after Howard Hinnant's days_from_civil / civil_from_days
// (proleptic Gregorian), pure integer arithmetic: no Date object on these paths.
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function civilFromDays(dayNumber: number): [year: number, month: number, day: number] {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [
    yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    dayOfYear - Math.floor((153 * mp + 2) / 5) + 1,
  ];
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Day number of a valid calendar date, or undefined (2026-02-30, month 13…). */
function checkedDayNumber(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dayNumberOf(isoDate: string): number {
  const match = ISO_DATE.exec(isoDate);
  const dayNumber = match
    ? checkedDayNumber(Number(match[1]), Number(match[2]), Number(match[3]))
    : undefined;
  if (dayNumber === undefined) throw new RangeError(`Not an ISO date: ${JSON.stringify(isoDate)}`);
  return dayNumber;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

export function isoDateOf(dayNumber: number): string {
  const [year, month, day] = civilFromDays(dayNumber);
  // Non-integers would yield fractional days; other years have no 4-digit ISO form.
  if (!Number.isInteger(dayNumber) || year < 0 || year > 9999) {
    throw new RangeError(`isoDateOf: day ${dayNumber} is outside years 0000–9999`);
  }
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

/** "2026-09-15T10:00:00+02:00": the zone's own offset, never "Z"; sub-second digits are dropped. */
export function formatInstant(ms: number, timeZone: string): string {
  const { dayNumber, minuteOfDay, offsetMinutes: offset } = localTime(ms, timeZone);
  const second = Math.floor((((ms % MINUTE_MS) + MINUTE_MS) % MINUTE_MS) / 1000);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return (
    `${isoDateOf(dayNumber)}T${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}:${pad2(second)}` +
    `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
  );
}

// Date-time with mandatory offset (RFC 3339 profile of ISO 8601). Up to 9 fraction digits are
// accepted, as many producers emit micro- or nanoseconds; they are truncated to milliseconds.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)", or a bare "YYYY-MM-DD" meaning 00:00 that day in
 * Europe/Paris. Anything else — no offset, impossible date, hour 24, leap second — is undefined.
 */
export function parseInstant(text: string): number | undefined {
  const dateOnly = ISO_DATE.exec(text);
  if (dateOnly) {
    const dayNumber = checkedDayNumber(Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3]));
    return dayNumber === undefined ? undefined : instantOf(dayNumber, 0, PARIS);
  }
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const dayNumber = checkedDayNumber(Number(m[1]), Number(m[2]), Number(m[3]));
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6] ?? 0);
  const offsetHour = Number(m[9] ?? 0);
  const offsetMinute = Number(m[10] ?? 0);
  if (
    dayNumber === undefined ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHour > 23 ||
    offsetMinute > 59
  ) {
    return undefined;
  }
  const millis = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  const offset = (m[8] === "-" ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  return dayNumber * DAY_MS + (hour * 60 + minute - offset) * MINUTE_MS + second * 1000 + millis;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}
