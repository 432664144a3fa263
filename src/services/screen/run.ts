// `vigie screen LIST`: every row of a contact list decided for one campaign (docs/contract.md §2).
// Rows are read a chunk at a time, their stored evidence looked up a batch at a time, decided, and
// written out in input order; what grows with the list is its persons (persons.ts) and two bits a
// row when a second pass is needed (row-outcomes.ts). Single-threaded: copying rows to worker
// threads and their results back costs half again the CPU of deciding them, and on two cores they
// did not screen faster (measured: docs/scale.md, "Screening at scale"). The counts reconcile or
// nothing is published.
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { RuleId } from "../../engine/rule-ids.ts";
import { type CompiledRule, type CompiledVersion, ruleById, versionAt } from "../../engine/rulebook.ts";
import type { Evidence } from "../../store/store.ts";
import type { CampaignFile } from "./campaign.ts";
import { addedColumns, type ColumnNames, mappedColumns } from "./columns.ts";
import type { EvidenceSource } from "./evidence.ts";
import { FirstPass } from "./first-pass.ts";
import { type Interpretation, interpretedCell } from "./interpretations.ts";
import {
  type ListDialect,
  type ListEvent,
  type ListHeader,
  type ListInputOptions,
  ListReader,
  listFormat,
} from "./list.ts";
import { type ListValues, NO_VALUES } from "./list-values.ts";
import { type CsvFile, type CsvOutput, EXCEL_DIALECT, OutputDir } from "./outputs.ts";
import { ListPersons, type Settled } from "./persons.ts";
import { renderReport } from "./report.ts";
import { RowDecider, type RowDecision } from "./row-decision.ts";
import {
  factsOf,
  type ListContactResult,
  type RowRejected,
  readListContact,
  readListPoints,
  unreadableRow,
} from "./row-facts.ts";
import { ALLOWED, BLOCKED, REJECTED, RowOutcomes } from "./row-outcomes.ts";
import { type ScreenSummary, summarize, Tally, UNKNOWN_ORIGIN } from "./summary.ts";

export interface ScreenRequest {
  readonly list: string;
  readonly campaignFile: string;
  readonly campaign: CampaignFile;
  readonly out: string;
  readonly names: ColumnNames;
  /** How to read the list's bytes (`--encoding`); detected from them when absent. */
  readonly input?: ListInputOptions | undefined;
  /** Values said once for the whole list: `--set`, `--map-values`. */
  readonly values?: ListValues | undefined;
  /** `--excel`: CSV outputs as Excel writes them (UTF-8 with BOM, `;`, CRLF), whatever the list's. */
  readonly excel?: boolean | undefined;
  /** `--xlsx`: allowed.xlsx, blocked.xlsx and rejected.xlsx beside the CSV outputs. */
  readonly xlsx?: boolean | undefined;
  /** The language of blocked.csv's `reason`, and the one report.html shows first. */
  readonly lang: "fr" | "en";
  readonly evidence: EvidenceSource | null;
  /** Aborting stops the run between two chunks and leaves DIR as it was. */
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((bytesRead: number, totalBytes: number, rows: number) => void) | undefined;
  /** Rows whose evidence is looked up together (default 1000); tests vary it. */
  readonly batchRows?: number | undefined;
}

/** Rows whose evidence is looked up together. */
const BATCH = 1000;

/** `duplicate_of`: the line of the first row of the same person, on the rows after it. */
const DUPLICATE_COLUMN = "duplicate_of";
/** `interpreted`: what was read differently from the row's cells (interpretations.ts). */
const INTERPRETED_COLUMN = "interpreted";
/**
 * `other_rules`: the other rules that blocked the row too, space-separated; `needs_review`: the
 * column whose words were not understood and were read on the protective side.
 */
