// Which holiday calendar and time zone apply to a consumer (D.223-9: "dans le fuseau horaire du
// consommateur"; the holidays are those of where he lives).

export type Region = "metro" | "alsace-moselle" | "GP" | "MQ" | "GF" | "RE" | "YT" | "MF" | "BL" | "PM";

export const REGION_TIME_ZONE: Readonly<Record<Region, string>> = Object.freeze({
  metro: "Europe/Paris",
  "alsace-moselle": "Europe/Paris",
  GP: "America/Guadeloupe",
  MQ: "America/Martinique",
  GF: "America/Cayenne",
  RE: "Indian/Reunion",
  YT: "Indian/Mayotte",
  MF: "America/Marigot",
  BL: "America/St_Barthelemy",
  PM: "America/Miquelon",
});

export const REGIONS: readonly Region[] = Object.freeze(Object.keys(REGION_TIME_ZONE) as Region[]);

// INSEE codes. 975, 977 and 978 are collectivités, not départements, but INSEE numbers them
// alongside (commune and postal codes start with them), so they are accepted here.
const OVERSEAS_DEPARTMENTS: ReadonlyMap<string, Region> = new Map<string, Region>([
  ["971", "GP"],
  ["972", "MQ"],
  ["973", "GF"],
  ["974", "RE"],
  ["975", "PM"],
  ["976", "YT"],
  ["977", "BL"],
  ["978", "MF"],
]);

// Bas-Rhin, Haut-Rhin, Moselle: local law (Good Friday, 26 December; Code du travail L.3134-13).
const ALSACE_MOSELLE = new Set(["57", "67", "68"]);

/** "01".."95" except "20" (split into 2A and 2B in 1976), plus "2A" and "2B". Exact spelling. */
function isMetropolitanDepartment(code: string): boolean {
  if (code === "2A" || code === "2B") return true;
  if (!/^\d\d$/.test(code)) return false;
  const n = Number(code);
  return n >= 1 && n <= 95 && n !== 20;
}

export function regionOfDepartment(department: string): Region | undefined {
  const overseas = OVERSEAS_DEPARTMENTS.get(department);
  if (overseas !== undefined) return overseas;
  if (!isMetropolitanDepartment(department)) return undefined;
  return ALSACE_MOSELLE.has(department) ? "alsace-moselle" : "metro";
}

export function isDepartment(code: string): boolean {
  return regionOfDepartment(code) !== undefined;
}

// Overseas prefixes of the 10-digit national plan (ARCEP), longest match wins; cross-checked
// against libphonenumber-js 1.13.16 metadata (regions.test.ts). GP, MF and BL share country code
// 590 and prefixes 0590/0690/0691/05987/07090, and the number does not say which island it is on:
// we answer GP. The three share a time zone (UTC-4, no DST) and differ only by their abolition
// day, so a caller that needs the exact island must use the address (department 977/978).
export const OVERSEAS_PREFIXES: ReadonlyMap<string, Region> = new Map<string, Region>([
  ["0590", "GP"],
  ["0690", "GP"],
  ["0691", "GP"],
  ["05987", "GP"],
  ["07090", "GP"],
  ["0596", "MQ"],
  ["0696", "MQ"],
  ["0697", "MQ"],
  ["05989", "MQ"],
  ["07091", "MQ"],
  ["0594", "GF"],
  ["0694", "GF"],
  ["05988", "GF"],
  ["070930", "GF"],
  ["070931", "GF"],
  ["070932", "GF"],
  ["070933", "GF"],
  ["0262", "RE"],
  ["0263", "RE"],
  ["0692", "RE"],
  ["0693", "RE"],
  ["02688", "RE"],
  ["07092", "RE"],
  ["0269", "YT"],
  ["0639", "YT"],
  ["02689", "YT"],
  ["070935", "YT"],
  ["070936", "YT"],
  ["070937", "YT"],
  ["0508", "PM"],
]);

// E.164 country code each region's numbers are dialled with from abroad.
const COUNTRY_CODE: Readonly<Record<Region, number>> = {
  metro: 33,
  "alsace-moselle": 33,
  GP: 590,
  MF: 590,
  BL: 590,
  MQ: 596,
  GF: 594,
  RE: 262,
  YT: 262,
  PM: 508,
};

// regionOfPhone runs for every contact a plan decides: the prefixes above become, once, a table of
// every national number's five digits after its 0 (a prefix is at most 0 + five digits), so that a
// number is read with char codes and one index, no regex, slice or Map lookup. Entries are
// 1 + the index in REGIONS, 0 for none.
const PREFIX_DIGITS = 5;
const NATIONAL_REGION = nationalRegions();

function nationalRegions(): Uint8Array {
  const table = new Uint8Array(10 ** PREFIX_DIGITS);
  const span = 10 ** (PREFIX_DIGITS - 1);
  // 01–05 are geographic, but only to a quarter of the country: not enough for Alsace-Moselle.
  // 06/07 mobiles and 08/09 non-geographic numbers say nothing about where the consumer is.
  table.fill(REGIONS.indexOf("metro") + 1, 1 * span, 6 * span);
  // Shorter prefixes first, so that the longest match is the one left.
  const byLength = [...OVERSEAS_PREFIXES].sort(([a], [b]) => a.length - b.length);
  for (const [prefix, region] of byLength) {
    const digits = prefix.slice(1); // after the national 0
    const width = 10 ** (PREFIX_DIGITS - digits.length);
    const first = Number(digits) * width;
    table.fill(REGIONS.indexOf(region) + 1, first, first + width);
  }
  return table;
}

const PLUS = 43;
const ZERO = 48;

/** Whether `s` is ASCII digits from `from` to its end. */
function digitsFrom(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > ZERO + 9) return false;
  }
  return true;
}

/** The number the (digit) characters of `s` from `from` to `to` spell. */
function numberAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - ZERO;
  return n;
}

/** The region of the national significant number starting at `from` in `s` (all digits). */
function regionOfSignificant(s: string, from: number): Region | undefined {
  const code = NATIONAL_REGION[numberAt(s, from, from + PREFIX_DIGITS)] as number;
  return code === 0 ? undefined : REGIONS[code - 1];
}

/**
 * Region of a French number given as digits: national "0XXXXXXXXX" or E.164 "+33…", "+590…",
 * "+594…", "+596…", "+262…", "+508…". An E.164 number whose prefix belongs to another country
 * code (e.g. "+33590…") is not a valid number and gives undefined.
 */
export function regionOfPhone(digits: string): Region | undefined {
  const length = digits.length;
  const first = digits.charCodeAt(0);
  if (first === ZERO)
    return length === 10 && digitsFrom(digits, 1) ? regionOfSignificant(digits, 1) : undefined;
  if (first !== PLUS || !digitsFrom(digits, 1)) return undefined;
  // +33 and nine digits; +590, +594, +596, +262 and nine digits.
  const code = length === 12 ? numberAt(digits, 1, 3) : length === 13 ? numberAt(digits, 1, 4) : 0;
  if (code === 33 || code === 590 || code === 594 || code === 596 || code === 262) {
    const region = regionOfSignificant(digits, length - 9);
    return region !== undefined && COUNTRY_CODE[region] === code ? region : undefined;
  }
  // Saint-Pierre-et-Miquelon: 6-digit numbers (0508 + 6 digits nationally), and the newer
  // 9-digit mobile range 708.
  if (numberAt(digits, 1, 4) !== 508) return undefined;
  return length === 10 || (length === 13 && numberAt(digits, 4, 7) === 708) ? "PM" : undefined;
}
