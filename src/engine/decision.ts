// The decision contract (docs/contract.md §1): what every door of vigie returns.
import type { RuleId } from "./rule-ids.ts";

export type Effect = "block" | "allow" | "condition" | "info";

export interface Message {
  readonly fr: string;
  readonly en: string;
}

export interface Reason {
  readonly rule: RuleId;
  readonly effect: Effect;
  readonly article: string;
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