export const BLOCKED_COLUMNS = [
  "rule",
  "reason",
  "article",
  "other_rules",
  DUPLICATE_COLUMN,
  INTERPRETED_COLUMN,
  "needs_review",
] as const;
export const REJECTED_COLUMNS = ["line", "error", "raw"] as const;

/** A row read: its contact, and what was read differently from its cells. */
type ReadContact = Extract<ListContactResult, { ok: true }>;

/**
 * A batch of rows read, its evidence asked for. A second pass reads only the rows of the persons
 * it decides again (`settled[i].changed`) and copies the others' lines (contacts[i] undefined).
 */
interface Prepared {
  readonly events: readonly ListEvent[];
  readonly contacts: readonly (ListContactResult | undefined)[];
  /** Second pass: each decided row's person as the whole list knows it. */
  readonly settled: readonly (Settled | undefined)[];
  readonly stored: Promise<Evidence[]> | null;
}

interface Sinks {
  readonly allowed: CsvFile;
  readonly blocked: CsvFile;
  readonly rejected: CsvFile;
}

/** The output each outcome's lines go to. */
const SINK = { [REJECTED]: "rejected", [ALLOWED]: "allowed", [BLOCKED]: "blocked" } as const;

/**
 * Screens the list. Rows of one person (the same point in any spelling, or a shared point) must
 * get one verdict: when the first pass leaves a person both allowed and blocked (or two persons
 * joined by a later row), the list is read a second time knowing every person whole. That pass
 * decides again only the rows of those persons, and copies every other line from the first
 * pass's outputs: the bytes a whole second screening would write, for little more than a read.
 */
export async function screenList(req: ScreenRequest): Promise<ScreenSummary> {
  const persons = new ListPersons();
  const outputs = await OutputDir.create(req.out);
  const tally = new Tally();
  const outcomes = new RowOutcomes();
  try {
    let last = await pass(req, outputs, tally, persons, outcomes);
    if (persons.unsettled) {
      const aside = await outputs.setAside();
      const first = await FirstPass.open(
        outcomes,
        {
          [REJECTED]: aside["rejected.csv"],
          [ALLOWED]: aside["allowed.csv"],
          [BLOCKED]: aside["blocked.csv"],
        },
        last.dialect,
      );
      try {
        last = await pass(req, outputs, tally, persons, first);
      } finally {
        await first.close();
      }
      await outputs.dropAside();
    }
    const summary = await last.finish();
    await outputs.publish();
    return summary;
  } catch (e) {
    await outputs.discard();
    throw e;
  }
}

/**
 * One pass over the list into the partial output directory, its CSV outputs closed. The first
 * pass notes where each row went (`outcomes`); the second reads that, and the first pass's lines.
 */
async function pass(
  req: ScreenRequest,
  outputs: OutputDir,
  tally: Tally,
  persons: ListPersons,
  first: RowOutcomes | FirstPass,
): Promise<Screening> {
  const format = await listFormat(req.list);
  const { size } = await stat(req.list);
  let rows = 0;
  const reader = new ListReader(
    req.list,
    format,
    req.names,
    req.campaign.value.pointType,
    (bytes) => req.onProgress?.(bytes, size, rows),
    req.input,
  );
  const run = new Screening(req, reader, outputs, tally, persons, first);
  try {
    for await (const events of reader.events()) {
      // Every batch of the chunk is looked up before the first is decided: lookups on a thread or
      // a connection pool of their own proceed meanwhile.
      const batches: Prepared[] = [];
      const n = req.batchRows ?? BATCH;
      for (let i = 0; i < events.length; i += n) batches.push(run.prepare(events.slice(i, i + n)));
      for (const b of batches) await run.batch(b);
      rows += events.length;
      await run.flush();
      req.signal?.throwIfAborted();
    }
    await run.close();
    return run;
  } catch (e) {
    await run.abandon();
    throw e;
  }
}

