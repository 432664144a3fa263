// A compiled plan: decide() for one campaign at one instant, over many contacts (screening a list
// decides every row at the campaign's instant). What decide() works out again for every contact
// is worked out once here: the rules in scope for each kind of person and their versions, the
// exceptions in force, and — by probing each rule (plan-probe.ts) — every verdict, exception and
// lift that does not depend on the contact, or depends only on the person's zone (the local day,
// holiday, calling window and next opening). The rest runs the rule's own code on the contact's
// context. `plan.decide(contact)` gives exactly the Decision `decide(facts)` gives; past its first
// contacts, a plan keeps its decisions by the fields they read (decision-memo.ts), so that the rows
// of a list alike in all of them (a rented file) take one decision, frozen and shared.
import type { Campaign, Contact, Facts, Instant, Policy } from "../facts/types.ts";
import { controllerKeyOf } from "../facts/types.ts";
import type { Kind } from "../facts/vocabulary.ts";
import { LAW, type ParamSet } from "../params/fr/params.ts";
import { formatInstant } from "../time/zoned.ts";
import { Context } from "./context.ts";
import { decide, type Evaluation, evaluate, nextAllowed } from "./decide.ts";
import type { Decision, Reason } from "./decision.ts";
import { DecisionMemo, type MemoPlan } from "./decision-memo.ts";
import { PlannedContext, type PlanShared, type ZoneAt, type ZoneFinder, Zones } from "./plan-context.ts";
import { probeEnv } from "./plan-probe.ts";
import { type RuleStep, ruleSteps } from "./plan-steps.ts";
import { RULEBOOK_VERSION } from "./rulebook-coverage.ts";

/** What a plan is compiled for: everything of the facts but the contact. */
export interface CampaignFacts {
  readonly at: Instant;
  readonly campaign: Campaign;
  readonly policy: Policy;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Contacts that ask about a later instant before it has a plan of its own. */
const LATER_PLAN_AFTER = 16;
/** Later instants a plan counts the askers of, at most. */
const MAX_LATER = 4096;

export class Plan implements PlanShared, MemoPlan {
  readonly facts: CampaignFacts;
  /** The instant decided: the facts' own, or a later one the next-allowed search asks about. */
  readonly at: number;
  readonly advertiserKey: string;
  readonly zones: Zones;
  readonly params: ParamSet;
  private readonly kinds = new Map<Kind, readonly RuleStep[]>();
  private nextSlot = 0;
  /** Later instants asked about: how many contacts asked, then their plan. */
  private readonly later = new Map<number, Plan | number>();
  /**
   * Decisions kept by the fields they read (decision-memo.ts); made at the first decide(): the
   * plans of later instants only evaluate.
   */
  private memo: DecisionMemo | null = null;
  /** Where evaluate() gathers a contact's reasons (evaluations do not nest: a later plan has its own). */
  private readonly found: Reason[] = [];
  private readonly evaluation: Mutable<Evaluation> = {
    reasons: [],
    blocked: false,
    liftsAt: null,
    timeLiftsAt: null,
  };

  constructor(facts: CampaignFacts, at: number = facts.at, params: ParamSet = LAW) {
    this.facts = facts;
    this.at = at;
    this.params = params;
    const c = facts.campaign;
    this.advertiserKey = controllerKeyOf(c.advertiser ?? c.controller);
    this.zones = new Zones(at);
  }

  private factsOf(contact: Contact): Facts {
    const f = this.facts;
    return { at: f.at, campaign: f.campaign, contact, policy: f.policy };
  }

  private contextOf(contact: Contact, zones: ZoneFinder = this.zones): PlannedContext {
    const shared: PlanShared =
      zones === this.zones ? this : { advertiserKey: this.advertiserKey, zones, params: this.params };
    return new PlannedContext(this.factsOf(contact), this.at, shared);
  }

  /** The decision for `contact`: kept ones are frozen and shared by the contacts that agree on them. */
  decide(contact: Contact): Decision {
    this.memo ??= new DecisionMemo(this.zones);
    return this.memo.decide(contact, this);
  }

  /** The decision worked out, the contact's zone found by `zones`. */
  decideNow(contact: Contact, zones: ZoneFinder): Decision {
    const ctx = this.contextOf(contact, zones);
    const evaluation = this.evaluate(ctx);
    const { reasons, blocked, liftsAt } = evaluation;
    let nextAllowedAt: string | null = null;
    if (liftsAt !== null) {
      const next = nextAllowed(this.at, evaluation, (at) => this.evaluateLater(at, contact));
      if (next !== null) nextAllowedAt = this.format(next, ctx.zoneAt());
    }
    return {
      verdict: blocked ? "block" : "allow",
      reasons,
      obligations: blocked ? NONE : conditions(reasons),
      nextAllowedAt,
      rulebook: RULEBOOK_VERSION,
    };
  }

  /**
   * The evaluation at a later instant: decide()'s own, until LATER_PLAN_AFTER contacts have asked
   * about that instant — then it has a plan. The next opening of a zone's calling window is asked
   * about by every contact of the zone a time rule blocks; the end of one person's 30-day window,
   * by that person alone.
   */
  private evaluateLater(at: number, contact: Contact): Evaluation {
    let later = this.later.get(at) ?? 0;
    if (typeof later === "number") {
      if (later + 1 < LATER_PLAN_AFTER) {
        this.countLater(at, later + 1);
        return evaluate(new Context(this.factsOf(contact), at, this.params));
      }
      later = new Plan(this.facts, at, this.params);
      this.later.set(at, later);
    }
    return later.evaluate(later.contextOf(contact));
  }

