// One list row → the facts the engine decides on. The row's own columns say who the person is
// (point, kind, origin, relationship, location); the evidence store says what they agreed to or
// refused (consents, objections, Bloctel checks, contact history). Facts are built directly in
// the engine's shape, all keys present in one order, as parseFacts does: zod per row would cost
// more than the decision (zod 4 checks about 0.8 M objects a second; a compiled plan decides more).

import { assembleFacts } from "../../evidence/facts-from-evidence.ts";
import { type DateKind, dateFloor, evidenceDateError, recordsThePast } from "../../facts/evidence-dates.ts";
import { readListDate } from "../../facts/list-dates.ts";
import { readRefusal } from "../../facts/refusal.ts";
import type { Facts, Location, Origin, Relationship } from "../../facts/types.ts";
import {
  type Checked,
  checkDepartment,
  checkOneOf,
  checkPoint,
  checkTimeZone,
  checkTransfers,
  spelledWord,
  yesNoReason,
} from "../../facts/values.ts";
import {
  KINDS,
  type Kind,
  ORIGIN_TYPES,
  type OriginType,
  RELATIONSHIP_STATUSES,
  type RelationshipStatus,
} from "../../facts/vocabulary.ts";
import { yesNo } from "../../facts/yes-no.ts";
import { type Reason, refused } from "../../i18n/reasons.ts";
import type { NormalizedPoint } from "../../normalize/point.ts";
import type { Evidence } from "../../store/store.ts";
import type { ScreenCampaign } from "./campaign.ts";
import type { ListColumn } from "./columns.ts";
import type { Interpretation } from "./interpretations.ts";
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
  | {
      readonly ok: false;
      /** The English words, as rejected.csv gives them. */
      readonly error: string;
      /** The same as a code, for the report's language (src/i18n/reasons.ts). */
      readonly reason: Reason;
    };

export type RowRejected = Extract<ListContactResult, { ok: false }>;

const fail = (reason: Reason): RowRejected => refused(reason);

/** A row the list's reader could not read as a record, for the reader's reason (src/io/). */
export const unreadableRow = (detail: Reason): RowRejected =>
  fail({ code: "row.unreadable", args: { detail } });

/** A check's reason, said of a column. */
const of = (column: ListColumn, failed: { readonly reason: Reason }): Reason => ({
  ...failed.reason,
  column,
});

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

/**
 * A cell of an enumerated column: a word of the vocabulary, or one written in other capitals or
 * with spaces or hyphens for its underscores ("Consumer", "Scraped public": one word only can be
 * meant), read as that word and noted; anything else is refused, suggesting `--map-values`.
 */
function vocabularyWord<T extends string>(
  column: ListColumn,
  vocabulary: readonly T[],
  cell: string,
  notes: Interpretation[],
): Checked<T> {
  const exact = checkOneOf(vocabulary, cell);
  if (exact.ok) return exact;
  const word = spelledWord(vocabulary, cell);
  if (word === undefined) return refused(unknownWord(column, cell));
  notes.push({ kind: "wordsSpelled", column, value: cell, text: `${column}: ${cell} → ${word}` });
  return { ok: true, value: word };
}

/** A value outside the vocabulary, suggesting `--map-values` for the list's own words. */
function unknownWord(column: ListColumn, value: string): Reason {
  const values = (ENUMERATED[column] as readonly string[]).join(", ");
  return { code: "value.unknown_word", column, args: { value: JSON.stringify(value), values, word: value } };
}

/** The instant a screening decides its rows at, as a number and as the campaign file wrote it. */
interface Decided {
  readonly ms: number;
  readonly text: string;
}

/**
 * A date cell (or `--set` value), ISO or French (noted), checked against the floor of its kind
 * and, for what has happened (an event, a relationship's start), against the instant decided: a
 * screening's outputs never depend on the clock. Evidence dated after that instant does not
 * exist as of it — the rules would read it as unknown, as the store's evidence is read as of the
 * instant (facts-from-evidence.ts) — so the row is refused rather than its date silently
 * ignored: a year typed 2091 for 2019 would otherwise hide an expired retention period.
 * Null: the row does not say.
 */
