import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  dayNumberOf,
  formatInstant,
  instantOf,
  isoDateOf,
  isValidTimeZone,
  localTime,
  offsetMinutes,
  PARIS,
  parseInstant,
  startOfLocalDay,
  wallClockInstant,
} from "./zoned.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const OVERSEAS = [
  "America/Guadeloupe",
  "America/Martinique",
  "America/Cayenne",
  "Indian/Reunion",
  "Indian/Mayotte",
  "America/Marigot",
  "America/St_Barthelemy",
  "America/Miquelon",
  "Pacific/Noumea",
];
const ZONES = [PARIS, ...OVERSEAS];

const utc = (iso: string): number => {
  const ms = Date.parse(iso);
  assert.ok(Number.isFinite(ms), iso);
  return ms;
};
const at = (date: string, hh: number, mm: number, tz: string): string =>
  formatInstant(instantOf(dayNumberOf(date), hh * 60 + mm, tz), tz);

// Independent reference: Intl with no offset cache, read part by part. (Formatters are memoised
// only because constructing one costs tens of microseconds.)
const memo = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = memo.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", options);
    memo.set(key, f);
  }
  return f;
}

function reference(ms: number, timeZone: string) {
  const parts = formatter(`parts ${timeZone}`, {
    timeZone,
    hourCycle: "h23",
    weekday: "short",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    weekday: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(get("weekday")) + 1,
    minuteOfDay: Number(get("hour")) * 60 + Number(get("minute")),
  };
}

function referenceOffset(ms: number, timeZone: string): number {
  const name = formatter(`offset ${timeZone}`, { timeZone, timeZoneName: "longOffset" })
    .formatToParts(ms)
    .find((p) => p.type === "timeZoneName")?.value;
  const m = /^GMT(?:([+-])(\d\d):(\d\d))?$/.exec(name ?? "");
  assert.ok(m, `offset name ${name}`);
  return m[1] === undefined ? 0 : (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

// mulberry32: small seeded PRNG so the random instants are the same on every run.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe("Europe/Paris DST", () => {
  // EU rule: last Sunday of March and October, at 01:00 UTC.
  const changes = [
    ["2024-03-31", "2024-10-27"],
    ["2025-03-30", "2025-10-26"],
    ["2026-03-29", "2026-10-25"],
  ] as const;
  for (const [spring, autumn] of changes) {
    test(`spring forward ${spring}`, () => {
      const t = utc(`${spring}T01:00:00Z`);
      assert.equal(offsetMinutes(t - 1, PARIS), 60);
      assert.equal(offsetMinutes(t, PARIS), 120);
      assert.equal(localTime(t - 1, PARIS).minuteOfDay, 1 * 60 + 59);
      assert.equal(localTime(t, PARIS).minuteOfDay, 3 * 60);
      assert.equal(localTime(t, PARIS).weekday, 7);
    });
    test(`fall back ${autumn}`, () => {
      const t = utc(`${autumn}T01:00:00Z`);
      assert.equal(offsetMinutes(t - 1, PARIS), 120);
      assert.equal(offsetMinutes(t, PARIS), 60);
      assert.equal(localTime(t - 1, PARIS).minuteOfDay, 2 * 60 + 59);
      assert.equal(localTime(t, PARIS).minuteOfDay, 2 * 60);
      assert.equal(formatInstant(t - 1, PARIS), `${autumn}T02:59:59+02:00`);
      assert.equal(formatInstant(t, PARIS), `${autumn}T02:00:00+01:00`);
    });
  }
});

test("hours that share a slot of the offset table (2^16 hours apart) keep their own offsets", () => {
  // 2026-07-01 10:00 UTC (summer, +2), 2^16 hours before (2019-01-08, winter, +1) and after
  // (2033-12-22, winter), asked in turns: each evicts the others from the slot.
  const summer = utc("2026-07-01T10:00:00Z");
  const winter = summer - 2 ** 16 * HOUR;
  for (let i = 0; i < 3; i++) {
    assert.equal(offsetMinutes(summer, PARIS), 120);
    assert.equal(offsetMinutes(winter, PARIS), 60);
    assert.equal(offsetMinutes(winter + 2 ** 17 * HOUR, PARIS), 60);
  }
});

describe("instantOf", () => {
  test("a wall time in the spring gap moves forward by the gap", () => {
    assert.equal(at("2026-03-29", 1, 59, PARIS), "2026-03-29T01:59:00+01:00");
    assert.equal(at("2026-03-29", 2, 0, PARIS), "2026-03-29T03:00:00+02:00");
    assert.equal(at("2026-03-29", 2, 30, PARIS), "2026-03-29T03:30:00+02:00");
    assert.equal(at("2026-03-29", 3, 0, PARIS), "2026-03-29T03:00:00+02:00");
    assert.equal(at("2026-03-08", 2, 30, "America/Miquelon"), "2026-03-08T03:30:00-02:00");
  });

  test("an ambiguous wall time in the autumn overlap takes the earlier instant", () => {
    assert.equal(at("2026-10-25", 1, 59, PARIS), "2026-10-25T01:59:00+02:00");
    assert.equal(at("2026-10-25", 2, 0, PARIS), "2026-10-25T02:00:00+02:00");
    assert.equal(at("2026-10-25", 2, 30, PARIS), "2026-10-25T02:30:00+02:00");
    assert.equal(at("2026-10-25", 3, 0, PARIS), "2026-10-25T03:00:00+01:00");
    assert.equal(at("2026-11-01", 1, 30, "America/Miquelon"), "2026-11-01T01:30:00-02:00");
    assert.equal(
      instantOf(dayNumberOf("2026-10-25"), 150, PARIS),
      utc("2026-10-25T00:30:00Z"),
      "the +02:00 reading, one hour before the +01:00 one",
    );
  });

  test("wallClockInstant: the instant, or the span a spring-forward gap skipped", () => {
    const day = dayNumberOf("2026-03-29");
    assert.deepEqual(wallClockInstant(day, 150, PARIS), { ok: false, from: 120, to: 180 });
    assert.deepEqual(wallClockInstant(day, 120, PARIS), { ok: false, from: 120, to: 180 });
    assert.deepEqual(wallClockInstant(day, 119, PARIS), { ok: true, ms: utc("2026-03-29T00:59:00Z") });
    assert.deepEqual(wallClockInstant(day, 180, PARIS), { ok: true, ms: utc("2026-03-29T01:00:00Z") });
    assert.deepEqual(wallClockInstant(dayNumberOf("2026-03-08"), 150, "America/Miquelon"), {
      ok: false,
      from: 120,
      to: 180,
    });
    assert.deepEqual(wallClockInstant(dayNumberOf("2026-10-25"), 150, PARIS), {
      ok: true,
      ms: utc("2026-10-25T00:30:00Z"),
    });
  });

  test("round-trips localTime except on the later pass of an overlap", () => {
    const next = random(7);
    const from = utc("2016-01-01T00:00:00Z");
    const to = utc("2031-01-01T00:00:00Z");
    for (let i = 0; i < 3000; i++) {
      const tz = ZONES[i % ZONES.length] ?? PARIS;
      const ms = from + Math.floor(next() * (to - from));
      const lt = localTime(ms, tz);
      const back = instantOf(lt.dayNumber, lt.minuteOfDay, tz);
      const minute = Math.floor(ms / MINUTE) * MINUTE;
      if (back !== minute) {
        const again = localTime(back, tz);
        assert.ok(back < minute, `${formatInstant(ms, tz)}: ${formatInstant(back, tz)}`);
        assert.deepEqual([again.dayNumber, again.minuteOfDay], [lt.dayNumber, lt.minuteOfDay]);
      }
    }
  });

  test("rejects minutes outside 0..1439 and fractional input", () => {
    assert.throws(() => instantOf(0, 1440, PARIS), RangeError);
    assert.throws(() => instantOf(0, -1, PARIS), RangeError);
    assert.throws(() => instantOf(0.5, 0, PARIS), RangeError);
    assert.throws(() => instantOf(0, 0, "Mars/Olympus_Mons"), RangeError);
  });
});

describe("startOfLocalDay", () => {
  test("Paris days of 23 and 25 hours", () => {
    assert.equal(startOfLocalDay(utc("2026-03-29T12:00:00Z"), PARIS), utc("2026-03-28T23:00:00Z"));
    assert.equal(startOfLocalDay(utc("2026-10-25T23:30:00Z"), PARIS), utc("2026-10-25T23:00:00Z"));
    assert.equal(startOfLocalDay(utc("2026-10-25T22:30:00Z"), PARIS), utc("2026-10-24T22:00:00Z"));
  });

  test("a zone whose clocks skip midnight starts the day at 01:00", () => {
    // Chile springs forward at 24:00 local on the first Saturday of September.
    const day = utc("2026-09-06T12:00:00Z");
    assert.equal(
      formatInstant(startOfLocalDay(day, "America/Santiago"), "America/Santiago"),
      "2026-09-06T01:00:00-03:00",
    );
  });
});

describe("overseas zones", () => {
  const fixed: [string, number][] = [
    ["America/Guadeloupe", -240],
    ["America/Martinique", -240],
    ["America/Marigot", -240],
    ["America/St_Barthelemy", -240],
    ["America/Cayenne", -180],
    ["Indian/Reunion", 240],
    ["Indian/Mayotte", 180],
    ["Pacific/Noumea", 660],
  ];
  for (const [tz, offset] of fixed) {
    test(`${tz} is UTC${offset / 60} all year`, () => {
      for (const iso of [
        "2026-01-15T12:00:00Z",
        "2026-03-29T01:30:00Z",
        "2026-07-15T12:00:00Z",
        "2026-10-25T01:30:00Z",
      ]) {
        assert.equal(offsetMinutes(utc(iso), tz), offset, iso);
      }
    });
  }

  test("America/Miquelon has North American DST (second Sunday of March, first of November)", () => {
    const tz = "America/Miquelon";
    assert.equal(offsetMinutes(utc("2026-01-15T12:00:00Z"), tz), -180);
    assert.equal(offsetMinutes(utc("2026-07-15T12:00:00Z"), tz), -120);
    assert.equal(offsetMinutes(utc("2026-03-08T05:00:00Z") - 1, tz), -180);
    assert.equal(offsetMinutes(utc("2026-03-08T05:00:00Z"), tz), -120);
    assert.equal(offsetMinutes(utc("2026-11-01T04:00:00Z") - 1, tz), -120);
    assert.equal(offsetMinutes(utc("2026-11-01T04:00:00Z"), tz), -180);
  });

  test("formats with the zone's own offset", () => {
    const ms = utc("2026-09-15T14:00:00Z");
    assert.equal(formatInstant(ms, "America/Cayenne"), "2026-09-15T11:00:00-03:00");
    assert.equal(formatInstant(ms, "Indian/Reunion"), "2026-09-15T18:00:00+04:00");
    assert.equal(formatInstant(ms, "Pacific/Noumea"), "2026-09-16T01:00:00+11:00");
  });
});

describe("localTime fields", () => {
  test("weekday is ISO, before and after the epoch", () => {
    assert.equal(localTime(0, "UTC").weekday, 4, "1970-01-01 was a Thursday");
    assert.equal(localTime(-1, "UTC").weekday, 3);
    assert.equal(localTime(utc("2026-08-10T12:00:00Z"), PARIS).weekday, 1);
    assert.equal(localTime(utc("2026-08-11T12:00:00Z"), PARIS).weekday, 2);
    assert.equal(localTime(utc("2026-08-16T12:00:00Z"), PARIS).weekday, 7);
    assert.equal(localTime(utc("1969-12-28T12:00:00Z"), "UTC").weekday, 7);
  });

  test("minuteOfDay and dayNumber at local midnight", () => {
    const paris = utc("2026-01-15T23:00:00Z");
    assert.deepEqual(localTime(paris - 1, PARIS), {
      dayNumber: dayNumberOf("2026-01-15"),
      weekday: 4,
      minuteOfDay: 1439,
      offsetMinutes: 60,
    });
    assert.deepEqual(localTime(paris, PARIS), {
      dayNumber: dayNumberOf("2026-01-16"),
      weekday: 5,
      minuteOfDay: 0,
      offsetMinutes: 60,
    });
    const noumea = utc("2026-01-15T13:00:00Z");
    assert.equal(localTime(noumea - 1, "Pacific/Noumea").minuteOfDay, 1439);
    assert.equal(localTime(noumea, "Pacific/Noumea").dayNumber, dayNumberOf("2026-01-16"));
    const cayenne = utc("2026-01-16T03:00:00Z");
    assert.equal(localTime(cayenne - 1, "America/Cayenne").dayNumber, dayNumberOf("2026-01-15"));
    assert.equal(localTime(cayenne, "America/Cayenne").minuteOfDay, 0);
  });

  test("matches Intl.DateTimeFormat on seeded random instants 2016–2030", () => {
    const next = random(20_260_811);
    const from = utc("2016-01-01T00:00:00Z");
    const to = utc("2031-01-01T00:00:00Z");
    for (let i = 0; i < 4000; i++) {
      const tz = ZONES[i % ZONES.length] ?? PARIS;
      const ms = from + Math.floor(next() * (to - from));
      const lt = localTime(ms, tz);
      const ref = reference(ms, tz);
      assert.deepEqual(
        { date: isoDateOf(lt.dayNumber), weekday: lt.weekday, minuteOfDay: lt.minuteOfDay },
        ref,
        `${new Date(ms).toISOString()} in ${tz}`,
      );
      assert.equal(lt.offsetMinutes, referenceOffset(ms, tz));
    }
  });

  test("every offset change 2016–2030 falls on a whole UTC hour (the cache's premise)", () => {
    const step = 6 * HOUR; // changes are months apart: a 6-hour scan cannot miss one
    const from = utc("2016-01-01T00:00:00Z");
    const to = utc("2031-01-01T00:00:00Z");
    let changes = 0;
    for (const tz of ZONES) {
      let previous = referenceOffset(from, tz);
      for (let t = from + step; t <= to; t += step) {
        const current = referenceOffset(t, tz);
        if (current === previous) continue;
        let lo = t - step; // offset `previous` at lo, `current` at hi
        let hi = t;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (referenceOffset(mid, tz) === previous) lo = mid;
          else hi = mid;
        }
        assert.equal(hi % HOUR, 0, `${tz} changes at ${new Date(hi).toISOString()}`);
        assert.equal(offsetMinutes(hi - 1, tz), previous);
        assert.equal(offsetMinutes(hi, tz), current);
        changes++;
        previous = current;
      }
    }
    assert.equal(changes, 2 * 15 * 2, "Paris and Miquelon, twice a year for 15 years");
  });
});

