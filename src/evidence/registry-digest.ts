// The digest of a Bloctel check's rows, kept in its `registry.snapshot` event: the rows live in a
// table of their own (millions of them), and the audit recomputes this to show none was altered.
// It is a sum of per-row SHA-256 values modulo 2^256 (a multiset hash, "AdHash"): independent of
// order, so an import can compute it while streaming and the audit while scanning, neither
// having to sort millions of rows.
import { createHash } from "node:crypto";
import type { RegistryEntry } from "../store/store.ts";

const MOD = 1n << 256n;

function rowHash(e: RegistryEntry): bigint {
  const line = `${e.pointKey}\t${e.registered ? 1 : 0}\t${e.registeredAt ?? ""}\t${e.effectiveAt ?? ""}`;
  return BigInt(`0x${createHash("sha256").update(line).digest("hex")}`);
}

export class RegistryDigest {
  private sum = 0n;
  private count = 0;

  add(e: RegistryEntry): void {
    this.sum = (this.sum + rowHash(e)) % MOD;
    this.count++;
  }

  /** Takes out a row added before (a multiset hash can: the sum less its value). */
  remove(e: RegistryEntry): void {
    this.sum = (this.sum + MOD - rowHash(e)) % MOD;
    this.count--;
  }

  /** The row count and the sum, so that a missing row and a changed one both change it. */
  digest(): string {
    return `${this.count}:${this.sum.toString(16).padStart(64, "0")}`;
  }
}

export async function registryDigest(
  entries: AsyncIterable<RegistryEntry> | Iterable<RegistryEntry>,
): Promise<string> {
  const d = new RegistryDigest();
  for await (const e of entries) d.add(e);
  return d.digest();
}
