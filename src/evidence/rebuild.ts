// The folded state rebuilt from a tenant's log, in memory, for the audit to compare with the
// tables the store holds. Pure: events go in in seq order, as the adapters applied them, and each
// table comes out in key order. The semantics are the adapters' (sqlite-store.ts, row-kinds.ts):
// the projection ops of projection.ts, the erasure rules of append-plan.ts, withdrawals kept apart
// and folded at the earliest one on or after a consent, the MERGE rules of schema.ts, links in
// both directions, a point erased since its earliest erasure.
//
// Memory: one entry per state row (about what the tables hold, keys and values as JS values), so
// linear in the tenant's events.

import { UNKNOWN_ADVERTISER } from "../facts/types.ts";
import { type Cell, compareKeys, type StateTableName } from "../store/state-tables.ts";
import type { StoredEvent } from "./events.ts";
import { addsPersonalData, fold } from "./projection.ts";

/** A row the log gives, with the last event that made or changed it. */
export interface RebuiltRow {
  readonly key: readonly Cell[];
  values: Cell[];
  seq: number;
}

type Table = Map<string, RebuiltRow>;

/** Map key of a row key: JSON, so that no free-text controller can pass for another column. */
const id = (key: readonly Cell[]): string => JSON.stringify(key);

/**
 * CONSENT_MERGE's method: the same, else one that never makes a valid consent if either is
 * (terms acceptance, then a pre-ticked box), else unknown.
 */
function mergedMethod(a: Cell, b: Cell): Cell {
  if (a !== null && a === b) return a;
  for (const weak of ["terms_acceptance", "pre_ticked_checkbox"]) if (a === weak || b === weak) return weak;
  return null;
}

/** CONSENT_MERGE's collector: the same, else a broker's, else a partner's, else unrecorded. */
function mergedCollector(a: Cell, b: Cell): Cell {
  if (a === b) return a;
  return a === "broker" || b === "broker" ? "broker" : a === "partner" || b === "partner" ? "partner" : null;
}

/** CONSENT_MERGE's naming: the first of not_named, unrecorded, listed_with_link, named. */
function mergedNaming(a: Cell, b: Cell): Cell {
  if (a === "not_named" || b === "not_named") return "not_named";
  if (a === null || b === null) return null;
  return a === "listed_with_link" || b === "listed_with_link" ? "listed_with_link" : "named";
}

/** The outcome that restricts most, as CONTACT_MERGE ranks them; otherwise the later one. */
const RESTRICTIVE = ["objected", "declined_to_continue", "no_interest", "refused_offer", "answered"];

export class StateRebuild {
  private readonly tables = new Map<StateTableName, Table>();
  /** Consents and withdrawals of one (point, controller, channel): what a withdrawal ends. */
  private readonly consentGroups = new Map<string, Set<RebuiltRow>>();
  private readonly withdrawalGroups = new Map<string, number[]>();
  /** Sources, consents and callback requests of each point: what its erasure deletes. */
  private readonly erasable = new Map<
    string,
    { table: "sources" | "consents" | "callback_requests"; row: RebuiltRow }[]
  >();

  private table(name: StateTableName): Table {
    let t = this.tables.get(name);
    if (t === undefined) {
      t = new Map();
      this.tables.set(name, t);
    }
    return t;
  }

  private get(name: StateTableName, key: readonly Cell[]): RebuiltRow | undefined {
    return this.table(name).get(id(key));
  }

  private put(name: StateTableName, key: readonly Cell[], values: Cell[], seq: number): RebuiltRow {
    const row = { key, values, seq };
    this.table(name).set(id(key), row);
    return row;
  }

  /** Inserts the row unless its key is held (INSERT OR IGNORE / ON CONFLICT DO NOTHING). */
  private keep(name: StateTableName, key: readonly Cell[], values: Cell[], seq: number): RebuiltRow {
    return this.get(name, key) ?? this.put(name, key, values, seq);
  }