describe("formatInstant", () => {
  test("seconds precision, never Z", () => {
    assert.equal(formatInstant(utc("2026-09-15T08:00:00Z"), PARIS), "2026-09-15T10:00:00+02:00");
    assert.equal(formatInstant(utc("2026-09-15T08:00:59.999Z"), PARIS), "2026-09-15T10:00:59+02:00");
    assert.equal(formatInstant(0, "UTC"), "1970-01-01T00:00:00+00:00");
    assert.equal(formatInstant(-1, "UTC"), "1969-12-31T23:59:59+00:00");
  });

  test("round-trips through parseInstant to the second", () => {
    const ms = utc("2026-02-28T23:30:45Z");
    for (const tz of ZONES) assert.equal(parseInstant(formatInstant(ms, tz)), ms, tz);
  });
});

describe("parseInstant", () => {
  const accepted: [string, string][] = [
    ["2026-09-15T10:00:00+02:00", "2026-09-15T08:00:00.000Z"],
    ["2026-09-15T10:00+02:00", "2026-09-15T08:00:00.000Z"],
    ["2026-09-15T08:00:00Z", "2026-09-15T08:00:00.000Z"],
    ["2026-09-15T08:00:00.5Z", "2026-09-15T08:00:00.500Z"],
    ["2026-09-15T08:00:00.123Z", "2026-09-15T08:00:00.123Z"],
    ["2026-09-15T08:00:00.123456Z", "2026-09-15T08:00:00.123Z"],
    ["2026-09-15T04:00:00-04:00", "2026-09-15T08:00:00.000Z"],
    ["2026-09-15T13:30:00+05:30", "2026-09-15T08:00:00.000Z"],
    ["2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00.000Z"],
    ["2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"],
    ["2026-09-15", "2026-09-14T22:00:00.000Z"], // midnight in Paris, summer
    ["2026-01-15", "2026-01-14T23:00:00.000Z"], // midnight in Paris, winter
  ];
  for (const [text, iso] of accepted) {
    test(`accepts ${text}`, () => assert.equal(parseInstant(text), utc(iso)));
  }

  const rejected = [
    "",
    "2026-09-15T10:00:00", // no offset: ambiguous
    "2026-09-15T10:00", // no offset
    "2026-09-15 10:00:00Z", // space for T
    "2026-09-15t10:00:00z",
    "2026-02-30",
    "2026-02-29T00:00:00Z",
    "2026-13-01",
    "2026-00-10",
    "2026-09-15T24:00:00Z",
    "2026-09-15T10:60:00Z",
    "2026-09-15T10:00:60Z", // leap seconds are not representable in epoch ms
    "2026-09-15T10:00:00+24:00",
    "2026-09-15T10:00:00+02",
    "2026-09-15T10:00:00+0200",
    "2026-09-15T10:00:00.Z",
    "2026-09-15T10:00:00.1234567890Z",
    "26-09-15",
    "2026-9-15",
    "+02026-09-15T10:00:00Z",
    " 2026-09-15",
    "2026-09-15\n",
    "Tue, 15 Sep 2026 10:00:00 GMT",
    "1789459200000",
  ];
  for (const text of rejected) {
    test(`rejects ${JSON.stringify(text)}`, () => assert.equal(parseInstant(text), undefined));
  }
});

