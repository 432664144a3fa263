// The rules of one kind of person under a plan, as decide()'s loop runs them: those in scope and
// in force, each with its exceptions in force, its verdict, exceptions and lift resolved by probe
// (plan-probe.ts), and its compiled twin (plan-rule.ts) where the probe leaves it per contact.
import type { Kind } from "../facts/vocabulary.ts";
import { COMPILED_RULES } from "./compiled-rules.ts";
import type { Context } from "./context.ts";
import { inScope, scopedRules } from "./decide.ts";
import type { Reason } from "./decision.ts";
import type { PlannedContext } from "./plan-context.ts";
import { type ProbeEnv, resolve } from "./plan-probe.ts";
import type { PlanEnv } from "./plan-rule.ts";
import { reasonOf } from "./reason.ts";
import { ReasonCache, ReasonPairCache } from "./reason-cache.ts";
import type { RuleVersion, Verdict } from "./rule.ts";
import { type CompiledRule, versionAt } from "./rulebook.ts";

type Evaluator<T> = (ctx: PlannedContext) => T;

export interface ExceptionStep {
  readonly reason: Evaluator<Reason | null>;
}

export interface RuleStep {
  readonly reason: Evaluator<Reason | null>;
  readonly exceptions: readonly ExceptionStep[];
  readonly lifts: Evaluator<number | null> | null;
}

/** The reasons one rule gives under one version, the last one kept (constant verdicts repeat). */
class Reasons {
  private readonly rule: CompiledRule;
  private readonly version: RuleVersion;
  private lastVerdict: Verdict | null = null;
  private lastReason: Reason | null = null;

  constructor(rule: CompiledRule, version: RuleVersion) {
    this.rule = rule;
    this.version = version;
  }

  /** Frozen: a reason kept here is shared by the decisions of every contact given the same verdict. */
  of(v: Verdict | null): Reason | null {
    if (v === null) return null;
    if (v !== this.lastVerdict) {
      this.lastVerdict = v;
      this.lastReason = Object.freeze(reasonOf(this.rule, v, this.version));
    }
    return this.lastReason;
  }
}

/** `test` as the reason it gives, resolved; null when it never gives one to this plan's contacts. */
function resolved(
  test: (ctx: Context) => Verdict | null,
  reasons: Reasons,
  env: ProbeEnv,
  perContact?: Evaluator<Reason | null>,
): Evaluator<Reason | null> | null {
  const own = (ctx: Context) => reasons.of(test(ctx));
  const r = resolve(own, env, perContact ?? own);
  return r.constant && r.value === null ? null : r.get;
}

function exceptionSteps(
  rule: CompiledRule,
  version: RuleVersion,
  env: ProbeEnv,
  kind: Kind,
): ExceptionStep[] {
  const { at } = env;
  const steps: ExceptionStep[] = [];
  for (const ex of rule.exceptions) {
    if (at < ex.from || at >= ex.to) continue;
    let reason: Evaluator<Reason | null> | null = null;
    if (ex.inline !== null) {
      const inline = ex.inline;
      reason = resolved((ctx) => inline.test(ctx), new Reasons(rule, version), env);
    } else if (ex.rule !== null) {
      const target = ex.rule;
      const exVersion = versionAt(target, at);
      if (exVersion === undefined || !inScope(target, env.facts.campaign.channel, kind)) continue;
      reason = resolved((ctx) => target.rule.evaluate(ctx), new Reasons(target, exVersion.version), env);
    }
    if (reason !== null) steps.push({ reason });
  }
  return steps;
}

function twinEnv(env: ProbeEnv, kind: Kind, own: (ctx: Context) => Reason | null): PlanEnv {
  return {
    at: env.at,
    campaign: env.facts.campaign,
    policy: env.facts.policy,
    kind,
    param: (p) => env.params.valueAt(p, env.at),
    evaluate: own,
    keyed: () => new ReasonCache(own),
    keyedPair: () => new ReasonPairCache(own),
    perZone<T>(make: () => T) {
      const slot = env.nextSlot();
      return (ctx: PlannedContext): T => {
        const zone = ctx.zoneAt();
        let v = zone.memo[slot] as T | undefined;
        if (v === undefined) {
          v = make();
          zone.memo[slot] = v;
        }
        return v;
      };
    },
  };
}

export function ruleSteps(env: ProbeEnv, kind: Kind): RuleStep[] {
  const steps: RuleStep[] = [];
  for (const rule of scopedRules(env.facts.campaign.channel, kind)) {
    const version = versionAt(rule, env.at);
    if (version === undefined) continue;
    const reasons = new Reasons(rule, version.version);
    const own = (ctx: Context) => reasons.of(rule.rule.evaluate(ctx));
    const compile = COMPILED_RULES[rule.rule.id];
    const reason = resolved(
      (ctx) => rule.rule.evaluate(ctx),
      reasons,
      env,
      compile === undefined ? undefined : compile(twinEnv(env, kind, own)),
    );
    if (reason === null) continue;
    const lifts = rule.rule.lifts;
    steps.push({
      reason,
      exceptions: exceptionSteps(rule, version.version, env, kind),
      lifts: lifts === undefined ? null : resolve((ctx) => lifts(ctx) ?? null, env).get,
    });
  }
  return steps;
}