  private erasedAt(pointKey: string): number | null {
    return (this.get("points", [pointKey])?.values[2] as number | null | undefined) ?? null;
  }

  /** Folds the next event of the log (in seq order). */
  add(e: StoredEvent): void {
    const k = e.pointKey;
    // Append-plan's rules, so the rebuild holds what the adapters would have: once a point is
    // erased, sources and consents for it are refused and nothing personal comes back.
    const erased = this.erasedAt(k) !== null;
    if (erased && addsPersonalData(e)) return;
    for (const op of fold(erased ? { ...e, pii: null } : e)) {
      switch (op.op) {
        case "point": {
          // A point keeps its first value (append-plan.ts piiBeside).
          this.keep("points", [k], [op.pointType, op.value, null], e.seq);
          break;
        }
        case "source": {
          const s = op.source;
          const row = this.keep(
            "sources",
            [k, e.controller, e.seq],
            [
              s.kind,
              s.originType,
              s.collectedAt,
              s.senderNamed,
              s.optOutOffered,
              s.publisherRefused,
              s.informedAt,
              s.relationship,
              s.customerSince,
              s.customerUntil,
              s.lastInboundAt,
              s.department,
              s.timeZone,
              op.sourceUrl,
              s.obtainedAt ?? null,
              s.transfers ?? null,
              s.freeAccountOfPaidModel ?? null,
            ],
            e.seq,
          );
          this.erasableOf(k).push({ table: "sources", row });
          break;
        }
        case "consent": {
          const c = op.consent;
          const group = id([k, e.controller, c.channel]);
          const row = this.get("consents", [k, e.controller, c.channel, e.occurredAt]);
          if (row !== undefined) {
            // CONSENT_MERGE: what both records agree on, else the weaker reading.
            const [method, scope, proof, , collectedBy, namedHow] = row.values;
            row.values[0] = mergedMethod(method as Cell, c.method);
            row.values[1] = scope === c.scope ? scope : "standard";
            row.values[2] = proof === true && c.proof;
            row.values[4] = mergedCollector(collectedBy as Cell, c.collectedBy ?? null);
            row.values[5] = mergedNaming(namedHow as Cell, c.namedHow ?? null);
            row.seq = e.seq;
            break;
          }
          let withdrawnAt: number | null = null;
          for (const at of this.withdrawalGroups.get(group) ?? []) {
            if (at >= e.occurredAt && (withdrawnAt === null || at < withdrawnAt)) withdrawnAt = at;
          }
          const added = this.put(
            "consents",
            [k, e.controller, c.channel, e.occurredAt],
            [c.method, c.scope, c.proof, withdrawnAt, c.collectedBy ?? null, c.namedHow ?? null],
            e.seq,
          );
          const rows = this.consentGroups.get(group) ?? new Set();
          rows.add(added);
          this.consentGroups.set(group, rows);
          this.erasableOf(k).push({ table: "consents", row: added });
          break;
        }
        case "withdraw": {
          const group = id([k, e.controller, op.channel]);
          const at = e.occurredAt;
          if (this.get("withdrawals", [k, e.controller, op.channel, at]) === undefined) {
            this.put("withdrawals", [k, e.controller, op.channel, at], [], e.seq);
            const list = this.withdrawalGroups.get(group) ?? [];
            list.push(at);
            this.withdrawalGroups.set(group, list);
          }
          for (const row of this.consentGroups.get(group) ?? []) {
            const withdrawnAt = row.values[3] as number | null;
            if ((row.key[3] as number) <= at && (withdrawnAt === null || withdrawnAt > at)) {
              row.values[3] = at;
              row.seq = e.seq;
            }
          }
          break;
        }
        case "objection": {
          const row = this.get("objections", [k, e.controller, op.channel, e.occurredAt]);
          if (row === undefined)
            this.put("objections", [k, e.controller, op.channel, e.occurredAt], [op.via], e.seq);
          else {
            // OBJECTION_MERGE: two records that disagree on how leave it unknown.
            row.values[0] = row.values[0] !== null && row.values[0] === op.via ? op.via : null;
            row.seq = e.seq;
          }
          break;
        }
        case "contact": {
          const row = this.get("contacts_made", [k, e.controller, op.channel, e.occurredAt]);
          if (row === undefined)
            this.put(
              "contacts_made",
              [k, e.controller, op.channel, e.occurredAt],
              [op.outcome, op.advertiser, op.sector],
              e.seq,
            );
          else {
            // CONTACT_MERGE: the most restrictive outcome; an advertiser they disagree on is
            // UNKNOWN_ADVERTISER, a sector unknown.
            const both = [row.values[0], op.outcome];
            row.values[0] = RESTRICTIVE.find((o) => both.includes(o)) ?? op.outcome;
            row.values[1] = row.values[1] === op.advertiser ? op.advertiser : UNKNOWN_ADVERTISER;
            row.values[2] = row.values[2] !== null && row.values[2] === op.sector ? op.sector : null;
            row.seq = e.seq;
          }
          break;
        }
        case "notice":
          this.keep("notices", [k, e.controller, e.occurredAt], [], e.seq);
          break;
        case "callback": {
          const from = op.slot?.from ?? null;
          const to = op.slot?.to ?? null;
          const row = this.get("callback_requests", [k, e.controller, e.occurredAt]);
          if (row === undefined) {
            const added = this.put(
              "callback_requests",
              [k, e.controller, e.occurredAt],
              [from, to, op.subject],
              e.seq,
            );
            this.erasableOf(k).push({ table: "callback_requests", row: added });
            break;
          }
          // CALLBACK_MERGE: the slots intersect; two different subjects leave ''.
          const [heldFrom, heldTo, heldSubject] = row.values as [number | null, number | null, string | null];
          row.values[0] = heldFrom === null ? from : from === null || heldFrom > from ? heldFrom : from;
          row.values[1] = heldTo === null ? to : to === null || heldTo < to ? heldTo : to;
          row.values[2] =
            heldSubject === null
              ? op.subject
              : op.subject === null || op.subject === heldSubject
                ? heldSubject
                : "";
          row.seq = e.seq;
          break;
        }
        case "snapshot":
          this.put("registry_snapshots", [e.seq], [e.occurredAt, op.complete], e.seq);
          // A check with rows has them stored under its seq and its day (their digest is the
          // chain's to check); one with none has none.
          if (e.data.type === "registry.snapshot" && e.data.rows > 0)
            this.put("registry_entries", [e.seq, e.occurredAt], [], e.seq);
          break;
        case "erase": {
          const row = this.get("points", [k]);
          if (row === undefined) this.put("points", [k], [op.pointType, null, e.occurredAt], e.seq);
          else {
            const before = row.values[2] as number | null;
            row.values[1] = null;
            row.values[2] = before === null ? e.occurredAt : Math.min(before, e.occurredAt);
            row.seq = e.seq;
          }
          for (const { table, row: held } of this.erasable.get(k) ?? []) {
            this.table(table).delete(id(held.key));
            if (table === "consents") this.consentGroups.get(id(held.key.slice(0, 3)))?.delete(held);
          }
          this.erasable.delete(k);
          break;
        }
        case "link":
          this.keep("subject_links", [k, op.other], [], e.seq);
          this.keep("subject_links", [op.other, k], [], e.seq);
          break;
      }
    }
  }

  private erasableOf(
    pointKey: string,
  ): { table: "sources" | "consents" | "callback_requests"; row: RebuiltRow }[] {
    let list = this.erasable.get(pointKey);
    if (list === undefined) {
      list = [];
      this.erasable.set(pointKey, list);
    }
    return list;
  }

  /** The rows of a table in key order (the order Store.stateRows reads them in). */
  rows(name: StateTableName): RebuiltRow[] {
    return [...(this.tables.get(name)?.values() ?? [])].sort((a, b) => compareKeys(a.key, b.key));
  }
}
