// Phone numbers to E.164 with their line type. Numbers of the French plan (+33 and the overseas
// codes sharing its national format) go through french-plan.ts without touching
// libphonenumber-js; anything else is handed to libphonenumber-js/max, loaded on first need
// (~70 ms). Only the `max` metadata tells allocated ranges and line types apart (`min` checks
// lengths only), and we never guess: an input is accepted only if it is a number as written.

import { createRequire } from "node:module";
import type * as Libphonenumber from "libphonenumber-js/max";
import { type Reason, renderReason } from "../i18n/reasons.ts";
import {
  FRENCH_PLAN_CALLING_CODES,
  inOverseasBlock,
  isFrenchPlanRegion,
  matchInternational,
  matchNational,
  type PlanNumber,
  possibleLengths,
} from "./french-plan.ts";

export type LineType =
  | "mobile"
  | "fixed_line"
  | "voip"
  | "toll_free"
  | "premium_rate"
  | "shared_cost"
  | "uan"
  | "personal_number"
  | "pager"
  | "voicemail"
  | "fixed_line_or_mobile"
  | "unknown";

export type PhoneResult =
  | { ok: true; e164: string; country: string; lineType: LineType }
  | { ok: false; reason: string; problem: Reason };

let cachedLib: typeof Libphonenumber | undefined;
const libphonenumber = (): typeof Libphonenumber => {
  cachedLib ??= createRequire(import.meta.url)("libphonenumber-js/max") as typeof Libphonenumber;
  return cachedLib;
};

const LINE_TYPES: Record<Libphonenumber.PhoneNumberType, LineType> = {
  MOBILE: "mobile",
  FIXED_LINE: "fixed_line",
  FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
  VOIP: "voip",
  TOLL_FREE: "toll_free",
  PREMIUM_RATE: "premium_rate",
  SHARED_COST: "shared_cost",
  UAN: "uan",
  PERSONAL_NUMBER: "personal_number",
  PAGER: "pager",
  VOICEMAIL: "voicemail",
};

const LENGTH_PROBLEMS: Record<Libphonenumber.ValidatePhoneNumberLengthResult, Reason> = {
  INVALID_COUNTRY: { code: "phone.unknown_country_code" },
  NOT_A_NUMBER: { code: "phone.not_a_number" },
  TOO_SHORT: { code: "phone.too_short" },
  TOO_LONG: { code: "phone.too_long" },
  INVALID_LENGTH: { code: "phone.invalid_length" },
};

/** libphonenumber's region code for numbers of no country (+800, +882…). */
const NON_GEOGRAPHIC = "001";

const reject = (problem: Reason): PhoneResult => ({
  ok: false,
  reason: renderReason(problem, "en"),
  problem,
});
const accept = (found: PlanNumber): PhoneResult => ({ ok: true, ...found });

type Scanned = { readonly digits: string; readonly plus: boolean } | { readonly problem: Reason };

// Space, no-break and narrow no-break spaces (French typography), . - / ( )
const SEPARATORS = new Set([" ", "\u00a0", "\u202f", ".", "-", "/", "(", ")"]);

/** A number a spreadsheet turned into a figure in scientific notation: "6,12E+08", "3.3612E+10". */
const SCIENTIFIC = /^\d+(?:[.,]\d+)?E\+?\d+$/i;
/**
 * A number a program wrote as a decimal ("612345678.0", pandas' float): the ".0" is not a digit
 * of it, and the leading 0 may be lost too — said, never repaired. Only when the number read with
 * the dot as a separator is no number: "067390206.0" may be 06 73 90 20 60 written oddly.
 */
const DECIMAL = /^\+?\d{8,}[.,]0+$/;

/**
 * A number exported as a spreadsheet formula that keeps its leading zero (`="0612345678"`, as
 * some CRMs write their CSV for Excel): said, not unwrapped — the file was not meant as data.
 */
const FORMULA = /^="[^"]*"$/;

/** Keeps the digits and a leading +, skipping the separators people write numbers with. */
function scan(raw: string): Scanned {
  const text = raw.trim();
  // Said apart from other invalid characters, so that whoever exports the list knows what to fix:
  // its digits are lost (never guessed back), and a spreadsheet's text marker is not part of it.
  if (SCIENTIFIC.test(text)) return { problem: { code: "phone.scientific_notation" } };
  if (text.startsWith("'")) return { problem: { code: "phone.text_marker" } };
  let digits = "";
  let plus = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char >= "0" && char <= "9") {
      digits += char;
    } else if (char === "+") {
      // Also inside a parenthesis: "(+33) 6 12…"
      if (plus || digits !== "") return { problem: { code: "phone.misplaced_plus" } };
      plus = true;
    } else if (!SEPARATORS.has(char)) {
      const whole = String.fromCodePoint(text.codePointAt(i) ?? 0);
      if (/\p{L}/u.test(whole)) return { problem: { code: "phone.letters" } };
      return { problem: { code: "phone.invalid_character", args: { character: JSON.stringify(whole) } } };
    }
  }
  return digits === "" ? { problem: { code: "phone.no_digits" } } : { digits, plus };
}

