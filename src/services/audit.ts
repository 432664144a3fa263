// `vigie audit verify`: walks each tenant's log and checks every link of the hash chain, the
// personal data still held against its hash (and that none is gone but by an erasure), the rows of each Bloctel check against their digest,
// the recorded head of the chain, and the Merkle tree rebuilt from the events against the tree
// the store keeps (its nodes and the head's frontier); then rebuilds the state decisions read
// from the log and compares it with the tables the store holds, since what decides is what must
// be verified.

import { type EventPii, GENESIS_HASH, hashOf, piiHashOf, piiTextToKeep } from "../evidence/events.ts";
import { StateRebuild } from "../evidence/rebuild.ts";
import { registryDigest } from "../evidence/registry-digest.ts";
import { firstStateDifference } from "../evidence/state-diff.ts";
import {
  appendLeaves,
  EMPTY_FRONTIER,
  type Frontier,
  frontierBytes,
  leafHash,
  type TreeNode,
} from "../log/merkle.ts";
import { type ChainHead, type Store, StoreIntegrityError } from "../store/store.ts";

export interface AuditOptions {
  /** The chain only: skip rebuilding and comparing the state (docs/evidence.md gives the cost). */
  readonly quick?: boolean;
}

export interface AuditResult {
  readonly ok: boolean;
  /** Whether the state tables were compared with the log (false with `quick`). */
  readonly stateChecked: boolean;
  readonly tenants: readonly {
    readonly tenant: string;
    readonly events: number;
    readonly headSeq: number | null;
  }[];
  /** The first problem found, in words that say what happened. */
  readonly broken: {
    readonly tenant: string;
    /** The event at fault, or null when none is (a state row no event records). */
    readonly seq: number | null;
    readonly problem: string;
    /** The state table at fault, when it is the state that differs from the log. */
    readonly table?: string;
  } | null;
}

type Broken = NonNullable<AuditResult["broken"]>;

/** Comparisons of a tenant's state, when the log grows during each: then the audit gives up. */
const STATE_ATTEMPTS = 3;

/** Tree nodes compared with the stored ones a range at a time. */
const NODES_PER_READ = 2048;

/**
 * One tenant's log walked so far, folded into its state unless the audit is quick, and into its
 * Merkle tree: the nodes it completes are either compared with the stored ones (the audit) or
 * kept to be stored (sealing a log written before the tree, seal.ts).
 */
export class TenantAudit {
  lastSeq = 0;
  lastHash = GENESIS_HASH;
  frontier: Frontier = EMPTY_FRONTIER;
  /** Nodes made by the walk: not compared yet, or all of them when sealing. */
  readonly nodes: TreeNode[] = [];
  nodeCount = 0;
  /** Points with an erasure in the log, and the first event of each point whose personal data is gone. */
  private readonly erased = new Set<string>();
  private readonly piiGone = new Map<string, number>();
  readonly rebuilt: StateRebuild | null;
  private readonly store: Store;
  readonly tenant: string;
  private readonly sealing: boolean;

  constructor(store: Store, tenant: string, mode: { quick: boolean; sealing?: boolean }) {
    this.store = store;
    this.tenant = tenant;
    this.rebuilt = mode.quick ? null : new StateRebuild();
    this.sealing = mode.sealing === true;
  }

  private broken(seq: number | null, problem: string, table?: string): Broken {
    return { tenant: this.tenant, seq, problem, ...(table === undefined ? {} : { table }) };
  }

  /** Checks the events after the last one walked; null when every link holds. */
  private async walk(): Promise<Broken | null> {
    try {
      return await this.walkEvents();
    } catch (e) {
      // An event the store cannot read back (a text it refers to deleted) is where the log breaks.
      if (e instanceof StoreIntegrityError && e.tenant === this.tenant)
        return this.broken(e.seq, `event ${e.seq} cannot be read: ${e.problem}`, "event_texts");
      throw e;
    }
  }