describe("calendar days", () => {
  test("dayNumberOf and isoDateOf", () => {
    assert.equal(dayNumberOf("1970-01-01"), 0);
    assert.equal(dayNumberOf("1969-12-31"), -1);
    assert.equal(dayNumberOf("2026-08-11"), 20_676);
    assert.equal(isoDateOf(20_676), "2026-08-11");
    assert.equal(isoDateOf(dayNumberOf("2000-02-29")), "2000-02-29");
    assert.equal(isoDateOf(dayNumberOf("0000-01-01")), "0000-01-01");
    assert.equal(isoDateOf(dayNumberOf("9999-12-31")), "9999-12-31");
  });

  test("agree with Date on every day 1900–2100", () => {
    for (let day = dayNumberOf("1900-01-01"); day <= dayNumberOf("2100-12-31"); day++) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      assert.equal(isoDateOf(day), iso);
      assert.equal(dayNumberOf(iso), day);
    }
  });

  test("dayNumberOf throws on malformed or impossible dates", () => {
    for (const bad of ["", "2026-8-11", "2026-08-11T00:00:00Z", "1900-02-29", "2026-04-31", "11/08/2026"]) {
      assert.throws(() => dayNumberOf(bad), RangeError, bad);
    }
  });

  test("isoDateOf throws outside years 0000–9999", () => {
    assert.throws(() => isoDateOf(dayNumberOf("9999-12-31") + 1), RangeError);
    assert.throws(() => isoDateOf(dayNumberOf("0000-01-01") - 1), RangeError);
    assert.throws(() => isoDateOf(1.5), RangeError);
  });
});

test("isValidTimeZone", () => {
  for (const tz of [PARIS, "UTC", ...OVERSEAS]) assert.equal(isValidTimeZone(tz), true, tz);
  for (const tz of ["", "Europe/Pariss", "Mars/Olympus_Mons", "GMT+25"])
    assert.equal(isValidTimeZone(tz), false, tz);
});
