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
const OVERSEAS_PREFIXES: ReadonlyMap<string, Region> = new Map<string, Region>([
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
const COUNTRY_CODE: Readonly<Record<Region, string>> = {
  metro: "33",
  "alsace-moselle": "33",
  GP: "590",
  MF: "590",
  BL: "590",
  MQ: "596",
  GF: "594",
  RE: "262",
  YT: "262",
  PM: "508",
};

function regionOfNational(national: string): Region | undefined {
  for (const length of [6, 5, 4]) {
    const region = OVERSEAS_PREFIXES.get(national.slice(0, length));
    if (region !== undefined) return region;
  }
  // 01–05 are geographic, but only to a quarter of the country: not enough for Alsace-Moselle.
  // 06/07 mobiles and 08/09 non-geographic numbers say nothing about where the consumer is.
  return /^0[1-5]/.test(national) ? "metro" : undefined;
}

/**
 * Region of a French number given as digits: national "0XXXXXXXXX" or E.164 "+33…", "+590…",
 * "+594…", "+596…", "+262…", "+508…". An E.164 number whose prefix belongs to another country
 * code (e.g. "+33590…") is not a valid number and gives undefined.
 */
export function regionOfPhone(digits: string): Region | undefined {
  if (/^0\d{9}$/.test(digits)) return regionOfNational(digits);
  const e164 = /^\+(33|590|594|596|262)(\d{9})$/.exec(digits);
  if (e164) {
    const region = regionOfNational(`0${e164[2]}`);
    return region !== undefined && COUNTRY_CODE[region] === e164[1] ? region : undefined;
  }
  // Saint-Pierre-et-Miquelon: 6-digit numbers (0508 + 6 digits nationally), and the newer
  // 9-digit mobile range 708.
  return /^\+508(\d{6}|708\d{6})$/.test(digits) ? "PM" : undefined;
}
