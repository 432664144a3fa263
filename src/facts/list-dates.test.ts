import assert from "node:assert/strict";
import { test } from "node:test";
import { parseInstant } from "../time/zoned.ts";
import { readListDate } from "./list-dates.ts";

test("French day-first dates are read as the ISO date in Paris; ISO as before", () => {
  for (const [text, iso] of [
    ["22/10/2026", "2026-10-22"],
    ["22-10-2026", "2026-10-22"],
    ["22.10.2026", "2026-10-22"],
    ["3/4/2026", "2026-04-03"],
    ["03/04/26", "2026-04-03"],
    ["03/04/95", "1995-04-03"],
    ["29/02/2024", "2024-02-29"],
  ] as const) {
    const d = readListDate(text);
    assert.deepEqual(d, { ok: true, ms: parseInstant(iso), french: iso }, text);
  }
  const timed = readListDate("22/10/2026 14:30");
  assert.deepEqual(timed, {
    ok: true,
    ms: parseInstant("2026-10-22T14:30:00+02:00"),
    french: "2026-10-22T14:30",
  });
  assert.deepEqual(readListDate("2026-10-22"), { ok: true, ms: parseInstant("2026-10-22"), french: null });
  // A workbook's date-time cell, without offset: Paris wall-clock time.
  assert.deepEqual(readListDate("2026-10-22T14:30"), {
    ok: true,
    ms: parseInstant("2026-10-22T14:30:00+02:00"),
    french: null,
  });
  // As databases and spreadsheets export it, with a space: the same reading.
  assert.deepEqual(readListDate("2026-10-22 14:30:05"), {
    ok: true,
    ms: parseInstant("2026-10-22T14:30:05+02:00"),
    french: null,
  });
  assert.equal(readListDate("2026-10-22 25:30").ok, false);
  assert.equal(readListDate("2026-02-30 10:00").ok, false);
  // Year first without zeros, or with slashes or dots: one reading.
  for (const text of ["2026-2-1", "2026/02/01", "2026.2.1"]) {
    assert.deepEqual(readListDate(text), { ok: true, ms: parseInstant("2026-02-01"), french: null }, text);
  }
  assert.deepEqual(readListDate("2026/2/1 9:05"), {
    ok: true,
    ms: parseInstant("2026-02-01T09:05:00+01:00"),
    french: null,
  });
  // Separators kept alike, as day-first dates are.
  assert.equal(readListDate("2026-02/01").ok, false);
});

test("impossible dates, US order and mixed separators are refused, never guessed", () => {
  const error = (text: string) => {
    const d = readListDate(text);
    return d.ok ? "read" : d.error;
  };
  assert.equal(error("31/02/2026"), '"31/02/2026": there is no 31 février 2026');
  assert.equal(error("29/02/2025"), '"29/02/2025": there is no 29 février 2025');
  assert.equal(error("10/22/2026"), '"10/22/2026": no month 22 (dates are read day first: JJ/MM/AAAA)');
  assert.match(error("22/10-2026"), /not a date/);
  assert.match(error("22/10/2026 25:00"), /no such time/);
  assert.match(error("demain"), /not a date: "demain"/);
  // A date cell exported as its serial number: which day it is depends on the spreadsheet.
  for (const serial of ["45678", "45678.5", "33000"]) {
    assert.match(error(serial), /^"[\d.]+": a spreadsheet's day number, not a date/, serial);
  }
  assert.match(error("1234"), /^not a date: "1234"/);
  assert.match(error("2026-13-01"), /^not a date/);
  assert.match(error("2026/02/30"), /^not a date/);
});

test("a Paris wall-clock time the spring-forward gap skipped is refused; an autumn one is the earlier instant", () => {
  for (const text of ["29/03/2026 02:30", "2026-03-29T02:30", "2026-03-29 02:00:00", "29.03.2026 02h59"]) {
    const d = readListDate(text);
    assert.equal(
      d.ok ? "read" : d.error,
      `${JSON.stringify(text)}: does not exist in Europe/Paris: clocks went forward from 02:00 to 03:00 that night`,
      text,
    );
    assert.equal(d.ok ? undefined : d.reason.code, "date.skipped_time");
  }
  // Either side of the gap, and the bare day, are read.
  assert.deepEqual(readListDate("29/03/2026 01:59"), {
    ok: true,
    ms: parseInstant("2026-03-29T01:59:00+01:00"),
    french: "2026-03-29T01:59",
  });
  assert.equal(readListDate("2026-03-29T03:00").ok, true);
  assert.equal(readListDate("29/03/2026").ok, true);
  // 02:30 happened twice on 25 October 2026: the first (+02:00), an objection then binding sooner.
  for (const text of ["25/10/2026 02:30", "2026-10-25T02:30"]) {
    const d = readListDate(text);
    assert.equal(d.ok && d.ms, parseInstant("2026-10-25T02:30:00+02:00"), text);
  }
});
