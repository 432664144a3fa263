// Counting a screening as it goes, and summary.json. Everything in it derives from the inputs
// (no clock, no host): the same inputs give the same bytes, so two runs can be compared with cmp.
import type { Message } from "../../engine/decision.ts";
import type { RuleId } from "../../engine/rule-ids.ts";
import { RULEBOOK_VERSION } from "../../engine/rulebook-coverage.ts";
import { ORIGIN_TYPES } from "../../facts/vocabulary.ts";
import type { Reason, ReasonCode } from "../../i18n/reasons.ts";
import type { EncodingSource, TextEncoding } from "../../io/text/encoding.ts";
import type { ScreenCampaign } from "./campaign.ts";
import type { EvidenceSource } from "./evidence.ts";
import {
  INTERPRETATION_KINDS,
  type Interpretation,
  type InterpretationCounts,
  noInterpretations,
} from "./interpretations.ts";
import type { ListFormat } from "./list.ts";
import type { ListValues } from "./list-values.ts";
import type { OutputFormat } from "./outputs.ts";
import type { Block, RowDecision } from "./row-decision.ts";

/** A rule that blocked rows: how many, and the words of its first block (for the report). */
export interface RuleCount {
  readonly rule: RuleId;
  /** Rows it was the first to block: these add up to the blocked rows. */
  count: number;
  /** Rows it blocked, first or not. */
  involved: number;
  readonly article: string;
  readonly message: Message;
}

export interface Verdicts {
  allowed: number;
  blocked: number;
}

export interface RejectedSample {
  readonly line: number;
  readonly reason: Reason;
  readonly raw: string;
}

/** Rows rejected for one reason code, and the first of them (for the report). */
export interface ReasonCount {
  readonly code: ReasonCode;
  count: number;
  readonly first: Reason;
}

/** Rejected rows the report shows; rejected.csv has them all. */
export const REPORT_REJECTS = 100;
const REPORT_RAW_CHARS = 300;

export class Tally {
  rows = 0;
  allowed = 0;
  blocked = 0;
  rejected = 0;
  /** Rows naming the point or the person of an earlier row (`duplicate_of`). */
  duplicates = 0;
  /** Rows allowed on their own, blocked because another row of the same person is. */
  samePersonBlocked = 0;
  /** Rows blocked only because the window holds no lawful slot. */
  outsideWindow = 0;
  /** With a window: rows decided later than its start, and rows the time rules allow no slot. */
  readonly window = { allowedLater: 0, blockedLater: 0, noSlot: 0 };
  readonly byRule = new Map<RuleId, RuleCount>();
  readonly byOrigin = new Map<string, Verdicts>();
  readonly rejects: RejectedSample[] = [];
  readonly byReason = new Map<ReasonCode, ReasonCount>();
  /** Interpretations of the decided rows' cells, by kind. */
  readonly interpretations: InterpretationCounts = noInterpretations();

  interpreted(notes: readonly Interpretation[]): void {
    for (const n of notes) this.interpretations[n.kind]++;
  }

  allow(origin: string): void {
    this.rows++;
    this.allowed++;
    this.#origin(origin).allowed++;
  }

  block(origin: string, first: Block, others: readonly Block[], outsideWindow: boolean): void {
    this.rows++;
    this.blocked++;
    this.#origin(origin).blocked++;
    if (outsideWindow) this.outsideWindow++;
    const counted = this.#rule(first);
    counted.count++;
    counted.involved++;
    for (const other of others) this.#rule(other).involved++;
  }

  /** Where in the window a row was decided (campaigns with a window). */
  placed(d: RowDecision, by = 1): void {
    if (d.decidedAt === "no_slot") this.window.noSlot += by;
    else if (d.decidedAt === "later")
      this.window[d.verdict === "allow" ? "allowedLater" : "blockedLater"] += by;
  }

  /**
   * Takes back a decided row as the first pass counted it, `windowed` when the campaign has a
   * window: a second pass decides it again and counts it anew (its interpretations stay counted).
   */
  retract(origin: string, d: RowDecision, windowed: boolean): void {
    this.rows--;
    if (windowed) this.placed(d, -1);
    if (d.verdict === "allow") {
      this.allowed--;
      this.#origin(origin).allowed--;
      return;
    }
    this.blocked--;
    this.#origin(origin).blocked--;
    if (d.outsideWindow) this.outsideWindow--;
    const counted = this.#rule(d.first);
    counted.count--;
    counted.involved--;
    for (const other of d.others) this.#rule(other).involved--;
  }

