// One list row → the facts the engine decides on. The row's own columns say who the person is
// (point, kind, origin, relationship, location); the evidence store says what they agreed to or
// refused (consents, objections, Bloctel checks, contact history). Facts are built directly in
// the engine's shape, all keys present in one order, as parseFacts does: zod per row would cost
// more than the decision (ENGINEERING.md §2.3).

import { evidenceDateError } from "../../facts/evidence-dates.ts";
import { readRefusal } from "../../facts/refusal.ts";
import type { Facts, Location, Origin, Relationship } from "../../facts/types.ts";
import { checkDepartment, checkOneOf, checkPoint, checkTimeZone } from "../../facts/values.ts";
import {
  KINDS,
  type Kind,
  ORIGIN_TYPES,
  type OriginType,
  RELATIONSHIP_STATUSES,
  type RelationshipStatus,
} from "../../facts/vocabulary.ts";
import { yesNo } from "../../facts/yes-no.ts";
import type { NormalizedPoint } from "../../normalize/point.ts";
import { assembleFacts } from "../../store/facts-from-evidence.ts";
import type { Evidence } from "../../store/store.ts";
import type { ScreenCampaign } from "./campaign.ts";
import type { ListColumn } from "./columns.ts";
import type { Interpretation } from "./interpretations.ts";
import { readListDate } from "./list-dates.ts";
import { ENUMERATED, type ListValues, listValue, NO_VALUES } from "./list-values.ts";

/** A row's recognised cells. */
export interface Cells {
  /** The cell, trimmed; undefined when the column is absent or the cell empty. */
  cell(column: ListColumn): string | undefined;
}

/** What a row says about its contact, checked. Null: the row does not say. */
export interface ListContact {
  readonly point: NormalizedPoint;
  /** The row's other point (its e-mail on a phone campaign): the same person, whose objections bind. */
  readonly others: readonly NormalizedPoint[];
  readonly kind: Kind | null;
  readonly origin: Origin | null;
  readonly relationship: Relationship | null;
  readonly location: Location | null;
}

export type ListContactResult =
  | {
      readonly ok: true;
      readonly contact: ListContact;
      /** What was read differently from the cells (src/services/screen/interpretations.ts). */
      readonly interpreted: readonly Interpretation[];
    }
  | { readonly ok: false; readonly error: string };

const fail = (error: string): ListContactResult => ({ ok: false, error });

/**
 * A phone number or e-mail address. Nine digits alone are a French number whose leading 0 a
 * spreadsheet dropped, as it does from any number it stores as a number (612345678): vigie reads
 * every national number as French, so the 0 is put back — when the result is a valid number.
 */
function readPoint(
  type: "phone" | "email",
  raw: string,
  notes: Interpretation[],
): ReturnType<typeof checkPoint> {
  const n = checkPoint(type, raw);
  if (n.ok || type !== "phone" || !/^[1-9]\d{8}$/.test(raw)) return n;
  const completed = checkPoint(type, `0${raw}`);
  if (!completed.ok) return n;
  notes.push({ kind: "numbersCompleted", column: "phone", value: raw, text: `phone: ${raw} → 0${raw}` });
  return completed;
}

/** A vocabulary value, or the words of what is wrong, suggesting `--map-values` for the list's own words. */
function vocabularyError(column: ListColumn, value: string): string {
  const values = (ENUMERATED[column] as readonly string[]).join(", ");
  return `${column}: ${JSON.stringify(value)} is not one of ${values} (to read the list's own word, say --map-values ${column}=${value}:VALUE)`;
}

/**
 * Reads and checks a row's recognised columns, through the list-wide values (`--set`,
 * `--map-values`); the first problem rejects the row.
 */
