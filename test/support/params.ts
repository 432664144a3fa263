// Dated parameters other than the law's, for tests of what a changed parameter changes: a set
// given to the engine (decideUnder, compilePlan), never a change to the rows other tests read.
import { LAW, type Param, type ParamSet } from "../../src/params/fr/params.ts";
import { dayStart } from "../../src/time/dates.ts";

/** `base` (the law's parameters), but `p` holds `value` from the day `from` (Europe/Paris) on. */
export function lawWith<T>(p: Param<T>, from: string, value: T, base: ParamSet = LAW): ParamSet {
  const start = dayStart(from);
  return {
    valueAt<U>(q: Param<U>, at: number): U | undefined {
      return (q as Param<unknown>) === p && at >= start ? (value as unknown as U) : base.valueAt(q, at);
    },
  };
}
