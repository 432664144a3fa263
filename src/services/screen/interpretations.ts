// What screening read differently from a row's cell: each is written in the row's `interpreted`
// column and counted in summary.json, so that nothing vigie inferred goes unsaid.
import type { ListColumn } from "./columns.ts";

export const INTERPRETATION_KINDS = [
  /** A nine-digit number Excel stripped of its leading 0, read as the French number with it. */
  "numbersCompleted",
  /** A day-first French date (22/10/2026), read as the ISO date. */
  "datesFrench",
  /** A word of the vocabulary written in other capitals or with spaces (Consumer → consumer). */
  "wordsSpelled",
  /** A value of the list's own words read through `--map-values` (LeBonCoin → scraped_public). */
  "valuesMapped",
  /** An empty or absent cell given the list-wide value of `--set`. */
  "valuesSet",
  /** Ad wording vigie could not classify: read as a refusal, to be reviewed (docs/readings.md). */
  "needsReview",
] as const;
export type InterpretationKind = (typeof INTERPRETATION_KINDS)[number];

export interface Interpretation {
  readonly kind: InterpretationKind;
  readonly column: ListColumn;
  /** The value as the list (or `--set`) wrote it. */
  readonly value: string;
  /** For the `interpreted` column: `phone: 612345678 → 0612345678`. */
  readonly text: string;
}

export type InterpretationCounts = Record<InterpretationKind, number>;

export const noInterpretations = (): InterpretationCounts =>
  Object.fromEntries(INTERPRETATION_KINDS.map((k) => [k, 0])) as InterpretationCounts;

/** The `interpreted` cell of a row: its interpretations, `; `-separated. */
export const interpretedCell = (list: readonly Interpretation[]): string =>
  list.map((i) => i.text).join("; ");