  private async walkEvents(): Promise<Broken | null> {
    for await (const e of this.store.events(this.tenant, this.lastSeq + 1)) {
      const expected = this.lastSeq + 1;
      if (e.seq > expected) {
        return this.broken(
          expected,
          `event ${expected} is missing: deleted from the log (the next one is ${e.seq})`,
        );
      }
      if (e.prevHash !== this.lastHash) {
        return this.broken(e.seq, `event ${e.seq} does not follow event ${e.seq - 1}: inserted or reordered`);
      }
      const { hash, pii, ...rest } = e;
      if (hashOf(rest) !== hash)
        return this.broken(e.seq, `event ${e.seq} (${e.data.type}) was altered after it was recorded`);
      if (pii !== null && piiHashOf(pii) !== e.piiHash) {
        return this.broken(
          e.seq,
          `the personal data of event ${e.seq} was altered after it was recorded`,
          await this.piiTable(e.pointKey, e.seq, pii),
        );
      }
      if (e.data.type === "subject.erased") this.erased.add(e.pointKey);
      if (pii === null && e.piiHash !== null && !this.piiGone.has(e.pointKey))
        this.piiGone.set(e.pointKey, e.seq);
      if (e.data.type === "registry.snapshot") {
        const digest = await registryDigest(this.store.registryEntries(this.tenant, e.seq));
        if (digest !== e.data.entriesDigest) {
          return this.broken(e.seq, `the rows of the Bloctel check recorded by event ${e.seq} were altered`);
        }
      }
      this.rebuilt?.add(e);
      const grown = appendLeaves(this.frontier, [leafHash(hash)]);
      this.frontier = grown.frontier;
      this.nodes.push(...grown.stored);
      this.nodeCount += grown.stored.length;
      if (!this.sealing && this.nodes.length >= NODES_PER_READ) {
        const broken = await this.compareNodes();
        if (broken !== null) return broken;
      }
      this.lastHash = hash;
      this.lastSeq = e.seq;
    }
    return this.sealing ? null : this.compareNodes();
  }

  /** Compares the nodes made since the last call with the stored ones, a level's range at a time. */
  private async compareNodes(): Promise<Broken | null> {
    const levels = new Map<number, TreeNode[]>();
    for (const n of this.nodes.splice(0)) {
      const list = levels.get(n.level) ?? [];
      list.push(n);
      levels.set(n.level, list);
    }
    for (const [level, made] of levels) {
      const first = (made[0] as TreeNode).idx;
      const held = await this.store.treeNodes(this.tenant, level, first, first + made.length);
      for (const [i, n] of made.entries()) {
        const h = held[i];
        // Nodes are read by index range: one missing shifts the rest, so it is named as missing.
        if (h === undefined || !Buffer.from(h).equals(n.hash)) {
          const w = 2 ** level;
          return this.broken(
            (n.idx + 1) * w,
            `the Merkle tree node over events ${n.idx * w + 1} to ${(n.idx + 1) * w} is ${h === undefined || held.length < made.length ? "missing" : "altered"} (level ${level}, index ${n.idx}): inclusion proofs would not verify`,
          );
        }
      }
    }
    return null;
  }

  /**
   * Where the altered personal data of event `seq` is kept. A point's value alone may be read from
   * the point (append-plan.ts piiBeside): that value is at fault when it is what the event read and
   * no earlier event of the point verifies with it — else what is kept beside the event is.
   */
  private async piiTable(pointKey: string, seq: number, pii: EventPii): Promise<string> {
    if (pii.point === undefined || piiTextToKeep(pii) !== null) return "event_pii";
    const point = (await this.store.evidence(this.tenant, [pointKey])).point;
    if (point?.value !== pii.point.value) return "event_pii";
    const earlier = (await this.store.eventsOf(this.tenant, [pointKey])).some(
      (e) => e.seq < seq && e.pii?.point?.value === pii.point?.value && piiHashOf(e.pii) === e.piiHash,
    );
    return earlier ? "event_pii" : "points";
  }

  /**
   * Personal data goes only with its point's erasure: an event whose data is gone (deleted beside
   * it, or its point's value deleted where it is kept once) while the point was never erased lost
   * it to something else. Judged once the whole log is walked, since the erasure comes after.
   */
  async personalData(): Promise<Broken | null> {
    for (const [key, seq] of this.piiGone) {
      if (this.erased.has(key)) continue;
      const point = (await this.store.evidence(this.tenant, [key])).point;
      return point?.value == null
        ? this.broken(
            seq,
            `the value of the point of event ${seq}, kept once with the point, is gone although the point was never erased: deleted from the store`,
            "points",
          )
        : this.broken(
            seq,
            `the personal data kept beside event ${seq} is gone although its point was never erased: deleted from the store`,
            "event_pii",
          );
    }
    return null;
  }

