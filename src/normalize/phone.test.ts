import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { normalizePhone } from "./phone.ts";

describe("normalizePhone accepts", () => {
  const cases: [input: string, e164: string, country: string, lineType: string][] = [
    ["06 12 34 56 78", "+33612345678", "FR", "mobile"],
    ["06.12.34.56.78", "+33612345678", "FR", "mobile"],
    ["06-12-34-56-78", "+33612345678", "FR", "mobile"],
    ["(06) 12/34/56/78", "+33612345678", "FR", "mobile"],
    ["  0612345678\t", "+33612345678", "FR", "mobile"],
    ["06\u00a012\u202f34 56 78", "+33612345678", "FR", "mobile"],
    ["+33612345678", "+33612345678", "FR", "mobile"],
    ["+33 6 12 34 56 78", "+33612345678", "FR", "mobile"],
    ["+33 (0)6 12 34 56 78", "+33612345678", "FR", "mobile"],
    ["+330612345678", "+33612345678", "FR", "mobile"],
    ["(+33) 6 12 34 56 78", "+33612345678", "FR", "mobile"],
    ["0033 6 12 34 56 78", "+33612345678", "FR", "mobile"],
    ["0033 (0)6 12 34 56 78", "+33612345678", "FR", "mobile"],
    ["07 81 23 45 67", "+33781234567", "FR", "mobile"],
    ["01 23 45 67 89", "+33123456789", "FR", "fixed_line"],
    ["04 72 12 34 56", "+33472123456", "FR", "fixed_line"],
    ["09 51 23 45 67", "+33951234567", "FR", "voip"],
    ["0800 12 34 56", "+33800123456", "FR", "toll_free"],
    ["0891 12 34 56", "+33891123456", "FR", "premium_rate"],
    ["0810 12 34 56", "+33810123456", "FR", "shared_cost"],
    ["0806 12 34 56", "+33806123456", "FR", "uan"],
    // Overseas numbers written nationally.
    ["0690 12 34 56", "+590690123456", "GP", "mobile"],
    ["0590 27 12 34", "+590590271234", "BL", "fixed_line"],
    ["0590 82 12 34", "+590590821234", "GP", "fixed_line"],
    ["0262 12 34 56", "+262262123456", "RE", "fixed_line"],
    ["0692 12 34 56", "+262692123456", "RE", "mobile"],
    ["0269 60 12 34", "+262269601234", "YT", "fixed_line"],
    ["0639 01 23 45", "+262639012345", "YT", "mobile"],
    ["0594 27 12 34", "+594594271234", "GF", "fixed_line"],
    ["0694 20 12 34", "+594694201234", "GF", "mobile"],
    ["0596 70 12 34", "+596596701234", "MQ", "fixed_line"],
    ["0696 12 34 56", "+596696123456", "MQ", "mobile"],
    ["05 08 41 23 45", "+508412345", "PM", "fixed_line"],
    // Overseas and foreign numbers written internationally.
    ["+590 690 12 34 56", "+590690123456", "GP", "mobile"],
    ["00262 692 12 34 56", "+262692123456", "RE", "mobile"],
    ["+508 41 23 45", "+508412345", "PM", "fixed_line"],
    ["+44 20 7946 0958", "+442079460958", "GB", "fixed_line"],
    ["+44 (0)20 7946 0958", "+442079460958", "GB", "fixed_line"],
    ["0049 30 901820", "+4930901820", "DE", "fixed_line"],
    ["+32 470 12 34 56", "+32470123456", "BE", "mobile"],
    ["+800 1234 5678", "+80012345678", "001", "toll_free"],
  ];
  for (const [input, e164, country, lineType] of cases) {
    test(JSON.stringify(input), () => {
      assert.deepEqual(normalizePhone(input), { ok: true, e164, country, lineType });
    });
  }
});

