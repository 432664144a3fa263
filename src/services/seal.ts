// Sealing a log written before the Merkle tree (schema migration 4): its chain is verified as the
// audit verifies it, then the tree of its events is stored and the head given its frontier, in
// one transaction that only succeeds if no event was appended meanwhile. Nothing is rewritten:
// the first signed head commits to the old events through the tree. A log that does not verify is
// not sealed, and the store refuses to be used until it is restored.
import { frontierBytes } from "../log/merkle.ts";
import type { Store } from "../store/store.ts";
import { TenantAudit } from "./audit.ts";

/** A log failed verification and was left as it was (CLI: exit 2). */
export class SealError extends Error {}

/** Attempts per tenant when other processes append or seal meanwhile. */
const ATTEMPTS = 5;

/** Seals every tenant's log that has no tree yet; returns the tenants sealed and their events. */
export async function sealLogs(store: Store): Promise<{ tenant: string; events: number }[]> {
  const sealed: { tenant: string; events: number }[] = [];
  for (const tenant of await store.tenants()) {
    for (let attempt = 1; ; attempt++) {
      const head = await store.chainHead(tenant);
      if (head === null || head.tree !== null) break;
      const t = new TenantAudit(store, tenant, { quick: true, sealing: true });
      const chain = await t.chain();
      if ("broken" in chain) {
        throw new SealError(
          `the evidence log of tenant ${JSON.stringify(tenant)} fails verification, so it was not migrated to the Merkle tree (the log was left as it was): ${chain.broken.problem}. Restore the store from a backup taken before the damage (docs/evidence.md)`,
        );
      }
      const at = chain.head;
      if (at === null || at.tree !== null) break;
      if (await store.sealTree(tenant, at, frontierBytes(t.frontier), t.nodes)) {
        sealed.push({ tenant, events: at.seq });
        break;
      }
      if (attempt === ATTEMPTS) {
        throw new SealError(
          `the evidence log of tenant ${JSON.stringify(tenant)} kept growing while it was being sealed: stop the processes writing to it (a vigie older than this one) and try again`,
        );
      }
    }
  }
  return sealed;
}