  /** Judges the stored tree, once the chain up to `head` holds: its frontier and its node count. */
  async tree(head: ChainHead | null): Promise<Broken | null> {
    if (head === null) return null;
    if (head.tree === null) {
      return this.broken(
        null,
        "the chain head has no Merkle tree: the log was written before it and is not sealed (open the store with this version to seal it)",
      );
    }
    if (!Buffer.from(head.tree).equals(frontierBytes(this.frontier))) {
      return this.broken(
        head.seq,
        `the chain head's Merkle tree does not match events 1 to ${head.seq}: it was altered, so signed heads and proofs made from it would not hold`,
      );
    }
    const held = await this.store.treeNodeCount(this.tenant);
    if (held !== this.nodeCount) {
      return this.broken(
        null,
        `the store holds ${held} Merkle tree nodes where events 1 to ${head.seq} make ${this.nodeCount}: nodes were added or removed`,
      );
    }
    return null;
  }

  /**
   * Walks the log to its end and judges the head against it. An append commits its events and
   * the head together, so a head past the last event read means events appended during the walk:
   * the walk reads on, until a pass finds nothing new under an unmoved head.
   */
  async chain(): Promise<{ broken: Broken } | { head: ChainHead | null }> {
    let seen: ChainHead | null = null;
    for (;;) {
      const from = this.lastSeq;
      const broken = await this.walk();
      if (broken !== null) return { broken };
      const head = await this.store.chainHead(this.tenant);
      const moved = head?.seq !== seen?.seq;
      seen = head;
      if (head !== null && head.seq > this.lastSeq && (this.lastSeq > from || moved)) continue;
      const last = this.lastSeq;
      if (head === null) {
        return last === 0
          ? { head }
          : {
              broken: this.broken(
                last,
                `chain head missing: the log holds events 1 to ${last} but no head records them`,
              ),
            };
      }
      if (head.seq > last) {
        return {
          broken: this.broken(
            last + 1,
            `the log ends at event ${last} but the chain head records event ${head.seq}: events deleted at the end`,
          ),
        };
      }
      if (head.seq < last) {
        return {
          broken: this.broken(
            head.seq + 1,
            `events ${head.seq + 1} to ${last} lie beyond the chain head (event ${head.seq}): added after it, or the head set back`,
          ),
        };
      }
      if (head.hash !== this.lastHash) {
        return { broken: this.broken(last, `the chain head does not match the last event (${last})`) };
      }
      return { head };
    }
  }

  /**
   * Compares the state held with the state rebuilt. Read while nothing is appended, the two are
   * of one moment; a difference seen while the log grew is folded on and compared again.
   */
  async state(rebuilt: StateRebuild, head: ChainHead | null): Promise<Broken | null> {
    let at = head;
    for (let attempt = 1; ; attempt++) {
      const d = await firstStateDifference(rebuilt, this.store.stateRows(this.tenant));
      if (d === null) return null;
      const now = await this.store.chainHead(this.tenant);
      if (now?.seq === at?.seq && now?.hash === at?.hash) return this.broken(d.seq, d.problem, d.table);
      if (attempt === STATE_ATTEMPTS) {
        return this.broken(
          null,
          `the state could not be compared with the log: events were appended during each of ${STATE_ATTEMPTS} attempts (run the audit again when the store is quieter)`,
        );
      }
      const chain = await this.chain();
      if ("broken" in chain) return chain.broken;
      at = chain.head;
    }
  }
}

export async function verifyAudit(store: Store, options: AuditOptions = {}): Promise<AuditResult> {
  const quick = options.quick === true;
  const tenants: { tenant: string; events: number; headSeq: number | null }[] = [];
  const fail = (t: TenantAudit, broken: Broken): AuditResult => ({
    ok: false,
    stateChecked: !quick,
    tenants: [...tenants, { tenant: t.tenant, events: t.lastSeq, headSeq: null }],
    broken,
  });
  for (const tenant of await store.tenants()) {
    const t = new TenantAudit(store, tenant, { quick });
    const chain = await t.chain();
    if ("broken" in chain) return fail(t, chain.broken);
    const gone = await t.personalData();
    if (gone !== null) return fail(t, gone);
    const tree = await t.tree(chain.head);
    if (tree !== null) return fail(t, tree);
    if (t.rebuilt !== null) {
      const broken = await t.state(t.rebuilt, chain.head);
      if (broken !== null) return fail(t, broken);
    }
    tenants.push({ tenant, events: t.lastSeq, headSeq: t.lastSeq === 0 ? null : t.lastSeq });
  }
  return { ok: true, stateChecked: !quick, tenants, broken: null };
}
