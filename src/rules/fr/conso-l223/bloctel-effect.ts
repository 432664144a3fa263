// When a Bloctel registration takes effect (docs/law.md, B1: "at most 30 days" after it is made). Shared
// by the rule conso-l223-1/bloctel and by the store, which builds a registration's facts from a
// check, so that both count the delay the same way.
import { BLOCTEL, valueAt } from "../../../params/fr/params.ts";
import { startOfDayPlus } from "../../../time/dates.ts";

/**
 * `effectiveAt`, else `registeredAt` + the delay in force at `at` (`delayDays`, as the decision's
 * parameters hold it; else the law's); null when neither is known.
 */
export function registrationEffectiveAt(
  reg: { readonly registeredAt: number | null; readonly effectiveAt: number | null },
  at: number,
  delayDays: number | undefined = valueAt(BLOCTEL, at)?.effectiveAfterDays,
): number | null {
  if (reg.effectiveAt !== null) return reg.effectiveAt;
  if (reg.registeredAt === null) return null;
  const delay = delayDays ?? 30;
  // Calendar days in Paris, not 30 × 24 h: across the spring DST change the latter fell at
  // 01:00 on the day the registration must already be effective.
  return startOfDayPlus(reg.registeredAt, delay);
}
