// Builds the public-holiday table from date-holidays. This is the ONLY module that imports
// date-holidays (a devDependency, 12 MB): only scripts/gen-holidays.ts and the drift test load
// it. Runtime code reads the committed holidays.generated.json through holidays.ts.
import Holidays from "date-holidays";
import dateHolidaysPackage from "date-holidays/package.json" with { type: "json" };
import type { Holiday } from "./holidays.ts";
import { REGIONS, type Region } from "./regions.ts";

export interface HolidayTable {
  source: string;
  years: { from: number; to: number };
  regions: Record<Region, Holiday[]>;
}

export const GENERATED_JSON_URL = new URL("./holidays.generated.json", import.meta.url);

const YEARS = { from: 2016, to: 2035 };

// date-holidays calendars (country, state) per region. Alsace-Moselle is three departments
// there; we keep one region and check that they agree.
const CALENDARS: Readonly<Record<Region, readonly (readonly [country: string, state?: string])[]>> = {
  metro: [["FR"]],
  "alsace-moselle": [
    ["FR", "57"],
    ["FR", "67"],
    ["FR", "68"],
  ],
  GP: [["FR", "GP"]],
  MQ: [["FR", "MQ"]],
  GF: [["FR", "GF"]],
  RE: [["FR", "RE"]],
  YT: [["FR", "YT"]],
  MF: [["FR", "MF"]],
  BL: [["FR", "BL"]],
  PM: [["PM"]],
};

// The 11 public holidays of Code du travail art. L.3133-1, as date-holidays rules. Every other
// "public" day is "local": Good Friday and 26 December in Alsace-Moselle (L.3134-13), Good Friday
// in Guadeloupe and Martinique, the abolition-of-slavery days (loi 83-550, décret 83-1003).
const L3133_1_RULES = new Set([
  "01-01",
  "easter 1",
  "05-01",
  "05-08",
  "easter 39",
  "easter 50",
  "07-14",
  "08-15",
  "11-01",
  "11-11",
  "12-25",
]);

interface Override {
  region: Region;
  rule: string;
  fromYear: number;
  monthDay: string;
}

const OVERRIDES: readonly Override[] = [
  // Saint-Martin: abolition day 28 May, not 27 May as in date-holidays (which follows décret
  // 2012-553 amending décret 83-1003). Conseil territorial deliberation of 5 Nov 2015; 2018
  // interministerial circular allowing the 28th; the préfecture declared 28 May 2019 a public
  // holiday under Code du travail L.3422-2 (soualigapost.fr, 17 May 2019: "pour la deuxième
  // fois", i.e. since 2018); later fixed by decree (le97150.fr, "le 28 mai, on célèbre l'abolition
  // de l'esclavage"). 2016 and 2017 were still observed on 27 May (stmartinweek.fr, 29 Apr 2016;
  // le97150.fr, 14 May 2018).
  { region: "MF", rule: "05-27", fromYear: 2018, monthDay: "05-28" },
];

interface RawHoliday {
  date: string;
  name: string;
  rule: string;
}

/** date-holidays' "public" days of one calendar and year; observance/optional/school/bank are not. */
function publicHolidays(country: string, state: string | undefined, year: number): RawHoliday[] {
  const calendar = state === undefined ? new Holidays(country) : new Holidays(country, state);
  return calendar
    .getHolidays(year, "fr")
    .filter((h) => h.type === "public")
    .map((h) => ({ date: h.date.slice(0, 10), name: h.name, rule: h.rule }));
}

function regionYear(region: Region, year: number): Holiday[] {
  const [first, ...others] = CALENDARS[region].map(([country, state]) =>
    publicHolidays(country, state, year),
  );
  if (first === undefined) throw new Error(`No calendar for ${region}`);
  for (const other of others) {
    if (JSON.stringify(other) !== JSON.stringify(first)) {
      throw new Error(`date-holidays calendars of ${region} disagree in ${year}: split the region`);
    }
  }
  const national = first.filter((h) => L3133_1_RULES.has(h.rule)).map((h) => h.rule);
  if (national.length !== L3133_1_RULES.size || new Set(national).size !== national.length) {
    throw new Error(
      `${region} ${year}: expected the 11 L.3133-1 holidays once each, got ${national.join(", ")}`,
    );
  }
  return first.map((h) => {
    const override = OVERRIDES.find((o) => o.region === region && o.rule === h.rule && year >= o.fromYear);
    return {
      date: override === undefined ? h.date : `${year}-${override.monthDay}`,
      name: h.name,
      basis: L3133_1_RULES.has(h.rule) ? "L3133-1" : "local",
    };
  });
}

// Date, then the national holiday before a local one falling the same day, then name.
function compareHolidays(a: Holiday, b: Holiday): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.basis !== b.basis) return a.basis === "L3133-1" ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function generateHolidays(): HolidayTable {
  for (const o of OVERRIDES) {
    // An override that no longer matches means date-holidays changed: revisit it rather than
    // silently shipping upstream's date.
    const lists = CALENDARS[o.region].map(([country, state]) => publicHolidays(country, state, YEARS.to));
    if (!lists.every((list) => list.some((h) => h.rule === o.rule))) {
      throw new Error(`Override ${o.region} ${o.rule} matches nothing in date-holidays any more`);
    }
  }
  const regions = {} as Record<Region, Holiday[]>;
  for (const region of [...REGIONS].sort()) {
    const list: Holiday[] = [];
    for (let year = YEARS.from; year <= YEARS.to; year++) list.push(...regionYear(region, year));
    regions[region] = list.sort(compareHolidays);
  }
  return {
    source: `date-holidays ${dateHolidaysPackage.version}, generated by scripts/gen-holidays.ts, with overrides (see src/params/fr/holidays-source.ts)`,
    years: { ...YEARS },
    regions,
  };
}

/** Deterministic text: keys in a fixed order, 2-space indent, trailing newline. */
export function serializeHolidays(table: HolidayTable): string {
  return `${JSON.stringify(table, null, 2)}\n`;
}
