// The dashboard's screenings: uploads stored in the layout of services/screen/saved.ts, then
// screened with `screenList`. Directories are 0700 and files 0600: lists hold personal data.
// Screenings run in this process one at a time, in the order they were started; progress is kept
// in memory and written to meta.json about once a second. A screening still "running" when the
// server starts was interrupted: it is marked failed.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, readdirSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { MAX_COLUMNS, scanCsv } from "../io/csv/scanner.ts";
import { readJsonl } from "../io/jsonl/reader.ts";
import { keepPrivate, makePrivateDir, PRIVATE_DIR, PRIVATE_FILE } from "../io/private-files.ts";
import { recordActivity } from "../services/activity.ts";
import { signedChainHead } from "../services/heads.ts";
import { readJsonFile, writeJsonFile } from "../services/json-file.ts";
import { loadCampaign } from "../services/screen/campaign.ts";
import { type ColumnNames, ListFileError, mappedColumns } from "../services/screen/columns.ts";
import { type EvidenceSource, sessionEvidence } from "../services/screen/evidence.ts";
import { EvidenceIndex } from "../services/screen/evidence-index.ts";
import { type ListFormat, listFormat, tooManyKeys } from "../services/screen/list.ts";
import { removeDeadPartials } from "../services/screen/outputs.ts";
import { screenList } from "../services/screen/run.ts";
import {
  isScreeningId,
  type ScreeningMeta,
  type ScreeningProgress,
  screeningPaths,
} from "../services/screen/saved.ts";
import { screenedActivity } from "../services/screen/trail.ts";
import type { Session } from "../services/session.ts";

/**
 * How much of a list the mapping page reads, how many of its rows it shows, how long a row it
 * reads and how much of a cell it shows: with the header's limits (io/csv/scanner.ts), the page
 * stays under a few hundred kilobytes whatever the list.
 */
const PREVIEW_BYTES = 1024 * 1024;
const PREVIEW_ROWS = 5;
const PREVIEW_LINE_BYTES = 64 * 1024;
const PREVIEW_CELL_CHARS = 200;
const META_EVERY_MS = 1000;
/** Lists from this size (about 100 000 rows) load the index of the store's keys before screening. */
const INDEX_FROM_BYTES = 8 * 1024 * 1024;

export interface ListPreview {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Why the list's columns cannot be read (its header is broken), in the reader's words. */
  readonly error: string | null;
}

export type UploadResult =
  | { readonly ok: true; readonly meta: ScreeningMeta }
  | { readonly ok: false; readonly reason: "empty" }
  | { readonly ok: false; readonly reason: "too-large" }
  /** Its columns cannot be read (a broken header, one past the limits): nothing is kept. */
  | { readonly ok: false; readonly reason: "unreadable"; readonly error: string };

export interface StartRequest {
  /** The screen campaign file's content: the campaign object, `at` or `from`/`to`, `policy?`. */
  readonly campaignFile: Readonly<Record<string, unknown>>;
  readonly campaignId: string | null;
  readonly names: ColumnNames;
  readonly lang: "fr" | "en";
  readonly by: string;
}

interface Live {
  readonly abort: AbortController;
  progress: ScreeningProgress | null;
  lastWrite: number;
}

export class Screenings {
  readonly dir: string;
  readonly #session: Session;
  readonly #indexFromBytes: number;
  readonly #now: () => number;
  readonly #metas = new Map<string, ScreeningMeta>();
  readonly #live = new Map<string, Live>();
  #tail: Promise<void> = Promise.resolve();

