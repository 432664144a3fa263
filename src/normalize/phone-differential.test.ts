// Differential test: normalizePhone (whose French-plan numbers never reach libphonenumber) against
// libphonenumber-js/max's parsePhoneNumberFromString + isValid() + getType() on 200k seeded inputs.
// The oracle is libphonenumber itself plus the two documented policies normalizePhone adds:
// a national number must keep its leading 0, a national 0-number of the French plan is read in
// the overseas territory whose block it is in (see matchNational in french-plan.ts), and such a
// number written after +33 is refused (it does not reach the territory; phone.ts international).

import assert from "node:assert/strict";
import { test } from "node:test";
import { type PhoneNumber, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { normalizePhone } from "./phone.ts";

const SEED = 0x5eed_2026;
const SWEEP = 90_000; // every 5-digit national prefix 10000–99999, once
const RANDOM = 110_000;

/** Reviewed by hand from the metadata: 3-digit national blocks in which a territory numbers. */
const OVERSEAS_BLOCKS = new Set(
  "262 263 268 269 590 594 596 598 639 690 691 692 693 694 696 697 708 709".split(" "),
);
const OVERSEAS_CODES = ["590", "594", "596", "262", "508"];

type Outcome = { ok: false } | { ok: true; e164: string; country: string; lineType: string };

function fromLibphonenumber(parsed: PhoneNumber | undefined): Outcome {
  if (!parsed?.isValid()) return { ok: false };
  return {
    ok: true,
    e164: parsed.number,
    country: parsed.country ?? "001",
    lineType: parsed.getType()?.toLowerCase() ?? "unknown",
  };
}

function oracle(input: string): Outcome {
  const digits = input.replace(/\D/g, "");
  const plus = input.includes("+");
  if (!plus && !digits.startsWith("0")) return { ok: false };
  if (plus || digits.startsWith("00") || digits.length !== 10) {
    const after33 = plus ? digits.slice(2) : digits.startsWith("0033") ? digits.slice(4) : null;
    if (after33 !== null && digits.startsWith(plus ? "33" : "0033")) {
      const nsn = after33.startsWith("0") ? after33.slice(1) : after33;
      if (nsn.length === 9 && (nsn.startsWith("508") || OVERSEAS_BLOCKS.has(nsn.slice(0, 3))))
        return { ok: false };
    }
    return fromLibphonenumber(parsePhoneNumberFromString(input, "FR"));
  }
  const nsn = digits.slice(1);
  if (nsn.startsWith("508")) return fromLibphonenumber(parsePhoneNumberFromString(`+508${nsn.slice(3)}`));
  if (OVERSEAS_BLOCKS.has(nsn.slice(0, 3))) {
    const valid = OVERSEAS_CODES.map((code) => parsePhoneNumberFromString(`+${code}${nsn}`)).filter((p) =>
      p?.isValid(),
    );
    assert.ok(new Set(valid.map((p) => p?.countryCallingCode)).size <= 1, `${input}: several territories`);
    return fromLibphonenumber(valid[0]);
  }
  return fromLibphonenumber(parsePhoneNumberFromString(input, "FR"));
}

function actual(input: string): Outcome {
  const result = normalizePhone(input);
  if (!result.ok) return { ok: false };
  const { e164, country, lineType } = result;
  return { ok: true, e164, country, lineType };
}

/** mulberry32: small, seedable, good enough to spread inputs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(SEED);
const int = (n: number): number => Math.floor(next() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
const digitsOf = (n: number): string => Array.from({ length: n }, () => String(int(10))).join("");
// Separators libphonenumber also accepts, so the oracle sees the same writing.
const SEPARATORS = [" ", " ", ".", "-", "", "", "/", "\u00a0"];

/** Writes digits the way people do: grouped in pairs or at random, with a separator. */
function write(digits: string): string {
  const sep = pick(SEPARATORS);
  if (next() < 0.5) return digits.match(/.{1,2}/g)?.join(sep) ?? digits;
  let out = "";
  for (const d of digits) out += next() < 0.3 ? pick(SEPARATORS) + d : d;
  return out;
}

/** A 9-digit national number written in one of the French forms. */
function frenchForm(nsn: string): string {
  const r = next();
  if (r < 0.55) return write(`0${nsn}`);
  if (r < 0.7) return `+33${pick(["", " "])}${write(nsn)}`;
  if (r < 0.8) return `0033 ${write(nsn)}`;
  if (r < 0.85) return `+33 (0)${write(nsn)}`;
  if (r < 0.88) return `(+33) ${write(`0${nsn}`)}`;
  return `+${pick(OVERSEAS_CODES)} ${write(nsn)}`;
}

const OVERSEAS_PREFIXES = [
  "690",
  "691",
  "694",
  "696",
  "697",
  "692",
  "693",
  "639",
  "262",
  "263",
  "268",
  "269",
  "590",
  "594",
  "596",
  "598",
  "7090",
  "7091",
  "7092",
  "7093",
  "708",
  "939",
  "947",
  "976",
  "80",
  "89",
];

function randomInput(): string {
  const r = next();
  if (r < 0.3) {
    const prefix = pick(OVERSEAS_PREFIXES);
    return frenchForm(prefix + digitsOf(9 - prefix.length));
  }
  if (r < 0.4) return write(`0508${digitsOf(6)}`);
  if (r < 0.45) return `+508 ${write(digitsOf(pick([5, 6, 7, 9])))}`;
  if (r < 0.6) return write(`0${digitsOf(int(14))}`); // wrong lengths
  if (r < 0.7) return `${pick(["+33", "0033", "+33 0", "+330", "+33 (0) 0"])}${write(digitsOf(int(12)))}`;
  if (r < 0.75)
    return `+${pick(["590", "594", "596", "262"])}${pick(["", " 0", "0"])}${write(digitsOf(7 + int(4)))}`;
  if (r < 0.78) return `${pick(["+44", "+49", "+1", "+32", "0041", "+8"])}${write(digitsOf(6 + int(8)))}`;
  // junk: digits of any length, with or without + / 00 / 0
  return `${pick(["", "", "+", "00", "0", "(", "+ "])}${write(digitsOf(1 + int(16)))}`;
}

test("fast path agrees with libphonenumber-js/max on 200k French-looking inputs", () => {
  const inputs: string[] = [];
  for (let p = 10_000; p < 10_000 + SWEEP; p++) inputs.push(frenchForm(`${p}${digitsOf(4)}`));
  for (let i = 0; i < RANDOM; i++) inputs.push(randomInput());

  const disagreements: string[] = [];
  const types = new Map<string, number>();
  let valid = 0;
  for (const input of inputs) {
    const expected = oracle(input);
    const got = actual(input);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      disagreements.push(
        `${JSON.stringify(input)}: got ${JSON.stringify(got)}, libphonenumber ${JSON.stringify(expected)}`,
      );
    }
    if (got.ok) {
      valid++;
      types.set(got.lineType, (types.get(got.lineType) ?? 0) + 1);
    }
  }
  assert.deepEqual(disagreements.slice(0, 20), []);
  // Guard against a vacuous pass: many inputs valid, all the French line types seen.
  assert.ok(valid > inputs.length * 0.3, `only ${valid} valid inputs`);
  for (const type of ["mobile", "fixed_line", "voip", "toll_free", "premium_rate", "shared_cost", "uan"]) {
    assert.ok((types.get(type) ?? 0) > 100, `too few ${type}: ${types.get(type)}`);
  }
  assert.equal(inputs.length, 200_000);
});
