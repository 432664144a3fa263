// `vigie audit verify`: walks each tenant's log and checks every link of the hash chain, the
// personal data still held against its hash, the rows of each Bloctel check against their digest,
// and the recorded head of the chain (which catches events deleted at the end).
import { GENESIS_HASH, hashOf, piiHashOf } from "../store/events.ts";
import { registryDigest } from "../store/registry-digest.ts";
import type { Store } from "../store/store.ts";

export interface AuditResult {
  readonly ok: boolean;
  readonly tenants: readonly {
    readonly tenant: string;
    readonly events: number;
    readonly headSeq: number | null;
  }[];
  /** The first broken link, in words that say what happened. */
  readonly broken: { readonly tenant: string; readonly seq: number; readonly problem: string } | null;
}

export async function verifyAudit(store: Store): Promise<AuditResult> {
  const tenants: { tenant: string; events: number; headSeq: number | null }[] = [];
  for (const tenant of await store.tenants()) {
    // The head is read first: events appended while the audit runs lie past it and are left for
    // the next audit, instead of passing for events missing from the head.
    const head = await store.chainHead(tenant);
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let count = 0;
    const fail = (seq: number, problem: string): AuditResult => ({
      ok: false,
      tenants: [...tenants, { tenant, events: count, headSeq: null }],
      broken: { tenant, seq, problem },
    });
    for await (const e of store.events(tenant)) {
      if (head !== null && e.seq > head.seq) break;
      if (e.seq > expectedSeq) {
        return fail(
          expectedSeq,
          `event ${expectedSeq} is missing: deleted from the log (the next one is ${e.seq})`,
        );
      }
      if (e.prevHash !== prevHash) {
        return fail(e.seq, `event ${e.seq} does not follow event ${e.seq - 1}: inserted or reordered`);
      }
      const { hash, pii, ...rest } = e;
      if (hashOf(rest) !== hash)
        return fail(e.seq, `event ${e.seq} (${e.data.type}) was altered after it was recorded`);
      if (pii !== null && piiHashOf(pii) !== e.piiHash) {
        return fail(e.seq, `the personal data of event ${e.seq} was altered after it was recorded`);
      }
      if (e.data.type === "registry.snapshot") {
        const digest = await registryDigest(store.registryEntries(tenant, e.seq));
        if (digest !== e.data.entriesDigest) {
          return fail(e.seq, `the rows of the Bloctel check recorded by event ${e.seq} were altered`);
        }
      }
      prevHash = hash;
      expectedSeq = e.seq + 1;
      count++;
    }
    const lastSeq = expectedSeq - 1;
    if (head === null || head.seq !== lastSeq || head.hash !== prevHash) {
      return fail(
        lastSeq + 1,
        head !== null && head.seq > lastSeq
          ? `the log ends at event ${lastSeq} but the chain head records event ${head.seq}: events deleted at the end`
          : `the chain head does not match the last event (${lastSeq})`,
      );
    }
    tenants.push({ tenant, events: count, headSeq: head.seq });
  }
  return { ok: true, tenants, broken: null };
}
