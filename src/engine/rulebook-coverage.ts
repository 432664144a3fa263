// What the rulebook covers, apart from the rules themselves (so the facts parser can check a
// date without loading every rule).
import { dayAfter, dayStart } from "../time/dates.ts";

/** The state of the law this rulebook records (docs/law.md's "as in force on"). */
export const RULEBOOK_VERSION = "2026-11-27";
/** Decisions are only made from this day: docs/law.md traces each rule's history back to it. */
export const COVERAGE_FROM = "2016-01-01";
/**
 * Last day decisions are made for: the holiday calendar is generated to 2035-12-31 and the search
 * for the next allowed instant looks up to 400 days ahead.
 */
export const COVERAGE_TO = "2034-12-31";

const coverageStart = dayStart(COVERAGE_FROM);
const coverageEnd = dayAfter(COVERAGE_TO);

/** Why no decision can be made at `ms`, or undefined when it can. */
export function coverageError(ms: number): string | undefined {
  if (ms < coverageStart) return `before ${COVERAGE_FROM}: outside the rulebook's coverage`;
  if (ms >= coverageEnd) return `after ${COVERAGE_TO}: outside the rulebook's coverage`;
  return undefined;
}
