// `vigie retention sweep`: the CNIL référentiel's limits (docs/law.md, D5) applied to the store. A
// prospect's data goes 3 years after collection or the person's last own contact; a customer's 3
// years after the relationship ends. What goes is the personal data; the keys stay, so an
// objection keeps being honoured for as long as the log is kept (at least 3 years).
import { RETENTION_YEARS, valueAt } from "../params/fr/params.ts";
import type { RetentionCandidate } from "../store/store.ts";
import { addYears } from "../time/dates.ts";
import { erasureEvent } from "./record.ts";
import type { Session } from "./session.ts";

export interface SweepResult {
  readonly checked: number;
  readonly expired: number;
  readonly kept: number;
  /** Active contracts: no limit while the contract runs. */
  readonly activeContracts: number;
  /** No collection, contact or relationship date: the limit cannot be computed. */
  readonly undated: number;
  readonly erased: number;
}

/** When a point's data expire, or null while a contract runs or no date is known. */
export function expiryOf(c: RetentionCandidate, at: number): number | null {
  const years = valueAt(RETENTION_YEARS, at);
  if (years === undefined || c.activeContract) return null;
  const customer = c.customerUntil !== null;
  const dates = [customer ? c.customerUntil : c.lastCollectedAt, c.lastInboundAt].filter(
    (d): d is number => d !== null,
  );
  if (dates.length === 0) return null;
  return addYears(Math.max(...dates), customer ? years.customer : years.prospect);
}

export async function sweepRetention(session: Session, at: number, dryRun: boolean): Promise<SweepResult> {
  const { store, tenant } = session;
  let checked = 0;
  let activeContracts = 0;
  let undated = 0;
  const expired: string[] = [];
  for await (const c of store.retentionCandidates(tenant)) {
    checked++;
    if (c.activeContract) activeContracts++;
    const expiry = expiryOf(c, at);
    if (expiry === null) {
      if (!c.activeContract) undated++;
    } else if (expiry <= at) expired.push(c.pointKey);
  }
  let erased = 0;
  if (!dryRun) {
    for (let i = 0; i < expired.length; i += 5000) {
      const keys = expired.slice(i, i + 5000);
      // The erasure event names the point's type, which only its stored row knows.
      const held = await store.evidenceMany(
        tenant,
        keys.map((key) => [key]),
      );
      const recording = { tenant, proof: { recordedBy: "retention-sweep" } };
      const batch = keys.map((key, j) =>
        erasureEvent(recording, { key, pointType: held[j]?.point?.type ?? "phone" }, "retention", at),
      );
      erased += (await store.append(batch)).appended;
    }
  }
  return {
    checked,
    expired: expired.length,
    kept: checked - expired.length - activeContracts - undated,
    activeContracts,
    undated,
    erased,
  };
}
