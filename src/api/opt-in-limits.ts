// What keeps double opt-in from being turned against a person: asking again must not reset the
// count of wrong codes, nobody may flood a person with codes or links, and a stranger typing wrong
// codes must not lock the person out for good. So wrong codes are counted per contact point across
// its requests; `wrongCodes` of them lock the point for `lockMs` (its code is dropped; the lock
// then ends by itself, and the count with it). New requests are limited per point and per API key
// each hour. Every count is in the store, so that several server processes give a guesser no more
// tries, and a person no more messages, than one.
import { SharedBuckets } from "../services/shared-buckets.ts";
import type { Store } from "../store/store.ts";

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

const hourly = (n: number) => ({ burst: n, perSecond: n / 3600 });

export class OptInGuard {
  private readonly limits: OptInLimits;
  private readonly now: () => number;
  private readonly store: Store;
  private readonly tenant: string;
  private readonly points: SharedBuckets;
  private readonly keys: SharedBuckets;

  constructor(limits: OptInLimits, now: () => number, store: Store, tenant: string) {
    this.limits = limits;
    this.now = now;
    this.store = store;
    this.tenant = tenant;
    this.points = new SharedBuckets(store, tenant, "opt-in.point", hourly(limits.perPointPerHour), now);
    this.keys = new SharedBuckets(store, tenant, "opt-in.key", hourly(limits.perKeyPerHour), now);
  }

  /** Seconds before a new request for the point by `key` may be made; 0: go on (it is counted). */
  async request(
    pointKey: string,
    key: string,
  ): Promise<{ wait: number; why: "locked" | "point" | "key" | null }> {
    const locked = await this.lockedFor(pointKey);
    if (locked > 0) return { wait: locked, why: "locked" };
    // The key first, spending nothing: a key over its limit must not use up a person's requests.
    const byKey = await this.keys.wait(key);
    if (byKey > 0) return { wait: byKey, why: "key" };
    const byPoint = await this.points.take(pointKey);
    if (byPoint > 0) return { wait: byPoint, why: "point" };
    // Another process may have taken the key's last request meanwhile: then this one waits too.
    const taken = await this.keys.take(key);
    return taken > 0 ? { wait: taken, why: "key" } : { wait: 0, why: null };
  }

  /** Seconds the point stays locked; 0 when it is not. */
  async lockedFor(pointKey: string): Promise<number> {
    const [row] = await this.store.shared("wrongCodeLocked", [this.tenant, pointKey]);
    const until = Number(row?.locked_until ?? 0);
    const now = this.now();
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  /** Counts a wrong code: the attempts left, and with 0 the seconds the point is now locked for. */
  async wrongCode(pointKey: string): Promise<{ attemptsLeft: number; lockedFor: number }> {
    const now = this.now();
    const [row] = await this.store.shared("wrongCode", [this.tenant, pointKey, now, this.limits.lockMs]);
    const count = Number(row?.count);
    const locked = !(count < this.limits.wrongCodes);
    if (locked) await this.store.shared("wrongCodeLock", [now + this.limits.lockMs, this.tenant, pointKey]);
    return {
      attemptsLeft: Math.max(0, this.limits.wrongCodes - count),
      lockedFor: locked ? Math.ceil(this.limits.lockMs / 1000) : 0,
    };
  }

  async rightCode(pointKey: string): Promise<void> {
    await this.store.shared("wrongCodesForget", [this.tenant, pointKey]);
  }
}