  #rule(b: Block): RuleCount {
    let counted = this.byRule.get(b.rule);
    if (counted === undefined) {
      counted = { rule: b.rule, count: 0, involved: 0, article: b.article, message: b.message };
      this.byRule.set(b.rule, counted);
    }
    return counted;
  }

  reject(line: number, reason: Reason, raw: string): void {
    this.rows++;
    this.rejected++;
    const counted = this.byReason.get(reason.code);
    if (counted === undefined) this.byReason.set(reason.code, { code: reason.code, count: 1, first: reason });
    else counted.count++;
    if (this.rejects.length < REPORT_REJECTS) {
      const cut = raw.length > REPORT_RAW_CHARS ? `${raw.slice(0, REPORT_RAW_CHARS)}…` : raw;
      this.rejects.push({ line, reason, raw: cut });
    }
  }

  /** Reason codes by rows rejected, most first; ties by code, so the order never depends on the input's. */
  reasons(): ReasonCount[] {
    return [...this.byReason.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
  }

  #origin(origin: string): Verdicts {
    let v = this.byOrigin.get(origin);
    if (v === undefined) {
      v = { allowed: 0, blocked: 0 };
      this.byOrigin.set(origin, v);
    }
    return v;
  }

  /**
   * Rules by rows blocked first, then by rows blocked at all, most first; ties by rule id, so the
   * order never depends on the input's.
   */
  rules(): RuleCount[] {
    // A rule whose rows a second pass all took back (retract) blocked none.
    return [...this.byRule.values()]
      .filter((r) => r.involved > 0)
      .sort((a, b) => b.count - a.count || b.involved - a.involved || (a.rule < b.rule ? -1 : 1));
  }

  /** Origins in the vocabulary's order, then rows that gave none. */
  origins(): [string, Verdicts][] {
    const order = [...ORIGIN_TYPES, UNKNOWN_ORIGIN] as readonly string[];
    return [...this.byOrigin.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
  }
}

/** The origin of a row neither the list nor the store gave one for. */
export const UNKNOWN_ORIGIN = "unknown";

