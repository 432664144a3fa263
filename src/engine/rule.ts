// What a rule is: a stable id, the article it implements with its words and dates, the channels
// and audiences it covers, and a small evaluation. Exceptions are named and ordered (Catala's
// default logic), never hidden in the order of `if`s.
import type { Channel, Kind } from "../facts/vocabulary.ts";
import type { ArgsOf, BareCode, DecisionArgs, DecisionCode } from "../i18n/decisions.ts";
import type { Param } from "../params/fr/params.ts";
import type { Context } from "./context.ts";
import type { Effect, Message } from "./decision.ts";
import type { RuleId } from "./rule-ids.ts";

/** docs/law.md's confidence tags: verified in a primary text, a secondary one, from memory, inferred. */
export type Confidence = "V" | "V2" | "M" | "I";

export interface RuleVersion {
  /** First day in force (Europe/Paris). */
  readonly from: string;
  /** Last day in force, inclusive; absent while still in force. */
  readonly to?: string;
  /** The citation every decision under this version carries. */
  readonly article: string;
  /** The words implemented — verbatim where the text was read, else docs/law.md's statement. */
  readonly text: string;
  /** Set when this version's reading is open (docs/law.md, H1–H15): every reason under it is contested. */
  readonly contested?: string;
}

/**
 * What a rule found: an effect, and a code of the catalogue (src/i18n/decisions.ts) with the values
 * its texts quote — dates, counts, and the dated parameters in force, read by the rule, never
 * copied into the text. The words are rendered only where the reason is shown.
 */
export interface Verdict {
  readonly effect: Effect;
  readonly code: DecisionCode;
  readonly args: DecisionArgs;
  readonly contested?: boolean;
}

/** An exception with no rule id of its own (e.g. "ongoing contract" inside L.223-1). */
export interface InlineException {
  readonly name: string;
  /** Period during which the exception exists, when narrower than its rule's. */
  readonly from?: string;
  readonly to?: string;
  /** An `allow` verdict naming the exception when it lets the contact through, else null. */
  test(ctx: Context): Verdict | null;
}

/** A rule's exception: another rule (evaluated for its `allow`) or an inline one. */
export type Exception = RuleId | InlineException;

export interface Rule {
  readonly id: RuleId;
  /** Where docs/law.md states it: its law id (A1, B5…), also the anchor (docs/law.md#b5). */
  readonly law: string;
  readonly title: Message;
  /**
   * What lifts a block by this rule, for whoever acts on it (the report, docs/rules.md): what to
   * do, or that nothing can. Every rule but the exceptions has one.
   */
  readonly remedy?: Message;
  readonly confidence: Confidence;
  readonly channels: readonly Channel[] | "all";
  readonly kinds: readonly Kind[] | "all";
  readonly versions: readonly RuleVersion[];
  /**
   * "exception": evaluated only when a rule listing it in `exceptions` would block; its
   * `evaluate` returns an `allow` verdict when the exception applies.
   */
  readonly role?: "exception";
  /** Tried in order when this rule blocks; the first that applies turns the block into an allow. */
  readonly exceptions?: readonly Exception[];
  /** Set on rules whose block lifts with time (hours, frequency, pause): when it lifts. */
  readonly lifts?: (ctx: Context) => number | null;
  /** The dated parameters the rule reads (shown by `vigie explain`). */
  readonly params?: readonly Param<unknown>[];
  /** The open question of docs/law.md (H1–H15) this rule takes a side on, and the side taken. */
  readonly contested?: string;
  evaluate(ctx: Context): Verdict | null;
}

/** A rule's own words (its title, its remedy): metadata shown beside reasons, never a reason. */
export function msg(fr: string, en: string): { fr: string; en: string } {
  return { fr, en };
}

const NO_ARGS: DecisionArgs = Object.freeze({});

export function verdict<C extends DecisionCode>(
  effect: Effect,
  code: C,
  args: ArgsOf<C>,
  contested?: boolean,
): Verdict {
  return contested === undefined ? { effect, code, args } : { effect, code, args, contested };
}

/**
 * A verdict whose words never change, declared once at module level. It is frozen, which lets
 * the engine build its reason once and share it between decisions.
 */
export function fixed(effect: Effect, code: BareCode, contested?: boolean): Verdict {
  return Object.freeze(verdict(effect, code, NO_ARGS as ArgsOf<BareCode>, contested));
}
