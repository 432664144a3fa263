// Dates as contact lists and evidence files write them (a screened list, an import): ISO 8601
// as everywhere in vigie, and the day-first dates French spreadsheets write — JJ/MM/AAAA,
// JJ/MM/AA, JJ-MM-AAAA, JJ.MM.AAAA, optionally followed by a time HH:MM[:SS]; and a date-time
// without offset (2026-10-22T14:30, or 2026-10-22 14:30:00 as exports write it). A bare day is
// that day's start in Europe/Paris, a time is Paris wall-clock time, as parseInstant reads an ISO
// date. Day first, always: 03/04/2026 is 3 April, and 10/22/2026 is no date, not a US one.
import { type Reason, refused } from "../i18n/reasons.ts";
import { daysFromCivil, daysInMonth, PARIS, parseInstant, wallClockInstant } from "../time/zoned.ts";

export type ListDate =
  | {
      readonly ok: true;
      readonly ms: number /** Read from the French form, as `iso`. */;
      readonly french: string | null;
    }
  | { readonly ok: false; readonly error: string; readonly reason: Reason };

/**
 * Year first, as ISO orders it but written otherwise: a date-time without offset, as a workbook's
 * date cells read (T) or as databases and spreadsheets export them (a space), wall-clock time in
 * Paris; a day without zeros or with slashes (2026-2-1, 2026/02/01) — no calendar writes the day
 * before the month after a year, so there is one reading.
 */
const LOCAL = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

const FRENCH = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/;

const MONTHS = [
  "janvier",
  "février",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "août",
  "septembre",
  "octobre",
  "novembre",
  "décembre",
];

/** A spreadsheet's day number from 1990 to 2099 (33 000 to 72 999), with or without its time. */
const SPREADSHEET_DAY = /^(?:3[3-9]|[4-6]\d|7[0-2])\d{3}(?:[.,]\d+)?$/;

const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * A two-digit year as Excel and Windows read it: 00–29 are 2000–2029, 30–99 are 1930–1999 — the
 * century the spreadsheet that wrote the date meant.
 */
const fullYear = (yy: number): number => (yy < 30 ? 2000 + yy : 1900 + yy);

const hhmm = (minuteOfDay: number): string => `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;

/**
 * A Paris wall-clock time, refused in the spring-forward gap: 29/03/2026 02:30 never happened, and
 * read as 03:30 an objection or a call would be dated an hour off, silently. (An autumn overlap's
 * time is the earlier instant: docs/evidence.md, "Dates".)
 */
function parisWallClock(
  text: string,
  dayNumber: number,
  minuteOfDay: number,
): { readonly ok: true; readonly ms: number } | (ListDate & { ok: false }) {
  const wall = wallClockInstant(dayNumber, minuteOfDay, PARIS);
  if (wall.ok) return wall;
  return refused({
    code: "date.skipped_time",
    args: { value: JSON.stringify(text), from: hhmm(wall.from), to: hhmm(wall.to) },
  });
}

export function readListDate(text: string): ListDate {
  const iso = parseInstant(text);
  if (iso !== undefined) return { ok: true, ms: iso, french: null };
  const l = LOCAL.exec(text);
  if (l !== null) {
    const [year, , month, day, hour, minute, second] = l.slice(1).map((x) => Number(x ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= daysInMonth(year, month) &&
      hour < 24 &&
      minute < 60 &&
      second < 60
    ) {
      const wall = parisWallClock(text, daysFromCivil(year, month, day), hour * 60 + minute);
      return wall.ok ? { ok: true, ms: wall.ms + second * 1000, french: null } : wall;
    }
  }
  const m = FRENCH.exec(text);
  const value = JSON.stringify(text);
  if (m === null) {
    // A date cell exported as its serial number (Excel's 45678 is 2025-01-21 in its 1900 system,
    // 2029-01-22 in the 1904 one): said, never converted.
    if (SPREADSHEET_DAY.test(text)) return refused({ code: "date.spreadsheet_number", args: { value } });
    return refused({ code: "date.not_a_date", args: { value } });
  }
  const day = Number(m[1]);
  const month = Number(m[3]);
  const year = (m[4] as string).length === 2 ? fullYear(Number(m[4])) : Number(m[4]);
  if (month < 1 || month > 12) return refused({ code: "date.no_month", args: { value, month } });
  if (day < 1 || day > daysInMonth(year, month)) {
    return refused({ code: "date.no_day", args: { value, day, month: MONTHS[month - 1] as string, year } });
  }
  const hour = Number(m[5] ?? 0);
  const minute = Number(m[6] ?? 0);
  const second = Number(m[7] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return refused({ code: "date.no_time", args: { value } });
  const dayNumber = daysFromCivil(year, month, day);
  const wall = parisWallClock(text, dayNumber, hour * 60 + minute);
  if (!wall.ok) return wall;
  const ms = wall.ms + second * 1000;
  const date = `${year}-${pad(month)}-${pad(day)}`;
  const time =
    m[5] === undefined ? "" : `T${pad(hour)}:${pad(minute)}${m[7] === undefined ? "" : `:${pad(second)}`}`;
  return { ok: true, ms, french: date + time };
}
