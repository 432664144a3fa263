// Exit statuses scripts can rely on (README "Exit status").
import { blankNameError } from "../facts/types.ts";
import { CONTROL_CHARACTER_MESSAGE, hasControlCharacter } from "../normalize/control-characters.ts";

export const EXIT = { ok: 0, blocked: 1, invalid: 2 } as const;

/** A mistake in how vigie was called: printed as one line, exit 2. */
export class UsageError extends Error {}

/** A name or free text given as an option: refused with control characters, as the API refuses them. */
export function plainOption(option: string, value: string | undefined): void {
  if (value !== undefined && hasControlCharacter(value)) {
    throw new UsageError(`${option}: ${CONTROL_CHARACTER_MESSAGE}`);
  }
}

/**
 * `--controller`: as `plainOption`, and a name — not "   " nor invisible characters alone, whose
 * key is every controller's. `emptyAllowed` where "" says something (`vigie object`: every
 * controller); elsewhere "" is refused too.
 */
export function nameOption(option: string, value: string | undefined, emptyAllowed = false): void {
  plainOption(option, value);
  if (value === undefined || (value === "" && emptyAllowed)) return;
  const error = value === "" ? "empty: give a name" : blankNameError(value);
  if (error !== undefined) throw new UsageError(`${option}: ${error}`);
}

/** An option that takes one of a list of words. */
export function oneOf<T extends string>(name: string, value: string, values: readonly T[]): T {
  if (!(values as readonly string[]).includes(value))
    throw new UsageError(`${name} ${value}: expected one of ${values.join(", ")}`);
  return value as T;
}