  /** Counts the contacts that asked about `at`, forgetting the counts (not the plans) past MAX_LATER. */
  private countLater(at: number, asked: number): void {
    if (this.later.size >= MAX_LATER) {
      for (const [instant, later] of this.later) if (typeof later === "number") this.later.delete(instant);
    }
    this.later.set(at, asked);
  }

  private format(next: number, zone: ZoneAt): string {
    if (zone.lastNext !== next) {
      zone.lastNextText = formatInstant(next, zone.zone.timeZone);
      zone.lastNext = next;
    }
    return zone.lastNextText;
  }

  private steps(kind: Kind): readonly RuleStep[] {
    let steps = this.kinds.get(kind);
    if (steps === undefined) {
      const env = probeEnv(this.facts, this.at, kind, this.advertiserKey, this.params, () => this.nextSlot++);
      steps = ruleSteps(env, kind);
      this.kinds.set(kind, steps);
    }
    return steps;
  }

  /**
   * decide()'s evaluation loop, over the compiled steps. The evaluation returned is the plan's
   * own, overwritten by the next: read it before evaluating again.
   */
  private evaluate(ctx: PlannedContext): Evaluation {
    const at = this.at;
    // Reasons gathered in the plan's scratch array (written by index: emptying it would free its
    // room), then copied at their count — an array grown from empty by push took room for 17.
    // Indexed loops, too: no iterator a contact.
    const found = this.found;
    let count = 0;
    let blocked = false;
    let liftsAt: number | null = null;
    let timeOnly = true;
    const steps = this.steps(ctx.contact.kind);
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as RuleStep;
      const out = step.reason(ctx);
      if (out === null) continue;
      if (out.effect === "block") {
        const allowed = exceptionReason(step, ctx);
        if (allowed !== null) {
          found[count++] = allowed;
          continue;
        }
        blocked = true;
        const lifts = step.lifts === null ? null : step.lifts(ctx);
        if (lifts === null || lifts <= at) timeOnly = false;
        else if (liftsAt === null || lifts > liftsAt) liftsAt = lifts;
      }
      found[count++] = out;
    }
    const out = this.evaluation;
    out.reasons = found.slice(0, count);
    out.blocked = blocked;
    out.liftsAt = blocked && timeOnly ? liftsAt : null;
    out.timeLiftsAt = liftsAt;
    return out;
  }
}

/** No obligations: shared by the decisions that have none (a decision is never changed). */
const NONE: readonly Reason[] = Object.freeze([]);

function conditions(reasons: readonly Reason[]): readonly Reason[] {
  let out: Reason[] | null = null;
  for (const r of reasons) {
    if (r.effect !== "condition") continue;
    if (out === null) out = [];
    out.push(r);
  }
  return out ?? NONE;
}

function exceptionReason(step: RuleStep, ctx: PlannedContext): Reason | null {
  const exceptions = step.exceptions;
  for (let i = 0; i < exceptions.length; i++) {
    const reason = (exceptions[i] as RuleStep["exceptions"][number]).reason(ctx);
    if (reason !== null) return reason;
  }
  return null;
}

/**
 * A plan for the campaign, policy and instant of `facts`, under the law's dated parameters unless
 * `params` are given; contacts are decided with `decide`.
 */
export function compilePlan(facts: CampaignFacts, params: ParamSet = LAW): Plan {
  return new Plan(facts, facts.at, params);
}

/** The decisions of `contacts`, in order: `decide()` of each with the plan's campaign and instant. */
export function decideBatch(plan: Plan, contacts: readonly Contact[]): Decision[] {
  return contacts.map((contact) => plan.decide(contact));
}

/**
 * Facts of one campaign, policy and instant a PlanCache decides with decide() before it compiles
 * their plan: a plan costs a few decisions to compile, and its caches pay only once they have seen
 * a list's dates come back — over a few hundred contacts, it is slower than decide().
 */
const PLAN_AFTER = 1024;

/**
 * Decisions for facts of many campaigns, through one plan per campaign at its instant — the same
 * campaign and policy objects, as a caller that read each campaign once holds them — once it has
 * decided `planAfter` of its facts with decide(). A campaign is followed at one instant and policy
 * at a time: facts at another start it again (decide() answers them all alike).
 */
export class PlanCache {
  private readonly planAfter: number;
  private readonly plans = new Map<Campaign, Seen>();

  constructor(planAfter: number = PLAN_AFTER) {
    this.planAfter = planAfter;
  }

  decide(facts: Facts): Decision {
    let seen = this.plans.get(facts.campaign);
    if (seen === undefined || seen.at !== facts.at || seen.policy !== facts.policy) {
      seen = { at: facts.at, policy: facts.policy, facts: 0, plan: null };
      this.plans.set(facts.campaign, seen);
    }
    if (seen.plan !== null) return seen.plan.decide(facts.contact);
    if (++seen.facts >= this.planAfter) seen.plan = new Plan(facts);
    return decide(facts);
  }
}

/** A campaign's instant and policy, and its plan or how many of its facts came before it. */
interface Seen {
  readonly at: number;
  readonly policy: Policy;
  facts: number;
  plan: Plan | null;
}
