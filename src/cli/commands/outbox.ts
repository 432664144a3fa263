// `vigie outbox list|purge`: the file outbox of `vigie serve` (FILE.outbox.jsonl), which holds
// personal data — addresses, numbers, live links and codes — until it is purged. `list` shows
// what waits without the links and codes; `purge` drops the messages sent before a date (all by
// default). The server may append while a purge runs: the file is moved aside first, and the
// messages kept are appended back, so none written meanwhile is lost.
import { appendFileSync, existsSync, readFileSync, renameSync, unlinkSync } from "node:fs";
import { apiFile } from "../../api/paths.ts";
import { atOption } from "../dates.ts";
import { EXIT } from "../exit.ts";
import type { StoreOptions } from "../store-options.ts";

interface Line {
  readonly at?: string;
  readonly to?: string;
  readonly channel?: string;
  readonly subject?: string;
}

function readLines(path: string): { text: string; message: Line | null }[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((text) => text !== "")
    .map((text) => {
      try {
        return { text, message: JSON.parse(text) as Line };
      } catch {
        return { text, message: null };
      }
    });
}

/** An address or number with its middle hidden: enough to recognise, not to use. */
function masked(to: string): string {
  const at = to.indexOf("@");
  if (at > 0) return `${to.slice(0, 1)}…${to.slice(at)}`;
  return to.length > 4 ? `${to.slice(0, 3)}…${to.slice(-2)}` : "…";
}

export function runOutboxList(o: StoreOptions & { json?: boolean }): number {
  const path = apiFile(o, "outbox");
  const lines = readLines(path);
  if (o.json) {
    for (const { message } of lines) {
      if (message !== null) {
        const { at, channel, to, subject } = message;
        process.stdout.write(
          `${JSON.stringify({ at, channel, to, ...(subject === undefined ? {} : { subject }) })}\n`,
        );
      }
    }
    return EXIT.ok;
  }
  process.stdout.write(`${path}: ${lines.length} message(s)\n`);
  for (const { message } of lines) {
    if (message === null) process.stdout.write("  (unreadable line)\n");
    else
      process.stdout.write(
        `  ${message.at ?? "?"}  ${message.channel ?? "?"}  ${masked(message.to ?? "")}\n`,
      );
  }
  return EXIT.ok;
}

export function runOutboxPurge(o: StoreOptions & { before?: string }): number {
  const path = apiFile(o, "outbox");
  if (!existsSync(path)) {
    process.stdout.write(`${path}: no outbox, nothing to purge\n`);
    return EXIT.ok;
  }
  const before = o.before === undefined ? Number.POSITIVE_INFINITY : atOption(o.before);
  const aside = `${path}.purging-${process.pid}`;
  renameSync(path, aside);
  let purged = 0;
  let kept = 0;
  try {
    for (const { text, message } of readLines(aside)) {
      const at = message?.at === undefined ? Number.NaN : Date.parse(message.at);
      // With --before, a line without a readable date is kept: only what is known old goes.
      const keep = o.before !== undefined && !(Number.isFinite(at) && at < before);
      if (keep) {
        appendFileSync(path, `${text}\n`, { mode: 0o600 });
        kept++;
      } else purged++;
    }
  } finally {
    unlinkSync(aside);
  }
  process.stdout.write(`${path}: ${purged} message(s) purged, ${kept} kept\n`);
  return EXIT.ok;
}
