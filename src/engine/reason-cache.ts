// The reasons a rule gave, by a key they are a function of (plan-rule.ts). Most keys are instants:
// they go to a direct-mapped table — a slot per hash, the exact instant compared, a clash simply
// replacing the older entry — which costs no allocation and no Map lookup on a double. Other keys
// (statuses, methods, null for evidence not recorded) go to a Map.
import type { Reason } from "./decision.ts";

export type Key = number | string | null | undefined;

const FIRST_SLOTS = 64;
const MAX_SLOTS = 8192;
/** Reasons are null where the rule said nothing: undefined marks an empty slot. */
type Slot = Reason | null | undefined;

export class ReasonCache<C> {
  private readonly evaluate: (ctx: C) => Reason | null;
  private keys = new Float64Array(0);
  private reasons: Slot[] = [];
  private shift = 32;
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
    if (this.reasons.length === 0) this.grow(FIRST_SLOTS);
    // Fibonacci hashing of the whole seconds: dates are mostly whole days, whose low bits agree.
    const slot = Math.imul(Math.floor(key / 1000) | 0, 0x9e3779b1) >>> this.shift;
    const held = this.reasons[slot];
    if (held !== undefined && this.keys[slot] === key) return held;
    const reason = this.evaluate(ctx);
    if (held !== undefined && ++this.clashes > this.reasons.length && this.reasons.length < MAX_SLOTS) {
      this.grow(this.reasons.length * 2);
      return reason;
    }
    this.keys[slot] = key;
    this.reasons[slot] = reason;
    return reason;
  }

  /** Starts again with more slots: clashes say the table is too small for the dates met. */
  private grow(slots: number): void {
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