export interface InputFile {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** The list file, and how its bytes were read. */
export interface ListFile extends InputFile {
  readonly format: ListFormat;
  /** UTF-8 for JSON Lines; for CSV, by its byte-order mark, by its bytes, or by `--encoding`. */
  readonly encoding: TextEncoding;
  readonly encodingFrom: EncodingSource;
  /** The sheet read, for an Excel workbook; null otherwise. */
  readonly sheet: string | null;
}

export interface ScreenSummary {
  readonly in: number;
  readonly allowed: number;
  readonly blocked: number;
  readonly rejected: number;
  readonly byRule: Readonly<Record<string, number>>;
  /** Rejected rows by reason code (src/i18n/reasons.ts); rejected.csv has each row's words. */
  readonly byReason: Readonly<Record<string, number>>;
  readonly byOrigin: Readonly<Record<string, Verdicts>>;
  readonly byChannel: Readonly<Record<string, Verdicts>>;
  /** Blocked rows whose window held no lawful slot (counted under their time rule in byRule). */
  readonly outsideWindow: number;
  readonly duplicates: {
    /** Rows naming the point (in any spelling) or the person of an earlier row: `duplicate_of`. */
    readonly rows: number;
    /** Rows allowed on their own, blocked because another row of the same person is blocked. */
    readonly blockedWithTheirPerson: number;
  };
  /** How the window was screened; null for a campaign at one instant. */
  readonly window: WindowCounts | null;
  readonly rulebook: string;
  readonly campaign: { readonly controller: string; readonly channel: string } & ScreenCampaign["when"];
  readonly inputs: {
    readonly list: ListFile;
    readonly campaign: InputFile;
  };
  /** The CSV outputs' dialect, and whether workbook copies were written. */
  readonly outputs: OutputFormat;
  /** `sqlite:<file>`, `postgres`, or `none`: screened on the list's columns alone. */
  readonly evidence: string;
  /** The head of the evidence log that was read: which state of the store decided. */
  readonly evidenceLog: EvidenceSource["head"];
  /**
   * That head signed (src/services/heads.ts), as of the instant its last event was recorded, not
   * of the screening: a signature depends on its key and statement alone (Ed25519), so the summary
   * stays the same bytes for the same inputs. Null without a signing key or stored evidence.
   */
  readonly signedHead: EvidenceSource["signedHead"];
  /** Recognised columns read from columns of other names (`--map`, or their French names). */
  readonly columns: Readonly<Record<string, string>>;
  /**
   * Cells of the decided rows read otherwise than as written, by kind (interpretations.ts); each
   * row lists its own in `interpreted`. `needsReview` rows are blocked (docs/readings.md).
   */
  readonly interpretations: Readonly<InterpretationCounts>;
  /**
   * What was said once for the whole list: `--set` values by column, and `--map-values` words
   * (as compared: folded) by column — so the summary says on what the interpretations rest.
   */
  readonly listValues: {
    readonly set: Readonly<Record<string, string>>;
    readonly mapped: Readonly<Record<string, Readonly<Record<string, string>>>>;
  };
}

/**
 * Each row is decided at the first instant of the window at which no time rule (hours, holidays,
 * frequency, pause) blocks; time rules are counted only for rows they block throughout.
 */
export interface WindowCounts {
  /** Allowed rows: each has its slot in the window (`next_slot`). */
  readonly allowedWithSlot: number;
  /** Of which the slot is after the window's start: time rules blocked there. */
  readonly allowedLater: number;
  /** Blocked by other rules at their first slot after the window's start; time rules not counted. */
  readonly blockedLater: number;
  /** Blocked rows the time rules allow no slot in the window: counted under them too. */
  readonly noSlot: number;
  /** Of which blocked by time rules alone (= outsideWindow). */
  readonly outsideWindow: number;
}

export interface SummaryInputs {
  readonly campaign: ScreenCampaign;
  readonly list: ListFile;
  readonly campaignFile: InputFile;
  readonly evidence: EvidenceSource | null;
  readonly columns: Readonly<Record<string, string>>;
  readonly values: ListValues;
  readonly outputs: OutputFormat;
}

/** The summary; throws if the counts do not reconcile (a bug, never to be written as a result). */
export function summarize(t: Tally, i: SummaryInputs): ScreenSummary {
  const ruleTotal = [...t.byRule.values()].reduce((n, r) => n + r.count, 0);
  const originTotal = [...t.byOrigin.values()].reduce((n, o) => n + o.allowed + o.blocked, 0);
  const reasonTotal = [...t.byReason.values()].reduce((n, r) => n + r.count, 0);
  if (
    t.rows !== t.allowed + t.blocked + t.rejected ||
    ruleTotal !== t.blocked ||
    reasonTotal !== t.rejected ||
    originTotal !== t.rows - t.rejected
  ) {
    throw new Error(
      `screen: counts do not reconcile (in ${t.rows}, allowed ${t.allowed}, blocked ${t.blocked}, rejected ${t.rejected}, by rule ${ruleTotal}, by reason ${reasonTotal}, by origin ${originTotal})`,
    );
  }
  const { campaign } = i.campaign;
  return {
    in: t.rows,
    allowed: t.allowed,
    blocked: t.blocked,
    rejected: t.rejected,
    byRule: Object.fromEntries(t.rules().flatMap((r) => (r.count > 0 ? [[r.rule, r.count]] : []))),
    byReason: Object.fromEntries(t.reasons().map((r) => [r.code, r.count])),
    byOrigin: Object.fromEntries(t.origins()),
    byChannel: { [campaign.channel]: { allowed: t.allowed, blocked: t.blocked } },
    outsideWindow: t.outsideWindow,
    duplicates: { rows: t.duplicates, blockedWithTheirPerson: t.samePersonBlocked },
    window:
      i.campaign.window === null
        ? null
        : { allowedWithSlot: t.allowed, ...t.window, outsideWindow: t.outsideWindow },
    rulebook: RULEBOOK_VERSION,
    campaign: { controller: campaign.controller, channel: campaign.channel, ...i.campaign.when },
    inputs: { list: i.list, campaign: i.campaignFile },
    outputs: i.outputs,
    evidence: i.evidence?.label ?? "none",
    evidenceLog: i.evidence?.head ?? null,
    signedHead: i.evidence?.signedHead ?? null,
    columns: i.columns,
    interpretations: Object.fromEntries(
      INTERPRETATION_KINDS.map((k) => [k, t.interpretations[k]]),
    ) as InterpretationCounts,
    listValues: {
      set: { ...i.values.set },
      mapped: Object.fromEntries(
        Object.entries(i.values.maps).map(([c, words]) => [c, Object.fromEntries(words ?? [])]),
      ),
    },
  };
}