describe("normalizePhone rejects, with a reason", () => {
  const cases: [input: string, reason: string][] = [
    ["", "no digits"],
    ["  - . ", "no digits"],
    ["0612345", "too short: 6 digits after the national prefix"],
    ["06 12 34 56 78 9", "too long: 10 digits after the national prefix"],
    ["06 12 34 56 78 / 06 98 76 54 32", "too long: 19 digits after the national prefix"],
    ["+33 6 12 34 56 7", "too short: 8 digits after +33"],
    ["0033 6 12 34 56 78 90", "too long: 11 digits after +33"],
    ["+508 41 23 4", "too short: 5 digits after +508"],
    ["+508 41 23 45 6", "invalid length: 7 digits after +508"],
    // Numbering ranges nobody holds.
    ["07 00 00 00 00", "not an allocated number range"],
    // Guadeloupe mobiles are +590 690…; Martinique's 0596 after +33 would be another person than
    // 0596… (its objections and Bloctel entries escaped), on the mainland's clock.
    [
      "+33 6 90 12 34 56",
      "an overseas number written after +33, which does not reach it: write +590690123456 (or its national form 0…)",
    ],
    [
      "+33 (0)5 96 70 12 34",
      "an overseas number written after +33, which does not reach it: write +596596701234 (or its national form 0…)",
    ],
    [
      "0033 2 69 61 00 01",
      "an overseas number written after +33, which does not reach it: write +262269610001 (or its national form 0…)",
    ],
    ["05 96 12 34 56", "not an allocated number range"], // in Martinique's block, not allocated there
    ["05 08 01 23 45", "not an allocated number range"],
    // Never guessed.
    ["612345678", "missing the national prefix 0 or a +country code"],
    [
      "33612345678",
      "missing the national prefix 0 or a +country code: if it begins with its country code, write +33612345678",
    ],
    [
      "262 692 12 34 56",
      "missing the national prefix 0 or a +country code: if it begins with its country code, write +262692123456",
    ],
    ["06 12 AB 56 78", "contains letters"],
    ["tel:+33612345678", "contains letters"],
    ["06 12 34 56 78 poste 12", "contains letters"],
    ["06 12 34 56 78;", 'contains an invalid character ";"'],
    ["06_12_34_56_78", 'contains an invalid character "_"'],
    ["6+33", "misplaced +"],
    ["++33 6 12 34 56 78", "misplaced +"],
    ["06 12 34 56 78 \u{1f600}", 'contains an invalid character "\u{1f600}"'],
    ["+49 123", "too short for DE"],
    ["+32 400 00 00 00", "not a valid number for BE"],
    ["+999 1234 5678", "unknown country calling code"],
    // What spreadsheets do to a column of numbers: said for what it is.
    ...["6,12E+08", "6.12346E+08", "3,36123E+10", "6.1E8"].map((input): [string, string] => [
      input,
      "written by a spreadsheet in scientific notation, its last digits lost: format the column as text and export the list again",
    ]),
    [
      "'0612345678",
      "begins with an apostrophe (a spreadsheet's text marker, not part of the number): remove it",
    ],
    ...['="0612345678"', ' ="+33 6 12 34 56 78" '].map((input): [string, string] => [
      input,
      'written as a spreadsheet formula (="…", which keeps a leading zero): export the list again with the column formatted as text, or keep the number alone',
    ]),
    // A float column as a program exports it: the .0 is no digit.
    ...["612345678.0", "0612345678.0", "+33612345678.00", "612345678,0"].map((input): [string, string] => [
      input,
      `written as a decimal number (${JSON.stringify(input)}) by a spreadsheet or a program: format the column as text and export the list again`,
    ]),
  ];
  for (const [input, reason] of cases) {
    test(JSON.stringify(input), () => {
      const r = normalizePhone(input);
      assert.deepEqual(r.ok ? r : { ok: r.ok, reason: r.reason }, { ok: false, reason });
    });
  }
});

describe("normalizePhone default country", () => {
  test("national numbers of another country go through libphonenumber", () => {
    assert.deepEqual(normalizePhone("(212) 555-1234", "US"), {
      ok: true,
      e164: "+12125551234",
      country: "US",
      lineType: "fixed_line_or_mobile",
    });
    assert.deepEqual(normalizePhone("030 901820", "DE"), {
      ok: true,
      e164: "+4930901820",
      country: "DE",
      lineType: "fixed_line",
    });
  });

  test("an overseas default shares the French national plan", () => {
    assert.deepEqual(normalizePhone("0692 12 34 56", "RE"), normalizePhone("0692 12 34 56"));
    assert.deepEqual(normalizePhone("06 12 34 56 78", "RE"), normalizePhone("06 12 34 56 78"));
  });

  test("an unknown default country is a programming error", () => {
    assert.throws(() => normalizePhone("0612345678", "XX"), /unknown default country "XX"/);
  });
});

test("French-plan numbers never load libphonenumber-js/max; other numbers do", () => {
  const phone = new URL("./phone.ts", import.meta.url).href;
  const script = `
    import { createRequire } from "node:module";
    import { normalizePhone } from ${JSON.stringify(phone)};
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes("libphonenumber-js/max"));
    for (const n of ["06 12 34 56 78", "+33 1 23 45 67 89", "0690 12 34 56", "+508 41 23 45", "0612", "x"]) normalizePhone(n);
    const before = loaded();
    normalizePhone("+44 20 7946 0958");
    console.log(JSON.stringify({ before, after: loaded() }));
  `;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), { before: false, after: true });
});
