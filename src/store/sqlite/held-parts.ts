// Which evidence tables hold rows about each point key of a tenant, kept in memory by a serving
// process so that a check, or a batch of them, reads only those tables — and nothing for the points the store
// knows nothing about, as most points a dialer sends are (bench/api.ts). Exact by
// construction: built by scanning the tables' keys, then kept up by folding every event the log
// gains after the head it was built from (projection.ts's operations say which table each event
// writes), whoever wrote it. Every change to a tenant's state comes with an event, so the head is
// the state's version: each read reads the head in the statement that reads the rows, and rows
// read at the head the map was kept up to are exactly what the map says (evidence-read.ts); at a
// later head, the map catches up and the read is made again. A key's bits may say more than the
// tables hold (an erasure deletes rows; two keys may share a fingerprint): that costs a needless
// seek, never a missed row.
//
// A server builds the map before it listens (`warm`). Otherwise — a map built again while serving
// — building and catching up are done a slice at a time, on the reads that need the map: until it
// is built and caught up, those reads take the full statement, so that no request waits for a
// whole table scan.
import type Database from "better-sqlite3";
import { fold, type StateOp } from "../../evidence/projection.ts";
import { FINGERPRINT, fingerprintText } from "../../normalize/text-fingerprint.ts";
import { type EventRow, eventFromRow, hex } from "../rows.ts";
import { EVENTS_WITH_PII } from "./event-rows.ts";

/** The parts of a point's evidence a check reads (evidence-read.ts), one bit each. */
export const PART_BITS = {
  points: 1,
  sources: 2,
  consents: 4,
  objections: 8,
  contacts: 16,
  notices: 32,
  callbacks: 64,
  entries: 128,
  /** The point is linked to another: its person is walked (the full statement). */
  links: 256,
} as const;

export type HeldPart = keyof typeof PART_BITS;

/**
 * The rows each operation writes for the event's point. `withdraw` only ends consents already
 * held (its own table is not read by checks); `snapshot` writes the Bloctel rows listed under it,
 * found by their snapshot; `link` writes one row for each of the two points.
 */
const BITS_OF_OP: Readonly<Record<StateOp["op"], number>> = {
  point: PART_BITS.points,
  source: PART_BITS.sources,
  consent: PART_BITS.consents,
  withdraw: 0,
  objection: PART_BITS.objections,
  contact: PART_BITS.contacts,
  notice: PART_BITS.notices,
  callback: PART_BITS.callbacks,
  snapshot: 0,
  erase: PART_BITS.points,
  link: PART_BITS.links,
};

/** The tables scanned to build the map, with the bit their keys get. */
const SCANNED: readonly { readonly table: string; readonly bit: number }[] = [
  { table: "points", bit: PART_BITS.points },
  { table: "sources", bit: PART_BITS.sources },
  { table: "consents", bit: PART_BITS.consents },
  { table: "objections", bit: PART_BITS.objections },
  { table: "contacts_made", bit: PART_BITS.contacts },
  { table: "notices", bit: PART_BITS.notices },
  { table: "callback_requests", bit: PART_BITS.callbacks },
  { table: "registry_entries", bit: PART_BITS.entries },
  { table: "subject_links", bit: PART_BITS.links },
];

/** Rows read (keys scanned or events folded) on one read before it answers by the full statement. */
const SLICE = 20_000;
/** Keys past which a tenant is read without the map (2^25 slots of 12 bytes: 384 MiB). */
const KEY_CAP = 16_000_000;

/** 64-bit fingerprints of keys and their bits, linear probing; a zero fingerprint is stored as 1. */
class KeyBits {
  #slots = new Uint32Array(3 << 12);
  #mask = (1 << 12) - 1;
  size = 0;

  get(key: string): number {
    fingerprint(key);
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = fpLo & mask; ; i = (i + 1) & mask) {
      const h = slots[3 * i] as number;
      const l = slots[3 * i + 1] as number;
      if (h === fpHi && l === fpLo) return slots[3 * i + 2] as number;
      if (h === 0 && l === 0) return 0;
    }
  }

  add(key: string, bits: number): void {
    if (2 * (this.size + 1) > this.#mask + 1) this.#grow();
    fingerprint(key);
    if (this.#insert(this.#slots, this.#mask, fpHi, fpLo, bits)) this.size++;
  }

  #insert(slots: Uint32Array, mask: number, hi: number, lo: number, bits: number): boolean {
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const h = slots[3 * i] as number;
      const l = slots[3 * i + 1] as number;
      if (h === hi && l === lo) {
        slots[3 * i + 2] = (slots[3 * i + 2] as number) | bits;
        return false;
      }
      if (h === 0 && l === 0) {
        slots[3 * i] = hi;
        slots[3 * i + 1] = lo;
        slots[3 * i + 2] = bits;
        return true;
      }
    }
  }

  #grow(): void {
    const old = this.#slots;
    const mask = this.#mask * 2 + 1;
    const slots = new Uint32Array(3 * (mask + 1));
    for (let i = 0; i < old.length; i += 3) {
      const h = old[i] as number;
      const l = old[i + 1] as number;
      if (h !== 0 || l !== 0) this.#insert(slots, mask, h, l, old[i + 2] as number);
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}

