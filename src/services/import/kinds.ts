// The import kinds of docs/contract.md §3: their columns, and the events one row records.

import { isIP } from "node:net";
import type { NewEvent } from "../../evidence/events.ts";
import { refusesCanvassing } from "../../facts/refusal.ts";
import {
  ACCOUNT_ONLY,
  checkDepartment,
  checkTimeZone,
  checkTransfers,
  THIRD_PARTY_ONLY,
} from "../../facts/values.ts";
import {
  CHANNELS,
  COLLECTORS,
  CONSENT_METHODS,
  CONSENT_SCOPES,
  KINDS,
  OBJECTION_VIAS,
  ORIGIN_TYPES,
  OUTCOMES,
  otherPointOf,
  RELATIONSHIP_STATUSES,
  SECTORS,
  SENDER_NAMINGS,
} from "../../facts/vocabulary.ts";
import {
  consentEvent,
  contactEvent,
  objectionEvent,
  type Recording,
  sourceEvent,
  withdrawalEvent,
} from "../record.ts";
import type { Subject } from "../session.ts";
import { CellError, type Row } from "./columns.ts";

/** An objection's channel: one channel, or every one. */
const OBJECTION_CHANNELS = [...CHANNELS, "all"] as const;

export const IMPORT_KINDS = ["contacts", "consents", "objections", "bloctel", "history"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface KindSpec {
  /** Columns naming the contact point; a row names at least one (both = two points). */
  readonly points: readonly ("phone" | "email")[];
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

export const KIND_SPECS: Readonly<Record<ImportKind, KindSpec>> = {
  contacts: {
    points: ["phone", "email"],
    required: ["kind", "origin"],
    optional: [
      "controller",
      "collected_at",
      "source_url",
      "sender_named",
      "opt_out_offered",
      "publisher_refused",
      "informed_at",
      "relationship",
      "customer_since",
      "customer_until",
      "last_inbound_at",
      "department",
      "time_zone",
      "obtained_at",
      "transfers",
      "free_account_of_paid_model",
    ],
  },
  consents: {
    points: ["phone", "email"],
    required: ["controller", "channel", "given_at", "method"],
    optional: [
      "withdrawn_at",
      "scope",
      "wording_version",
      "wording_sha256",
      "collection_point",
      "ip",
      "user_agent",
      "proof_ref",
      "proof",
      "collected_by",
      "named_how",
    ],
  },
  objections: { points: ["phone", "email"], required: ["at"], optional: ["controller", "channel", "via"] },
  bloctel: { points: ["phone"], required: [], optional: ["registered", "registered_at", "effective_at"] },
  history: {
    points: ["phone", "email"],
    required: ["controller", "channel", "at", "outcome"],
    optional: ["advertiser", "sector"],
  },
};

/**
 * `obtained_at` and `transfers`: when and through how many hands a partner's or broker's data
 * reached the controller. Absent from the event when empty, so older sources keep their ids.
 */
function passedOn(row: Row, collectedAt: number | null): { obtainedAt?: number; transfers?: number } {
  const obtainedAt = row.date("obtained_at", "event");
  const text = row.text("transfers");
  const origin = row.text("origin");
  const thirdParty = origin === "partner" || origin === "broker";
  if (obtainedAt !== undefined && !thirdParty) throw new CellError("obtained_at", THIRD_PARTY_ONLY);
  if (text !== undefined && !thirdParty) throw new CellError("transfers", THIRD_PARTY_ONLY);
  if (obtainedAt !== undefined && collectedAt !== null && obtainedAt < collectedAt) {
    throw new CellError("obtained_at", "before collected_at");
  }
  const transfers = row.checked("transfers", checkTransfers);
  return {
    ...(obtainedAt === undefined ? {} : { obtainedAt }),
    ...(transfers === undefined ? {} : { transfers }),
  };
}

/** `free_account_of_paid_model`: asked only of an account without a sale (CJEU C-654/23). */
function freeAccount(
  row: Row,
  relationship: (typeof RELATIONSHIP_STATUSES)[number] | null,
): { freeAccountOfPaidModel?: boolean } {
  const paid = row.bool("free_account_of_paid_model");
  if (paid === undefined) return {};
  if (relationship !== "account_only") {
    throw new CellError("free_account_of_paid_model", ACCOUNT_ONLY);
  }
  return { freeAccountOfPaidModel: paid };
}

/** The person's IP address when they consented: an IPv4 or IPv6 address — a cell there counts as proof. */
function ipOf(row: Row): string | undefined {
  const ip = row.text("ip");
  if (ip !== undefined && isIP(ip) === 0) throw new CellError("ip", "not an IP address (IPv4 or IPv6)");
  return ip;
}

/** `publisher_refused`: true/false/oui/non, or the ad's own words ("pas de démarchage"). */
function refusal(row: Row): boolean | null {
  const text = row.prose("publisher_refused");
  return text === undefined ? null : refusesCanvassing(text);
}

const department = (row: Row): string | null => row.checked("department", checkDepartment) ?? null;
const timeZone = (row: Row): string | null => row.checked("time_zone", checkTimeZone) ?? null;

/**
 * Whether a consent row carries evidence: a proof reference, the wording's hash, where it was
 * collected, or the person's IP or browser. Absent evidence counts as absent (no proof); an
 * explicit `proof` column says so directly.
 */
function hasProof(row: Row): boolean {
  const explicit = row.bool("proof");
  if (explicit !== undefined) return explicit;
  return ["proof_ref", "wording_sha256", "collection_point", "ip", "user_agent"].some(
    (c) => row.text(c) !== undefined,
  );
}

/**
 * The points of a row a consent is recorded for: those its channel reaches — an SMS consent on a
 * row giving a phone number and an e-mail address is the phone's (the row still links the two as
 * one person). A row none of whose points the channel reaches is refused, naming `channel`: a
 * consent to e-mails on a row with a phone number alone is a column mixed up, not evidence.
 */
export function consentPoints(row: Row, subjects: readonly Subject[]): readonly Subject[] {
  const channel = row.oneOf("channel", CHANNELS);
  if (channel === undefined) return subjects;
  const reached = subjects.filter((s) => otherPointOf(channel, s.point.type) === null);
  if (reached.length > 0) return reached;
  const needed = otherPointOf(channel, (subjects[0] as Subject).point.type) as string;
  throw new CellError("channel", `${channel} reaches a ${needed} point, and the row gives none`);
}

/** The events one row records for one of its points (bloctel rows are handled apart). */
export function rowEvents(kind: Exclude<ImportKind, "bloctel">, row: Row, r: Recording): NewEvent[] {
  switch (kind) {
    case "contacts": {
      const collectedAt = row.date("collected_at", "event") ?? null;
      const relationship = row.oneOf("relationship", RELATIONSHIP_STATUSES) ?? null;
      return [
        sourceEvent(
          r,
          {
            kind: row.oneOf("kind", KINDS) ?? "consumer",
            originType: row.oneOf("origin", ORIGIN_TYPES) ?? "direct",
            collectedAt,
            senderNamed: row.bool("sender_named") ?? null,
            optOutOffered: row.bool("opt_out_offered") ?? null,
            publisherRefused: refusal(row),
            informedAt: row.date("informed_at", "event") ?? null,
            relationship,
            customerSince: row.date("customer_since", "relationship-start") ?? null,
            customerUntil: row.date("customer_until", "relationship-end") ?? null,
            lastInboundAt: row.date("last_inbound_at", "event") ?? null,
            department: department(row),
            timeZone: timeZone(row),
            ...passedOn(row, collectedAt),
            ...freeAccount(row, relationship),
          },
          row.text("source_url") ?? null,
        ),
      ];
    }
    case "consents": {
      const channel = row.oneOf("channel", CHANNELS);
      const givenAt = row.date("given_at", "event");
      if (channel === undefined || givenAt === undefined) throw new CellError("given_at", "required");
      const sha = row.text("wording_sha256");
      if (sha !== undefined && !/^[0-9a-f]{64}$/i.test(sha)) {
        throw new CellError("wording_sha256", "expected 64 hexadecimal digits");
      }
      const withdrawnAt = row.date("withdrawn_at", "event");
      if (withdrawnAt !== undefined && withdrawnAt < givenAt) {
        throw new CellError("withdrawn_at", "before given_at");
      }
      const collectedBy = row.oneOf("collected_by", COLLECTORS);
      const namedHow = row.oneOf("named_how", SENDER_NAMINGS);
      if (namedHow !== undefined && collectedBy !== "partner" && collectedBy !== "broker") {
        throw new CellError(
          "named_how",
          'only for a consent collected by a partner or broker (collected_by "partner" or "broker")',
        );
      }
      const proofRec: Recording = {
        ...r,
        proof: {
          ...r.proof,
          ...optional("collectionPoint", row.text("collection_point")),
          ...optional("wordingVersion", row.text("wording_version")),
          ...optional("wordingSha256", sha?.toLowerCase()),
          ...optional("proofRef", row.text("proof_ref")),
        },
      };
      const events = [
        consentEvent(proofRec, {
          channel,
          givenAt,
          method: row.oneOf("method", CONSENT_METHODS) ?? null,
          scope: row.oneOf("scope", CONSENT_SCOPES) ?? "standard",
          proof: hasProof(row),
          ip: ipOf(row),
          userAgent: row.text("user_agent"),
          collectedBy,
          namedHow,
        }),
      ];
      if (withdrawnAt !== undefined) events.push(withdrawalEvent(r, channel, withdrawnAt));
      return events;
    }
    case "objections": {
      const channel = row.oneOf("channel", OBJECTION_CHANNELS) ?? "all";
      return [
        objectionEvent(
          r,
          channel,
          row.oneOf("via", OBJECTION_VIAS) ?? null,
          row.date("at", "event") as number,
        ),
      ];
    }
    case "history":
      return [
        contactEvent(
          r,
          row.oneOf("channel", CHANNELS) as (typeof CHANNELS)[number],
          row.oneOf("outcome", OUTCOMES) as (typeof OUTCOMES)[number],
          row.date("at", "event") as number,
          { advertiser: row.name("advertiser"), sector: row.oneOf("sector", SECTORS) },
        ),
      ];
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: string });
}
