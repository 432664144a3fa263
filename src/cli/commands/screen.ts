// `vigie screen LIST --campaign FILE --out DIR`: a contact list decided row by row (docs/contract.md §2).
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { XlsxLimitError } from "../../io/xlsx/writer.ts";
import { CampaignFileError, loadCampaign } from "../../services/screen/campaign.ts";
import { columnNames, ListFileError } from "../../services/screen/columns.ts";
import { type EvidenceSource, EvidenceStoreError, openEvidence } from "../../services/screen/evidence.ts";
import { screenJob } from "../../services/screen/jobs.ts";
import { type ListValues, parseMapValues, parseSet } from "../../services/screen/list-values.ts";
import { langOption } from "../dates.ts";
import { encodingOption } from "../encoding-option.ts";
import { EXIT, UsageError } from "../exit.ts";
import { progressLine } from "../progress.ts";
import { cliActor, type StoreOptions } from "../store-options.ts";

export interface ScreenOptions extends StoreOptions {
  campaign: string;
  out: string;
  map?: string;
  encoding?: string;
  sheet?: string;
  set: string[];
  mapValues: string[];
  mapValuesFile?: string;
  lang: string;
  excel?: boolean;
  xlsx?: boolean;
}

export async function runScreen(list: string, o: ScreenOptions): Promise<number> {
  const lang = langOption(o.lang);
  const encoding = encodingOption(o.encoding);
  let names: ReturnType<typeof columnNames>;
  let values: ListValues;
  try {
    names = columnNames(o.map);
    values = { set: parseSet(o.set), maps: parseMapValues(o.mapValues, o.mapValuesFile) };
  } catch (e) {
    if (e instanceof ListFileError) throw new UsageError(e.message);
    throw e;
  }
  let campaign: ReturnType<typeof loadCampaign>;
  try {
    campaign = loadCampaign(o.campaign);
  } catch (e) {
    if (!(e instanceof CampaignFileError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return EXIT.invalid;
  }
  if (!existsSync(list)) throw new UsageError(`cannot read ${list}: ENOENT`);
  let evidence: EvidenceSource | null;
  try {
    evidence = await openEvidence(o);
  } catch (e) {
    if (e instanceof EvidenceStoreError) throw new UsageError(e.message);
    throw e;
  }
  if (evidence === null) {
    process.stderr.write(
      "vigie: no evidence store (no --store, --database, or ./vigie.db): screening on the list's columns alone — no consent, objection or Bloctel check is known\n",
    );
  }

  // Ctrl-C or a TERM stops between two chunks and leaves DIR as it was.
  const abort = new AbortController();
  const stop = (signal: NodeJS.Signals) => abort.abort(signal);
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const progress = progressLine("screen");
  try {
    const s = await screenJob(
      {
        list,
        campaignFile: o.campaign,
        campaign,
        out: o.out,
        names,
        input: { encoding, sheet: o.sheet },
        values,
        excel: o.excel,
        xlsx: o.xlsx,
        lang,
        evidence,
        signal: abort.signal,
        onProgress: (done, total, rows) => progress.update(done, total, rows),
      },
      { by: cliActor(), now: Date.now },
    );
    progress.finish();
    process.stdout.write(
      `${list}: ${s.in} rows = ${s.allowed} allowed + ${s.blocked} blocked + ${s.rejected} rejected → ${o.out}\n`,
    );
    if (s.rejected > 0)
      process.stderr.write(`${list}: ${s.rejected} rejected rows, with their lines: ${o.out}/rejected.csv\n`);
    return s.rejected > 0 ? EXIT.invalid : EXIT.ok;
  } catch (e) {
    progress.finish();
    if (e instanceof ListFileError || e instanceof XlsxLimitError) {
      process.stderr.write(`vigie: ${list}: ${e.message}; nothing written\n`);
      return EXIT.invalid;
    }
    if (abort.signal.aborted) {
      const signal = abort.signal.reason as NodeJS.Signals;
      process.stderr.write(`vigie: ${signal}: screening stopped; nothing written to ${o.out}\n`);
      return 128 + constants.signals[signal];
    }
    throw e;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await evidence?.close();
  }
}
