// Stored evidence for screening, behind one small interface so the pipeline neither knows which
// store answers nor how points are keyed. An index of the keys the store holds (evidence-index.ts),
// loaded once, answers for the points with no evidence or only Bloctel rows; the others are looked
// up by batch (Store.evidenceMany): one query per table for SQLite, on a thread of its own
// (lookup-thread.ts), a busy connection pool for PostgreSQL, instead of one round-trip per row.
import { existsSync } from "node:fs";
import { joinPerson, type OtherPoint } from "../../evidence/person.ts";
import { allPointKeys } from "../../normalize/keys.ts";
import type { NormalizedPoint } from "../../normalize/point.ts";
import type { ChainHead, Evidence } from "../../store/store.ts";
import { headRoot } from "../../store/tree.ts";
import { type Activity, recordActivity } from "../activity.ts";
import type { SignedHead } from "../head-statement.ts";
import { signedChainHead } from "../heads.ts";
import { DEFAULT_STORE_FILE, openSession, type Session } from "../session.ts";
import { EvidenceIndex } from "./evidence-index.ts";
import { LookupThread } from "./lookup-thread.ts";

export interface EvidenceSource {
  /** How the summary names it: `sqlite:<file>` or `postgres` (never the URL: it may hold a password). */
  readonly label: string;
  /** The head of the tenant's log when screening began: which state of the evidence decided. */
  readonly head: LogHead | null;
  /** That head signed as of when its event was recorded (heads.ts: signedChainHead); null without a signing key. */
  readonly signedHead: SignedHead | null;
  /**
   * Everything held about the person of each row, in the order given: a row's points are one
   * person, the first the one decided on; the others add their restrictions (evidence/person.ts).
   */
  evidence(rows: readonly (readonly NormalizedPoint[])[]): Promise<Evidence[]>;
  /** Records the screening in the store's audit trail. */
  record(activity: Activity): Promise<void>;
  close(): Promise<void>;
}

/** A head of the log as summaries show it: its last event, and its Merkle tree's root (hex). */
export interface LogHead {
  readonly tenant: string;
  readonly seq: number;
  readonly hash: string;
  readonly root: string | null;
}

/** A store that cannot be screened against: exit 2. */
export class EvidenceStoreError extends Error {}

/**
 * Evidence from an open session. With an index (EvidenceIndex.load), only the points it cannot
 * answer are looked up; without, every point is.
 */
export function sessionEvidence(
  session: Session,
  label: string,
  head: (ChainHead & { readonly signed?: SignedHead | null }) | null,
  index: EvidenceIndex | null = null,
  thread: LookupThread | null = null,
): EvidenceSource {
  const { store, ring, tenant } = session;
  const lookup = (points: readonly (readonly string[])[]) =>
    thread === null ? store.evidenceMany(tenant, points) : thread.evidenceMany(tenant, points);
  /** Each point's evidence: from the index where it knows, else looked up. */
  const pointsEvidence = async (keyed: readonly (readonly string[])[]): Promise<Evidence[]> => {
    if (index === null) return lookup(keyed);
    const out: Evidence[] = new Array(keyed.length);
    const asked: (readonly string[])[] = [];
    const at: number[] = [];
    keyed.forEach((keys, i) => {
      const known = index.answer(keys);
      if (known !== null) out[i] = known;
      else {
        asked.push(keys);
        at.push(i);
      }
    });
    if (asked.length > 0) {
      const found = await lookup(asked);
      found.forEach((e, j) => {
        out[at[j] as number] = e;
      });
    }
    return out;
  };
  return {
    label,
    head: head === null ? null : { tenant, seq: head.seq, hash: head.hash, root: headRoot(head) },
    signedHead: head?.signed ?? null,
    record: (activity) => recordActivity(session, activity),
    evidence: async (rows) => {
      const keyed = rows.flatMap((points) => points.map((p) => allPointKeys(ring, p)));
      const found = await pointsEvidence(keyed);
      const out: Evidence[] = new Array(rows.length);
      let k = 0;
      rows.forEach((points, i) => {
        const own = found[k] as Evidence;
        const others: OtherPoint[] = [];
        for (let j = 1; j < points.length; j++) {
          others.push({ keys: keyed[k + j] as string[], evidence: found[k + j] as Evidence });
        }
        out[i] = joinPerson(own, others);
        k += points.length;
      });
      return out;
    },
    close: async () => {
      await thread?.close();
      await store.close();
    },
  };
}

export interface EvidenceLocation {
  readonly store?: string | undefined;
  readonly database?: string | undefined;
  readonly tenant?: string | undefined;
  /** Load the index of stored keys before screening (default); false looks every point up. */
  readonly index?: boolean | undefined;
}

/**
 * The store to screen against: --database (or $VIGIE_DATABASE_URL), else --store (or
 * $VIGIE_STORE), which must exist, else ./vigie.db if there is one. Null: screen with no stored
 * evidence. Screening never creates a store.
 */
export async function openEvidence(where: EvidenceLocation): Promise<EvidenceSource | null> {
  const url = where.database ?? process.env.VIGIE_DATABASE_URL;
  const postgres = url !== undefined && url !== "";
  const explicit = where.store ?? process.env.VIGIE_STORE;
  const file = postgres
    ? undefined
    : (explicit ?? (existsSync(DEFAULT_STORE_FILE) ? DEFAULT_STORE_FILE : undefined));
  if (!postgres && file === undefined) return null;
  if (file !== undefined && !existsSync(file)) {
    throw new EvidenceStoreError(`--store ${file}: no such file (screening never creates a store)`);
  }
  const location = postgres ? { database: url } : { store: file };
  const label = postgres ? "postgres" : `sqlite:${file}`;
  // A KeyRingError when the keyring is not the store's: screened with another, every point would
  // look unknown and every objection be missed.
  const session = await openSession({ ...location, tenant: where.tenant });
  try {
    const head = await signedChainHead(session);
    const index = where.index === false ? null : await EvidenceIndex.load(session.store, session.tenant);
    const thread = file === undefined ? null : new LookupThread(file);
    return sessionEvidence(session, label, head, index, thread);
  } catch (e) {
    await session.store.close();
    throw e;
  }
}
