// One list row → the facts the engine decides on. The row's own columns say who the person is
// (point, kind, origin, relationship, location); the evidence store says what they agreed to or
// refused (consents, objections, Bloctel checks, contact history). Facts are built directly in
// the engine's shape, all keys present in one order, as parseFacts does: zod per row would cost
// more than the decision (ENGINEERING.md §2.3).

import { evidenceDateError } from "../../facts/evidence-dates.ts";
import { refusesCanvassing } from "../../facts/refusal.ts";
import type { Facts, Location, Origin, Relationship } from "../../facts/types.ts";
import {
  KINDS,
  type Kind,
  ORIGIN_TYPES,
  type OriginType,
  RELATIONSHIP_STATUSES,
  type RelationshipStatus,
} from "../../facts/vocabulary.ts";
import { type NormalizedPoint, normalizePoint } from "../../normalize/point.ts";
import { isDepartment } from "../../params/fr/regions.ts";
import { assembleFacts } from "../../store/facts-from-evidence.ts";
import type { Evidence } from "../../store/store.ts";
import { isValidTimeZone, parseInstant } from "../../time/zoned.ts";
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

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

const notOneOf = (column: string, value: string, values: readonly string[]) =>
  fail(`${column}: ${JSON.stringify(value)} is not one of ${values.join(", ")}`);

/** Reads and checks a row's recognised columns; the first problem rejects the row. */
export function readListContact(cells: Cells, pointType: "phone" | "email"): ListContactResult {
  const raw = cells.cell(pointType);
  if (raw === undefined) {
    return fail(
      `${pointType}: empty: the campaign reaches ${pointType === "phone" ? "phone numbers" : "e-mail addresses"}`,
    );
  }
  const normalized = normalizePoint(pointType, raw);
  if (!normalized.ok) {
    return fail(
      `${pointType}: not a valid ${pointType === "phone" ? "phone number" : "e-mail address"}: ${normalized.reason}`,
    );
  }

  const others: NormalizedPoint[] = [];
  const otherType = pointType === "phone" ? "email" : "phone";
  const other = cells.cell(otherType);
  if (other !== undefined) {
    // Unread, it could hide the person's objection: the row is refused rather than screened blind.
    const n = normalizePoint(otherType, other);
    if (!n.ok) {
      return fail(
        `${otherType}: not a valid ${otherType === "phone" ? "phone number" : "e-mail address"}: ${n.reason} (the row's other point is read for the person's objections)`,
      );
    }
    others.push(n.point);
  }

  const kind = cells.cell("kind");
  if (kind !== undefined && !oneOf(KINDS, kind)) return notOneOf("kind", kind, KINDS);

  const originType = cells.cell("origin");
  const collected = cells.cell("collected_at");
  const sourceUrl = cells.cell("source_url") ?? null;
  // A mention such as "pas de démarchage" copied from the ad is the author's objection.
  const refused = cells.cell("publisher_refused");
  const publisherRefusedCanvassing = refused === undefined ? null : refusesCanvassing(refused);
  let origin: Origin | null = null;
  if (originType !== undefined) {
    if (!oneOf<OriginType>(ORIGIN_TYPES, originType)) return notOneOf("origin", originType, ORIGIN_TYPES);
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
      type: originType,
      collectedAt,
      sourceUrl,
      senderNamedAtCollection: null,
      optOutOfferedAtCollection: null,
      publisherRefusedCanvassing,
      informedAt: null,
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
    if (!oneOf<RelationshipStatus>(RELATIONSHIP_STATUSES, status)) {
      return notOneOf("relationship", status, RELATIONSHIP_STATUSES);
    }
    relationship = { status, since: null, endedAt: null, lastInboundAt: null };
  }

  const department = cells.cell("department") ?? null;
  if (department !== null && !isDepartment(department)) {
    return fail(
      `department: ${JSON.stringify(department)} is not a French department code (01–95, 2A, 2B, 971–978)`,
    );
  }
  const timeZone = cells.cell("time_zone") ?? null;
  if (timeZone !== null && !isValidTimeZone(timeZone)) {
    return fail(`time_zone: ${JSON.stringify(timeZone)} is not an IANA time zone`);
  }
  const location: Location | null =
    department === null && timeZone === null ? null : { country: null, department, timeZone };

  return {
    ok: true,
    contact: { point: normalized.point, others, kind: kind ?? null, origin, relationship, location },
  };
}

/**
 * The facts of one row: what the row declares, with the person's stored evidence (null when no
 * store is consulted), assembled as every door assembles them (src/store/facts-from-evidence.ts).
 */
export function factsOf(c: ScreenCampaign, list: ListContact, stored: Evidence | null): Facts {
  return assembleFacts(c, list, stored);
}
