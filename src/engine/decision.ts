// The decision contract (docs/contract.md §1): what every door of vigie returns.
import type { DecisionArgs, DecisionCode } from "../i18n/decisions.ts";
import type { RuleId } from "./rule-ids.ts";

export type Effect = "block" | "allow" | "condition" | "info";

export interface Message {
  readonly fr: string;
  readonly en: string;
}

/**
 * Why a rule applied. `code` and `args` are what the rule found (src/i18n/decisions.ts); `message`
 * is their words in French and English, rendered from the catalogue when first read. The JSON of
 * a reason is the contract's `{ rule, effect, article, message, contested }`: code and arguments
 * are for the code that shows reasons, not part of the wire shape (src/engine/reason.ts).
 */
export interface Reason {
  readonly rule: RuleId;
  readonly effect: Effect;
  readonly article: string;
  readonly code: DecisionCode;
  readonly args: DecisionArgs;
  readonly message: Message;
  /** True where docs/law.md records case law or doctrine that disagree with the reading applied. */
  readonly contested: boolean;
}

export interface Decision {
  readonly verdict: "allow" | "block";
  /** Every rule that applied, in rulebook order — exceptions that let the contact through included. */
  readonly reasons: readonly Reason[];
  /** The `condition` reasons of an allowed contact: what it must still do. Empty when blocked. */
  readonly obligations: readonly Reason[];
  /** When only time rules block: the next instant at which the contact would be allowed. */
  readonly nextAllowedAt: string | null;
  /** The version (date) of the rulebook that decided. */
  readonly rulebook: string;
}
