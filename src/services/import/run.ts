// `vigie import KIND FILE`: streams a CSV file into the evidence log. A file is imported whole or
// not at all (one transaction); running it again changes nothing (the file's hash is recorded,
// and every event has an identity); each rejected row is reported with its line and reason; rows
// in = accepted + rejected, and events = appended + duplicates + suppressed.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { NewEvent } from "../../evidence/events.ts";
import { RegistryDigest } from "../../evidence/registry-digest.ts";
import { renderReason } from "../../i18n/reasons.ts";
import { cellsOfLine, headerHint, type LineCells, LOOK_BELOW, passes } from "../../io/csv/line-cells.ts";
import { repeatsHeader } from "../../io/csv/record.ts";
import { type CsvRecord, readCsvHeader, scanCsv } from "../../io/csv/scanner.ts";
import {
  type DetectedEncoding,
  EncodingError,
  encodingOfFile,
  readAs,
  type TextEncoding,
  toUtf8,
} from "../../io/text/encoding.ts";
import { withLineFeeds } from "../../io/text/line-ends.ts";
import type { AppendResult, BulkWriter, RegistryEntry } from "../../store/store.ts";
import { activityEvent } from "../activity.ts";
import { linkEvents } from "../record.ts";
import { type Session, type Subject, subjectOf } from "../session.ts";
import { CellError, Row } from "./columns.ts";
import { consentPoints, type ImportKind, KIND_SPECS, rowEvents } from "./kinds.ts";
import { RepeatedKeys, RepeatedMerge } from "./registry-duplicates.ts";
import { pausable } from "./test-pause.ts";

export interface ImportOptions {
  readonly kind: ImportKind;
  readonly file: string;
  readonly ignoreUnknown: boolean;
  /** `--map COLUMN=HEADER,…`: a column of the kind read from the file's column of another name. */
  readonly map?: string | undefined;
  /** Bloctel: the day of the check (required). */
  readonly date?: number | undefined;
  /** Bloctel: the file lists every registered number that day. */
  readonly complete?: boolean | undefined;
  /** Epoch ms: no date in the file may postdate it (beyond the clock skew of facts/evidence-dates.ts). */
  readonly now: number;
  readonly recordedBy: string;
  /** How the file's bytes are text (`--encoding`); detected from them when absent, as a list's are. */
  readonly encoding?: TextEncoding | undefined;
  /** The file's name as its user knows it (an upload is saved under another); default its base name. */
  readonly name?: string;
  readonly onProgress?: ((bytesRead: number, totalBytes: number, rows: number) => void) | undefined;
}

export interface RejectedRow {
  readonly line: number;
  /** The column at fault, by its header name (or its 1-based number), when the error is in one. */
  readonly column?: string;
  readonly message: string;
}

export interface ImportReport {
  readonly kind: ImportKind;
  readonly file: string;
  readonly sha256: string;
  /** Set when this very file was imported before: nothing was done. */
  readonly alreadyImportedAt: number | null;
  /** How its bytes were read (absent for a file imported before, which is not read again). */
  readonly encoding?: DetectedEncoding;
  /**
   * What the accepted rows were read as otherwise than written: dates day first (JJ/MM/AAAA),
   * words of a vocabulary in other capitals or with spaces ("SMS" for sms).
   */
  readonly interpretations?: { readonly datesFrench: number; readonly wordsSpelled: number };
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: readonly RejectedRow[];
  readonly events: { readonly appended: number; readonly duplicates: number; readonly suppressed: number };
}

/** The rows accepted, and what they were read as otherwise than written (Row's notes). */
class Accepted {
  count = 0;
  readonly interpretations = { datesFrench: 0, wordsSpelled: 0 };

  add(row: Row): void {
    this.count++;
    this.interpretations.datesFrench += row.datesReadDayFirst;
    this.interpretations.wordsSpelled += row.wordsSpelled;
  }
}

/** A file that cannot be imported at all (missing columns, unreadable header): exit 2. */
export class ImportFileError extends Error {}

/**
 * Rows appended at a time (the crash test kills an import between two of them). 2 000 rather than
 * 5 000: a batch's objects die younger, and 100 000 consents import 5–6 % faster on either store
 * (vigie import, measured twice each on 2026-12-04); 1 000 gained nothing more.
 */
export const BATCH = 2000;

