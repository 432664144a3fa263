// One list row → the facts the engine decides on. The row's own columns say who the person is
// (point, kind, origin, relationship, location); the evidence store says what they agreed to or
// refused (consents, objections, Bloctel checks, contact history). Facts are built directly in
// the engine's shape, all keys present in one order, as parseFacts does: zod per row would cost
// more than the decision (ENGINEERING.md §2.3).

import { evidenceDateError } from "../../facts/evidence-dates.ts";
import { refusesCanvassing } from "../../facts/refusal.ts";
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
import type { NormalizedPoint } from "../../normalize/point.ts";
import { assembleFacts } from "../../store/facts-from-evidence.ts";
import type { Evidence } from "../../store/store.ts";
import { parseInstant } from "../../time/zoned.ts";
import type { ScreenCampaign } from "./campaign.ts";
import type { ListColumn } from "./columns.ts";

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
  | { readonly ok: true; readonly contact: ListContact }
  | { readonly ok: false; readonly error: string };

const fail = (error: string): ListContactResult => ({ ok: false, error });

/** Reads and checks a row's recognised columns; the first problem rejects the row. */
export function readListContact(cells: Cells, pointType: "phone" | "email"): ListContactResult {
  const raw = cells.cell(pointType);
  if (raw === undefined) {
    return fail(
      `${pointType}: empty: the campaign reaches ${pointType === "phone" ? "phone numbers" : "e-mail addresses"}`,
    );
  }
  const normalized = checkPoint(pointType, raw);
  if (!normalized.ok) return fail(`${pointType}: ${normalized.error}`);

  const others: NormalizedPoint[] = [];
  const otherType = pointType === "phone" ? "email" : "phone";
  const other = cells.cell(otherType);
  // A placeholder ("-", "non renseigné") cannot be a point: no evidence can be held under it.
  const mayBePoint = other !== undefined && (otherType === "email" ? other.includes("@") : /\d/.test(other));
  if (mayBePoint) {
    // Unread, it could hide the person's objection: the row is refused rather than screened blind.
    const n = checkPoint(otherType, other);
    if (!n.ok)
      return fail(`${otherType}: ${n.error} (the row's other point is read for the person's objections)`);
    others.push(n.value);
  }

  const kindCell = cells.cell("kind");
  const kind = kindCell === undefined ? null : checkOneOf(KINDS, kindCell);
  if (kind !== null && !kind.ok) return fail(`kind: ${kind.error}`);

  const originType = cells.cell("origin");
  const collected = cells.cell("collected_at");
  const sourceUrl = cells.cell("source_url") ?? null;
  // A mention such as "pas de démarchage" copied from the ad is the author's objection.
  const refused = cells.cell("publisher_refused");
  const publisherRefusedCanvassing = refused === undefined ? null : refusesCanvassing(refused);
  let origin: Origin | null = null;
  if (originType !== undefined) {
    const type = checkOneOf<OriginType>(ORIGIN_TYPES, originType);
    if (!type.ok) return fail(`origin: ${type.error}`);
    const collectedAt = collected === undefined ? null : parseInstant(collected);
    if (collectedAt === undefined) {
      return fail(
        `collected_at: not a date: ${JSON.stringify(collected)} (YYYY-MM-DD or ISO 8601 with offset)`,
      );
    }
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

  const status = cells.cell("relationship");
  let relationship: Relationship | null = null;
  if (status !== undefined) {
    const checked = checkOneOf<RelationshipStatus>(RELATIONSHIP_STATUSES, status);
    if (!checked.ok) return fail(`relationship: ${checked.error}`);
    relationship = {
      status: checked.value,
      since: null,
      endedAt: null,
      lastInboundAt: null,
      freeAccountOfPaidModel: null,
    };
  }

  const department = cells.cell("department") ?? null;
  const dep = department === null ? null : checkDepartment(department);
  if (dep !== null && !dep.ok) return fail(`department: ${dep.error}`);
  const timeZone = cells.cell("time_zone") ?? null;
  const tz = timeZone === null ? null : checkTimeZone(timeZone);
  if (tz !== null && !tz.ok) return fail(`time_zone: ${tz.error}`);
  const location: Location | null =
    department === null && timeZone === null ? null : { country: null, department, timeZone };

  return {
    ok: true,
    contact: { point: normalized.value, others, kind: kind?.value ?? null, origin, relationship, location },
  };
}

/**
 * The facts of one row: what the row declares, with the person's stored evidence (null when no
 * store is consulted), assembled as every door assembles them (src/store/facts-from-evidence.ts).
 */
export function factsOf(c: ScreenCampaign, list: ListContact, stored: Evidence | null): Facts {
  return assembleFacts(c, list, stored);
}
