// Screening jobs: `screenJob` is one screening — the list screened, then recorded in the trail —
// as `vigie screen` runs it and as the dashboard queues it. `Screenings` is the dashboard's queue
// of them: uploads stored in the layout of saved.ts, then screened one at a time in the server
// process, in the order they were started. Directories are 0700 and files 0600: lists hold
// personal data. Progress is kept in memory and written to meta.json about once a second. A
// screening still "running" when the server starts was interrupted: it is marked failed.
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, readdirSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { keepPrivate, makePrivateDir, PRIVATE_DIR, PRIVATE_FILE } from "../../io/private-files.ts";
import { signedChainHead } from "../heads.ts";
import { readJsonFile, writeJsonFile } from "../json-file.ts";
import type { Session } from "../session.ts";
import { loadCampaign } from "./campaign.ts";
import { type ColumnNames, ListFileError, mappedColumns } from "./columns.ts";
import { type EvidenceSource, sessionEvidence } from "./evidence.ts";
import { EvidenceIndex } from "./evidence-index.ts";
import { type ListFormat, listFormat } from "./list.ts";
import { type ListPreview, previewList } from "./list-preview.ts";
import type { ListValues } from "./list-values.ts";
import { removeDeadPartials } from "./outputs.ts";
import { type ScreenRequest, screenList } from "./run.ts";
import { isScreeningId, type ScreeningMeta, type ScreeningProgress, screeningPaths } from "./saved.ts";
import type { ScreenSummary } from "./summary.ts";
import { screenedActivity } from "./trail.ts";

const META_EVERY_MS = 1000;
/** Lists from this size (about 100 000 rows) load the index of the store's keys before screening. */
const INDEX_FROM_BYTES = 8 * 1024 * 1024;

/** A screening as the trail names it: who ran it, and how the user knows its files. */
export interface JobTrail {
  readonly by: string;
  readonly now: () => number;
  readonly names?: { readonly list?: string; readonly campaign?: string };
}

/**
 * One screening: the list screened (run.ts), then `list.screened` recorded with its evidence
 * source (nothing is recorded without one: there is no trail to record it in).
 */
export async function screenJob(req: ScreenRequest, trail: JobTrail): Promise<ScreenSummary> {
  const summary = await screenList(req);
  await req.evidence?.record(screenedActivity(summary, trail.by, trail.now(), trail.names));
  return summary;
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
  /** Values said once for the whole list (`--set`, `--map-values` on the command line). */
  readonly values: ListValues;
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
    // Named with the upload's extension, so its format is found as `vigie screen` finds a file's.
    const ext = extname(listName).toLowerCase();
    const tmp = join(home, `list.upload${/^\.[a-z0-9]{1,8}$/.test(ext) ? ext : ""}`);
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
      let format: ListFormat;
      try {
        format = await listFormat(tmp);
      } catch (e) {
        // An .xls, or a false .xlsx: refused as a list whose columns cannot be read.
        if (!(e instanceof ListFileError)) throw e;
        await rm(home, { recursive: true, force: true });
        return { ok: false, reason: "unreadable", error: e.message };
      }
      const list = screeningPaths(this.dir, id).list(format);
      await rename(tmp, list);
      const { error } = await previewList(list, format);
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

  /** The list's columns and its first rows, as screening will read them. */
  async preview(meta: ScreeningMeta): Promise<ListPreview> {
    return previewList(this.listFile(meta), meta.listFormat);
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
      const summary = await screenJob(
        {
          list: this.listFile(meta),
          campaignFile: file,
          campaign: loadCampaign(file),
          out: this.outDir(id),
          names: req.names,
          values: req.values,
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
        },
        {
          by: `user:${req.by}`,
          now: this.#now,
          names: { list: meta.listName, campaign: meta.campaignId ?? "(campaign entered on the page)" },
        },
      );
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
        finishedAt: new Date(this.#now()).toISOString(),
      });
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
