// What keeps double opt-in from being turned against a person: asking again must not reset the
// count of wrong codes, nobody may flood a person with codes or links, and a stranger typing wrong
// codes must not lock the person out for good. So wrong codes are counted per contact point across
// its requests; `wrongCodes` of them lock the point for `lockMs` (its code is dropped; the lock
// then ends by itself, and the count with it); new requests are limited per point and per API key
// each hour. In memory, in fixed-size LRU maps (a flood of points costs fixed memory), reset on
// restart like the rate limits.
import { LruMap } from "../web/lru.ts";
import { TokenBuckets } from "../web/rate-limit.ts";

export interface OptInLimits {
  /** New requests (link or code) for one contact point, per hour. */
  readonly perPointPerHour: number;
  /** New requests by one API key, per hour. */
  readonly perKeyPerHour: number;
  /** Wrong codes for one point, across its requests, before it is locked. */
  readonly wrongCodes: number;
  readonly lockMs: number;
}

export const DEFAULT_OPT_IN_LIMITS: OptInLimits = {
  perPointPerHour: 5,
  perKeyPerHour: 1000,
  wrongCodes: 5,
  lockMs: 15 * 60_000,
};

const CAPACITY = 100_000;

const hourly = (n: number) => ({ burst: n, perSecond: n / 3600 });

export class OptInGuard {
  private readonly limits: OptInLimits;
  private readonly now: () => number;
  private readonly points: TokenBuckets;
  private readonly keys: TokenBuckets;
  private readonly wrong = new LruMap<string, { count: number; lastAt: number; lockedUntil: number }>(
    CAPACITY,
  );

  constructor(limits: OptInLimits, now: () => number) {
    this.limits = limits;
    this.now = now;
    this.points = new TokenBuckets(hourly(limits.perPointPerHour), now, CAPACITY);
    this.keys = new TokenBuckets(hourly(limits.perKeyPerHour), now, CAPACITY);
  }

  /** Seconds before a new request for `point` by `key` may be made; 0: go on (it is counted). */
  request(point: string, key: string): { wait: number; why: "locked" | "point" | "key" | null } {
    const locked = this.lockedFor(point);
    if (locked > 0) return { wait: locked, why: "locked" };
    const byKey = this.keys.wait(key);
    if (byKey > 0) return { wait: byKey, why: "key" };
    const byPoint = this.points.take(point);
    if (byPoint > 0) return { wait: byPoint, why: "point" };
    this.keys.take(key);
    return { wait: 0, why: null };
  }

  /** Seconds the point stays locked; 0 when it is not. */
  lockedFor(point: string): number {
    const w = this.wrong.get(point);
    const now = this.now();
    return w !== undefined && w.lockedUntil > now ? Math.ceil((w.lockedUntil - now) / 1000) : 0;
  }

  /** Counts a wrong code: the attempts left, and with 0 the seconds the point is now locked for. */
  wrongCode(point: string): { attemptsLeft: number; lockedFor: number } {
    const now = this.now();
    const w = this.wrong.get(point);
    // A count ends with its lock, or when the point had no wrong code for as long as a lock lasts.
    const fresh = w === undefined || w.lockedUntil > 0 || now - w.lastAt > this.limits.lockMs;
    const count = (fresh ? 0 : w.count) + 1;
    const locked = count >= this.limits.wrongCodes;
    this.wrong.set(point, { count, lastAt: now, lockedUntil: locked ? now + this.limits.lockMs : 0 });
    return {
      attemptsLeft: Math.max(0, this.limits.wrongCodes - count),
      lockedFor: locked ? Math.ceil(this.limits.lockMs / 1000) : 0,
    };
  }

  rightCode(point: string): void {
    this.wrong.delete(point);
  }
}
