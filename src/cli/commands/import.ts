// `vigie import KIND FILE`: evidence from a CSV file (docs/contract.md §3).

import { systemClock } from "../../facts/evidence-dates.ts";
import { IMPORT_KINDS, type ImportKind } from "../../services/import/kinds.ts";
import { ImportFileError, importFile } from "../../services/import/run.ts";
import { isoDate } from "../../time/dates.ts";
import { evidenceDateOption } from "../dates.ts";
import { encodingOption } from "../encoding-option.ts";
import { EXIT, UsageError } from "../exit.ts";
import { progressLine } from "../progress.ts";
import { cliActor, type StoreOptions, withSession } from "../store-options.ts";
import { type HeadsOptions, publishImportHead } from "./heads.ts";

/** Rejected rows printed on standard error before the rest is summarised. */
const SHOWN_REJECTS = 50;

export async function runImport(
  kind: string,
  file: string,
  o: StoreOptions &
    HeadsOptions & {
      ignoreUnknown?: boolean;
      date?: string;
      complete?: boolean;
      json?: boolean;
      encoding?: string;
      map?: string;
    },
): Promise<number> {
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`import ${kind}: expected one of ${IMPORT_KINDS.join(", ")}`);
  }
  if (kind !== "bloctel" && (o.date !== undefined || o.complete)) {
    throw new UsageError("--date and --complete are for bloctel imports");
  }
  if (kind === "bloctel" && o.date === undefined)
    throw new UsageError("import bloctel: --date DAY (of the check) is required");
  const date = o.date === undefined ? undefined : evidenceDateOption("--date", o.date);
  const encoding = encodingOption(o.encoding);
  return withSession(o, async (session) => {
    const progress = progressLine(`import ${kind}`);
    let report: Awaited<ReturnType<typeof importFile>>;
    try {
      report = await importFile(session, {
        kind: kind as ImportKind,
        file,
        ignoreUnknown: o.ignoreUnknown === true,
        map: o.map,
        encoding,
        date,
        complete: o.complete,
        now: systemClock(),
        recordedBy: `${cliActor()} import ${kind} ${file}`,
        onProgress: (done, total, rows) => progress.update(done, total, rows),
      });
    } catch (e) {
      progress.finish();
      if (e instanceof ImportFileError) {
        process.stderr.write(`vigie: ${file}: ${e.message}; nothing imported\n`);
        return EXIT.invalid;
      }
      if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError(`cannot read ${file}: ENOENT`);
      throw e;
    }
    progress.finish();
    for (const r of report.rejected.slice(0, SHOWN_REJECTS))
      process.stderr.write(`${file}: line ${r.line}: ${r.message}\n`);
    if (report.rejected.length > SHOWN_REJECTS) {
      process.stderr.write(
        `${file}: … and ${report.rejected.length - SHOWN_REJECTS} more rejected rows (see --json)\n`,
      );
    }
    if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else if (report.alreadyImportedAt !== null) {
      process.stdout.write(
        `${file}: already imported on ${isoDate(report.alreadyImportedAt)} (same SHA-256): nothing to do\n`,
      );
    } else {
      const e = report.events;
      const read = report.encoding;
      // Said when it is not plain UTF-8: the bytes were converted, and whoever imports should know.
      const how =
        read === undefined || read.encoding === "utf8"
          ? ""
          : ` (read as ${read.encoding}${read.source === "forced" ? ", --encoding" : read.source === "bom" ? ", by its byte-order mark" : ""})`;
      const dayFirst = report.interpretations?.datesFrench ?? 0;
      const spelled = report.interpretations?.wordsSpelled ?? 0;
      const readAs =
        (dayFirst > 0 ? `; ${dayFirst} date(s) read day first (JJ/MM/AAAA)` : "") +
        (spelled > 0 ? `; ${spelled} word(s) read despite their capitals or spaces (SMS → sms)` : "");
      process.stdout.write(
        `${file}${how}: ${report.rows} rows = ${report.accepted} accepted + ${report.rejected.length} rejected; events: ${e.appended} new, ${e.duplicates} already recorded, ${e.suppressed} suppressed (erased subjects)${readAs}\n`,
      );
    }
    if (report.events.appended > 0) await publishImportHead(session, o);
    return report.rejected.length > 0 ? EXIT.invalid : EXIT.ok;
  });
}