export function readListContact(
  cells: Cells,
  pointType: "phone" | "email",
  values: ListValues = NO_VALUES,
): ListContactResult {
  const notes: Interpretation[] = [];
  const value = (column: ListColumn) => listValue(cells, column, values, notes);
  const raw = cells.cell(pointType);
  if (raw === undefined) {
    return fail(
      `${pointType}: empty: the campaign reaches ${pointType === "phone" ? "phone numbers" : "e-mail addresses"}`,
    );
  }
  const normalized = readPoint(pointType, raw, notes);
  if (!normalized.ok) return fail(`${pointType}: ${normalized.error}`);

  const others: NormalizedPoint[] = [];
  const otherType = pointType === "phone" ? "email" : "phone";
  const other = cells.cell(otherType);
  // A placeholder ("-", "non renseigné") cannot be a point: no evidence can be held under it.
  const mayBePoint = other !== undefined && (otherType === "email" ? other.includes("@") : /\d/.test(other));
  if (mayBePoint) {
    // Unread, it could hide the person's objection: the row is refused rather than screened blind.
    const n = readPoint(otherType, other, notes);
    if (!n.ok)
      return fail(`${otherType}: ${n.error} (the row's other point is read for the person's objections)`);
    others.push(n.value);
  }

  const kindCell = value("kind");
  const kind = kindCell === undefined ? null : checkOneOf(KINDS, kindCell);
  if (kind !== null && !kind.ok) return fail(vocabularyError("kind", kindCell as string));

  const originType = value("origin");
  const collected = value("collected_at");
  const sourceUrl = cells.cell("source_url") ?? null;
  // A mention such as "pas de démarchage" copied from the ad is the author's objection; words
  // that negate something no pattern knows are read as one too, flagged for review.
  const refused = value("publisher_refused");
  const reading = refused === undefined ? null : readRefusal(refused);
  if (reading === "needs_review") {
    notes.push({
      kind: "needsReview",
      column: "publisher_refused",
      value: refused as string,
      text: `publisher_refused: ${JSON.stringify(refused)} not understood, read as a refusal until reviewed`,
    });
  }
  const publisherRefusedCanvassing =
    reading === null ? null : reading === "no_refusal" ? (yesNo(refused as string) ?? null) : true;
  let origin: Origin | null = null;
  if (originType !== undefined) {
    const type = checkOneOf<OriginType>(ORIGIN_TYPES, originType);
    if (!type.ok) return fail(vocabularyError("origin", originType));
    const date = collected === undefined ? null : readListDate(collected);
    if (date !== null && !date.ok) return fail(`collected_at: ${date.error}`);
    if (date?.french) {
      notes.push({
        kind: "datesFrench",
        column: "collected_at",
        value: collected as string,
        text: `collected_at: ${collected} → ${date.french}`,
      });
    }
    const collectedAt = date === null ? null : date.ms;
    // The floor alone: a screening's outputs never depend on the clock.
    const tooEarly = collectedAt === null ? undefined : evidenceDateError(collectedAt, "event", null);
    if (tooEarly !== undefined) return fail(`collected_at: ${JSON.stringify(collected)}: ${tooEarly}`);
    origin = {
      type: type.value,
      collectedAt,
      sourceUrl,
      senderNamedAtCollection: null,
      optOutOfferedAtCollection: null,
      publisherRefusedCanvassing,
      informedAt: null,
      obtainedAt: null,
      transfers: null,
    };
  } else if (collected !== undefined || sourceUrl !== null || publisherRefusedCanvassing === true) {
    // Dropping them would lose evidence the retention and information rules read.
    const given =
      collected !== undefined ? "collected_at" : sourceUrl !== null ? "source_url" : "publisher_refused";
    return fail(`origin: required when ${given} is given`);
  }

  const status = value("relationship");
  let relationship: Relationship | null = null;
  if (status !== undefined) {
    const checked = checkOneOf<RelationshipStatus>(RELATIONSHIP_STATUSES, status);
    if (!checked.ok) return fail(vocabularyError("relationship", status));
    relationship = {
      status: checked.value,
      since: null,
      endedAt: null,
      lastInboundAt: null,
      freeAccountOfPaidModel: null,
    };
  }

  const department = value("department") ?? null;
  const dep = department === null ? null : checkDepartment(department);
  if (dep !== null && !dep.ok) return fail(`department: ${dep.error}`);
  const timeZone = value("time_zone") ?? null;
  const tz = timeZone === null ? null : checkTimeZone(timeZone);
  if (tz !== null && !tz.ok) return fail(`time_zone: ${tz.error}`);
  const location: Location | null =
    department === null && timeZone === null ? null : { country: null, department, timeZone };

  return {
    ok: true,
    contact: { point: normalized.value, others, kind: kind?.value ?? null, origin, relationship, location },
    interpreted: notes,
  };
}

/**
 * The facts of one row: what the row declares, with the person's stored evidence (null when no
 * store is consulted), assembled as every door assembles them (src/store/facts-from-evidence.ts).
 */
export function factsOf(c: ScreenCampaign, list: ListContact, stored: Evidence | null): Facts {
  return assembleFacts(c, list, stored);
}
