// `vigie audit verify` on a SQLite store of BENCH_AUDIT_EVENTS consents (default 200 000), each
// with its point, appended in batches of 10 000: the quick audit (chain, Merkle tree, heads) and
// the full one (the state rebuilt and compared), against the reference of reading the log alone
// (every event streamed, nothing checked), measured in the same run.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NewEvent } from "../src/evidence/events.ts";
import { verifyAudit } from "../src/services/audit.ts";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.ts";

const N = Number(process.env.BENCH_AUDIT_EVENTS ?? 200_000);
const BATCH = 10_000;

function batch(from: number, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    tenant: "t",
    pointKey: `v1:${randomBytes(32).toString("base64url")}`,
    controller: "agence dupont",
    occurredAt: Date.parse("2025-01-01T00:00:00Z") + (from + i) * 1000,
    data: {
      type: "consent.given",
      consent: { channel: "email", method: "double_opt_in", scope: "standard", proof: true },
    },
    proof: { recordedBy: "bench" },
    pii: { point: { type: "email", value: `p${from + i}@example.fr` } },
  }));
}

const seconds = (since: number) => (performance.now() - since) / 1000;

export async function benchAudit(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "vigie-bench-audit-"));
  const store = new SqliteStore(join(dir, "vigie.db"));
  try {
    for (let from = 0; from < N; from += BATCH) await store.append(batch(from, Math.min(BATCH, N - from)));
    let t = performance.now();
    let read = 0;
    for await (const _ of store.events("t")) read++;
    const reference = seconds(t);
    console.log(`reference: read ${read} events            ${reference.toFixed(1)} s`);
    for (const quick of [true, false]) {
      t = performance.now();
      const r = await verifyAudit(store, { quick });
      const s = seconds(t);
      console.log(
        `audit verify${quick ? " --quick" : "        "} ${N} events  ${s.toFixed(1)} s  ${Math.round(N / s).toLocaleString("en")} events/s  ×${(s / reference).toFixed(1)} the reference  ${r.ok ? "ok" : "BROKEN"}  (tree nodes: ${await store.treeNodeCount("t")})`,
      );
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAudit();
