// What an attacker with write access to the database does after rewriting the log: recomputes the
// Merkle tree (nodes and the head's frontier) from the events, so that the store agrees with itself.
import { appendLeaves, EMPTY_FRONTIER, frontierBytes, leafHash } from "../../src/log/merkle.ts";
import type { Store } from "../../src/store/store.ts";
import { sqlLiteral } from "./sql.ts";

export async function retree(
  store: Store & { unsafeExec(sql: string): unknown },
  tenant: string,
): Promise<void> {
  const head = await store.chainHead(tenant);
  const size = head?.seq ?? 0;
  const { frontier, stored } = appendLeaves(
    EMPTY_FRONTIER,
    (await store.eventHashes(tenant, 1, size)).map(leafHash),
  );
  const lit = (v: string | number | Uint8Array) => sqlLiteral(store.dialect, v);
  await store.unsafeExec(`DELETE FROM merkle_nodes WHERE tenant = ${lit(tenant)}`);
  for (const n of stored) {
    await store.unsafeExec(
      `INSERT INTO merkle_nodes (tenant, level, idx, hash) VALUES (${lit(tenant)}, ${n.level}, ${n.idx}, ${lit(n.hash)})`,
    );
  }
  await store.unsafeExec(
    `UPDATE chain_head SET tree = ${lit(frontierBytes(frontier))} WHERE tenant = ${lit(tenant)}`,
  );
}