let fpHi = 0;
let fpLo = 0;

/** The key's fingerprint into fpHi/fpLo, never both zero (an empty slot). */
function fingerprint(key: string): void {
  fingerprintText(key);
  fpHi = FINGERPRINT[0] as number;
  fpLo = FINGERPRINT[1] as number;
  if (fpHi === 0 && fpLo === 0) fpLo = 1;
}

/** A scan still to do: a table's keys after `after` (keyset pagination), for `bit`. */
interface Scan {
  readonly bit: number;
  readonly next: Database.Statement;
  readonly args: readonly (string | number)[];
  after: string;
}

export interface Snapshot {
  readonly seq: number;
  readonly checked_at: number;
}

/** What a read asks of a tenant's map once it has caught up with the head. */
export interface HeldMap {
  /**
   * The last event the map was kept up to, and its hash ("" before the first): it is exact for
   * the state of that head. The hash tells the head it folded from another of the same number —
   * a store restored from a backup under a running server.
   */
  readonly seq: number;
  readonly hash: string;
  /** The parts that may hold rows about the key (PART_BITS); 0: none. */
  bitsOf(key: string): number;
  /** The complete Bloctel checks, by time: every point's evidence holds them. */
  readonly completeSnapshots: readonly Snapshot[];
}

/** One tenant's map: the keys' bits as of event `seq`, once `scans` are done. */
interface TenantMap extends HeldMap {
  readonly bits: KeyBits;
  seq: number;
  hash: string;
  readonly scans: Scan[];
  readonly completeSnapshots: Snapshot[];
}

export class HeldParts {
  readonly #db: Database.Database;
  readonly #slice: number;
  /** Each tenant's map; "overflow" for a tenant with too many keys, read without one. */
  readonly #tenants = new Map<string, TenantMap | "overflow">();
  readonly #head: Database.Statement;
  readonly #hashAt: Database.Statement;
  readonly #events: Database.Statement;
  readonly #scanOf: ReadonlyMap<string, Database.Statement>;
  readonly #snapshotEntries: Database.Statement;
  readonly #snapshots: Database.Statement;

