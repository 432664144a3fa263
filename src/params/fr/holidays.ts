// French public holidays per region, from the committed table that scripts/gen-holidays.ts
// generates from date-holidays (see holidays-source.ts for the rules and overrides).
//
// Known simplification: Good Friday is a holiday in all of Moselle, Bas-Rhin and Haut-Rhin,
// whereas Code du travail L.3134-13 limits it to communes with a Protestant temple or a mixed
// church. Blocking the whole department is the conservative reading for call-time checks.
import { dayNumberOf } from "../../time/zoned.ts";
import data from "./holidays.generated.json" with { type: "json" };
import { REGIONS, type Region } from "./regions.ts";

export interface Holiday {
  /** Local date, "YYYY-MM-DD". */
  date: string;
  /** French name, as in date-holidays. */
  name: string;
  /** "L3133-1": one of the 11 holidays of Code du travail L.3133-1 (the ones D.223-9 cites). */
  basis: "L3133-1" | "local";
}

export const HOLIDAY_YEARS: { readonly from: number; readonly to: number } = Object.freeze({
  from: data.years.from,
  to: data.years.to,
});

export const HOLIDAY_SOURCE: string = data.source;

const firstDay = dayNumberOf(`${HOLIDAY_YEARS.from}-01-01`);
const lastDay = dayNumberOf(`${HOLIDAY_YEARS.to}-12-31`);

const byDay = {} as Record<Region, Map<number, Holiday>>;
const byYear = {} as Record<Region, Map<number, readonly Holiday[]>>;

for (const region of REGIONS) {
  const days = new Map<number, Holiday>();
  const years = new Map<number, Holiday[]>();
  for (let year = HOLIDAY_YEARS.from; year <= HOLIDAY_YEARS.to; year++) years.set(year, []);
  for (const raw of data.regions[region]) {
    if (raw.basis !== "L3133-1" && raw.basis !== "local") {
      throw new Error(`holidays.generated.json: bad basis ${JSON.stringify(raw.basis)} on ${raw.date}`);
    }
    const holiday: Holiday = Object.freeze({ date: raw.date, name: raw.name, basis: raw.basis });
    const day = dayNumberOf(holiday.date);
    // Two holidays on one day (e.g. GF 2030: Whit Monday and 10 June): the table lists the
    // L.3133-1 one first, and that is the one holidayOn reports.
    if (!days.has(day)) days.set(day, holiday);
    years.get(Number(holiday.date.slice(0, 4)))?.push(holiday);
  }
  byDay[region] = days;
  byYear[region] = new Map([...years].map(([year, list]) => [year, Object.freeze(list)]));
}

// Outside the table, undefined would read as "not a holiday": both functions throw instead, so
// that the table gets extended rather than silently trusted.

/** The holiday on a local day (days since 1970-01-01), if any. Throws outside HOLIDAY_YEARS. */
export function holidayOn(region: Region, dayNumber: number): Holiday | undefined {
  if (!(dayNumber >= firstDay && dayNumber <= lastDay)) {
    throw new RangeError(`holidayOn: day ${dayNumber} is outside ${HOLIDAY_YEARS.from}–${HOLIDAY_YEARS.to}`);
  }
  return byDay[region].get(dayNumber);
}

/** Every holiday of a year, by date. Throws outside HOLIDAY_YEARS. */
export function holidaysIn(region: Region, year: number): readonly Holiday[] {
  const list = byYear[region].get(year);
  if (list === undefined) {
    throw new RangeError(`holidaysIn: ${year} is outside ${HOLIDAY_YEARS.from}–${HOLIDAY_YEARS.to}`);
  }
  return list;
}
