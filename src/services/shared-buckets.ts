// Token buckets kept in the store (schema 16), for the limits that must hold however many server
// processes share it: a person's double opt-in requests, an API key's, sign-in attempts from an
// address. Each take is one statement that refills and spends atomically, so N processes let
// through what one would. API keys' request rates stay in memory, shared out between processes
// instead (process-share.ts): a write per request would cost more than the check it limits.
import { TOKEN } from "../store/shared-sql.ts";
import type { Store } from "../store/store.ts";
import type { RateLimit } from "../web/rate-limit.ts";

/** How often, at most, buckets full again are forgotten. */
const SWEEP_EVERY_MS = 60_000;

export class SharedBuckets {
  private readonly store: Store;
  private readonly tenant: string;
  private readonly scope: string;
  private readonly limit: RateLimit;
  private readonly now: () => number;
  /** Millionths of a token a second, and of a token (shared-sql.ts TOKEN). */
  private readonly rate: number;
  private readonly burst: number;
  private lastSweep = 0;

  /** `scope` names what the buckets count ("opt-in.point"…): each its own rows. */
  constructor(store: Store, tenant: string, scope: string, limit: RateLimit, now: () => number = Date.now) {
    this.store = store;
    this.tenant = tenant;
    this.scope = scope;
    this.limit = limit;
    this.now = now;
    this.rate = Math.round(limit.perSecond * TOKEN);
    this.burst = Math.round(limit.burst * TOKEN);
    if (this.rate < 1 || this.burst < TOKEN)
      throw new Error(`${scope}: a limit needs a rate and a burst of at least 1`);
  }

  /** 0 when the request may go on (a token is spent), else the seconds to wait before the next token. */
  async take(id: string): Promise<number> {
    const now = this.now();
    await this.sweep(now);
    const [row] = await this.store.shared("bucketTake", [
      this.tenant,
      this.scope,
      id,
      this.burst - TOKEN,
      now,
      this.rate,
      this.burst,
    ]);
    return Number(row?.taken) === 1 ? 0 : this.waitFor(Number(row?.tokens));
  }

  /** The same answer as `take`, spending nothing. */
  async wait(id: string): Promise<number> {
    const [row] = await this.store.shared("bucketPeek", [this.tenant, this.scope, id]);
    if (row === undefined) return 0;
    const elapsed = Math.max(0, this.now() - Number(row.at));
    const tokens = Math.min(this.burst, Number(row.tokens) + Math.floor((elapsed * this.rate) / 1000));
    return tokens >= TOKEN ? 0 : this.waitFor(tokens);
  }

  private waitFor(tokens: number): number {
    return Math.max(1, Math.ceil((TOKEN - tokens) / this.rate));
  }

  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    const refill = Math.ceil((this.limit.burst / this.limit.perSecond) * 1000);
    await this.store.shared("bucketSweep", [this.tenant, this.scope, now - refill]);
  }
}
