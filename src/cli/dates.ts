// Dates given on the command line.
import { parseInstant } from "../time/zoned.ts";
import { UsageError } from "./exit.ts";

/** `--at`: a bare date (that day in Europe/Paris) or an ISO instant; default now. */
export function atOption(text: string | undefined): number {
  if (text === undefined) return Date.now();
  const ms = parseInstant(text);
  if (ms === undefined) throw new UsageError(`--at ${text}: not a date (YYYY-MM-DD or ISO 8601 with offset)`);
  return ms;
}

export function langOption(text: string): "fr" | "en" {
  if (text !== "fr" && text !== "en") throw new UsageError(`--lang ${text}: expected fr or en`);
  return text;
}
