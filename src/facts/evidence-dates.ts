// The dates evidence may carry, checked here for every way in: imports (Row.date), the API's
// bodies (api/schemas.ts), the command line (cli/dates.ts) and the facts contract (parse.ts).
// Evidence records what happened. Dated in the future, it would be accepted and then ignored by
// every decision until that day (an objection dated 2099 protects nobody), so beyond a writer's
// clock skew it is refused; dated before a floor, it is a typo (year 0000), not evidence.
// docs/evidence.md, "Dates".
import { dayStart } from "../time/dates.ts";

/** Epoch milliseconds now: the one clock the bounds are read against, injected in tests. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

/** How far a writer's clock (a dialer, a form's server) may run ahead of ours. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** No evidence vigie keeps predates this (Bloctel opened in 2016; the GDPR applies from 2018). */
export const EVIDENCE_FLOOR = "1990-01-01";
/** A customer relationship may be older than any evidence of prospecting. */
export const RELATIONSHIP_FLOOR = "1900-01-01";
/** Planned dates (a contract's end) come before this; 9999-12-31 "no end" sentinels do not. */
export const PLANNED_CEILING = "2100-01-01";

export type DateKind =
  /** Something that happened: a consent, a withdrawal, an objection, a contact, a notice, a check. */
  | "event"
  /** When a customer relationship began. */
  | "relationship-start"
  /** When a customer relationship ended, or is planned to end. */
  | "relationship-end"
  /** When a Bloctel registration takes effect, as the registry announces it (may follow the check). */
  | "registry-effect"
  /** The slot a person asked to be called back in (may follow the request). */
  | "callback-slot";

interface Bounds {
  readonly floor: string;
  /** "now": not after now + the clock skew; "planned": before PLANNED_CEILING. */
  readonly future: "now" | "planned";
}

const BOUNDS: Readonly<Record<DateKind, Bounds>> = {
  event: { floor: EVIDENCE_FLOOR, future: "now" },
  "relationship-start": { floor: RELATIONSHIP_FLOOR, future: "now" },
  "relationship-end": { floor: RELATIONSHIP_FLOOR, future: "planned" },
  "registry-effect": { floor: EVIDENCE_FLOOR, future: "planned" },
  "callback-slot": { floor: EVIDENCE_FLOOR, future: "planned" },
};

/** The earliest plausible date of a kind (YYYY-MM-DD). */
export const dateFloor = (kind: DateKind): string => BOUNDS[kind].floor;

/** Whether a date of this kind records what has happened (none may follow the instant it is read as of). */
export const recordsThePast = (kind: DateKind): boolean => BOUNDS[kind].future === "now";

const floorMs = new Map([EVIDENCE_FLOOR, RELATIONSHIP_FLOOR].map((d) => [d, dayStart(d)]));
const ceilingMs = dayStart(PLANNED_CEILING);

/**
 * Why `ms` cannot be a date of this kind, or undefined when it can. `now` null applies the floor
 * alone: facts given for a decision may describe a planned contact and what will precede it.
 */
export function evidenceDateError(ms: number, kind: DateKind, now: number | null): string | undefined {
  const bounds = BOUNDS[kind];
  if (ms < (floorMs.get(bounds.floor) as number)) return `before ${bounds.floor}: not a plausible date`;
  if (now === null) return undefined;
  if (bounds.future === "now" && ms > now + CLOCK_SKEW_MS) {
    return `in the future (now is ${new Date(now).toISOString()}): evidence records what has happened`;
  }
  if (bounds.future === "planned" && ms >= ceilingMs)
    return `${PLANNED_CEILING} or later: not a plausible date`;
  return undefined;
}
