import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { isValidTimeZone } from "../../time/zoned.ts";
import {
  isDepartment,
  REGION_TIME_ZONE,
  REGIONS,
  type Region,
  regionOfDepartment,
  regionOfPhone,
} from "./regions.ts";

test("every region has a valid IANA time zone", () => {
  assert.equal(REGIONS.length, 10);
  for (const region of REGIONS) assert.ok(isValidTimeZone(REGION_TIME_ZONE[region]), region);
  assert.equal(REGION_TIME_ZONE.metro, "Europe/Paris");
  assert.equal(REGION_TIME_ZONE["alsace-moselle"], "Europe/Paris");
  assert.equal(REGION_TIME_ZONE.PM, "America/Miquelon");
});

describe("regionOfDepartment", () => {
  test("Alsace-Moselle", () => {
    for (const d of ["57", "67", "68"]) assert.equal(regionOfDepartment(d), "alsace-moselle");
  });

  test("overseas", () => {
    const expected: [string, Region][] = [
      ["971", "GP"],
      ["972", "MQ"],
      ["973", "GF"],
      ["974", "RE"],
      ["975", "PM"],
      ["976", "YT"],
      ["977", "BL"],
      ["978", "MF"],
    ];
    for (const [d, region] of expected) assert.equal(regionOfDepartment(d), region, d);
  });

  test("metropolitan", () => {
    let count = 0;
    for (let n = 1; n <= 95; n++) {
      const d = String(n).padStart(2, "0");
      if (n === 20 || d === "57" || d === "67" || d === "68") continue;
      assert.equal(regionOfDepartment(d), "metro", d);
      count++;
    }
    assert.equal(regionOfDepartment("2A"), "metro");
    assert.equal(regionOfDepartment("2B"), "metro");
    assert.equal(count + 2 + 3, 96, "96 metropolitan departments");
  });

  test("unknown codes", () => {
    for (const d of [
      "",
      "00",
      "20",
      "96",
      "99",
      "1",
      "001",
      "2a",
      "2C",
      "970",
      "979",
      "984",
      "988",
      " 75",
      "75000",
    ]) {
      assert.equal(regionOfDepartment(d), undefined, d);
      assert.equal(isDepartment(d), false, d);
    }
    assert.equal(isDepartment("75"), true);
    assert.equal(isDepartment("976"), true);
  });
});

describe("regionOfPhone", () => {
  const cases: [string, Region | undefined][] = [
    ["0590123456", "GP"],
    ["0690123456", "GP"],
    ["0691234567", "GP"],
    ["0596123456", "MQ"],
    ["0696123456", "MQ"],
    ["0697123456", "MQ"],
    ["0594123456", "GF"],
    ["0694123456", "GF"],
    ["0262123456", "RE"],
    ["0263123456", "RE"],
    ["0692123456", "RE"],
    ["0693123456", "RE"],
    ["0269123456", "YT"],
    ["0639123456", "YT"],
    ["0508412345", "PM"],
    ["0598712345", "GP"],
    ["0598812345", "GF"],
    ["0598912345", "MQ"],
    ["0268812345", "RE"],
    ["0268912345", "YT"],
    ["0709012345", "GP"],
    ["0709312345", "GF"],
    ["0709352345", "YT"],
    ["0145678901", "metro"],
    ["0388123456", "metro"], // Strasbourg: still "metro", a number does not tell the department
    ["0478123456", "metro"],
    ["0561123456", "metro"],
    ["0591123456", "metro"],
    ["0612345678", undefined],
    ["0712345678", undefined],
    ["0800123456", undefined],
    ["0912345678", undefined],
    ["+33145678901", "metro"],
    ["+33612345678", undefined],
    ["+590590123456", "GP"],
    ["+590690123456", "GP"],
    ["+596696123456", "MQ"],
    ["+594594123456", "GF"],
    ["+262262123456", "RE"],
    ["+262639123456", "YT"],
    ["+508412345", "PM"],
    ["+508708412345", "PM"],
    ["+33590123456", undefined], // Guadeloupe prefix under the metropolitan country code
    ["+590262123456", undefined],
    ["+262145678901", undefined],
    ["+508123", undefined],
    ["", undefined],
    ["0145 67 89 01", undefined],
    ["014567890", undefined],
    ["01456789012", undefined],
    ["33145678901", undefined],
    ["+3314567890", undefined],
    ["+44145678901", undefined],
  ];
  for (const [digits, region] of cases) {
    test(`${JSON.stringify(digits)} → ${region}`, () => assert.equal(regionOfPhone(digits), region));
  }

  // Every number libphonenumber-js knows as a fixed or mobile line of an overseas territory must
  // land in that territory (GP for the shared GP/MF/BL numbering), in E.164 and national form.
  // Candidates cover every 5-digit start of the national significant number under the leading
  // digits those country codes use for fixed and mobile lines; the 08/09 non-geographic ranges
  // (which libphonenumber also types as fixed lines) are left out on purpose.
  function* overseasCandidates(): Generator<string> {
    const leads: [string, string][] = [
      ["590", "567"],
      ["594", "567"],
      ["596", "567"],
      ["262", "267"],
    ];
    for (const [cc, digits] of leads) {
      for (const lead of digits) {
        for (let n = 0; n < 10_000; n++) {
          // One completion per start, varied so that the later digits are not always the same.
          yield `+${cc}${lead}${String(n).padStart(4, "0")}${String((n * 7919) % 10_000).padStart(4, "0")}`;
        }
      }
    }
    for (let n = 0; n < 10_000; n++) {
      yield `+508${String(n).padStart(4, "0")}00`; // 6-digit numbers
      yield `+5087${String(n).padStart(4, "0")}0000`; // 9-digit mobiles
    }
  }

  test("agrees with libphonenumber-js on overseas fixed and mobile numbers", () => {
    let checked = 0;
    const seen = new Set<string | undefined>();
    for (const e164 of overseasCandidates()) {
      const number = parsePhoneNumberFromString(e164);
      const type = number?.isValid() ? number.getType() : undefined;
      if (type !== "FIXED_LINE" && type !== "MOBILE") continue;
      const expected = number?.country === "MF" || number?.country === "BL" ? "GP" : number?.country;
      assert.equal(regionOfPhone(e164), expected, e164);
      const nsn = e164.slice(4);
      // National form: "0" + NSN; PM's 6-digit numbers take 0508, its 9-digit ones have none.
      const national = e164.startsWith("+508") ? (nsn.length === 6 ? `0508${nsn}` : undefined) : `0${nsn}`;
      if (national !== undefined) assert.equal(regionOfPhone(national), expected, national);
      seen.add(expected);
      checked++;
    }
    assert.ok(checked > 1_500, `only ${checked} numbers checked`);
    assert.deepEqual([...seen].sort(), ["GF", "GP", "MQ", "PM", "RE", "YT"]);
  });
});
