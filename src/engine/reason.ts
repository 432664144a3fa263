// A rule's verdict under a rule version, as the reason a decision lists.
import { type DecisionArgs, type DecisionCode, wordsOf } from "../i18n/decisions.ts";
import type { Effect, Message, Reason } from "./decision.ts";
import type { RuleVersion, Verdict } from "./rule.ts";
import type { RuleId } from "./rule-ids.ts";
import type { CompiledRule } from "./rulebook.ts";

/**
 * A reason as the engine makes it. Its message is rendered from the catalogue on first read and
 * kept (reasons are shared between decisions: a reason read once is rendered once), so a decision
 * nobody shows — a screened row counted, a verdict compared — renders nothing. The message is a
 * getter, not an own field: `toJSON` writes the contract's shape, `message` in its place and
 * without the code and arguments; deep equality compares code and arguments, which the message is
 * a function of.
 */
export class CodedReason implements Reason {
  readonly rule: RuleId;
  readonly effect: Effect;
  readonly article: string;
  readonly code: DecisionCode;
  readonly args: DecisionArgs;
  readonly contested: boolean;
  // Private fields: written on first read even once the reason is frozen, and never enumerated.
  #message: Message | undefined;
  #json: string | undefined;

  constructor(
    rule: RuleId,
    effect: Effect,
    article: string,
    code: DecisionCode,
    args: DecisionArgs,
    contested: boolean,
  ) {
    this.rule = rule;
    this.effect = effect;
    this.article = article;
    this.code = code;
    this.args = args;
    this.contested = contested;
  }

  get message(): Message {
    if (this.#message === undefined) this.#message = wordsOf(this);
    return this.#message;
  }

  /** `JSON.stringify(this)`, kept: a shared reason is written once for every answer that lists it. */
  json(): string {
    if (this.#json === undefined) this.#json = JSON.stringify(this);
    return this.#json;
  }

  toJSON(): { rule: RuleId; effect: Effect; article: string; message: Message; contested: boolean } {
    return {
      rule: this.rule,
      effect: this.effect,
      article: this.article,
      message: this.message,
      contested: this.contested,
    };
  }
}

/**
 * Reasons built from the same verdict object under the same rule version are identical: rules
 * keep their fixed verdicts as frozen constants, so those reasons are built once and shared.
 */
const sharedReasons = new WeakMap<Verdict, Map<RuleVersion, Reason>>();

export function reasonOf(rule: CompiledRule, v: Verdict, version: RuleVersion): Reason {
  const frozen = Object.isFrozen(v);
  let byVersion: Map<RuleVersion, Reason> | undefined;
  if (frozen) {
    byVersion = sharedReasons.get(v);
    const shared = byVersion?.get(version);
    if (shared !== undefined) return shared;
  }
  const reason = new CodedReason(
    rule.rule.id,
    v.effect,
    version.article,
    v.code,
    v.args,
    version.contested !== undefined || v.contested === true,
  );
  if (!frozen) return reason;
  if (byVersion === undefined) {
    byVersion = new Map();
    sharedReasons.set(v, byVersion);
  }
  byVersion.set(version, Object.freeze(reason));
  return reason;
}
