// The evidence reads of one event-loop turn, made as one batch read. A server under load parses
// several requests in one turn of the loop, and each check asks for one point's evidence: read
// alone, each pays SQLite's start of a read transaction and a seek in every evidence table (about
// half a check's CPU time, bench/api.ts); read together, they are one transaction whose statements
// seek only the tables the held-parts map says hold rows (held-parts.ts) — the batch endpoint's
// path. A read still starts after its request arrived and before it is answered: it sees every
// write committed before the check was asked, as a read of its own would.
import type { Evidence } from "../store.ts";

type ReadMany = (tenant: string, points: readonly (readonly string[])[]) => Promise<Evidence[]>;

interface Waiting {
  readonly keys: readonly string[];
  readonly resolve: (evidence: Evidence) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A read of one point's evidence that joins the other reads asked in the same turn: at the end of
 * the turn (setImmediate), each tenant's are read by one `readMany`. If that read fails, every
 * read it held fails with its error.
 */
export function coalescedReads(
  readMany: ReadMany,
): (tenant: string, keys: readonly string[]) => Promise<Evidence> {
  let waiting = new Map<string, Waiting[]>();
  const flush = (): void => {
    const turn = waiting;
    waiting = new Map();
    for (const [tenant, reads] of turn) {
      readMany(
        tenant,
        reads.map((r) => r.keys),
      ).then(
        (evidence) => {
          reads.forEach((r, i) => {
            r.resolve(evidence[i] as Evidence);
          });
        },
        (error: unknown) => {
          for (const r of reads) r.reject(error);
        },
      );
    }
  };
  return (tenant, keys) =>
    new Promise<Evidence>((resolve, reject) => {
      if (waiting.size === 0) setImmediate(flush);
      const reads = waiting.get(tenant);
      if (reads === undefined) waiting.set(tenant, [{ keys, resolve, reject }]);
      else reads.push({ keys, resolve, reject });
    });
}
