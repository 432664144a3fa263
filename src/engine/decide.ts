// decide(facts) → decision. Pure: no clock, no I/O, the same facts give the same decision
// forever, so any past decision can be replayed and explained.
import type { Facts } from "../facts/types.ts";
import { CHANNELS, type Channel, KINDS, type Kind } from "../facts/vocabulary.ts";
import { LAW, type ParamSet } from "../params/fr/params.ts";
import { formatInstant } from "../time/zoned.ts";
import { Context } from "./context.ts";
import type { Decision, Reason } from "./decision.ts";
import { reasonOf } from "./reason.ts";
import type { RuleVersion } from "./rule.ts";
import { type CompiledRule, MAIN_RULES, RULEBOOK_VERSION, versionAt } from "./rulebook.ts";

/** How far ahead `nextAllowedAt` is searched; past it, a time block is reported without a date. */
const NEXT_ALLOWED_HORIZON_MS = 400 * 86_400_000;
const NEXT_ALLOWED_STEPS = 32;

export interface Evaluation {
  readonly reasons: Reason[];
  readonly blocked: boolean;
  /** When every block comes from a rule that lifts with time: the instant the last one lifts. */
  readonly liftsAt: number | null;
  /** When a rule that lifts with time blocks, whatever else blocks too: the instant the last one lifts. */
  readonly timeLiftsAt: number | null;
}

/** The exception that lets a blocked contact through, as an `allow` reason; null when none applies. */
function exceptionReason(rule: CompiledRule, ctx: Context, version: RuleVersion): Reason | null {
  for (const ex of rule.exceptions) {
    if (ctx.at < ex.from || ctx.at >= ex.to) continue;
    if (ex.inline !== null) {
      const v = ex.inline.test(ctx);
      if (v !== null) return reasonOf(rule, v, version);
    } else if (ex.rule !== null) {
      const exVersion = versionAt(ex.rule, ctx.at);
      if (exVersion === undefined || !inScope(ex.rule, ctx.channel, ctx.contact.kind)) continue;
      const v = ex.rule.rule.evaluate(ctx);
      if (v !== null) return reasonOf(ex.rule, v, exVersion.version);
    }
  }
  return null;
}

export function inScope(rule: CompiledRule, channel: Channel, kind: Kind): boolean {
  return (
    (rule.channels === null || rule.channels.has(channel)) && (rule.kinds === null || rule.kinds.has(kind))
  );
}

/** The rules in scope for each channel and kind of person, in order: fixed, so computed once. */
const SCOPED = new Map<Channel, Map<Kind, readonly CompiledRule[]>>(
  CHANNELS.map((channel) => [
    channel,
    new Map(KINDS.map((kind) => [kind, MAIN_RULES.filter((r) => inScope(r, channel, kind))])),
  ]),
);

export function scopedRules(channel: Channel, kind: Kind): readonly CompiledRule[] {
  return SCOPED.get(channel)?.get(kind) ?? [];
}

export function evaluate(ctx: Context): Evaluation {
  const reasons: Reason[] = [];
  let blocked = false;
  let liftsAt: number | null = null;
  let timeOnly = true;
  for (const rule of scopedRules(ctx.channel, ctx.contact.kind)) {
    const version = versionAt(rule, ctx.at);
    if (version === undefined) continue;
    const out = rule.rule.evaluate(ctx);
    if (out === null) continue;
    if (out.effect === "block") {
      const allowed = exceptionReason(rule, ctx, version.version);
      if (allowed !== null) {
        reasons.push(allowed);
        continue;
      }
      blocked = true;
      const lifts = rule.rule.lifts?.(ctx) ?? null;
      if (lifts === null || lifts <= ctx.at) timeOnly = false;
      else if (liftsAt === null || lifts > liftsAt) liftsAt = lifts;
    }
    reasons.push(reasonOf(rule, out, version.version));
  }
  return { reasons, blocked, liftsAt: blocked && timeOnly ? liftsAt : null, timeLiftsAt: liftsAt };
}

/**
 * The first instant at which the time rules stop blocking and nothing else blocks instead. Each
 * step jumps to when the current time blocks lift and decides again there (`evaluateAt`), so
 * holidays, windows, the 30-day cap and the 60-day pause combine, and a law change on the way is
 * taken into account.
 */
export function nextAllowed(
  from: number,
  first: Evaluation,
  evaluateAt: (at: number) => Evaluation,
): number | null {
  let candidate = first.liftsAt;
  for (let step = 0; step < NEXT_ALLOWED_STEPS && candidate !== null; step++) {
    if (candidate - from > NEXT_ALLOWED_HORIZON_MS) return null;
    const again = evaluateAt(candidate);
    if (!again.blocked) return candidate;
    if (again.liftsAt === null || again.liftsAt <= candidate) return null;
    candidate = again.liftsAt;
  }
  return null;
}

/** The decision at ctx.at: the same as decide() of the facts at that instant. */
function decisionOf(ctx: Context, evaluation: Evaluation): Decision {
  const next =
    evaluation.liftsAt === null
      ? null
      : nextAllowed(ctx.at, evaluation, (at) => evaluate(new Context(ctx.facts, at, ctx.params)));
  return {
    verdict: evaluation.blocked ? "block" : "allow",
    reasons: evaluation.reasons,
    obligations: evaluation.blocked ? [] : evaluation.reasons.filter((r) => r.effect === "condition"),
    nextAllowedAt: next === null ? null : formatInstant(next, ctx.zone.timeZone),
    rulebook: RULEBOOK_VERSION,
  };
}

export function decide(facts: Facts): Decision {
  return decideUnder(facts, LAW);
}

/**
 * The decision on `facts` under other dated parameters than the law's: what a changed parameter
 * would decide (and say), the rows every other decision reads untouched.
 */
export function decideUnder(facts: Facts, params: ParamSet): Decision {
  const ctx = new Context(facts, facts.at, params);
  return decisionOf(ctx, evaluate(ctx));
}

/** The first instant in a span at which no time rule blocks, and the decision there. */
export interface OpenDecision {
  readonly at: number;
  readonly decision: Decision;
}

/**
 * The decision at the first instant from `facts.at` to `until` (inclusive) at which no rule that
 * lifts with time (hours, holidays, frequency, pause) blocks, whatever else blocks there; null when
 * they block throughout. Unlike `nextAllowedAt`, other blocks do not stop the search: a campaign
 * over a window must not report the calling hours against a contact its other rules forbid anyway.
 */
export function decideWhenTimeAllows(
  facts: Facts,
  until: number,
  params: ParamSet = LAW,
): OpenDecision | null {
  let at = facts.at;
  for (let step = 0; step <= NEXT_ALLOWED_STEPS; step++) {
    const ctx = new Context(facts, at, params);
    const evaluation = evaluate(ctx);
    const lifts = evaluation.timeLiftsAt;
    if (lifts === null) return { at, decision: decisionOf(ctx, evaluation) };
    if (lifts > until || lifts <= at) return null;
    at = lifts;
  }
  return null;
}
