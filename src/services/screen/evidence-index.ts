// Which list points have stored evidence, known before the scan. Most points of a list have none:
// looking each one up costs a round of queries for nothing. The index is loaded once, from two
// streams of the store:
//
// - the keys of every point the log has events about (Store.pointKeys), kept as 64-bit
//   fingerprints in an open-addressing table: a list point whose key is in it is looked up
//   (Store.evidenceMany). Two keys sharing a fingerprint only cost one needless lookup.
// - the Bloctel rows (Store.registryRows) of the other points, kept with the whole key (version
//   and the 256 bits of its HMAC), so that a point found only in Bloctel checks is answered from
//   memory, exactly: its evidence is the same as the store would give.
//
// Everything else is answered with the evidence of a point the store knows nothing about (which
// still holds the complete Bloctel checks that did not list it). Memory: 8 bytes a key with
// events, 40 a Bloctel-only key, and the tables' slack; past the caps below the index falls back
// to lookups (KEY_CAP) or to fingerprints (REGISTRY_CAP), never to a wrong answer.
import { FINGERPRINT, fingerprintText } from "../../normalize/text-fingerprint.ts";
import { type Evidence, NO_PERSON, type RegistrySnapshot, type Store } from "../../store/store.ts";

/** Keys with events beyond which the index is not built (2^25 slots of 8 bytes = 256 MiB). */
const KEY_CAP = 16_000_000;
/** Bloctel-only keys kept whole; the next ones are kept as fingerprints and looked up. */
const REGISTRY_CAP = 8_000_000;
/** Distinct Bloctel histories answered from memory; points with another are looked up. */
const PROFILE_CAP = 1 << 16;
const SHAPE_CAP = 1 << 20;

// ---- keys → words -----------------------------------------------------------------------------

const B64URL = new Int8Array(128).fill(-1);
for (const [i, c] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].entries()) {
  B64URL[c.charCodeAt(0)] = i;
}
const MAC_CHARS = 43; // 32 bytes in unpadded base64url

/** The last decoded key: its version, then the 8 big-endian words of its HMAC. */
const WORDS = new Uint32Array(9);
const BYTES = new Uint8Array(33);

const sextet = (key: string, j: number): number => {
  const c = key.charCodeAt(j);
  return c < 128 ? (B64URL[c] as number) : -1;
};

/**
 * Decodes a key made by pointKey (`v<version>:` + base64url of 32 bytes, canonical) into WORDS.
 * False for any other shape: such keys are fingerprinted from their text.
 */
function decode(key: string): boolean {
  if (key.charCodeAt(0) !== 118 /* v */) return false;
  let i = 1;
  let version = 0;
  for (; i < key.length && i <= 10; i++) {
    const c = key.charCodeAt(i);
    if (c === 58 /* : */) break;
    if (c < 48 || c > 57) return false;
    version = version * 10 + (c - 48);
  }
  if (i === 1 || key.charCodeAt(i) !== 58 || key.length - i - 1 !== MAC_CHARS || version > 0xffffffff)
    return false;
  let b = 0;
  for (let j = i + 1; j < key.length; j += 4) {
    const s0 = sextet(key, j);
    const s1 = sextet(key, j + 1);
    const s2 = j + 2 < key.length ? sextet(key, j + 2) : 0;
    const s3 = j + 3 < key.length ? sextet(key, j + 3) : 0;
    if ((s0 | s1 | s2 | s3) < 0) return false;
    BYTES[b++] = (s0 << 2) | (s1 >> 4);
    BYTES[b++] = ((s1 & 15) << 4) | (s2 >> 2);
    BYTES[b++] = ((s2 & 3) << 6) | s3;
  }
  // 43 characters carry 258 bits: the last 2 must be zero, or two texts would decode alike.
  if ((sextet(key, key.length - 1) & 3) !== 0) return false;
  WORDS[0] = version;
  for (let w = 0; w < 8; w++) {
    WORDS[w + 1] =
      ((BYTES[4 * w] as number) << 24) |
      ((BYTES[4 * w + 1] as number) << 16) |
      ((BYTES[4 * w + 2] as number) << 8) |
      (BYTES[4 * w + 3] as number);
  }
  return true;
}

