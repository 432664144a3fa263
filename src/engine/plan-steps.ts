// The rules of one kind of person under a plan, as decide()'s loop runs them: those in scope and
// in force, each with its exceptions in force, its verdict, exceptions and lift resolved by probe
// (plan-probe.ts).
import type { Kind } from "../facts/vocabulary.ts";
import type { Context } from "./context.ts";
import { inScope, scopedRules } from "./decide.ts";
import type { Reason } from "./decision.ts";
import type { PlannedContext } from "./plan-context.ts";
import { type ProbeEnv, resolve } from "./plan-probe.ts";
import { reasonOf } from "./reason.ts";
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

export function ruleSteps(env: ProbeEnv, kind: Kind): RuleStep[] {
  const steps: RuleStep[] = [];
  for (const rule of scopedRules(env.facts.campaign.channel, kind)) {
    const version = versionAt(rule, env.at);
    if (version === undefined) continue;
    const reason = resolved((ctx) => rule.rule.evaluate(ctx), new Reasons(rule, version.version), env);
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
