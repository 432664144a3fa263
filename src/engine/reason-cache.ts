// The reasons a rule gave, by a key they are a function of (plan-rule.ts). Most keys are instants:
// they go to an open-addressed table — a few slots from the hash, the exact instant compared, a
// full neighbourhood replacing its first entry — which costs no allocation and no Map lookup on a
// double, and keeps an instant's reason from its second time on (from its first, once the cache
// has been asked about enough instants to be serving a list). Other keys (statuses, methods,
// null for evidence not recorded) are few: they go to a Map.
import type { Reason } from "./decision.ts";

export type Key = number | string | null | undefined;

const FIRST_SLOTS = 16;
const MAX_SLOTS = 4096;
/** Slots a key may take from its hash on: a clash takes the next free one. */
const PROBES = 4;
/**
 * An instant met once: its reason is not kept until it comes back, so that a plan asked about
 * many instants once each (few contacts per campaign) does not hold their reasons.
 */
const SEEN: unique symbol = Symbol("seen once");
/**
 * Lookups after which an instant's reason is kept the first time it is met: past them the plan is
 * deciding a list, whose dates come back (a file's collection dates, its calls' days), and a miss
 * costs a full evaluation of the rule.
 */
const KEEP_FIRST_AFTER = 1024;
/** Reasons are null where the rule said nothing: undefined marks an empty slot. */
type Slot = Reason | null | typeof SEEN | undefined;

export class ReasonCache<C> {
  private readonly evaluate: (ctx: C) => Reason | null;
  private keys = new Float64Array(0);
  private reasons: Slot[] = [];
  private shift = 32;
  /** Keys that found their neighbourhood full since the table was made. */
  private clashes = 0;
  /** Instants asked about, counted up to KEEP_FIRST_AFTER. */
  private lookups = 0;
  private readonly others = new Map<Key, Reason | null>();

  constructor(evaluate: (ctx: C) => Reason | null) {
    this.evaluate = evaluate;
  }

  get(ctx: C, key: Key): Reason | null {
    if (typeof key !== "number") {
      let reason = this.others.get(key);
      if (reason === undefined) {
        reason = this.evaluate(ctx);
        this.others.set(key, reason);
      }
      return reason;
    }
    if (this.lookups < KEEP_FIRST_AFTER) this.lookups++;
    if (this.reasons.length === 0) this.resize(FIRST_SLOTS);
    const slot = this.slotOf(key);
    if (slot < 0) {
      // A full neighbourhood: the table is too small for the instants met, unless at its largest.
      const size = this.reasons.length;
      if (++this.clashes > size >> 2 && size < MAX_SLOTS) {
        this.resize(size * 4);
        return this.get(ctx, key);
      }
      return this.keep(this.home(key), key, this.lookups < KEEP_FIRST_AFTER ? SEEN : this.evaluate(ctx), ctx);
    }
    const held = this.reasons[slot];
    if (held === undefined) {
      return this.keep(slot, key, this.lookups < KEEP_FIRST_AFTER ? SEEN : this.evaluate(ctx), ctx);
    }
    if (held !== SEEN) return held;
    // Met a second time: now worth keeping.
    return this.keep(slot, key, this.evaluate(ctx), ctx);
  }

  /** Writes a slot, and answers the rule's reason (just asked for when `value` is it). */
  private keep(slot: number, key: number, value: Reason | null | typeof SEEN, ctx: C): Reason | null {
    this.keys[slot] = key;
    this.reasons[slot] = value;
    return value === SEEN ? this.evaluate(ctx) : value;
  }

  /** Fibonacci hashing of the whole seconds: dates are mostly whole days, whose low bits agree. */
  private home(key: number): number {
    return Math.imul(Math.floor(key / 1000) | 0, 0x9e3779b1) >>> this.shift;
  }

  /** The slot holding `key`, else the first free one of its neighbourhood, else -1. */
  private slotOf(key: number): number {
    const home = this.home(key);
    const mask = this.reasons.length - 1;
    for (let i = 0; i < PROBES; i++) {
      const slot = (home + i) & mask;
      if (this.reasons[slot] === undefined || this.keys[slot] === key) return slot;
    }
    return -1;
  }

  /** A table of `slots` slots, holding what the old one held where there is room. */
  private resize(slots: number): void {
    const { keys, reasons } = this;
    this.keys = new Float64Array(slots);
    this.reasons = new Array<Slot>(slots).fill(undefined);
    this.shift = 32 - Math.log2(slots);
    this.clashes = 0;
    for (let i = 0; i < reasons.length; i++) {
      const key = keys[i] as number;
      const slot = reasons[i] === undefined ? -1 : this.slotOf(key);
      if (slot < 0) continue;
      this.keys[slot] = key;
      this.reasons[slot] = reasons[i];
    }
  }
}

/** Reasons by two keys: a cache per first key (a method, a status), by the second (a date). */
export class ReasonPairCache<C> {
  private readonly evaluate: (ctx: C) => Reason | null;
  private readonly caches = new Map<Key, ReasonCache<C>>();

  constructor(evaluate: (ctx: C) => Reason | null) {
    this.evaluate = evaluate;
  }

  get(ctx: C, first: Key, second: Key): Reason | null {
    let cache = this.caches.get(first);
    if (cache === undefined) {
      cache = new ReasonCache(this.evaluate);
      this.caches.set(first, cache);
    }
    return cache.get(ctx, second);
  }
}
