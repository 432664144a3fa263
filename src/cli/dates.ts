// Dates given on the command line.
import { coverageError } from "../engine/rulebook-coverage.ts";
import { evidenceDateError, systemClock } from "../facts/evidence-dates.ts";
import { parseInstant } from "../time/zoned.ts";
import { UsageError } from "./exit.ts";

function parsed(name: string, text: string): number {
  const ms = parseInstant(text);
  if (ms === undefined)
    throw new UsageError(`${name} ${text}: not a date (YYYY-MM-DD or ISO 8601 with offset)`);
  return ms;
}

/** `--at`: a bare date (that day in Europe/Paris) or an ISO instant; default now. */
export function atOption(text: string | undefined): number {
  return text === undefined ? systemClock() : parsed("--at", text);
}

/** The instant a decision is made at (`pack person --at`), default now: within the rulebook's coverage. */
export function decisionAtOption(text: string | undefined): number {
  const ms = atOption(text);
  const outside = coverageError(ms);
  if (outside !== undefined) throw new UsageError(`--at ${text ?? "(now)"}: ${outside}`);
  return ms;
}

/**
 * The date of an event recorded as evidence (`consent add --at`, `import bloctel --date`…): default
 * now; exit 2 when outside the bounds of facts/evidence-dates.ts.
 */
export function evidenceDateOption(name: string, text: string | undefined): number {
  const now = systemClock();
  if (text === undefined) return now;
  const ms = parsed(name, text);
  const error = evidenceDateError(ms, "event", now);
  if (error !== undefined) throw new UsageError(`${name} ${text}: ${error}`);
  return ms;
}

export function langOption(text: string): "fr" | "en" {
  if (text !== "fr" && text !== "en") throw new UsageError(`--lang ${text}: expected fr or en`);
  return text;
}
