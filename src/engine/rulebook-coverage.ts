// What the rulebook covers, apart from the rules themselves (so the facts parser can check a
// date without loading every rule).

/** The state of the law this rulebook records (LAW.md's "as in force on"). */
export const RULEBOOK_VERSION = "2026-11-27";
/** Decisions are only made from this day: LAW.md traces each rule's history back to it. */
export const COVERAGE_FROM = "2016-01-01";
