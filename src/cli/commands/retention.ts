// `vigie retention sweep [--dry-run]`.
import { sweepRetention } from "../../services/retention.ts";
import { atOption, evidenceDateOption } from "../dates.ts";
import { EXIT } from "../exit.ts";
import { type StoreOptions, withSession } from "../store-options.ts";

export async function runRetentionSweep(
  o: StoreOptions & { dryRun?: boolean; at?: string; json?: boolean },
): Promise<number> {
  // Erasures are recorded at `at`: only a dry run may look ahead.
  const at = o.dryRun === true ? atOption(o.at) : evidenceDateOption("--at", o.at);
  return withSession(o, async (session) => {
    const r = await sweepRetention(session, at, o.dryRun === true);
    if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else {
      process.stdout.write(
        `${o.dryRun ? "dry run: " : ""}${r.checked} point(s) checked — ${r.expired} past retention${o.dryRun ? " (would be erased)" : `, ${r.erased} erased`}, ${r.kept} kept, ${r.activeContracts} under an active contract, ${r.undated} without any date\n`,
      );
    }
    return EXIT.ok;
  });
}
