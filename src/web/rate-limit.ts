// Token buckets in memory: `burst` requests at once, refilled at `perSecond`; one bucket per API
// key, client address or contact point. The limit is the buckets' own, or the one each call
// names (an API key's: each key has its own). At most `capacity` buckets are kept (least recently used
// forgotten), so a flood of new addresses costs fixed memory. Memory is each process's own and
// resets on restart; an API key's limit is shared out between processes by the caller
// (src/services/process-share.ts).
import { LruMap } from "./lru.ts";

export interface RateLimit {
  readonly burst: number;
  readonly perSecond: number;
}

export class TokenBuckets {
  private readonly buckets: LruMap<string, { tokens: number; at: number }>;

  private readonly limit: RateLimit;
  private readonly now: () => number;

  constructor(limit: RateLimit, now: () => number = Date.now, capacity = 100_000) {
    this.limit = limit;
    this.now = now;
    this.buckets = new LruMap(capacity);
  }

  /** 0 when the request may go on (a token is spent), else the seconds to wait before the next token. */
  take(id: string, limit: RateLimit = this.limit): number {
    const b = this.refilled(id, limit);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return this.waitFor(b.tokens, limit);
  }

  /** The same answer as `take`, spending nothing. */
  wait(id: string): number {
    const b = this.refilled(id, this.limit);
    return b.tokens >= 1 ? 0 : this.waitFor(b.tokens, this.limit);
  }

  private refilled(id: string, limit: RateLimit): { tokens: number; at: number } {
    const now = this.now();
    const b = this.buckets.get(id) ?? { tokens: limit.burst, at: now };
    b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.perSecond);
    b.at = now;
    this.buckets.set(id, b);
    return b;
  }

  private waitFor(tokens: number, limit: RateLimit): number {
    return Math.max(1, Math.ceil((1 - tokens) / limit.perSecond));
  }
}
