// The engine's decision on one row, reduced to what the outputs need. With a window, a contact
// blocked at `from` by time rules alone (hours, holidays, frequency, pause) is allowed at its next
// lawful instant if that falls within the window, and blocked otherwise.
import { Context } from "../../engine/context.ts";
import { decide } from "../../engine/decide.ts";
import type { Message, Reason } from "../../engine/decision.ts";
import type { RuleId } from "../../engine/rule-ids.ts";
import type { Facts } from "../../facts/types.ts";
import { formatInstant, parseInstant } from "../../time/zoned.ts";
import type { ScreenWindow } from "./campaign.ts";

/** A rule that blocked, with the words it blocked with. */
export interface Block {
  readonly rule: RuleId;
  readonly article: string;
  readonly message: Message;
}

export type RowDecision =
  | {
      readonly verdict: "allow";
      /** With a window: the first lawful instant in it, on the person's clock. */
      readonly nextSlot: string | null;
    }
  | {
      readonly verdict: "block";
      /** The first rule that blocked: the row's `rule`. */
      readonly first: Block;
      /** The other rules that blocked too: lifting the first alone would not allow the contact. */
      readonly others: readonly Block[];
      /** Blocked by time rules alone, with no lawful instant left in the window. */
      readonly outsideWindow: boolean;
    };

function windowMessage(window: ScreenWindow, next: string, zone: string): Message {
  const from = formatInstant(window.from, zone);
  const to = formatInstant(window.to, zone);
  return {
    fr: `aucun créneau licite entre ${from} et ${to} (prochain : ${next})`,
    en: `no lawful slot between ${from} and ${to} (next: ${next})`,
  };
}

export function decideRow(facts: Facts, window: ScreenWindow | null): RowDecision {
  const decision = decide(facts);
  if (decision.verdict === "allow") {
    const nextSlot = window === null ? null : formatInstant(window.from, new Context(facts).zone.timeZone);
    return { verdict: "allow", nextSlot };
  }
  const [first, ...others]: Reason[] = decision.reasons.filter((r) => r.effect === "block");
  const blocked = { verdict: "block", first: first as Reason, others, outsideWindow: false } as const;
  // nextAllowedAt is set only when time rules alone block.
  const next = decision.nextAllowedAt;
  if (window === null || next === null) return blocked;
  if ((parseInstant(next) as number) <= window.to) return { verdict: "allow", nextSlot: next };
  const message = windowMessage(window, next, new Context(facts).zone.timeZone);
  return { ...blocked, first: { ...(first as Reason), message }, outsideWindow: true };
}