function readDate(
  column: ListColumn,
  text: string | undefined,
  kind: DateKind,
  decided: Decided,
  notes: Interpretation[],
): { readonly ok: true; readonly ms: number | null } | { readonly ok: false; readonly reason: Reason } {
  if (text === undefined) return { ok: true, ms: null };
  const date = readListDate(text);
  if (!date.ok) return { ok: false, reason: of(column, date) };
  if (date.french) {
    notes.push({ kind: "datesFrench", column, value: text, text: `${column}: ${text} → ${date.french}` });
  }
  // Without a clock only the floor is checked, so a date refused is one before it.
  if (evidenceDateError(date.ms, kind, null) !== undefined) {
    const args = { value: JSON.stringify(text), floor: dateFloor(kind) };
    return { ok: false, reason: { code: "date.before_floor", column, args } };
  }
  if (recordsThePast(kind) && date.ms > decided.ms) {
    const args = { value: JSON.stringify(text), at: decided.text };
    return { ok: false, reason: { code: "date.after_decided", column, args } };
  }
  return { ok: true, ms: date.ms };
}

/** A yes/no cell (or `--set` value), read as a contacts import reads it. Null: the row does not say. */
function readYesNo(column: ListColumn, text: string | undefined): Checked<boolean | null> {
  if (text === undefined) return { ok: true, value: null };
  const b = yesNo(text);
  return b === null ? refused({ ...yesNoReason(text), column }) : { ok: true, value: b };
}

/**
 * The point a row names, read as screening reads it — all an evidence pack needs of a row of
 * allowed.csv, whose other columns may have been read through `--set` or `--map-values`.
 */
export function readListPoint(
  cells: Cells,
  pointType: "phone" | "email",
  notes: Interpretation[] = [],
): Checked<NormalizedPoint> {
  const raw = cells.cell(pointType);
  if (raw === undefined) {
    return refused({ code: pointType === "phone" ? "phone.missing" : "email.missing", column: pointType });
  }
  const normalized = readPoint(pointType, raw, notes);
  return normalized.ok ? normalized : refused(of(pointType, normalized));
}

/**
 * The points of a row: the campaign's, then the other one when the row gives it (its e-mail on a
 * phone campaign) — the same person, whose objections bind. The first part of readListContact,
 * alone: a second pass finds each row's person without reading the rest of the row.
 */
export function readListPoints(
  cells: Cells,
  pointType: "phone" | "email",
  notes: Interpretation[] = [],
): Checked<readonly NormalizedPoint[]> {
  const normalized = readListPoint(cells, pointType, notes);
  if (!normalized.ok) return normalized;
  const otherType = pointType === "phone" ? "email" : "phone";
  const other = cells.cell(otherType);
  // A placeholder ("-", "non renseigné") cannot be a point: no evidence can be held under it. A
  // cell a spreadsheet marked as text ("'-", "'06…") is no placeholder: what its apostrophe stands
  // before is not known, so it is read as a point — refused when it is none, as in an import.
  const mayBePoint =
    other !== undefined &&
    (other.startsWith("'") || (otherType === "email" ? other.includes("@") : /\d/.test(other)));
  if (!mayBePoint) return { ok: true, value: [normalized.value] };
  // Unread, it could hide the person's objection: the row is refused rather than screened blind.
  const n = readPoint(otherType, other, notes);
  if (!n.ok)
    return refused({ code: "point.other_unreadable", column: otherType, args: { detail: n.reason } });
  return { ok: true, value: [normalized.value, n.value] };
}

/**
 * Reads and checks a row's recognised columns, through the list-wide values (`--set`,
 * `--map-values`); the first problem rejects the row.
 */
