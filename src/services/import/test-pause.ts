// Test hook, for the crash test of imports (test/cli/crash.test.ts) only: it must kill an import
// inside its transaction, and a kill at a fixed delay may land before the transaction began.
// With VIGIE_TEST_PAUSE_IN_TRANSACTION=N, the import's writer says on stderr when its Nth batch
// is written — transaction open, rows in it, not committed — and pauses there for the test to
// kill it (continuing after a minute, should nobody). Unset, the writer is returned as it is.
import { setTimeout as sleep } from "node:timers/promises";
import type { BulkWriter } from "../../store/store.ts";

export const PAUSE_VARIABLE = "VIGIE_TEST_PAUSE_IN_TRANSACTION";
/** The line written on stderr, followed by ` after batch N`. */
export const PAUSED_LINE = "vigie test hook: paused inside the import transaction";
const PAUSE_MS = 60_000;

export function pausable(w: BulkWriter): BulkWriter {
  const after = Number(process.env[PAUSE_VARIABLE] ?? Number.NaN);
  if (!Number.isInteger(after) || after < 1) return w;
  let batches = 0;
  const written = async (): Promise<void> => {
    if (++batches !== after) return;
    process.stderr.write(`${PAUSED_LINE} after batch ${after}\n`);
    await sleep(PAUSE_MS);
  };
  return {
    append: async (events) => {
      const r = await w.append(events);
      await written();
      return r;
    },
    registry: async (tenant, snapshotSeq, checkedAt, entries) => {
      await w.registry(tenant, snapshotSeq, checkedAt, entries);
      await written();
    },
    recordImport: (tenant, record) => w.recordImport(tenant, record),
  };
}
