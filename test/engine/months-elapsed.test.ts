// The compiled twins of the retention and notice rules compare an evidence date with thresholds
// found once per plan (src/time/months-elapsed.ts) instead of calling monthsElapsed per contact.
// The answer must be monthsElapsed's for every start: around the thresholds, on month ends
// (clamped days), on the days the clocks change and leap days, at the millisecond.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { addMonths, DAY_MS, monthsElapsed } from "../../src/time/dates.ts";
import { MonthsElapsed } from "../../src/time/months-elapsed.ts";
import { parseInstant } from "../../src/time/zoned.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const MONTHS = [0, 1, 2, 5, 7, 11, 12, 13, 24, 36, 60];

const at = (text: string): number => parseInstant(text) as number;

/** Days where the calendar bends: month ends, leap days, the days Paris changes its clocks. */
const AWKWARD_DAYS = [
  "2016-02-29",
  "2019-02-28",
  "2019-03-31",
  "2020-02-29",
  "2020-03-29",
  "2021-03-28",
  "2021-10-31",
  "2022-10-30",
  "2023-03-26",
  "2023-03-31",
  "2023-04-30",
  "2024-02-29",
  "2024-03-31",
  "2024-10-27",
  "2025-02-28",
  "2025-03-30",
  "2025-10-26",
  "2026-03-29",
  "2026-03-31",
  "2026-10-25",
  "2026-11-30",
  "2026-12-31",
  "2027-03-01",
  "2028-02-29",
];

/** Every start of the window monthsElapsed consults the calendar in, minute by minute and at its edges. */
function sweep(months: number, instant: number): void {
  const elapsed = new MonthsElapsed(months, instant);
  const average = (months * 365.2425) / 12;
  const from = instant - (Math.ceil(average) + 4) * DAY_MS;
  const to = instant - (Math.floor(average) - 4) * DAY_MS;
  for (let minute = from - (from % MINUTE); minute <= to; minute += MINUTE) {
    for (const start of [minute - 1, minute, minute + (instant % MINUTE), minute + (instant % MINUTE) + 1]) {
      assert.equal(
        elapsed.since(start),
        monthsElapsed(start, months, instant),
        `${months} months from ${new Date(start).toISOString()} at ${new Date(instant).toISOString()}`,
      );
    }
  }
}

test("MonthsElapsed answers as monthsElapsed for every minute around the threshold, at awkward instants", () => {
  for (const day of ["2024-02-29", "2025-02-28", "2026-03-29", "2026-10-25", "2026-03-31", "2026-06-15"]) {
    for (const time of ["00:00", "02:30", "03:15:20.5", "23:59:59.999"]) {
      const instant = at(`${day}T${time}${day.endsWith("06-15") ? "+02:00" : "+01:00"}`);
      for (const months of [1, 12, 36]) sweep(months, instant);
    }
  }
});

/** An instant on or near an awkward day, or anywhere in 2016–2030. */
const instantArb = fc.oneof(
  fc
    .tuple(fc.constantFrom(...AWKWARD_DAYS), fc.integer({ min: -DAY_MS, max: 2 * DAY_MS }))
    .map(([day, ms]) => at(`${day}T00:00:00+01:00`) + ms),
  fc.integer({ min: at("2016-01-01T00:00:00Z"), max: at("2030-12-31T00:00:00Z") }),
);

/** Starts where the answer turns: the plain threshold, day and hour boundaries near it, a few ms either side. */
function startArb(months: number, instant: number): fc.Arbitrary<number> {
  const threshold = addMonths(instant, -months);
  const near = fc.integer({ min: -4 * DAY_MS, max: 4 * DAY_MS });
  return fc.oneof(
    fc.integer({ min: -3, max: 3 }).map((ms) => threshold + ms),
    near.map((ms) => threshold + ms),
    fc
      .tuple(
        fc.integer({ min: -5, max: 5 }),
        fc.integer({ min: -3, max: 27 }),
        fc.integer({ min: -2, max: 2 }),
      )
      .map(([days, hours, ms]) => {
        const midnight = threshold - (((threshold % DAY_MS) + DAY_MS) % DAY_MS);
        return midnight + days * DAY_MS + hours * HOUR + ms;
      }),
    fc.integer({ min: 0, max: 40 * 366 * DAY_MS }).map((ms) => threshold - 20 * 366 * DAY_MS + ms),
  );
}

test("MonthsElapsed answers as monthsElapsed on random instants, numbers of months and starts (fast-check)", () => {
  let elapsed = 0;
  let checked = 0;
  fc.assert(
    fc.property(
      fc.oneof(fc.constantFrom(...MONTHS), fc.nat(130)).chain((months) =>
        instantArb.chain((instant) =>
          fc.record({
            months: fc.constant(months),
            instant: fc.constant(instant),
            starts: fc.array(startArb(months, instant), { minLength: 1, maxLength: 30 }),
          }),
        ),
      ),
      ({ months, instant, starts }) => {
        const compiled = new MonthsElapsed(months, instant);
        for (const start of starts) {
          const expected = monthsElapsed(start, months, instant);
          assert.equal(compiled.since(start), expected);
          if (expected) elapsed++;
          checked++;
        }
      },
    ),
    { numRuns: 20_000, seed: 20261203 },
  );
  assert.ok(elapsed > checked / 5 && elapsed < (4 * checked) / 5, `${elapsed} of ${checked} elapsed`);
});

test("MonthsElapsed leaves monthsElapsed no start on an ordinary day, and at most a few days' starts on an awkward one", () => {
  fc.assert(
    fc.property(fc.constantFrom(...MONTHS), instantArb, (months, instant) => {
      const { surely, never } = new MonthsElapsed(months, instant);
      assert.ok(never - surely <= 4 * DAY_MS, `${months} months at ${new Date(instant).toISOString()}`);
    }),
    { numRuns: 5_000, seed: 20261203 },
  );
  // Mid-June 2026: no month end, no clock change within months of it.
  for (const months of MONTHS) {
    const { surely, never } = new MonthsElapsed(months, at("2026-06-16T10:20:30.400+02:00"));
    assert.equal(never, surely, `${months} months`);
    assert.equal(surely, addMonths(at("2026-06-16T10:20:30.400+02:00"), -months), `${months} months`);
  }
});