let fpHi = 0;
let fpLo = 0;

/** The key's 64-bit fingerprint into fpHi/fpLo: HMAC bits for keys of pointKey, else a hash. */
function fingerprint(key: string, decoded: boolean): void {
  if (decoded) {
    fpHi = ((WORDS[1] as number) ^ Math.imul(WORDS[0] as number, 0x9e3779b1)) >>> 0;
    fpLo = WORDS[2] as number;
    return;
  }
  fingerprintText(key);
  fpHi = FINGERPRINT[0] as number;
  fpLo = FINGERPRINT[1] as number;
}

// ---- fingerprints of keys with events ----------------------------------------------------------

/** 64-bit fingerprints, linear probing; (0, 0) marks an empty slot (a real one is stored as (0, 1)). */
class Fingerprints {
  #slots = new Uint32Array(2 << 16);
  #mask = (1 << 16) - 1;
  size = 0;

  add(hi: number, lo: number): void {
    if (hi === 0 && lo === 0) lo = 1;
    if (2 * (this.size + 1) > this.#mask + 1) this.#grow();
    if (this.#insert(this.#slots, this.#mask, hi, lo)) this.size++;
  }

  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const h = slots[2 * i] as number;
      const l = slots[2 * i + 1] as number;
      if (h === hi && l === lo) return true;
      if (h === 0 && l === 0) return false;
    }
  }

  #insert(slots: Uint32Array, mask: number, hi: number, lo: number): boolean {
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const h = slots[2 * i] as number;
      const l = slots[2 * i + 1] as number;
      if (h === hi && l === lo) return false;
      if (h === 0 && l === 0) {
        slots[2 * i] = hi;
        slots[2 * i + 1] = lo;
        return true;
      }
    }
  }

  #grow(): void {
    const old = this.#slots;
    const mask = this.#mask * 2 + 1;
    const slots = new Uint32Array(2 * (mask + 1));
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i] as number;
      const l = old[i + 1] as number;
      if (h !== 0 || l !== 0) this.#insert(slots, mask, h, l);
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}

// ---- Bloctel-only keys, whole, with the history of their checks ---------------------------------

/** Words of a record: the key's version, its 8 HMAC words, its profile. */
const RECORD = 10;
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
/** A profile that cannot be answered from memory: look the point up. */
const LOOKUP = 0xffffffff;

class RegistryKeys {
  readonly #chunks: Uint32Array[] = [];
  /** Record index + 1 per slot; 0 is empty. */
  #slots = new Uint32Array(1 << 16);
  #mask = (1 << 16) - 1;
  size = 0;

  /** The record of the key in WORDS, or -1. */
  find(): number {
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = (WORDS[3] as number) & mask; ; i = (i + 1) & mask) {
      const r = slots[i] as number;
      if (r === 0) return -1;
      if (this.#same(r - 1)) return r - 1;
    }
  }