class Screening {
  readonly #req: ScreenRequest;
  readonly #reader: ListReader;
  readonly #outputs: OutputDir;
  readonly #tally: Tally;
  readonly #persons: ListPersons;
  readonly #rows: RowDecider;
  /** First pass: where each row goes is noted here. */
  readonly #outcomes: RowOutcomes | null;
  /** Second pass: every person is known whole, and the first pass's lines are read back. */
  readonly #first: FirstPass | null;
  /** Rows (headers aside) decided, and prepared, so far: indices into the outcomes. */
  #row = 0;
  #prepared = 0;
  #sinks: Sinks | undefined;
  /** The CSV outputs' dialect, once they are open. */
  #dialect: ListDialect | undefined;

  constructor(
    req: ScreenRequest,
    reader: ListReader,
    outputs: OutputDir,
    tally: Tally,
    persons: ListPersons,
    first: RowOutcomes | FirstPass,
  ) {
    this.#req = req;
    this.#reader = reader;
    this.#outputs = outputs;
    this.#tally = tally;
    this.#persons = persons;
    this.#outcomes = first instanceof RowOutcomes ? first : null;
    this.#first = first instanceof FirstPass ? first : null;
    // The second pass counts every row's `duplicate_of` again: joined persons change some.
    if (this.#first !== null) tally.duplicates = 0;
    this.#rows = new RowDecider(req.campaign.value);
  }

  /** The CSV outputs' dialect; settled once the outputs are open. */
  get dialect(): ListDialect {
    return this.#dialect as ListDialect;
  }

  /**
   * Opens the outputs in the list's dialect, or Excel's (`--excel`), and writes their headers (the
   * list may have none).
   */
  async #open(header: ListHeader | null): Promise<Sinks> {
    const dialect = this.#req.excel === true ? EXCEL_DIALECT : this.#reader.dialect;
    this.#dialect = dialect;
    const sinks: Sinks = {
      allowed: await this.#outputs.csv("allowed.csv", dialect),
      blocked: await this.#outputs.csv("blocked.csv", dialect),
      rejected: await this.#outputs.csv("rejected.csv", dialect),
    };
    this.#sinks = sinks;
    const allowedExtra =
      this.#req.campaign.value.window === null
        ? [DUPLICATE_COLUMN, INTERPRETED_COLUMN]
        : ["next_slot", DUPLICATE_COLUMN, INTERPRETED_COLUMN];
    if (header !== null && header.names.length > 0) {
      header.write(sinks.allowed.writer, addedColumns(header.names, allowedExtra));
      header.write(sinks.blocked.writer, addedColumns(header.names, BLOCKED_COLUMNS));
    } else {
      if (allowedExtra.length > 0) sinks.allowed.writer.row(allowedExtra);
      sinks.blocked.writer.row(BLOCKED_COLUMNS);
    }
    sinks.rejected.writer.row(REJECTED_COLUMNS);
    return sinks;
  }

