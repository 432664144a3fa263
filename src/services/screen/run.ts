// `vigie screen LIST`: every row of a contact list decided for one campaign (docs/contract.md §2).
// One pass in bounded memory: rows are read a chunk at a time, their stored evidence looked up a
// batch at a time, decided, and written out in input order. Single-threaded: the list is read,
// decided and written faster than worker threads would pay back the copying of rows to them
// (measured in bench/screen.ts). The counts reconcile or nothing is published.
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { RuleId } from "../../engine/rule-ids.ts";
import { type CompiledRule, type CompiledVersion, ruleById, versionAt } from "../../engine/rulebook.ts";
import type { Evidence } from "../../store/store.ts";
import type { CampaignFile } from "./campaign.ts";
import { addedColumns, type ColumnNames, mappedColumns } from "./columns.ts";
import type { EvidenceSource } from "./evidence.ts";
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
import { ListPersons } from "./persons.ts";
import { renderReport } from "./report.ts";
import { RowDecider, type RowDecision } from "./row-decision.ts";
import {
  factsOf,
  type ListContactResult,
  type RowRejected,
  readListContact,
  unreadableRow,
} from "./row-facts.ts";
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

/** A batch of rows read, its evidence asked for. */
interface Prepared {
  readonly events: readonly ListEvent[];
  readonly contacts: readonly (ListContactResult | undefined)[];
  readonly stored: Promise<Evidence[]> | null;
}

interface Sinks {
  readonly allowed: CsvFile;
  readonly blocked: CsvFile;
  readonly rejected: CsvFile;
}

/**
 * Screens the list. Rows of one person (the same point in any spelling, or a shared point) must
 * get one verdict: when the first pass leaves a person both allowed and blocked (or two persons
 * joined by a later row), its outputs are dropped and the list is screened again knowing every
 * person whole — rare, so the common list is read once.
 */
export async function screenList(req: ScreenRequest): Promise<ScreenSummary> {
  const persons = new ListPersons();
  const first = await pass(req, persons, false);
  if (!persons.unsettled) {
    await first.outputs.publish();
    return first.summary;
  }
  await first.outputs.discard();
  const second = await pass(req, persons, true);
  await second.outputs.publish();
  return second.summary;
}

/** One pass over the list into a partial output directory, not yet published. */
async function pass(
  req: ScreenRequest,
  persons: ListPersons,
  settled: boolean,
): Promise<{ summary: ScreenSummary; outputs: OutputDir }> {
  const format = await listFormat(req.list);
  const { size } = await stat(req.list);
  const tally = new Tally();
  const reader = new ListReader(
    req.list,
    format,
    req.names,
    req.campaign.value.pointType,
    (bytes) => req.onProgress?.(bytes, size, tally.rows),
    req.input,
  );
  const outputs = await OutputDir.create(req.out);
  const run = new Screening(req, reader, outputs, tally, persons, settled);
  try {
    for await (const events of reader.events()) {
      // Every batch of the chunk is looked up before the first is decided: lookups on a thread or
      // a connection pool of their own proceed meanwhile.
      const batches: Prepared[] = [];
      const n = req.batchRows ?? BATCH;
      for (let i = 0; i < events.length; i += n) batches.push(run.prepare(events.slice(i, i + n)));
      for (const b of batches) await run.batch(b);
      await run.flush();
      req.signal?.throwIfAborted();
    }
    return { summary: await run.finish(), outputs };
  } catch (e) {
    await run.abandon();
    await outputs.discard();
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
  /** Second pass: every person is known whole. */
  readonly #settled: boolean;
  #sinks: Sinks | undefined;
  /** The CSV outputs' dialect, once they are open. */
  #dialect: ListDialect | undefined;

  constructor(
    req: ScreenRequest,
    reader: ListReader,
    outputs: OutputDir,
    tally: Tally,
    persons: ListPersons,
    settled: boolean,
  ) {
    this.#req = req;
    this.#reader = reader;
    this.#outputs = outputs;
    this.#tally = tally;
    this.#persons = persons;
    this.#settled = settled;
    this.#rows = new RowDecider(req.campaign.value);
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

  /** Reads every row of a batch, and asks for their evidence at once. */
  prepare(events: readonly ListEvent[]): Prepared {
    const { campaign, evidence } = this.#req;
    const c = campaign.value;
    const contacts = events.map((e) =>
      e.kind === "row" ? readListContact(e, c.pointType, this.#req.values) : undefined,
    );
    const found = contacts.filter((x): x is ReadContact => x?.ok === true);
    const stored =
      evidence === null || found.length === 0
        ? null
        : evidence.evidence(found.map(({ contact: x }) => [x.point, ...x.others]));
    // Awaited in turn by batch(); a failure before its turn is not an unhandled rejection.
    stored?.catch(() => {});
    return { events, contacts, stored };
  }

  async batch({ events, contacts, stored: pending }: Prepared): Promise<void> {
    const { campaign, lang } = this.#req;
    const c = campaign.value;
    const stored = pending === null ? null : await pending;
    let k = 0;
    const tally = this.#tally;
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as ListEvent;
      if (e.kind === "header") {
        await this.#open(e);
        continue;
      }
      const sinks = this.#sinks ?? (await this.#open(null));
      const read = contacts[i];
      if (e.kind === "error" || read?.ok !== true) {
        const { error, reason } = e.kind === "error" ? unreadableRow(e.reason) : (read as RowRejected);
        const raw = e.kind === "error" ? e.raw : e.raw();
        tally.reject(e.line, reason, raw);
        sinks.rejected.writer.row([String(e.line), error, raw]);
        continue;
      }
      const { contact, interpreted } = read;
      const facts = factsOf(c, contact, stored === null ? null : (stored[k++] ?? null));
      const review = interpreted.find((n) => n.kind === "needsReview");
      const origin = facts.contact.origin?.type ?? UNKNOWN_ORIGIN;
      const points = [contact.point, ...contact.others];
      let d = this.#rows.decide(facts);
      if (review !== undefined && facts.contact.objections.length === 0) d = toReview(d, review);
      let duplicateOf: number | null;
      if (this.#settled) {
        const person = this.#persons.settled(points, e.line);
        duplicateOf = person.duplicateOf;
        if (d.verdict === "allow" && person.blocked !== null) {
          d = samePersonBlocked(person.blocked, c.at);
          tally.samePersonBlocked++;
        }
      } else {
        const person = this.#persons.add(points, e.line);
        duplicateOf = person.duplicateOf;
        this.#persons.verdict(person.person, e.line, d.verdict === "allow" ? null : d.first.rule);
      }
      const dup = duplicateOf === null ? "" : String(duplicateOf);
      if (duplicateOf !== null) tally.duplicates++;
      if (c.window !== null) tally.placed(d);
      tally.interpreted(interpreted);
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

  /**
   * Closes the CSV files, copies them into workbooks (`--xlsx`), and writes the report, then the
   * summary, into the partial directory.
   */
  async finish(): Promise<ScreenSummary> {
    const s = this.#sinks ?? (await this.#open(null));
    this.#sinks = undefined;
    await Promise.all([s.allowed.close(), s.blocked.close(), s.rejected.close()]);
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
