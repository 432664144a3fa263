// The engine's decision on one row, reduced to what the outputs need. With a window, the row is
// decided at its first instant in the window at which no time rule (hours, holidays, frequency,
// pause) blocks: allowed there with that instant as its slot, or blocked by the other rules that
// block there. Time rules are reported only when they block throughout the window.
import { Context } from "../../engine/context.ts";
import { decide, decideWhenTimeAllows } from "../../engine/decide.ts";
import type { Decision, Message, Reason } from "../../engine/decision.ts";
import { compilePlan, type Plan } from "../../engine/plan.ts";
import type { RuleId } from "../../engine/rule-ids.ts";
import { ruleById } from "../../engine/rulebook.ts";
import type { Facts } from "../../facts/types.ts";
import { formatInstant } from "../../time/zoned.ts";
import type { ScreenCampaign, ScreenWindow } from "./campaign.ts";

/** A rule that blocked, with the words it blocked with. */
export interface Block {
  readonly rule: RuleId;
  readonly article: string;
  readonly message: Message;
}

/**
 * When a row was decided: at the window's start (or at `at`); at the first later instant of the
 * window the time rules allow; or at the start, because they allow none in the window.
 */
export type DecidedAt = "start" | "later" | "no_slot";

export type RowDecision =
  | {
      readonly verdict: "allow";
      /** With a window: the first lawful instant in it, on the person's clock. */
      readonly nextSlot: string | null;
      readonly decidedAt: DecidedAt;
    }
  | {
      readonly verdict: "block";
      /** The first rule that blocked: the row's `rule`. */
      readonly first: Block;
      /** The other rules that blocked too: lifting the first alone would not allow the contact. */
      readonly others: readonly Block[];
      /** Blocked by time rules alone, with no lawful instant left in the window. */
      readonly outsideWindow: boolean;
      readonly decidedAt: DecidedAt;
    };

function windowMessage(window: ScreenWindow, next: string | null, zone: string): Message {
  const from = formatInstant(window.from, zone);
  const to = formatInstant(window.to, zone);
  return next === null
    ? {
        fr: `aucun créneau d'appel permis entre ${from} et ${to} (jours et heures, fréquence, pause)`,
        en: `no calling slot allowed between ${from} and ${to} (days and hours, frequency, pause)`,
      }
    : {
        fr: `aucun créneau licite entre ${from} et ${to} (prochain : ${next})`,
        en: `no lawful slot between ${from} and ${to} (next: ${next})`,
      };
}

const liftsWithTime = (r: Reason): boolean => ruleById(r.rule)?.rule.lifts !== undefined;

function blocked(decision: Decision, decidedAt: DecidedAt): RowDecision {
  const [first, ...others] = decision.reasons.filter((r) => r.effect === "block");
  return { verdict: "block", first: first as Reason, others, outsideWindow: false, decidedAt };
}

/**
 * Decides the rows of one campaign. Every row's facts hold the campaign's own campaign and policy
 * objects and instant (its `at`, or its window's start), so one compiled plan decides them at
 * that instant, as decide() does (src/engine/plan.ts); facts of another campaign or instant go to
 * decide() itself.
 */
export class RowDecider {
  readonly #plan: Plan;
  readonly #window: ScreenWindow | null;

  constructor(campaign: ScreenCampaign) {
    this.#plan = compilePlan(campaign);
    this.#window = campaign.window;
  }

  /** decide(facts), through the plan when it is the facts' own. */
  #decide(facts: Facts): Decision {
    const { at, campaign, policy } = this.#plan.facts;
    return facts.at === at && facts.campaign === campaign && facts.policy === policy
      ? this.#plan.decide(facts.contact)
      : decide(facts);
  }

  decide(facts: Facts): RowDecision {
    const window = this.#window;
    if (window === null) {
      const decision = this.#decide(facts);
      return decision.verdict === "allow"
        ? { verdict: "allow", nextSlot: null, decidedAt: "start" }
        : blocked(decision, "start");
    }
    return this.#inWindow(facts, window);
  }

  #inWindow(facts: Facts, window: ScreenWindow): RowDecision {
    const zone = new Context(facts).zone.timeZone;
    const open = decideWhenTimeAllows(facts, window.to);
    if (open !== null) {
      const decidedAt = open.at === facts.at ? "start" : "later";
      return open.decision.verdict === "allow"
        ? { verdict: "allow", nextSlot: formatInstant(open.at, zone), decidedAt }
        : blocked(open.decision, decidedAt);
    }
    // Time rules block at every instant of the window: they are reported, saying so.
    return outsideWindow(this.#decide(facts), window, zone);
  }
}

function outsideWindow(decision: Decision, window: ScreenWindow, zone: string): RowDecision {
  const blocks = decision.reasons.filter((r) => r.effect === "block");
  const timeOnly = blocks.every(liftsWithTime);
  const message = windowMessage(window, timeOnly ? decision.nextAllowedAt : null, zone);
  const [first, ...others] = blocks.map((r) => (liftsWithTime(r) ? { ...r, message } : r));
  return { verdict: "block", first: first as Reason, others, outsideWindow: timeOnly, decidedAt: "no_slot" };
}