  /**
   * Reads every row of a batch — on a second pass, those it decides again — and asks for their
   * evidence at once.
   */
  prepare(events: readonly ListEvent[]): Prepared {
    const { campaign, evidence } = this.#req;
    const c = campaign.value;
    const earlier = this.#first;
    const settled: (Settled | undefined)[] = [];
    const contacts = events.map((e, i) => {
      if (e.kind === "header") return undefined;
      if (earlier === null) return e.kind === "row" ? readListContact(e, c, this.#req.values) : undefined;
      if (earlier.outcomes.at(this.#prepared++) === REJECTED || e.kind !== "row") return undefined;
      const points = readListPoints(e, c.pointType);
      if (!points.ok) throw new Error(`screen: line ${e.line} read otherwise by the second pass`);
      const person = this.#persons.settled(points.value, e.line);
      settled[i] = person;
      if (!person.changed) return undefined;
      const read = readListContact(e, c, this.#req.values);
      if (!read.ok) throw new Error(`screen: line ${e.line} read otherwise by the second pass`);
      return read;
    });
    const found = contacts.filter((x): x is ReadContact => x?.ok === true);
    const stored =
      evidence === null || found.length === 0
        ? null
        : evidence.evidence(found.map(({ contact: x }) => [x.point, ...x.others]));
    // Awaited in turn by batch(); a failure before its turn is not an unhandled rejection.
    stored?.catch(() => {});
    return { events, contacts, settled, stored };
  }

  async batch({ events, contacts, settled, stored: pending }: Prepared): Promise<void> {
    const { campaign, lang } = this.#req;
    const c = campaign.value;
    const stored = pending === null ? null : await pending;
    let k = 0;
    const tally = this.#tally;
    const earlier = this.#first;
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as ListEvent;
      if (e.kind === "header") {
        await this.#open(e);
        continue;
      }
      const sinks = this.#sinks ?? (await this.#open(null));
      const outcome = earlier?.outcomes.at(this.#row);
      this.#row++;
      const read = contacts[i];
      const person = settled[i];
      if (earlier !== null && outcome !== undefined && read === undefined) {
        // A rejected row, or a row of a person the first pass decided whole: its line as it was.
        if (person !== undefined && person.duplicateOf !== null) tally.duplicates++;
        sinks[SINK[outcome]].writer.again(earlier.lineAtHand(outcome) ?? (await earlier.line(outcome)));
        continue;
      }
      if (e.kind === "error" || read?.ok !== true) {
        const { error, reason } = e.kind === "error" ? unreadableRow(e.reason) : (read as RowRejected);
        const raw = e.kind === "error" ? e.raw : e.raw();
        tally.reject(e.line, reason, raw);
        sinks.rejected.writer.row([String(e.line), error, raw]);
        this.#outcomes?.push(REJECTED);
        continue;
      }
      const { contact, interpreted } = read;
      const facts = factsOf(c, contact, stored === null ? null : (stored[k++] ?? null));
      const review = interpreted.find((n) => n.kind === "needsReview");
      const origin = facts.contact.origin?.type ?? UNKNOWN_ORIGIN;
      let d = this.#rows.decide(facts);
      if (review !== undefined && facts.contact.objections.length === 0) d = toReview(d, review);
      let duplicateOf: number | null;
      if (earlier !== null && outcome !== undefined && person !== undefined) {
        // Decided again: the first pass's line goes, and its counts with it.
        await earlier.line(outcome);
        if ((d.verdict === "allow" ? ALLOWED : BLOCKED) !== outcome) {
          throw new Error(`screen: line ${e.line} decided otherwise by the second pass (the store changed)`);
        }
        tally.retract(origin, d, c.window !== null);
        duplicateOf = person.duplicateOf;
        if (d.verdict === "allow" && person.blocked !== null) {
          d = samePersonBlocked(person.blocked, c.at);
          tally.samePersonBlocked++;
        }
      } else {
        const added = this.#persons.add([contact.point, ...contact.others], e.line);
        duplicateOf = added.duplicateOf;
        this.#persons.verdict(added.person, e.line, d.verdict === "allow" ? null : d.first.rule);
        this.#outcomes?.push(d.verdict === "allow" ? ALLOWED : BLOCKED);
        tally.interpreted(interpreted);
      }
      const dup = duplicateOf === null ? "" : String(duplicateOf);
      if (duplicateOf !== null) tally.duplicates++;
      if (c.window !== null) tally.placed(d);
      const notes = interpretedCell(interpreted);
      if (d.verdict === "allow") {
        tally.allow(origin);
        e.write(sinks.allowed.writer, d.nextSlot === null ? [dup, notes] : [d.nextSlot, dup, notes]);
      } else {
        const { first, others } = d;
        tally.block(origin, first, others, d.outsideWindow);
        e.write(sinks.blocked.writer, [
          first.rule,
          first.message[lang],
          first.article,
          others.map((o) => o.rule).join(" "),
          dup,
          notes,
          review?.column ?? "",
        ]);
      }
    }
  }

  async flush(): Promise<void> {
    const s = this.#sinks;
    if (s !== undefined) await Promise.all([s.allowed.flush(), s.blocked.flush(), s.rejected.flush()]);
  }

  /** Closes the CSV files (opened first if the list held nothing). */
  async close(): Promise<void> {
    const s = this.#sinks ?? (await this.#open(null));
    this.#sinks = undefined;
    await Promise.all([s.allowed.close(), s.blocked.close(), s.rejected.close()]);
  }

  /**
   * Copies the CSV files into workbooks (`--xlsx`), and writes the report, then the summary, into
   * the partial directory.
   */
  async finish(): Promise<ScreenSummary> {
    const req = this.#req;
    const dialect = this.#dialect as ListDialect;
    if (req.xlsx === true) {
      for (const name of ["allowed.csv", "blocked.csv", "rejected.csv"] satisfies CsvOutput[])
        await this.#outputs.xlsx(name, dialect.delimiter);
    }
    const reader = this.#reader;
    const summary = summarize(this.#tally, {
      campaign: req.campaign.value,
      list: {
        file: basename(req.list),
        format: reader.format,
        sha256: reader.sha256,
        bytes: reader.bytes,
        encoding: reader.encoding.encoding,
        encodingFrom: reader.encoding.source,
        sheet: reader.sheet,
      },
      campaignFile: {
        file: basename(req.campaignFile),
        sha256: req.campaign.sha256,
        bytes: req.campaign.bytes,
      },
      evidence: req.evidence,
      columns: mappedColumns(reader.names),
      values: this.#req.values ?? NO_VALUES,
      outputs: {
        csv: dialect,
        dialectFrom: req.excel === true ? "--excel" : "list",
        xlsx: req.xlsx === true,
      },
    });
    await this.#outputs.text(
      "report.html",
      renderReport({ summary, tally: this.#tally, campaign: req.campaign.value, lang: req.lang }),
    );
    await this.#outputs.text("summary.json", `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  }

  async abandon(): Promise<void> {
    const s = this.#sinks;
    this.#sinks = undefined;
    if (s !== undefined)
      await Promise.allSettled([s.allowed.abandon(), s.blocked.abandon(), s.rejected.abandon()]);
  }
}

/**
 * A row whose ad wording was not understood is blocked as a refusal (docs/readings.md): its reason
 * says so, rather than that the source refuses canvassing.
 */
function toReview(d: RowDecision, review: Interpretation): RowDecision {
  if (d.verdict !== "block" || d.first.rule !== "gdpr-21/objection") return d;
  const words = JSON.stringify(review.value);
  return {
    ...d,
    first: {
      ...d.first,
      message: {
        fr: `Mention de l'annonce non reconnue (${words}) : lue comme un refus du démarchage jusqu'à ce qu'une personne la relise (colonne needs_review).`,
        en: `Ad wording not understood (${words}): read as a refusal of canvassing until a person reviews it (needs_review column).`,
      },
    },
  };
}

/**
 * A row allowed on its own whose person another row shows blocked: blocked with that row's rule,
 * saying which line (the list contradicts itself about one person; the protective reading holds).
 */
function samePersonBlocked(
  blocked: { readonly line: number; readonly rule: RuleId },
  at: number,
): RowDecision {
  const rule = ruleById(blocked.rule) as CompiledRule;
  return {
    verdict: "block",
    first: {
      rule: blocked.rule,
      article: (versionAt(rule, at) ?? (rule.versions[0] as CompiledVersion)).version.article,
      message: {
        fr: `Même personne que la ligne ${blocked.line}, bloquée par ${blocked.rule} : chaque ligne de cette personne l'est aussi.`,
        en: `Same person as line ${blocked.line}, which ${blocked.rule} blocks: every row of this person is blocked too.`,
      },
    },
    others: [],
    outsideWindow: false,
    decidedAt: "start",
  };
}
