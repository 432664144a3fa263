// monthsElapsed (dates.ts) at one instant for one number of months, over many starts: a compiled
// plan asks it of every contact's evidence date (a notice due a month after collection, years of
// retention), at the plan's instant.
import { addMonths, DAY_MS, monthsElapsed } from "./dates.ts";
import { instantOf, localTime, offsetMinutes, PARIS } from "./zoned.ts";

/**
 * `monthsElapsed(start, months, at)` for a fixed `months` and `at`, by comparing `start` with two
 * instants found once. On a Paris day with no clock change, whose day `months` later has none
 * either, addMonths moves every instant by the same amount, so the starts of that day that have
 * elapsed are those up to one instant. Days in a row like that give one threshold; where the
 * answer is not "up to a threshold" — a month end clamped (29, 30 and 31 January all land on 28
 * February), a clock change on the start's day or on the day it lands on, when that day holds the
 * threshold — the starts in between are left to monthsElapsed itself.
 */
export class MonthsElapsed {
  private readonly months: number;
  private readonly at: number;
  /** Every start up to this one has elapsed. */
  readonly surely: number;
  /** No start after this one has; starts after `surely` and up to this are asked of monthsElapsed. */
  readonly never: number;

  constructor(months: number, at: number) {
    this.months = months;
    this.at = at;
    // A later day never lands on an earlier day, so the days whose starts have all elapsed come
    // first, then those landing on the instant's own day, then those none of whose have. The day
    // `months` before the instant's is the first to land on it, if any does: the day before it
    // lands on an earlier day, so its starts and all before have elapsed.
    const firstDay = localTime(addMonths(at, -months), PARIS).dayNumber;
    let surely = instantOf(firstDay, 0, PARIS) - 1;
    let never = surely;
    let whole = true;
    for (let day = firstDay; ; day++) {
      const { start, end, cut } = this.day(day);
      if (cut === start - 1) break;
      never = cut ?? end - 1;
      if (whole && cut !== null) surely = cut;
      whole &&= cut === end - 1;
    }
    // monthsElapsed's own bounds, past which it answers without the calendar.
    const average = (months * 365.2425) / 12;
    const lowest = at - (Math.ceil(average) + 3) * DAY_MS;
    const highest = at - (Math.floor(average) - 3) * DAY_MS;
    this.surely = Math.min(Math.max(surely, lowest), highest);
    this.never = Math.min(Math.max(never, this.surely), highest);
  }

  /**
   * The Paris day `day` as instants [start, end), and the last start of it that has elapsed
   * (before `start` if none; null if the answer is not "up to an instant" in that day). Every
   * start of the day lands on the day `months` later; if neither day changes its clocks, each
   * lands as far after that day's start as it is after its own.
   */
  private day(day: number): { start: number; end: number; cut: number | null } {
    const start = instantOf(day, 0, PARIS);
    const end = instantOf(day + 1, 0, PARIS);
    const landing = addMonths(start, this.months);
    const landingEnd = instantOf(localTime(landing, PARIS).dayNumber + 1, 0, PARIS);
    const steady = (from: number, to: number) =>
      to - from === DAY_MS && offsetMinutes(from, PARIS) === offsetMinutes(to - 1, PARIS);
    let cut: number | null = null;
    if (landingEnd <= this.at) cut = end - 1;
    else if (landing > this.at) cut = start - 1;
    else if (steady(start, end) && steady(landing, landingEnd)) cut = this.at - (landing - start);
    return { start, end, cut };
  }

  /** Whether `start` + the months is at or before the instant: monthsElapsed(start, months, at). */
  since(start: number): boolean {
    return start <= this.surely || (start <= this.never && monthsElapsed(start, this.months, this.at));
  }
}