  /** `slice`: rows read on one read while building or catching up (tests make it small). */
  constructor(db: Database.Database, slice = SLICE) {
    this.#db = db;
    this.#slice = slice;
    this.#head = db.prepare("SELECT seq, hash FROM chain_head WHERE tenant = ?");
    this.#hashAt = db.prepare("SELECT hash FROM events WHERE tenant = ? AND seq = ?").pluck();
    this.#events = db.prepare(`${EVENTS_WITH_PII} WHERE e.tenant = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`);
    this.#scanOf = new Map(
      SCANNED.map(({ table }) => [
        table,
        db
          .prepare(
            `SELECT DISTINCT point_key FROM ${table} WHERE tenant = ? AND point_key > ? ORDER BY point_key LIMIT ?`,
          )
          .pluck(),
      ]),
    );
    // Through the index by snapshot: a check's Bloctel rows, numbered by their event.
    this.#snapshotEntries = db
      .prepare(
        `SELECT point_key FROM registry_entries WHERE tenant = ? AND snapshot_seq = ? AND point_key > ?
         ORDER BY point_key LIMIT ?`,
      )
      .pluck();
    this.#snapshots = db.prepare(
      "SELECT seq, checked_at FROM registry_snapshots WHERE tenant = ? AND complete = 1",
    );
  }

  /**
   * The tenant's map once built, as of the event it was last kept up to (`seq`), or null while it
   * is being built: each call scans a slice of the tables' keys.
   */
  built(tenant: string): HeldMap | null {
    let map = this.#tenants.get(tenant);
    if (map === undefined) {
      map = this.#start(tenant);
      this.#tenants.set(tenant, map);
    }
    if (map === "overflow") return null;
    this.#scan(map, this.#slice);
    if (this.#overflows(tenant, map)) return null;
    return map.scans.length === 0 ? map : null;
  }

  /**
   * Builds the tenant's map whole and folds the log up to its head, what a server does before it
   * answers: the point keys it holds, or null for a tenant with too many (read without a map).
   * Built a slice a read instead, a cold server answered its first seconds through the full
   * statement between slices of 20 000 keys, slower than a dialer's checks came (a store of 1 M
   * points at 4 000 checks a second: half of them waited over a second).
   */
  warm(tenant: string): number | null {
    for (;;) {
      const built = this.built(tenant) !== null && this.catchUp(tenant);
      const map = this.#tenants.get(tenant);
      if (map === "overflow") return null;
      if (built) return map?.bits.size ?? 0;
    }
  }

  /**
   * Folds a slice of the events after the map's (and scans the Bloctel rows they list): whether
   * the map then holds every event of the log.
   */
  catchUp(tenant: string): boolean {
    const map = this.#tenants.get(tenant);
    if (map === undefined || map === "overflow") return false;
    const folded = map.seq > 0 ? (this.#hashAt.get(tenant, map.seq) as Buffer | undefined) : undefined;
    if (map.seq > 0 && (folded === undefined || hex(folded) !== map.hash)) {
      // The log it folded is not this one (a backup restored onto the file): built again.
      this.#tenants.delete(tenant);
      return false;
    }
    let budget = this.#slice;
    let more = true;
    while (budget > 0 && more) {
      const folded = this.#fold(tenant, map, budget);
      more = folded === budget;
      budget = this.#scan(map, budget - folded);
    }
    return !this.#overflows(tenant, map) && !more && map.scans.length === 0;
  }

  /** Past KEY_CAP keys the tenant is read without a map, and its memory let go. */
  #overflows(tenant: string, map: TenantMap): boolean {
    if (map.bits.size <= KEY_CAP) return false;
    this.#tenants.set(tenant, "overflow");
    return true;
  }

  /** A new map: the tables' keys as of the head now, scanned on the next reads. */
  #start(tenant: string): TenantMap {
    const bits = new KeyBits();
    const map: TenantMap = {
      bits,
      bitsOf: (key) => bits.get(key),
      seq: 0,
      hash: "",
      scans: [],
      completeSnapshots: [],
    };
    // Read the head and the complete checks together, before the scans: a row added after this
    // head comes with an event after it, which the map folds once the scans are done.
    this.#db.transaction(() => {
      const head = this.#head.get(tenant) as { seq: number; hash: string } | undefined;
      map.seq = head?.seq ?? 0;
      map.hash = head?.hash ?? "";
      for (const s of this.#snapshots.all(tenant) as Snapshot[]) map.completeSnapshots.push(s);
    })();
    sortSnapshots(map.completeSnapshots);
    for (const { table, bit } of SCANNED) {
      map.scans.push({ bit, next: this.#scanOf.get(table) as Database.Statement, args: [tenant], after: "" });
    }
    return map;
  }

  /** Runs the pending scans for up to `budget` keys; what budget is left. */
  #scan(map: TenantMap, budget: number): number {
    while (map.scans.length > 0 && budget > 0) {
      const scan = map.scans[0] as Scan;
      const keys = scan.next.all(...scan.args, scan.after, budget) as string[];
      for (const key of keys) map.bits.add(key, scan.bit);
      budget -= keys.length;
      if (keys.length > 0) scan.after = keys[keys.length - 1] as string;
      if (budget > 0) map.scans.shift();
    }
    return budget;
  }

  /** Folds up to `budget` events after the map's; how many it folded. */
  #fold(tenant: string, map: TenantMap, budget: number): number {
    const rows = this.#events.all(tenant, map.seq, budget) as EventRow[];
    for (const row of rows) {
      const e = eventFromRow(row);
      for (const op of fold(e)) {
        const bits = BITS_OF_OP[op.op];
        if (bits !== 0) map.bits.add(e.pointKey, bits);
        if (op.op === "link") map.bits.add(op.other, PART_BITS.links);
        if (op.op === "snapshot") {
          map.scans.push({
            bit: PART_BITS.entries,
            next: this.#snapshotEntries,
            args: [tenant, e.seq],
            after: "",
          });
          if (op.complete) {
            map.completeSnapshots.push({ seq: e.seq, checked_at: e.occurredAt });
            sortSnapshots(map.completeSnapshots);
          }
        }
      }
      map.seq = e.seq;
      map.hash = e.hash;
    }
    return rows.length;
  }
}

function sortSnapshots(s: Snapshot[]): void {
  s.sort((a, b) => a.checked_at - b.checked_at || a.seq - b.seq);
}
