// The reasons a rule gave, by a key they are a function of (plan-rule.ts). Most keys are instants:
// they go to an open-addressed table — a few slots from the hash, the exact instant compared, a
// full neighbourhood replacing its first entry — which costs no allocation and no Map lookup on a
// double, and keeps an instant's reason from its second time on. Other keys (statuses, methods,
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
/** Reasons are null where the rule said nothing: undefined marks an empty slot. */
type Slot = Reason | null | typeof SEEN | undefined;

export class ReasonCache<C> {
  private readonly evaluate: (ctx: C) => Reason | null;
  private keys = new Float64Array(0);
  private reasons: Slot[] = [];
  private shift = 32;
  /** Keys that found their neighbourhood full since the table was made. */
  private clashes = 0;
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
    if (this.reasons.length === 0) this.resize(FIRST_SLOTS);
    // Fibonacci hashing of the whole seconds (dates are mostly whole days, whose low bits agree),
    // then the next few slots: a key clashing with another takes the first free one.
    const home = Math.imul(Math.floor(key / 1000) | 0, 0x9e3779b1) >>> this.shift;
    const mask = this.reasons.length - 1;
    let free = -1;
    for (let i = 0; i < PROBES; i++) {
      const slot = (home + i) & mask;
      const held = this.reasons[slot];
      if (held === undefined) {
        free = slot;
        break;
      }
      if (this.keys[slot] !== key) continue;
      if (held !== SEEN) return held;
      // Met a second time: now worth keeping.
      const reason = this.evaluate(ctx);
      this.reasons[slot] = reason;
      return reason;
    }
    if (free === -1) {
      // A full neighbourhood: the table is too small for the instants met, unless at its largest.
      if (++this.clashes > this.reasons.length >> 2 && this.reasons.length < MAX_SLOTS) {
        this.resize(this.reasons.length * 4);
        return this.evaluate(ctx);
      }
      free = home;
    }
    this.keys[free] = key;
    this.reasons[free] = SEEN;
    return this.evaluate(ctx);
  }

  /** Starts again, empty, with `slots` slots. */
  private resize(slots: number): void {
    this.keys = new Float64Array(slots);
    this.reasons = new Array<Slot>(slots).fill(undefined);
    this.shift = 32 - Math.log2(slots);
    this.clashes = 0;
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