/** The digits after a calling code (`code`) or after the national prefix 0 (`code` null). */
function lengthReason(count: number, lengths: readonly number[], code: string | null): Reason {
  const min = lengths[0] ?? 0;
  const max = lengths[lengths.length - 1] ?? 0;
  const problem: Reason = {
    code: count < min ? "phone.too_short" : count > max ? "phone.too_long" : "phone.invalid_length",
  };
  return code === null
    ? { code: "phone.digits_after_prefix", args: { problem, count } }
    : { code: "phone.digits_after_code", args: { problem, count, code } };
}

/** `digits` from `start` hold a calling code and a national number. */
function international(digits: string, start: number): PhoneResult {
  const code = FRENCH_PLAN_CALLING_CODES.find((c) => digits.startsWith(c, start));
  if (code === undefined) return viaLibphonenumber(`+${digits.slice(start)}`);
  let nsn = start + code.length;
  // A national 0 kept after the code ("+33 (0)6…", "+3306…"): libphonenumber drops it too.
  if (digits.charCodeAt(nsn) === 48) nsn++;
  const length = digits.length - nsn;
  const lengths = possibleLengths(code);
  if (!lengths.includes(length)) return reject(lengthReason(length, lengths, code));
  // "+33 5 96…" is Martinique's 0596 written after +33, which libphonenumber's FR metadata
  // partly validates: read as +33 it would be another person than "0596…" (whose objections and
  // Bloctel entries it would escape) on the mainland's clock. Refused, saying the number meant.
  if (code === "33" && length === 9 && inOverseasBlock(digits, nsn)) {
    const meant = matchNational(digits, nsn);
    return reject(
      meant ? { code: "phone.overseas_as_33", args: { number: meant.e164 } } : { code: "phone.unallocated" },
    );
  }
  const found = matchInternational(code, digits, nsn, length);
  return found ? accept(found) : reject({ code: "phone.unallocated" });
}

/** `digits` start with the national 0 of the French plan. */
function national(digits: string): PhoneResult {
  const length = digits.length - 1;
  if (length !== 9) return reject(lengthReason(length, [9], null));
  const found = matchNational(digits, 1);
  return found ? accept(found) : reject({ code: "phone.unallocated" });
}

function viaLibphonenumber(text: string, defaultCountry?: Libphonenumber.CountryCode): PhoneResult {
  const lib = libphonenumber();
  const parsed = lib.parsePhoneNumberFromString(text, defaultCountry);
  if (parsed?.isValid()) {
    const type = parsed.getType();
    return {
      ok: true,
      e164: parsed.number,
      country: parsed.country ?? NON_GEOGRAPHIC,
      lineType: type === undefined ? "unknown" : LINE_TYPES[type],
    };
  }
  const where = parsed && (parsed.country ?? `+${parsed.countryCallingCode}`);
  const problem = lib.validatePhoneNumberLength(text, defaultCountry);
  if (problem) {
    const reason = LENGTH_PROBLEMS[problem];
    return reject(where ? { code: "phone.for_region", args: { problem: reason, region: where } } : reason);
  }
  return reject(
    where ? { code: "phone.invalid_for_region", args: { region: where } } : { code: "phone.not_a_number" },
  );
}

/**
 * `defaultCountry` (ISO 3166 alpha-2) is where national numbers are dialled from. In the French
 * plan (FR and its overseas territories) a national number must keep its leading 0 — "612345678"
 * is rejected rather than guessed — and 00 is the international prefix.
 */
export function normalizePhone(raw: string, defaultCountry = "FR"): PhoneResult {
  const result = readPhone(raw, defaultCountry);
  if (result.ok) return result;
  const text = raw.trim();
  if (DECIMAL.test(text)) return reject({ code: "phone.decimal", args: { value: JSON.stringify(text) } });
  if (FORMULA.test(text)) return reject({ code: "phone.formula" });
  // "33612345678": a number of the French plan written without its "+" (as some exports and
  // registries write them) is not read as one — only said, with the number it would be.
  if (result.problem.code === "phone.no_prefix") {
    const plus = readPhone(`+${text}`, defaultCountry);
    if (plus.ok && FRENCH_PLAN_CALLING_CODES.some((code) => plus.e164.startsWith(`+${code}`))) {
      return reject({ code: "phone.no_plus", args: { number: plus.e164 } });
    }
  }
  return result;
}

function readPhone(raw: string, defaultCountry: string): PhoneResult {
  const frenchPlan = isFrenchPlanRegion(defaultCountry);
  if (!frenchPlan && !libphonenumber().isSupportedCountry(defaultCountry)) {
    throw new Error(`normalizePhone: unknown default country ${JSON.stringify(defaultCountry)}`);
  }
  const scanned = scan(raw);
  if ("problem" in scanned) return reject(scanned.problem);
  const { digits, plus } = scanned;
  if (plus) return international(digits, 0);
  if (!frenchPlan) return viaLibphonenumber(digits, defaultCountry as Libphonenumber.CountryCode);
  if (digits.startsWith("00")) return international(digits, 2);
  if (digits.startsWith("0")) return national(digits);
  return reject({ code: "phone.no_prefix" });
}
