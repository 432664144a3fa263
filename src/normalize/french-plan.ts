// The French numbering plan: metropolitan France (+33) and the overseas territories that share
// its ten-digit national format (0590… Guadeloupe, 0262… Réunion, 0508… Saint-Pierre, …).
// Validity and line type are compiled from the very metadata file libphonenumber-js/max uses, with
// the same decision procedure as its getNumberType(), so this fast path agrees with it by
// construction; phone-differential.test.ts checks that it does.

import { createRequire } from "node:module";
import { compileTrie, type LabelledPattern, lookupTrie, trieHasPrefix } from "./pattern-trie.ts";
import type { LineType } from "./phone.ts";

/** Calling codes whose numbers are also written nationally as 0 + 9 digits in France. */
export const FRENCH_PLAN_CALLING_CODES = ["33", "590", "594", "596", "262", "508"] as const;
export type FrenchPlanCallingCode = (typeof FRENCH_PLAN_CALLING_CODES)[number];

export interface PlanNumber {
  readonly e164: string;
  readonly country: string;
  readonly lineType: LineType;
}

// Position i of a country's type list in libphonenumber-js metadata (see its metadata.js getType()).
const METADATA_TYPES = [
  "fixed_line",
  "mobile",
  "toll_free",
  "premium_rate",
  "personal_number",
  "voicemail",
  "uan",
  "pager",
  "voip",
  "shared_cost",
] as const satisfies readonly LineType[];
// The order in which libphonenumber's getNumberType() tries the types other than fixed line.
const NON_FIXED_ORDER = [
  "mobile",
  "premium_rate",
  "toll_free",
  "shared_cost",
  "voip",
  "personal_number",
  "pager",
  "uan",
  "voicemail",
] as const satisfies readonly LineType[];
/** Trie codes: index + 1 (0 means "not a valid number"). */
const CODES: readonly LineType[] = [...METADATA_TYPES, "fixed_line_or_mobile"];
type MetadataType = (typeof METADATA_TYPES)[number];
const GENERAL = 1;
const typeLabel = (type: MetadataType): number => 2 << METADATA_TYPES.indexOf(type);

const OVERSEAS_CODES = FRENCH_PLAN_CALLING_CODES.filter((code) => code !== "33");

interface Region {
  readonly id: string;
  /** One trie per possible national-number length. */
  readonly tries: ReadonlyMap<number, Int32Array>;
}

interface Plan {
  readonly regions: ReadonlyMap<FrenchPlanCallingCode, readonly Region[]>;
  readonly lengths: ReadonlyMap<FrenchPlanCallingCode, readonly number[]>;
  readonly ids: ReadonlySet<string>;
  /** Flag per 3-digit national prefix 100–799: an overseas territory numbers in that block. */
  readonly overseasBlocks: Uint8Array;
}

type TypeEntry = readonly [pattern: string, lengths?: readonly number[]];

function asTypeEntry(value: unknown): TypeEntry | undefined {
  if (!Array.isArray(value)) return undefined;
  const [pattern, lengths] = value as unknown[];
  if (typeof pattern !== "string") throw new Error("libphonenumber-js metadata: unexpected type entry");
  return Array.isArray(lengths) ? [pattern, lengths as number[]] : [pattern];
}

function compileRegion(id: string, meta: readonly unknown[]): Region {
  // Country entry layout (metadata v4): [2] national number pattern, [3] lengths, [11] types.
  const [pattern, lengths, types] = [meta[2], meta[3], meta[11]];
  if (typeof pattern !== "string" || !Array.isArray(lengths) || !Array.isArray(types)) {
    throw new Error(`libphonenumber-js metadata: unexpected layout for ${id}`);
  }
  const entries = METADATA_TYPES.map((_, i) => asTypeEntry(types[i]));
  const mobile = entries[1];
  const fixedMeansBoth = !mobile?.[0];
  const codeOf = (labels: number): number => {
    if ((labels & GENERAL) === 0) return 0;
    let type: LineType | undefined;
    if (labels & typeLabel("fixed_line")) {
      type = fixedMeansBoth || labels & typeLabel("mobile") ? "fixed_line_or_mobile" : "fixed_line";
    } else {
      type = NON_FIXED_ORDER.find((t) => labels & typeLabel(t));
    }
    return type === undefined ? 0 : CODES.indexOf(type) + 1;
  };
  const tries = new Map<number, Int32Array>();
  for (const length of lengths as number[]) {
    const patterns: LabelledPattern[] = [{ pattern, label: GENERAL }];
    METADATA_TYPES.forEach((type, i) => {
      const entry = entries[i];
      // Like isNumberTypeEqualTo(): a type only applies to its own possible lengths.
      if (entry && (entry[1] ?? lengths).includes(length)) {
        patterns.push({ pattern: entry[0], label: typeLabel(type) });
      }
    });
    tries.set(length, compileTrie(patterns, length, codeOf));
  }
  return { id, tries };
}