  /** `indexFromBytes`: lists from this size load the store's key index first (tests lower it). */
  constructor(dir: string, session: Session, now: () => number, indexFromBytes = INDEX_FROM_BYTES) {
    this.dir = dir;
    this.#indexFromBytes = indexFromBytes;
    this.#session = session;
    this.#now = now;
    makePrivateDir(dir);
    // Made by an older version with the umask's mode.
    keepPrivate(dir);
    for (const id of readdirSync(dir)) {
      if (!isScreeningId(id)) continue;
      const meta = readJsonFile(screeningPaths(dir, id).meta) as ScreeningMeta | undefined;
      if (meta === undefined || meta.id !== id) continue;
      if (meta.status === "running") {
        // Killed mid-run: screenList published nothing, but its partial directory may remain.
        removeDeadPartials(this.home(id), basename(this.outDir(id)));
        removeDeadPartials(this.outDir(id), null);
        this.#write({
          ...meta,
          status: "failed",
          error: "interrupted",
          progress: null,
          finishedAt: new Date(now()).toISOString(),
        });
      } else this.#metas.set(id, meta);
    }
  }

  /** Newest first. */
  list(): ScreeningMeta[] {
    return [...this.#metas.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  get(id: string): ScreeningMeta | undefined {
    return isScreeningId(id) ? this.#metas.get(id) : undefined;
  }

  /** The live progress of a running screening; null while it waits its turn. */
  progress(id: string): ScreeningProgress | null {
    return this.#live.get(id)?.progress ?? null;
  }

  home(id: string): string {
    return screeningPaths(this.dir, id).home;
  }

  listFile(meta: ScreeningMeta): string {
    return screeningPaths(this.dir, meta.id).list(meta.listFormat);
  }

  campaignFile(id: string): string {
    return screeningPaths(this.dir, id).campaign;
  }

  outDir(id: string): string {
    return screeningPaths(this.dir, id).out;
  }

  /**
   * Stores an upload under a new id, hashing it as it is written. `file.truncated` (set by the
   * multipart parser when the size limit cut the file) makes it too large: nothing is kept.
   */
  async upload(
    file: NodeJS.ReadableStream & { truncated?: boolean },
    listName: string,
    by: string,
  ): Promise<UploadResult> {
    const id = randomBytes(16).toString("hex");
    const home = this.home(id);
    mkdirSync(home, { mode: PRIVATE_DIR });
    const hash = createHash("sha256");
    let bytes = 0;
    const tmp = join(home, "list.upload");
    try {
      await pipeline(
        file,
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            bytes += chunk.length;
            done(null, chunk);
          },
        }),
        createWriteStream(tmp, { flags: "wx", mode: PRIVATE_FILE }),
      );
      if (file.truncated === true || bytes === 0) {
        await rm(home, { recursive: true, force: true });
        return bytes === 0 ? { ok: false, reason: "empty" } : { ok: false, reason: "too-large" };
      }
      const ext = extname(listName).toLowerCase();
      const format: ListFormat =
        ext === ".jsonl" || ext === ".ndjson"
          ? "jsonl"
          : ext === ".csv" || ext === ".tsv" || ext === ".txt"
            ? "csv"
            : await listFormat(tmp);
      const list = screeningPaths(this.dir, id).list(format);
      await rename(tmp, list);
      const { error } = await preview(list, format);
      if (error !== null) {
        await rm(home, { recursive: true, force: true });
        return { ok: false, reason: "unreadable", error };
      }
      const meta: ScreeningMeta = {
        id,
        createdAt: new Date(this.#now()).toISOString(),
        by,
        listName,
        listSha256: hash.digest("hex"),
        listFormat: format,
        listBytes: bytes,
        campaignId: null,
        status: "mapping",
      };
      this.#write(meta);
      return { ok: true, meta };
    } catch (e) {
      await rm(home, { recursive: true, force: true });
      throw e;
    }
  }

  /** The list's columns and its first rows, from its first mebibyte. */
  async preview(meta: ScreeningMeta): Promise<ListPreview> {
    return preview(this.listFile(meta), meta.listFormat);
  }

  /** Writes campaign.json and queues the screening; it runs once those before it are done. */
  start(id: string, req: StartRequest): ScreeningMeta {
    const meta = this.get(id);
    if (meta === undefined) throw new Error(`no screening ${id}`);
    writeJsonFile(this.campaignFile(id), req.campaignFile);
    const running: ScreeningMeta = {
      ...meta,
      campaignId: req.campaignId,
      status: "running",
      startedBy: req.by,
      startedAt: new Date(this.#now()).toISOString(),
      lang: req.lang,
      columns: mappedColumns(req.names),
      progress: null,
    };
    this.#write(running);
    const live: Live = { abort: new AbortController(), progress: null, lastWrite: 0 };
    this.#live.set(id, live);
    // #run catches its own errors; the catch keeps the queue going should writing meta.json fail.
    this.#tail = this.#tail.then(() => this.#run(id, req, live)).catch(() => {});
    return running;
  }

  /** Stops a queued or running screening; false when it is not running. */
  cancel(id: string): boolean {
    const live = this.#live.get(id);
    if (live === undefined) return false;
    live.abort.abort("cancelled");
    return true;
  }

  /** Deletes a screening's directory (the list, the campaign, the outputs); a running one is refused. */
  async remove(id: string): Promise<boolean> {
    const meta = this.get(id);
    if (meta === undefined || this.#live.has(id)) return false;
    this.#metas.delete(id);
    await rm(this.home(id), { recursive: true, force: true });
    return true;
  }

  /** Stops every screening (the server is closing) and waits for the running one to let go of the store. */
  async close(): Promise<void> {
    for (const live of this.#live.values()) live.abort.abort("interrupted");
    await this.#tail;
  }

  async #run(id: string, req: StartRequest, live: Live): Promise<void> {
    const signal = live.abort.signal;
    try {
      signal.throwIfAborted();
      const meta = this.#metas.get(id) as ScreeningMeta;
      live.progress = { bytes: 0, total: meta.listBytes, rows: 0 };
      this.#write({ ...meta, progress: live.progress });
      const file = this.campaignFile(id);
      const summary = await screenList({
        list: this.listFile(meta),
        campaignFile: file,
        campaign: loadCampaign(file),
        out: this.outDir(id),
        names: req.names,
        lang: req.lang,
        evidence: await this.#evidence(meta.listBytes),
        signal,
        onProgress: (bytes, total, rows) => {
          live.progress = { bytes, total, rows };
          const now = Date.now();
          if (now - live.lastWrite >= META_EVERY_MS) {
            live.lastWrite = now;
            this.#write({ ...(this.#metas.get(id) as ScreeningMeta), progress: live.progress });
          }
        },
      });
      const at = this.#now();
      const { progress: _, ...done } = this.#metas.get(id) as ScreeningMeta;
      this.#write({
        ...done,
        status: "done",
        counts: {
          in: summary.in,
          allowed: summary.allowed,
          blocked: summary.blocked,
          rejected: summary.rejected,
        },
        finishedAt: new Date(at).toISOString(),
      });
      await recordActivity(
        this.#session,
        screenedActivity(summary, `user:${req.by}`, at, {
          list: meta.listName,
          campaign: meta.campaignId ?? "(campaign entered on the page)",
        }),
      );
    } catch (e) {
      const { progress: _, ...meta } = this.#metas.get(id) as ScreeningMeta;
      const reason = signal.aborted ? String(signal.reason) : null;
      this.#write({
        ...meta,
        ...(reason === "cancelled"
          ? { status: "cancelled" }
          : {
              status: "failed",
              // A list or campaign that cannot be used is the user's to fix: say why. Anything
              // else is ours: the message only (never a row: it may hold personal data).
              error:
                reason ??
                (e instanceof ListFileError ? e.message : `internal error: ${(e as Error).message}`),
            }),
        finishedAt: new Date(this.#now()).toISOString(),
      });
    } finally {
      this.#live.delete(id);
    }
  }

  /**
   * The server's own store, read as `vigie screen` reads one (`sessionEvidence`), except that
   * closing it is not ours to do: the store outlives the screening. A large list first loads the
   * index of the store's keys, as `vigie screen` does; a small one is looked up point by point,
   * which costs less than reading every key. Labelled by its kind alone (the server knows its
   * location; a PostgreSQL URL may hold a password).
   */
  async #evidence(listBytes: number): Promise<EvidenceSource> {
    const { store, tenant } = this.#session;
    const head = await signedChainHead(this.#session);
    const index = listBytes >= this.#indexFromBytes ? await EvidenceIndex.load(store, tenant) : null;
    const source = sessionEvidence(this.#session, store.dialect, head, index);
    return { ...source, close: async () => {} };
  }

  #write(meta: ScreeningMeta): void {
    writeJsonFile(screeningPaths(this.dir, meta.id).meta, meta);
    this.#metas.set(meta.id, meta);
  }
}

