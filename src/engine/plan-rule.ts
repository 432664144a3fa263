// A rule compiled for a plan (its "twin", beside the rule: src/rules/fr/*/compiled.ts). A twin
// gives exactly the reason the rule's own `evaluate` gives, for contacts whose verdict the plan's
// probe could not precompute. It never rewrites what the rule says: it finds, with a few reads of
// the contact, a key the verdict is a function of under the plan (an evidence date, a status),
// and asks the rule itself the first time a key comes up. Where it cannot, it asks the rule.
import type { Campaign, Policy } from "../facts/types.ts";
import type { Kind } from "../facts/vocabulary.ts";
import type { Param } from "../params/fr/params.ts";
import type { Reason } from "./decision.ts";
import type { PlannedContext } from "./plan-context.ts";
import type { ReasonCache, ReasonPairCache } from "./reason-cache.ts";
import type { RuleId } from "./rule-ids.ts";

export interface PlanEnv {
  readonly at: number;
  readonly campaign: Campaign;
  readonly policy: Policy;
  readonly kind: Kind;
  /** A dated parameter at the plan's instant, from the set the plan decides under. */
  param<T>(p: Param<T>): T | undefined;
  /** The rule's own evaluation, as the reason it gives. */
  evaluate(ctx: PlannedContext): Reason | null;
  /**
   * A new cache of the rule's reasons, for one branch of its evaluation: `get(ctx, key)` gives
   * the rule's reason for a contact by a key it is a function of, asking the rule on a miss.
   */
  keyed(): ReasonCache<PlannedContext>;
  /** The same, by two keys (a method and a date, a status and its detail). */
  keyedPair(): ReasonPairCache<PlannedContext>;
  /** One value per zone, made on the first contact met there. */
  perZone<T>(make: () => T): (ctx: PlannedContext) => T;
}

export type CompiledEvaluation = (ctx: PlannedContext) => Reason | null;
export type RuleCompiler = (env: PlanEnv) => CompiledEvaluation;
export type RuleCompilers = Partial<Readonly<Record<RuleId, RuleCompiler>>>;