function buildPlan(): Plan {
  const metadata = createRequire(import.meta.url)("libphonenumber-js/metadata.max.json") as {
    country_calling_codes: Record<string, string[]>;
    countries: Record<string, unknown[]>;
  };
  const regions = new Map<FrenchPlanCallingCode, Region[]>();
  const lengths = new Map<FrenchPlanCallingCode, number[]>();
  for (const code of FRENCH_PLAN_CALLING_CODES) {
    // Same order as libphonenumber, which gives a shared code's number to the first region that
    // validates it (+590: GP, BL, MF; +262: RE, YT).
    const list = (metadata.country_calling_codes[code] ?? []).map((id) => {
      const meta = metadata.countries[id];
      if (!meta) throw new Error(`libphonenumber-js metadata: no entry for ${id}`);
      return compileRegion(id, meta);
    });
    regions.set(code, list);
    lengths.set(
      code,
      [...new Set(list.flatMap((r) => [...r.tries.keys()]))].sort((a, b) => a - b),
    );
  }
  const overseas = OVERSEAS_CODES.flatMap((code) => regions.get(code) ?? []);
  const overseasBlocks = new Uint8Array(1000);
  for (let block = 100; block < 800; block++) {
    const prefix = String(block);
    if (overseas.some((r) => trieHasPrefix(r.tries.get(9) ?? new Int32Array(10), prefix)))
      overseasBlocks[block] = 1;
  }
  return { regions, lengths, ids: new Set([...regions.values()].flat().map((r) => r.id)), overseasBlocks };
}

let cachedPlan: Plan | undefined;
// Built on first use (10–30 ms, a third of it reading the metadata JSON): importing is free.
const plan = (): Plan => {
  cachedPlan ??= buildPlan();
  return cachedPlan;
};

export function isFrenchPlanRegion(region: string): boolean {
  return plan().ids.has(region);
}

/** National-number lengths that exist under the calling code, ascending. */
export function possibleLengths(code: FrenchPlanCallingCode): readonly number[] {
  return plan().lengths.get(code) ?? [];
}

/** `length` digits of `digits` from `start`, read as a national number under calling code `code`. */
export function matchInternational(
  code: FrenchPlanCallingCode,
  digits: string,
  start: number,
  length: number,
): PlanNumber | undefined {
  for (const region of plan().regions.get(code) ?? []) {
    const trie = region.tries.get(length);
    const typeCode = trie ? lookupTrie(trie, digits, start, length) : 0;
    const lineType = CODES[typeCode - 1];
    if (lineType)
      return { e164: `+${code}${digits.slice(start, start + length)}`, country: region.id, lineType };
  }
  return undefined;
}

/**
 * Whether the 9 digits after the national 0 fall in a block of an overseas territory (or are
 * Saint-Pierre-et-Miquelon's 0508): dialled as 0…, they reach the territory, never +33.
 */
export function inOverseasBlock(digits: string, start: number): boolean {
  return (
    digits.startsWith("508", start) || plan().overseasBlocks[Number(digits.slice(start, start + 3))] === 1
  );
}

/**
 * The 9 digits after the national 0, dialled from anywhere in the French plan. libphonenumber
 * only knows "+33 + these digits", and its FR metadata also validates parts of the overseas
 * blocks (0263, 0269, 0596…), so:
 * - 0508 + 6 digits is Saint-Pierre-et-Miquelon's 6-digit numbering, nothing else;
 * - a geographic or mobile number (first digit 1–7) whose first three digits form a block in which
 *   an overseas territory has numbers belongs to the territory that validates it, or to none:
 *   an unallocated 0596 number is rejected, not read as +33 596…;
 * - everything else, including the 08 and 09 ranges that several territories share with France
 *   (their metadata even overlap each other there), is read as +33.
 */
export function matchNational(digits: string, start: number): PlanNumber | undefined {
  if (digits.startsWith("508", start)) return matchInternational("508", digits, start + 3, 6);
  if (inOverseasBlock(digits, start)) {
    for (const code of OVERSEAS_CODES) {
      const found = matchInternational(code, digits, start, 9);
      if (found) return found;
    }
    return undefined;
  }
  return matchInternational("33", digits, start, 9);
}
