// `vigie audit verify`: exit 0 when every chain is intact and the state matches it, 1 naming the
// first problem. `--quick` checks the chains only.
import { verifyAudit } from "../../services/audit.ts";
import { EXIT } from "../exit.ts";
import { type StoreOptions, withSession } from "../store-options.ts";
import { headsFileCheck, printHeadsCheck } from "./heads.ts";

export async function runAuditVerify(
  o: StoreOptions & { json?: boolean; quick?: boolean; heads?: string },
): Promise<number> {
  return withSession(o, async (session) => {
    const r = await verifyAudit(session.store, { quick: o.quick === true });
    const heads = await headsFileCheck(session, o);
    if (o.json) process.stdout.write(`${JSON.stringify(heads === null ? r : { ...r, heads }, null, 2)}\n`);
    else if (r.ok) {
      const total = r.tenants.reduce((n, t) => n + t.events, 0);
      const state = r.stateChecked ? ", state matches the log" : " (--quick: state not compared)";
      process.stdout.write(
        `audit: chain intact${state} — ${total} event(s) in ${r.tenants.length} tenant(s)\n`,
      );
    } else {
      const at = r.broken?.seq === null ? "" : `, event ${r.broken?.seq}`;
      process.stdout.write(`audit: BROKEN at tenant ${r.broken?.tenant}${at}: ${r.broken?.problem}\n`);
    }
    if (heads !== null && !o.json) printHeadsCheck(heads);
    return r.ok && (heads?.ok ?? true) ? EXIT.ok : EXIT.blocked;
  });
}