/** The import in the audit trail, in its own transaction: its file, kind and counts. */
function importActivity(
  tenant: string,
  opts: ImportOptions,
  sha256: string,
  counts: Readonly<Record<string, number>>,
): NewEvent {
  return activityEvent(tenant, {
    action: "evidence.imported",
    target: sha256,
    by: opts.recordedBy,
    at: opts.now,
    detail: { file: opts.name ?? basename(opts.file), kind: opts.kind, counts },
  });
}

async function fileHash(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * What makes two imports one: the file's bytes and how they were read. The same file read another
 * way — a corrected `--map`, another Bloctel `--date` — is another import, not "nothing to do": a
 * first reading that rejected every row, or dated the check wrongly, must not stop the right one
 * (its events are deduplicated all the same). A file read the default way keeps its SHA-256
 * alone, as imports were recorded before.
 */
function importIdentity(sha256: string, opts: ImportOptions): string {
  const reading = {
    ...(opts.map === undefined ? {} : { map: opts.map }),
    ...(opts.encoding === undefined ? {} : { encoding: opts.encoding }),
    ...(opts.ignoreUnknown ? { ignoreUnknown: true } : {}),
    ...(opts.date === undefined ? {} : { date: opts.date }),
    ...(opts.complete === true ? { complete: true } : {}),
  };
  if (Object.keys(reading).length === 0) return sha256;
  return createHash("sha256")
    .update(`${sha256}\n${JSON.stringify(reading)}`)
    .digest("hex");
}

/**
 * The header with the names `--map` gives (`given_at=Date de consentement,phone=Téléphone`): each
 * name a column of the kind, each header one of the file's, neither twice. A header holding a
 * comma or an `=` cannot be mapped: rename it in the file.
 */
function mappedHeader(header: readonly string[], kind: ImportKind, map: string | undefined): string[] {
  const spec = KIND_SPECS[kind];
  const known = [...spec.points, ...spec.required, ...spec.optional];
  // A column of the kind in other capitals ("Phone", "GIVEN_AT") is that column; two of them are
  // refused as two columns of one name (columnIndex).
  const named = header.map((h) => known.find((k) => k === h.trim().toLowerCase()) ?? h);
  if (map === undefined || map.trim() === "") return named;
  const renamed = [...named];
  const seen = new Set<string>();
  const mapped = new Set<number>();
  for (const pair of map.split(",")) {
    const eq = pair.indexOf("=");
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const from = eq < 0 ? "" : pair.slice(eq + 1).trim();
    const where = `--map ${pair.trim()}`;
    if (!known.includes(name)) {
      throw new ImportFileError(
        `${where}: ${JSON.stringify(name)} is not a column of ${kind}: ${known.join(", ")}`,
      );
    }
    if (from === "") throw new ImportFileError(`${where}: expected ${name}=COLUMN`);
    if (seen.has(name)) throw new ImportFileError(`--map: ${name} is mapped twice`);
    seen.add(name);
    const at = header.indexOf(from);
    if (at < 0) throw new ImportFileError(`${where}: the file has no column ${JSON.stringify(from)}`);
    if (mapped.has(at)) throw new ImportFileError(`--map: column ${JSON.stringify(from)} is mapped twice`);
    mapped.add(at);
    const already = named.indexOf(name);
    if (already >= 0 && already !== at) {
      throw new ImportFileError(`${where}: the file has a column ${JSON.stringify(name)} already`);
    }
    renamed[at] = name;
  }
  return renamed;
}

function columnIndex(
  names: readonly string[],
  kind: ImportKind,
  ignoreUnknown: boolean,
): Map<string, number> {
  const spec = KIND_SPECS[kind];
  const known = new Set<string>([...spec.points, ...spec.required, ...spec.optional]);
  // An unnamed column (a delimiter ending the header line, as some exports write) is named by its place.
  const unknown = names.flatMap((n, i) =>
    known.has(n) ? [] : [n === "" ? `column ${i + 1} (no name: a delimiter ending the header line?)` : n],
  );
  if (unknown.length > 0 && !ignoreUnknown) {
    throw new ImportFileError(
      `unknown column(s) ${unknown.join(", ")} for ${kind}: expected ${[...known].join(", ")} (or pass --ignore-unknown)`,
    );
  }
  // Two columns of one name: the row's second phone (or date) would be dropped unread.
  for (let i = 0; i < names.length; i++) {
    const j = names.indexOf(names[i] as string, i + 1);
    if (j >= 0 && known.has(names[i] as string)) {
      throw new ImportFileError(
        `two columns named ${JSON.stringify(names[i])} (columns ${i + 1} and ${j + 1}): rename or remove one`,
      );
    }
  }
  const missing = spec.required.filter((c) => !names.includes(c));
  if (missing.length > 0)
    throw new ImportFileError(`missing required column(s) for ${kind}: ${missing.join(", ")}`);
  if (!spec.points.some((p) => names.includes(p))) {
    throw new ImportFileError(`no ${spec.points.join(" or ")} column: every row must name its contact point`);
  }
  return new Map(names.map((n, i) => [n, i]));
}

/** The points a row names, normalized and keyed; throws a CellError for an invalid one. */
function subjectsOf(session: Session, row: Row, columns: readonly ("phone" | "email")[]): Subject[] {
  const subjects: Subject[] = [];
  for (const column of columns) {
    const raw = row.text(column);
    if (raw === undefined) continue;
    const r = subjectOf(session.ring, raw, column);
    if (!r.ok) throw new CellError(column, r.reason);
    subjects.push(r.subject);
  }
  if (subjects.length === 0) throw new CellError(columns.join("/"), "no contact point in this row");
  return subjects;
}

/** A row repeating the header, in the words a screened list's rejection says it. */
const HEADER_REPEATED = renderReason({ code: "list.header_repeated" }, "en");

const BARE_NUMBER = /^\+?\d[\d .()-]{5,}$/;

/**
 * A Bloctel check as Bloctel returns it may be the numbers alone, one a line, with no header: its
 * first line is then a number, read as the `phone` column.
 */
function isBareNumberList(kind: ImportKind, names: readonly string[]): boolean {
  return kind === "bloctel" && names.length === 1 && BARE_NUMBER.test(names[0] as string);
}

interface Reader {
  readonly encoding: DetectedEncoding;
  readonly index: Map<string, number>;
  rows(
    onRow: (row: Row, record: CsvRecord) => Promise<void>,
    onError: (r: RejectedRow) => void,
  ): Promise<number>;
}

/**
 * The file's bytes as UTF-8, by the rule a screened list's follow (src/io/text/encoding.ts): a
 * byte-order mark, else UTF-8 if its bytes are, else Windows-1252 — how Excel saves "CSV
 * (séparateur : point-virgule)". A byte that is no text in it refuses the file, naming its line.
 */
async function* fileText(file: string, encoding: DetectedEncoding, onRaw?: (bytes: number) => void) {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (onRaw !== undefined) raw.on("data", (chunk) => onRaw(chunk.length));
  try {
    yield* withLineFeeds(toUtf8(raw, encoding.encoding));
  } catch (e) {
    if (!(e instanceof EncodingError)) throw e;
    throw new ImportFileError(`${e.message} (${readAs(encoding)})`);
  }
}

async function encodingOf(opts: ImportOptions): Promise<DetectedEncoding> {
  try {
    return await encodingOfFile(opts.file, opts.encoding);
  } catch (e) {
    if (e instanceof EncodingError) throw new ImportFileError(e.message);
    throw e;
  }
}

async function openReader(opts: ImportOptions): Promise<Reader> {
  const size = (await stat(opts.file)).size;
  const encoding = await encodingOf(opts);
  let header: Awaited<ReturnType<typeof readCsvHeader>>;
  try {
    header = await readCsvHeader(fileText(opts.file, encoding));
  } catch (e) {
    throw e instanceof ImportFileError ? e : new ImportFileError((e as Error).message);
  }
  const bare = isBareNumberList(opts.kind, header.names);
  const names = bare ? ["phone"] : mappedHeader(header.names, opts.kind, opts.map);
  let index: Map<string, number>;
  try {
    index = bare ? new Map([["phone", 0]]) : columnIndex(names, opts.kind, opts.ignoreUnknown);
  } catch (e) {
    const hint = e instanceof ImportFileError ? await headerBelow(opts, encoding, header.line) : null;
    throw hint === null ? e : new ImportFileError(`${(e as Error).message}; ${hint}`);
  }
  return {
    encoding,
    index,
    async rows(onRow, onError) {
      let bytes = 0;
      let rows = 0;
      const text = fileText(opts.file, encoding, (n) => {
        bytes += n;
      });
      for await (const events of scanCsv(text, { delimiter: header.delimiter, header: !bare })) {
        for (const event of events) {
          if (event.kind === "header") continue;
          rows++;
          if (event.kind === "error") {
            const column =
              event.column === undefined ? undefined : (names[event.column - 1] ?? String(event.column));
            onError({
              line: event.line,
              ...(column === undefined ? {} : { column }),
              message: event.message,
            });
          } else if (!bare && repeatsHeader(event, header.names)) {
            onError({ line: event.line, message: HEADER_REPEATED });
          } else await onRow(new Row(event.fields(), index, opts.now), event);
        }
        opts.onProgress?.(bytes, size, rows);
      }
      return rows;
    },
  };
}

/**
 * When the first line is not a header the import can use: the first of the next lines that is one
 * (a title above the table, as exports from office tools have) — said in the error, never acted on.
 */
async function headerBelow(
  opts: ImportOptions,
  encoding: DetectedEncoding,
  headerLine: number,
): Promise<string | null> {
  const rows: LineCells[] = [];
  scan: for await (const events of scanCsv(fileText(opts.file, encoding), { header: false })) {
    for (const e of events) {
      if (e.kind === "header" || e.line <= headerLine) continue;
      if (rows.length === LOOK_BELOW) break scan;
      rows.push({ line: e.line, cells: cellsOfLine(e.kind === "error" ? e.raw : e.raw()) });
    }
  }
  return headerHint(rows, (header) =>
    passes(() => columnIndex(mappedHeader(header, opts.kind, undefined), opts.kind, true), ImportFileError),
  );
}

function checkRequired(row: Row, kind: ImportKind): void {
  for (const column of KIND_SPECS[kind].required) row.required(column);
}

export async function importFile(session: Session, opts: ImportOptions): Promise<ImportReport> {
  const { store, tenant } = session;
  const sha256 = await fileHash(opts.file);
  const base = { kind: opts.kind, file: opts.file, sha256 };
  const identity = importIdentity(sha256, opts);
  const previous = await store.findImport(tenant, opts.kind, identity);
  if (previous !== null) {
    return {
      ...base,
      alreadyImportedAt: previous.importedAt,
      rows: 0,
      accepted: 0,
      rejected: [],
      events: { appended: 0, duplicates: 0, suppressed: 0 },
    };
  }
  if (opts.kind === "bloctel") return importBloctel(session, opts, sha256, identity);
  const reader = await openReader(opts);
  const rejected: RejectedRow[] = [];
  const totals = { appended: 0, duplicates: 0, suppressed: 0 };
  const add = (r: AppendResult) => {
    totals.appended += r.appended;
    totals.duplicates += r.duplicates;
    totals.suppressed += r.suppressed.length;
  };
  const kind = opts.kind;
  const spec = KIND_SPECS[kind];
  const accepted = new Accepted();
  let rows = 0;
  await store.bulk(async (bulk: BulkWriter) => {
    const w = pausable(bulk);
    let pending: NewEvent[] = [];
    // One object for every row: the append plan makes its text once (append-plan.ts).
    const proof = { recordedBy: opts.recordedBy };
    rows = await reader.rows(
      async (row, record) => {
        try {
          checkRequired(row, kind);
          const events: NewEvent[] = [];
          const subjects = subjectsOf(session, row, spec.points);
          const recorded = kind === "consents" ? consentPoints(row, subjects) : subjects;
          for (const subject of recorded) {
            events.push(
              ...rowEvents(kind, row, { tenant, subject, controller: row.name("controller"), proof }),
            );
          }
          events.push(...linkEvents({ tenant, proof }, subjects, events[0]?.occurredAt ?? 0));
          pending.push(...events);
          accepted.add(row);
        } catch (e) {
          if (!(e instanceof CellError)) throw e;
          rejected.push({ line: record.line, column: e.column, message: e.message });
        }
        if (pending.length >= BATCH) {
          add(await w.append(pending));
          pending = [];
        }
      },
      (r) => rejected.push(r),
    );
    add(await w.append(pending));
    const summary = { rows, accepted: accepted.count, rejected: rejected.length, events: totals };
    await w.recordImport(tenant, { kind, fileSha256: identity, summary });
    const counts = { rows, accepted: accepted.count, rejected: rejected.length, ...totals };
    await w.append([importActivity(tenant, opts, sha256, counts)]);
  });
  return importedReport(base, reader.encoding, rows, accepted, rejected, totals);
}

/** The report of a file read and imported now. */
function importedReport(
  file: Pick<ImportReport, "kind" | "file" | "sha256">,
  encoding: DetectedEncoding,
  rows: number,
  accepted: Accepted,
  rejected: readonly RejectedRow[],
  events: ImportReport["events"],
): ImportReport {
  const { count, interpretations } = accepted;
  return {
    ...file,
    alreadyImportedAt: null,
    encoding,
    interpretations,
    rows,
    accepted: count,
    rejected,
    events,
  };
}

/**
 * A Bloctel check: pass 1 validates the rows and computes their digest; then, in one transaction,
 * the one `registry.snapshot` event that vouches for them is appended and the rows are stored.
 */
/** `identity`: the import's, as recorded (`importIdentity`); `sha256`: the file's, as its snapshot says. */
async function importBloctel(
  session: Session,
  opts: ImportOptions,
  sha256: string,
  identity: string,
): Promise<ImportReport> {
  const { store, tenant } = session;
  if (opts.date === undefined)
    throw new ImportFileError("bloctel: --date (the day of the check) is required");
  const checkedAt = opts.date;
  const reader = await openReader(opts);
  const rejected: RejectedRow[] = [];
  const entryOf = (row: Row): RegistryEntry => {
    const [subject] = subjectsOf(session, row, ["phone"]);
    return {
      pointKey: (subject as Subject).key,
      registered: row.bool("registered") ?? true,
      registeredAt: row.date("registered_at", "event") ?? null,
      effectiveAt: row.date("effective_at", "registry-effect") ?? null,
    };
  };
  // Pass 1 validates and digests without keeping the rows (a check can list millions).
  const digest = new RegistryDigest();
  const seen = new RepeatedKeys();
  const accepted = new Accepted();
  const rows = await reader.rows(
    async (row, record) => {
      try {
        const entry = entryOf(row);
        digest.add(entry);
        seen.add(entry.pointKey);
        accepted.add(row);
      } catch (e) {
        if (!(e instanceof CellError)) throw e;
        rejected.push({ line: record.line, column: e.column, message: e.message });
      }
    },
    (r) => rejected.push(r),
  );
  // A complete check says every number it does not list was clean that day: with a row it could
  // not read, that would clear a number that may be registered.
  const first = rejected[0];
  if (opts.complete === true && first !== undefined) {
    throw new ImportFileError(
      `bloctel --complete: ${rejected.length} row(s) could not be read (first: line ${first.line}: ${first.message}); a complete check must be whole — fix them, or import without --complete (numbers it does not list then count as unscreened, not clean)`,
    );
  }
  // A number on several rows: its rows merged (registered if any says so), in the digest too.
  const repeated = new RepeatedMerge(seen.repeated, digest);
  if (seen.repeated.size > 0) {
    await reader.rows(
      async (row) => {
        try {
          repeated.take(entryOf(row));
        } catch (e) {
          if (!(e instanceof CellError)) throw e;
        }
      },
      () => {},
    );
    repeated.finish();
  }
  const snapshot: NewEvent = {
    tenant,
    pointKey: "",
    controller: "",
    occurredAt: checkedAt,
    data: {
      type: "registry.snapshot",
      registry: "bloctel",
      complete: opts.complete === true,
      fileSha256: sha256,
      rows: accepted.count,
      entriesDigest: digest.digest(),
    },
    proof: { recordedBy: opts.recordedBy },
    pii: null,
  };
  let appended = 0;
  let duplicates = 0;
  await store.bulk(async (bulk) => {
    const w = pausable(bulk);
    const r = await w.append([snapshot]);
    appended = r.appended;
    duplicates = r.duplicates;
    const seq = r.seqs[0];
    if (seq !== null && seq !== undefined) {
      // Pass 2: the same rows again, stored in batches under the snapshot's event.
      let batch: RegistryEntry[] = [];
      await reader.rows(
        async (row) => {
          try {
            const entry = entryOf(row);
            batch.push(repeated.merged.get(entry.pointKey) ?? entry);
          } catch (e) {
            if (!(e instanceof CellError)) throw e;
          }
          if (batch.length >= BATCH) {
            await w.registry(tenant, seq, checkedAt, batch);
            batch = [];
          }
        },
        () => {},
      );
      await w.registry(tenant, seq, checkedAt, batch);
    }
    const summary = { rows, accepted: accepted.count, rejected: rejected.length };
    await w.recordImport(tenant, { kind: "bloctel", fileSha256: identity, summary });
    await w.append([importActivity(tenant, opts, sha256, summary)]);
  });
  const file = { kind: "bloctel", file: opts.file, sha256 } as const;
  return importedReport(file, reader.encoding, rows, accepted, rejected, {
    appended,
    duplicates,
    suppressed: 0,
  });
}