export function readListContact(
  cells: Cells,
  campaign: Pick<ScreenCampaign, "pointType" | "at" | "when">,
  values: ListValues = NO_VALUES,
): ListContactResult {
  const { pointType, when } = campaign;
  const decided: Decided = { ms: campaign.at, text: "at" in when ? when.at : when.from };
  const notes: Interpretation[] = [];
  const value = (column: ListColumn) => listValue(cells, column, values, notes);
  const points = readListPoints(cells, pointType, notes);
  if (!points.ok) return fail(points.reason);
  const [point, ...others] = points.value as [NormalizedPoint, ...NormalizedPoint[]];

  const kindCell = value("kind");
  const kind = kindCell === undefined ? null : vocabularyWord("kind", KINDS, kindCell, notes);
  if (kind !== null && !kind.ok) return fail(kind.reason);

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
  // What the collection said and what followed it: facts of the origin, as in a contacts import.
  const ofOrigin = ["sender_named", "opt_out_offered", "informed_at", "obtained_at", "transfers"] as const;
  let origin: Origin | null = null;
  if (originType !== undefined) {
    const type = vocabularyWord<OriginType>("origin", ORIGIN_TYPES, originType, notes);
    if (!type.ok) return fail(type.reason);
    const collectedAt = readDate("collected_at", collected, "event", decided, notes);
    if (!collectedAt.ok) return fail(collectedAt.reason);
    const senderNamed = readYesNo("sender_named", value("sender_named"));
    if (!senderNamed.ok) return fail(senderNamed.reason);
    const optOutOffered = readYesNo("opt_out_offered", value("opt_out_offered"));
    if (!optOutOffered.ok) return fail(optOutOffered.reason);
    const informedAt = readDate("informed_at", value("informed_at"), "event", decided, notes);
    if (!informedAt.ok) return fail(informedAt.reason);
    // When and through how many hands a partner's or broker's data reached the controller.
    const thirdParty = type.value === "partner" || type.value === "broker";
    const obtained = value("obtained_at");
    if (obtained !== undefined && !thirdParty) {
      return fail({ code: "origin.third_party_only", column: "obtained_at" });
    }
    const obtainedAt = readDate("obtained_at", obtained, "event", decided, notes);
    if (!obtainedAt.ok) return fail(obtainedAt.reason);
    if (obtainedAt.ms !== null && collectedAt.ms !== null && obtainedAt.ms < collectedAt.ms) {
      return fail({ code: "date.before_collected", column: "obtained_at" });
    }
    const transfersCell = value("transfers");
    if (transfersCell !== undefined && !thirdParty) {
      return fail({ code: "origin.third_party_only", column: "transfers" });
    }
    const transfers = transfersCell === undefined ? null : checkTransfers(transfersCell);
    if (transfers !== null && !transfers.ok) return fail(of("transfers", transfers));
    origin = {
      type: type.value,
      collectedAt: collectedAt.ms,
      sourceUrl,
      senderNamedAtCollection: senderNamed.value,
      optOutOfferedAtCollection: optOutOffered.value,
      publisherRefusedCanvassing,
      informedAt: informedAt.ms,
      obtainedAt: obtainedAt.ms,
      transfers: transfers?.value ?? null,
    };
  } else {
    // Dropping them would lose evidence the retention and information rules read.
    const given =
      collected !== undefined
        ? "collected_at"
        : sourceUrl !== null
          ? "source_url"
          : publisherRefusedCanvassing === true
            ? "publisher_refused"
            : ofOrigin.find((c) => value(c) !== undefined);
    if (given !== undefined) return fail({ code: "origin.required", column: "origin", args: { given } });
  }

  const status = value("relationship");
  const checked =
    status === undefined
      ? null
      : vocabularyWord<RelationshipStatus>("relationship", RELATIONSHIP_STATUSES, status, notes);
  if (checked !== null && !checked.ok) return fail(checked.reason);
  const since = readDate("customer_since", value("customer_since"), "relationship-start", decided, notes);
  if (!since.ok) return fail(since.reason);
  const endedAt = readDate("customer_until", value("customer_until"), "relationship-end", decided, notes);
  if (!endedAt.ok) return fail(endedAt.reason);
  const lastInboundAt = readDate("last_inbound_at", value("last_inbound_at"), "event", decided, notes);
  if (!lastInboundAt.ok) return fail(lastInboundAt.reason);
  const free = readYesNo("free_account_of_paid_model", value("free_account_of_paid_model"));
  if (!free.ok) return fail(free.reason);
  if (free.value !== null && checked?.value !== "account_only") {
    return fail({ code: "relationship.account_only", column: "free_account_of_paid_model" });
  }
  let relationship: Relationship | null = null;
  if (checked !== null || since.ms !== null || endedAt.ms !== null || lastInboundAt.ms !== null) {
    relationship = {
      // Dates without a status: the least they show is a prospect, who gets no soft opt-in — as
      // the facts assembly reads a contacts import's (src/evidence/facts-from-evidence.ts).
      status: checked?.value ?? "prospect",
      since: since.ms,
      endedAt: endedAt.ms,
      lastInboundAt: lastInboundAt.ms,
      freeAccountOfPaidModel: free.value,
    };
  }

  const department = value("department") ?? null;
  const dep = department === null ? null : checkDepartment(department);
  if (dep !== null && !dep.ok) return fail(of("department", dep));
  const timeZone = value("time_zone") ?? null;
  const tz = timeZone === null ? null : checkTimeZone(timeZone);
  if (tz !== null && !tz.ok) return fail(of("time_zone", tz));
  const location: Location | null =
    department === null && timeZone === null ? null : { country: null, department, timeZone };

  return {
    ok: true,
    contact: { point, others, kind: kind?.value ?? null, origin, relationship, location },
    interpreted: notes,
  };
}

/**
 * The facts of one row: what the row declares, with the person's stored evidence (null when no
 * store is consulted), assembled as every door assembles them (src/evidence/facts-from-evidence.ts).
 */
export function factsOf(c: ScreenCampaign, list: ListContact, stored: Evidence | null): Facts {
  return assembleFacts(c, list, stored);
}
