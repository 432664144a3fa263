// regionOfPhone reads a number through a table of prefixes built at load (src/params/fr/regions.ts).
// It must answer exactly as the regex version it replaced, kept here as the reference: on every
// entry of the table under every country code, and on random numbers and strings.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Region } from "../../src/params/fr/regions.ts";
// The prefixes are data, shared: what is compared is how a number is looked up in them.
import { OVERSEAS_PREFIXES, regionOfPhone } from "../../src/params/fr/regions.ts";

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
  return /^0[1-5]/.test(national) ? "metro" : undefined;
}

/** The regex version regionOfPhone replaced (commit a9b736d). */
function reference(digits: string): Region | undefined {
  if (/^0\d{9}$/.test(digits)) return regionOfNational(digits);
  const e164 = /^\+(33|590|594|596|262)(\d{9})$/.exec(digits);
  if (e164) {
    const region = regionOfNational(`0${e164[2]}`);
    return region !== undefined && COUNTRY_CODE[region] === e164[1] ? region : undefined;
  }
  return /^\+508(\d{6}|708\d{6})$/.test(digits) ? "PM" : undefined;
}

const CODES = ["33", "590", "594", "596", "262", "508", "44", "1", "331", "5900"];

test("regionOfPhone answers as the regex version on every national prefix of its table, under every country code", () => {
  let overseas = 0;
  for (let n = 0; n < 100_000; n++) {
    const prefix = String(n).padStart(5, "0");
    const tail = String((n * 7919) % 10_000).padStart(4, "0");
    const significant = `${prefix}${tail}`;
    const numbers = [
      `0${significant}`,
      ...CODES.map((code) => `+${code}${significant}`),
      `+508${significant.slice(0, 6)}`,
      `0${significant.slice(1)}`,
      `+33${significant}0`,
    ];
    for (const number of numbers) assert.equal(regionOfPhone(number), reference(number), number);
    if (reference(`0${significant}`) !== undefined && reference(`0${significant}`) !== "metro") overseas++;
  }
  assert.ok(overseas > 1_500, `only ${overseas} overseas prefixes`);
});

test("regionOfPhone answers as the regex version on edge inputs", () => {
  for (const input of [
    "",
    "0",
    "+",
    "+33",
    "+508",
    "+508708",
    "+5087081234567",
    "+508708123456",
    "+508709123456",
    "+508123456",
    "+50812345",
    "+5081234567",
    "0145 67 89 01",
    "0145678901\n",
    "\n0145678901",
    "0145678901 ",
    "01456789O1",
    "０１４５６７８９０１",
    "+33１45678901",
    "++33145678901",
    "+-33145678901",
    "0x45678901",
    "0/45678901",
    "0:45678901",
    "+33590123456",
    "+590262123456",
    "+262639123456",
  ]) {
    assert.equal(regionOfPhone(input), reference(input), JSON.stringify(input));
  }
});

test("regionOfPhone answers as the regex version on random numbers and strings (fast-check)", () => {
  const digit = fc.constantFrom(..."0123456789");
  const digitsOf = (min: number, max: number) =>
    fc.array(digit, { minLength: min, maxLength: max }).map((d) => d.join(""));
  const number = fc.oneof(
    fc.tuple(fc.constantFrom("0", "+", ...CODES.map((c) => `+${c}`)), digitsOf(0, 13)).map(([a, b]) => a + b),
    fc.tuple(fc.constantFrom("+508708", "+508", "+33", "0"), digitsOf(4, 11)).map(([a, b]) => a + b),
    fc.array(fc.constantFrom(..."0123456789+ -.()a\n"), { maxLength: 16 }).map((c) => c.join("")),
    fc.string({ maxLength: 14 }),
  );
  fc.assert(
    fc.property(number, (input) => {
      assert.equal(regionOfPhone(input), reference(input), JSON.stringify(input));
    }),
    { numRuns: 200_000, seed: 20261203 },
  );
});
