// What stands before a password is hashed. Hashing (scrypt, ≈ 90 ms of CPU) is what an attacker
// makes the server pay for, and a lockout is what they would turn against a user, so:
// - at most `concurrent` sign-ins are being hashed or queued for it; more are answered 429 at
//   once, before hashing. Hashes run one at a time on a low-priority thread (password-hasher.ts),
//   ≈ 10 a second: plenty for a DPO's dashboard, and a queue longer than one would only make
//   each sign-in wait longer;
// - each client address has a token bucket for all its sign-ins;
// - failures are counted per (name, address): after `freeFailures`, that pair waits `lockMs`,
//   doubling with each further failure up to `maxLockMs`. Another address is not locked out by it:
//   a user signing in from their own address still gets in while someone else hammers their name;
// - failures of one name from all addresses together spend a token bucket; once it is empty, only
//   addresses that never failed for that name may try it, which bounds guessing spread over many
//   addresses without locking the user out;
// - every counter lives in a fixed-size LRU map: a flood of names or addresses costs fixed memory.
import { LruMap } from "../web/lru.ts";
import { type RateLimit, TokenBuckets } from "../web/rate-limit.ts";

export interface SignInLimits {
  readonly concurrent: number;
  readonly perAddress: RateLimit;
  readonly perNameFailures: RateLimit;
  readonly freeFailures: number;
  readonly lockMs: number;
  readonly maxLockMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  concurrent: 1,
  perAddress: { burst: 10, perSecond: 1 / 6 },
  perNameFailures: { burst: 20, perSecond: 1 / 10 },
  freeFailures: 5,
  lockMs: 60_000,
  maxLockMs: 15 * 60_000,
};

/** How many counters of each kind are kept. */
const CAPACITY = 10_000;

export type Admission =
  | { readonly ok: true; readonly done: (success: boolean) => void }
  | { readonly ok: false; readonly why: "busy" | "address" | "locked"; readonly retryAfter: number };

export class SignInGate {
  private readonly limits: SignInLimits;
  private readonly now: () => number;
  private readonly addresses: TokenBuckets;
  private readonly names: TokenBuckets;
  private readonly pairs = new LruMap<string, { failures: number; until: number }>(CAPACITY);
  private hashing = 0;

  constructor(limits: SignInLimits, now: () => number) {
    this.limits = limits;
    this.now = now;
    this.addresses = new TokenBuckets(limits.perAddress, now, CAPACITY);
    this.names = new TokenBuckets(limits.perNameFailures, now, CAPACITY);
  }

  /** Whether `name` may be tried from `address` now; if so, `done` must be called once hashed. */
  admit(name: string, address: string): Admission {
    // First, so that a busy server turns an attempt away without spending the address's tokens.
    if (this.hashing >= this.limits.concurrent) return { ok: false, why: "busy", retryAfter: 1 };
    const byAddress = this.addresses.take(address);
    if (byAddress > 0) return { ok: false, why: "address", retryAfter: byAddress };
    const pairKey = JSON.stringify([name, address]);
    const pair = this.pairs.get(pairKey);
    const now = this.now();
    if (pair !== undefined && pair.until > now) {
      return { ok: false, why: "locked", retryAfter: Math.ceil((pair.until - now) / 1000) };
    }
    if (pair !== undefined) {
      const byName = this.names.wait(name);
      if (byName > 0) return { ok: false, why: "locked", retryAfter: byName };
    }
    this.hashing++;
    let open = true;
    return {
      ok: true,
      done: (success) => {
        if (!open) return;
        open = false;
        this.hashing--;
        if (success) this.pairs.delete(pairKey);
        else this.failed(name, pairKey);
      },
    };
  }

  private failed(name: string, pairKey: string): void {
    const now = this.now();
    const last = this.pairs.get(pairKey);
    // Failures are forgotten once the longest lock has passed again since the last one.
    const before = last === undefined || now - last.until > this.limits.maxLockMs ? 0 : last.failures;
    const failures = before + 1;
    const over = failures - this.limits.freeFailures;
    const lock = over < 0 ? 0 : Math.min(this.limits.maxLockMs, this.limits.lockMs * 2 ** over);
    this.pairs.set(pairKey, { failures, until: now + lock });
    this.names.take(name);
  }
}
