// `vigie audit verify`: exit 0 when every chain is intact, 1 naming the first broken link.
import { verifyAudit } from "../../services/audit.ts";
import { EXIT } from "../exit.ts";
import { type StoreOptions, withSession } from "../store-options.ts";
import { headsFileCheck, printHeadsCheck } from "./heads.ts";

export async function runAuditVerify(o: StoreOptions & { json?: boolean; heads?: string }): Promise<number> {
  return withSession(o, async (session) => {
    const r = await verifyAudit(session.store);
    const heads = await headsFileCheck(session, o);
    if (o.json) process.stdout.write(`${JSON.stringify(heads === null ? r : { ...r, heads }, null, 2)}\n`);
    else if (r.ok) {
      const total = r.tenants.reduce((n, t) => n + t.events, 0);
      process.stdout.write(`audit: chain intact — ${total} event(s) in ${r.tenants.length} tenant(s)\n`);
    } else {
      process.stdout.write(
        `audit: BROKEN at tenant ${r.broken?.tenant}, event ${r.broken?.seq}: ${r.broken?.problem}\n`,
      );
    }
    if (heads !== null && !o.json) printHeadsCheck(heads);
    return r.ok && (heads?.ok ?? true) ? EXIT.ok : EXIT.blocked;
  });
}