  /** The record of the key in WORDS, added (profile 0) if new. */
  findOrAdd(): number {
    const found = this.find();
    if (found >= 0) return found;
    if (2 * (this.size + 1) > this.#mask + 1) this.#grow();
    const r = this.size++;
    if ((r & (CHUNK - 1)) === 0) this.#chunks.push(new Uint32Array(CHUNK * RECORD));
    const chunk = this.#chunks[r >>> CHUNK_BITS] as Uint32Array;
    const at = (r & (CHUNK - 1)) * RECORD;
    chunk.set(WORDS, at);
    chunk[at + 9] = 0;
    this.#place(this.#slots, this.#mask, r, WORDS[3] as number);
    return r;
  }

  profile(r: number): number {
    return (this.#chunks[r >>> CHUNK_BITS] as Uint32Array)[(r & (CHUNK - 1)) * RECORD + 9] as number;
  }

  setProfile(r: number, profile: number): void {
    (this.#chunks[r >>> CHUNK_BITS] as Uint32Array)[(r & (CHUNK - 1)) * RECORD + 9] = profile;
  }

  #same(r: number): boolean {
    const chunk = this.#chunks[r >>> CHUNK_BITS] as Uint32Array;
    const at = (r & (CHUNK - 1)) * RECORD;
    for (let w = 0; w < 9; w++) if (chunk[at + w] !== WORDS[w]) return false;
    return true;
  }

  #place(slots: Uint32Array, mask: number, r: number, word: number): void {
    let i = word & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = r + 1;
  }

  #grow(): void {
    const mask = this.#mask * 2 + 1;
    const slots = new Uint32Array(mask + 1);
    for (let r = 0; r < this.size; r++) {
      const chunk = this.#chunks[r >>> CHUNK_BITS] as Uint32Array;
      this.#place(slots, mask, r, chunk[(r & (CHUNK - 1)) * RECORD + 3] as number);
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}

type RegistryRow = Evidence["registry"][number];

/** Bloctel histories: each a list of rows (snapshot, content), interned by their order of arrival. */
class Profiles {
  /** Profile 0 is the empty history. */
  readonly #rows: number[][] = [[]];
  readonly #next = new Map<number, number>();
  readonly #shapes: { snapshot: number; row: RegistryRow }[] = [];
  readonly #shapeIds = new Map<string, number>();

  /** The profile `profile` followed by the row, or LOOKUP past the caps. */
  extend(profile: number, snapshot: number, row: RegistryRow): number {
    if (profile === LOOKUP) return LOOKUP;
    const text = `${snapshot}|${row.registered}|${row.registeredAt}|${row.effectiveAt}`;
    let shape = this.#shapeIds.get(text);
    if (shape === undefined) {
      if (this.#shapes.length >= SHAPE_CAP) return LOOKUP;
      shape = this.#shapes.length;
      this.#shapes.push({ snapshot, row });
      this.#shapeIds.set(text, shape);
    }
    const edge = profile * SHAPE_CAP + shape;
    let next = this.#next.get(edge);
    if (next === undefined) {
      if (this.#rows.length >= PROFILE_CAP) return LOOKUP;
      next = this.#rows.length;
      this.#rows.push([...(this.#rows[profile] as number[]), shape]);
      this.#next.set(edge, next);
    }
    return next;
  }

  /** The profile's rows: (snapshot index, row). */
  rows(profile: number): { snapshot: number; row: RegistryRow }[] {
    return (this.#rows[profile] as number[]).map(
      (s) => this.#shapes[s] as { snapshot: number; row: RegistryRow },
    );
  }

  get count(): number {
    return this.#rows.length;
  }
}

// ---- the index --------------------------------------------------------------------------------

const NONE: readonly never[] = Object.freeze([]);

export interface IndexStats {
  readonly keys: number;
  readonly registryKeys: number;
  readonly profiles: number;
  readonly seconds: number;
}

export class EvidenceIndex {
  readonly #events: Fingerprints;
  readonly #registry: RegistryKeys;
  /** Bloctel-only keys of another shape than pointKey's (tests, older data): few. */
  readonly #otherRegistry: Map<string, number>;
  readonly #profiles: Profiles;
  readonly #snapshots: readonly RegistrySnapshot[];
  readonly #answers = new Map<number, Evidence | null>();
  /** The evidence of a point the store holds nothing about. */
  readonly absent: Evidence;
  readonly stats: IndexStats;

  private constructor(
    events: Fingerprints,
    registry: RegistryKeys,
    otherRegistry: Map<string, number>,
    profiles: Profiles,
    snapshots: readonly RegistrySnapshot[],
    seconds: number,
  ) {
    this.#events = events;
    this.#registry = registry;
    this.#otherRegistry = otherRegistry;
    this.#profiles = profiles;
    this.#snapshots = snapshots;
    this.absent = this.#evidenceOf([]) as Evidence;
    this.stats = {
      keys: events.size,
      registryKeys: registry.size + otherRegistry.size,
      profiles: profiles.count,
      seconds,
    };
  }

  /** Reads the tenant's keys; null when there are too many to index (every point is looked up). */
  static async load(store: Store, tenant: string): Promise<EvidenceIndex | null> {
    const start = performance.now();
    const events = new Fingerprints();
    for await (const key of store.pointKeys(tenant)) {
      fingerprint(key, decode(key));
      events.add(fpHi, fpLo);
      if (events.size > KEY_CAP) return null;
    }
    const snapshots = await store.registrySnapshots(tenant);
    const position = new Map(snapshots.map((s, i) => [s.seq, i]));
    const registry = new RegistryKeys();
    const other = new Map<string, number>();
    const profiles = new Profiles();
    for await (const row of store.registryRows(tenant)) {
      const key = row.pointKey;
      const decoded = decode(key);
      fingerprint(key, decoded);
      if (events.has(fpHi, fpLo)) continue; // looked up whole
      const snapshot = position.get(row.snapshotSeq);
      if (snapshot === undefined) throw new Error(`Bloctel row of an unknown check ${row.snapshotSeq}`);
      const entry: RegistryRow = {
        checkedAt: (snapshots[snapshot] as RegistrySnapshot).checkedAt,
        registered: row.registered,
        registeredAt: row.registeredAt,
        effectiveAt: row.effectiveAt,
      };
      if (decoded && registry.size < REGISTRY_CAP) {
        const r = registry.findOrAdd();
        registry.setProfile(r, profiles.extend(registry.profile(r), snapshot, entry));
      } else if (!decoded && other.size < REGISTRY_CAP) {
        other.set(key, profiles.extend(other.get(key) ?? 0, snapshot, entry));
      } else {
        // Past the cap (or a key met beyond it): looked up, like a key with events.
        if (!decoded || registry.find() < 0) events.add(fpHi, fpLo);
        else {
          const r = registry.find();
          registry.setProfile(r, profiles.extend(registry.profile(r), snapshot, entry));
        }
        if (events.size > KEY_CAP) return null;
      }
    }
    return new EvidenceIndex(
      events,
      registry,
      other,
      profiles,
      snapshots,
      (performance.now() - start) / 1000,
    );
  }

  /**
   * The evidence of the point with these keys (its keys under every keyring version) when the index
   * knows it: nothing stored, or Bloctel rows only. Null: look it up.
   */
  answer(keys: readonly string[]): Evidence | null {
    let profile = 0;
    let hits = 0;
    for (const key of keys) {
      const decoded = decode(key);
      fingerprint(key, decoded);
      if (this.#events.has(fpHi, fpLo)) return null;
      let p: number | undefined;
      if (decoded) {
        const r = this.#registry.size === 0 ? -1 : this.#registry.find();
        if (r >= 0) p = this.#registry.profile(r);
      } else {
        p = this.#otherRegistry.get(key);
      }
      if (p !== undefined) {
        hits++;
        profile = p;
      }
    }
    // Rows under two keys of one point: rare (a rotation between two checks); the store merges them.
    if (hits > 1 || profile === LOOKUP) return null;
    if (profile === 0) return this.absent;
    let answer = this.#answers.get(profile);
    if (answer === undefined) {
      answer = this.#evidenceOf(this.#profiles.rows(profile));
      this.#answers.set(profile, answer);
    }
    return answer;
  }

  /**
   * What the store returns for a point with these Bloctel rows and nothing else: its rows, and a
   * clean row for each complete check that did not list it, by day checked. Null when two rows of
   * one day differ: which one the store lists last is up to it, so it is asked.
   */
  #evidenceOf(listed: readonly { snapshot: number; row: RegistryRow }[]): Evidence | null {
    const rows: RegistryRow[] = listed.map((l) => l.row);
    const snapshots = new Set(listed.map((l) => l.snapshot));
    this.#snapshots.forEach((s, i) => {
      if (s.complete && !snapshots.has(i)) {
        rows.push({ checkedAt: s.checkedAt, registered: false, registeredAt: null, effectiveAt: null });
      }
    });
    rows.sort((a, b) => a.checkedAt - b.checkedAt);
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1] as RegistryRow;
      const b = rows[i] as RegistryRow;
      if (
        a.checkedAt === b.checkedAt &&
        (a.registered !== b.registered ||
          a.registeredAt !== b.registeredAt ||
          a.effectiveAt !== b.effectiveAt)
      )
        return null;
    }
    return {
      point: null,
      sources: NONE,
      consents: NONE,
      objections: NONE,
      contacts: NONE,
      notices: NONE,
      callbacks: NONE,
      registry: rows,
      person: NO_PERSON,
    };
  }
}
