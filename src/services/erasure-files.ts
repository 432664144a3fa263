// After an erasure, the files vigie keeps beside the store must not hold the person either: the
// double opt-in outbox (addresses and codes) and the dashboard's saved screenings (uploaded lists
// and their outputs). Each file is rewritten without the person's rows, atomically and 0600; what
// cannot be purged is listed, never silently kept.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CsvEvent, CsvScanner } from "../io/csv/scanner.ts";
import { type NormalizedPoint, normalizePoint } from "../normalize/point.ts";

export interface ErasureFiles {
  /** Where double opt-in messages went: the file outbox (`<store>.outbox.jsonl`), a webhook, or none. */
  readonly outbox: { readonly file: string } | { readonly webhook: string } | null;
  /** The dashboard's screenings directory (`<store>.screenings`). */
  readonly screenings: string | null;
}

export interface PurgeReport {
  /** Files rewritten without the person, with how many records (rows, lines, cells) went. */
  readonly purged: readonly { readonly file: string; readonly removed: number }[];
  /** Where the person may still be, and why vigie could not purge it. */
  readonly notPurged: readonly { readonly where: string; readonly why: string }[];
}

// Candidates for contact points in free text: e-mail-like words and runs of digits with the
// separators people write numbers with. Each is normalized before it is compared.
const EMAILS = /[^\s,;"'<>()[\]{}|\\]+@[^\s,;"'<>()[\]{}|\\]+/g;
const PHONES = /\+?\d[\d .\-/()]{6,}\d/g;

/** Whether `text` holds one of the points, in any spelling normalization recognises. */
export class PointMatcher {
  readonly #phones: ReadonlySet<string>;
  readonly #emails: ReadonlySet<string>;

  constructor(points: readonly NormalizedPoint[]) {
    this.#phones = new Set(points.filter((p) => p.type === "phone").map((p) => p.value));
    this.#emails = new Set(points.filter((p) => p.type === "email").map((p) => p.value));
  }

  matches(text: string): boolean {
    if (this.#emails.size > 0 && text.includes("@")) {
      for (const m of text.matchAll(EMAILS)) {
        const n = normalizePoint("email", m[0]);
        if (n.ok && this.#emails.has(n.point.value)) return true;
      }
    }
    if (this.#phones.size > 0) {
      for (const m of text.matchAll(PHONES)) {
        const n = normalizePoint("phone", m[0]);
        if (n.ok && this.#phones.has(n.point.value)) return true;
      }
    }
    return false;
  }
}

/** Writes `data` to `file` through a 0600 temporary file and a rename: all of it or nothing. */
function replace(file: string, data: Buffer | string): void {
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(temp, data, { mode: 0o600, flag: "wx" });
  renameSync(temp, file);
}

/** Drops the lines that hold a point (JSON Lines: one object, one person, a line). */
function purgeLines(file: string, match: PointMatcher): number {
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  const kept = lines.filter((line) => !match.matches(line));
  const removed = lines.length - kept.length;
  if (removed > 0) replace(file, kept.join("\n"));
  return removed;
}

/**
 * Drops the CSV records that hold a point, keeping every other byte as it was (header, dialect,
 * line ends). A row the scanner rejected is found by its bytes.
 */
function purgeCsv(file: string, match: PointMatcher): number {
  const bytes = readFileSync(file);
  const scanner = new CsvScanner({ header: false });
  const events: CsvEvent[] = [...scanner.push(bytes), ...scanner.end()];
  const cut: [number, number][] = [];
  let from = 0;
  for (const e of events) {
    if (e.kind === "record") {
      if (match.matches(bytes.toString("utf8", e.start, e.end))) cut.push([e.start, e.end]);
      from = e.end;
    } else if (e.kind === "error" && e.raw !== undefined && match.matches(e.raw.toString("utf8"))) {
      const at = bytes.indexOf(e.raw, from);
      if (at < 0)
        throw new Error(`line ${e.line}: a rejected row that holds the person could not be located`);
      cut.push([at, at + e.raw.length]);
      from = at + e.raw.length;
    } else if (e.kind === "error" && e.raw === undefined) {
      throw new Error(`line ${e.line}: ${e.message}; the file could not be read whole`);
    }
  }
  if (cut.length === 0) return 0;
  const parts: Buffer[] = [];
  let at = 0;
  for (const [start, end] of cut) {
    parts.push(bytes.subarray(at, start));
    // The record's line end goes with it.
    at = bytes[end] === 0x0d && bytes[end + 1] === 0x0a ? end + 2 : bytes[end] === 0x0a ? end + 1 : end;
  }
  parts.push(bytes.subarray(at));
  replace(file, Buffer.concat(parts));
  return cut.length;
}

/** Replaces each occurrence of a point in an HTML report by a mark (its rows are rendered text). */
function purgeReport(file: string, match: PointMatcher): number {
  const text = readFileSync(file, "utf8");
  let removed = 0;
  const swap = (m: string) => {
    if (!match.matches(m)) return m;
    removed++;
    return "[effacé / erased]";
  };
  const out = text.replace(EMAILS, swap).replace(PHONES, swap);
  if (removed > 0) replace(file, out);
  return removed;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(join(dir, d.name)) : d.isFile() ? [join(dir, d.name)] : [],
  );
}

/** No file beside the store: nothing to purge. */
export const NO_FILES: ErasureFiles = { outbox: null, screenings: null };

/** Purges the outbox and every saved screening of the erased points. */
export function purgeErasedFiles(files: ErasureFiles, points: readonly NormalizedPoint[]): PurgeReport {
  const match = new PointMatcher(points);
  const purged: { file: string; removed: number }[] = [];
  const notPurged: { where: string; why: string }[] = [];
  const attempt = (file: string, purge: (file: string, match: PointMatcher) => number) => {
    try {
      const removed = purge(file, match);
      if (removed > 0) purged.push({ file, removed });
    } catch (e) {
      notPurged.push({ where: file, why: e instanceof Error ? e.message : String(e) });
    }
  };
  const outbox = files.outbox;
  if (outbox !== null && "webhook" in outbox) {
    notPurged.push({
      where: `outbox webhook ${new URL(outbox.webhook).origin}`,
      why: "messages already delivered to the webhook: purge them in the system that received them",
    });
  } else if (outbox !== null && existsSync(outbox.file)) {
    attempt(outbox.file, purgeLines);
  }
  if (files.screenings !== null && existsSync(files.screenings) && statSync(files.screenings).isDirectory()) {
    for (const file of filesUnder(files.screenings)) {
      if (file.endsWith(".csv")) attempt(file, purgeCsv);
      else if (file.endsWith(".jsonl")) attempt(file, purgeLines);
      else if (file.endsWith(".html")) attempt(file, purgeReport);
    }
  }
  return { purged, notPurged };
}