function preview(file: string, format: ListFormat): Promise<ListPreview> {
  if (format === "xlsx") {
    // Workbooks are screened by `vigie screen`; the dashboard's mapping reads text lists only.
    const error = "an Excel workbook: screen it with vigie screen, or save it as CSV to screen it here";
    return Promise.resolve({ columns: [], rows: [], error });
  }
  const source = createReadStream(file, { start: 0, end: PREVIEW_BYTES - 1 });
  return format === "csv" ? previewCsv(source) : previewJsonl(source);
}

const clip = (cell: string) =>
  cell.length > PREVIEW_CELL_CHARS ? `${cell.slice(0, PREVIEW_CELL_CHARS - 1)}…` : cell;

async function previewCsv(source: AsyncIterable<Buffer>): Promise<ListPreview> {
  let columns: readonly string[] | null = null;
  const rows: string[][] = [];
  for await (const events of scanCsv(source, { header: true, maxRecordBytes: PREVIEW_LINE_BYTES })) {
    for (const e of events) {
      if (e.kind === "header") columns = e.names;
      else if (e.kind === "error") {
        if (columns === null) return { columns: [], rows: [], error: `line ${e.line}: ${e.message}` };
      } else if (rows.length < PREVIEW_ROWS) rows.push(e.fields().map(clip));
    }
    if (columns !== null && rows.length >= PREVIEW_ROWS) break;
  }
  if (columns === null) return { columns: [], rows: [], error: "empty file: no header row" };
  return { columns, rows, error: null };
}

async function previewJsonl(source: AsyncIterable<Buffer>): Promise<ListPreview> {
  const keys = new Set<string>();
  const objects: Record<string, unknown>[] = [];
  for await (const events of readJsonl(source, { maxLineBytes: PREVIEW_LINE_BYTES })) {
    for (const e of events) {
      if (e.kind !== "value" || e.value === null || typeof e.value !== "object" || Array.isArray(e.value))
        continue;
      const value = e.value as Record<string, unknown>;
      for (const key of Object.keys(value)) keys.add(key);
      if (keys.size > MAX_COLUMNS) return { columns: [], rows: [], error: tooManyKeys(e.line, keys.size) };
      if (objects.length < PREVIEW_ROWS) objects.push(value);
    }
  }
  if (keys.size === 0) return { columns: [], rows: [], error: "no JSON object in the file's first mebibyte" };
  const columns = [...keys];
  const cell = (v: unknown) =>
    clip(v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));
  return { columns, rows: objects.map((o) => columns.map((c) => cell(o[c]))), error: null };
}
