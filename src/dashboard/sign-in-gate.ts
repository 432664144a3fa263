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
// - every count but the first is in the store (schema 16), so that several server processes give
//   a guesser no more tries than one; the cap on hashing is each process's own, as its CPU is.
import { SharedBuckets } from "../services/shared-buckets.ts";
import type { Store } from "../store/store.ts";
import type { RateLimit } from "../web/rate-limit.ts";

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

/** How often, at most, failures long over are forgotten. */
const SWEEP_EVERY_MS = 60_000;

export type Admission =
  | { readonly ok: true; readonly done: (success: boolean) => Promise<void> }
  | { readonly ok: false; readonly why: "busy" | "address" | "locked"; readonly retryAfter: number };

export class SignInGate {
  private readonly limits: SignInLimits;
  private readonly now: () => number;
  private readonly store: Store;
  private readonly tenant: string;
  private readonly addresses: SharedBuckets;
  private readonly names: SharedBuckets;
  private hashing = 0;
  private lastSweep = 0;

  constructor(limits: SignInLimits, now: () => number, store: Store, tenant: string) {
    this.limits = limits;
    this.now = now;
    this.store = store;
    this.tenant = tenant;
    this.addresses = new SharedBuckets(store, tenant, "sign-in.address", limits.perAddress, now);
    this.names = new SharedBuckets(store, tenant, "sign-in.name-failures", limits.perNameFailures, now);
  }

  /** Whether `name` may be tried from `address` now; if so, `done` must be called once hashed. */
  async admit(name: string, address: string): Promise<Admission> {
    // First, so that a busy server turns an attempt away without spending the address's tokens;
    // the slot is held from here, so that attempts arriving meanwhile count it.
    if (this.hashing >= this.limits.concurrent) return { ok: false, why: "busy", retryAfter: 1 };
    this.hashing++;
    let open = true;
    const release = () => {
      if (!open) return false;
      open = false;
      this.hashing--;
      return true;
    };
    try {
      const refused = await this.refusal(name, address);
      if (refused !== null) {
        release();
        return refused;
      }
    } catch (e) {
      release();
      throw e;
    }
    return {
      ok: true,
      done: async (success) => {
        if (!release()) return;
        if (success) await this.store.shared("signInForget", [this.tenant, name, address]);
        else await this.failed(name, address);
      },
    };
  }

  private async refusal(name: string, address: string): Promise<Extract<Admission, { ok: false }> | null> {
    const byAddress = await this.addresses.take(address);
    if (byAddress > 0) return { ok: false, why: "address", retryAfter: byAddress };
    const now = this.now();
    await this.sweep(now);
    const [pair] = await this.store.shared("signInPair", [this.tenant, name, address]);
    if (pair === undefined) return null;
    const until = Number(pair.locked_until);
    if (until > now) return { ok: false, why: "locked", retryAfter: Math.ceil((until - now) / 1000) };
    const byName = await this.names.wait(name);
    return byName > 0 ? { ok: false, why: "locked", retryAfter: byName } : null;
  }

  private async failed(name: string, address: string): Promise<void> {
    const now = this.now();
    // Failures are forgotten once the longest lock has passed again since the last one.
    const [row] = await this.store.shared("signInFailed", [
      this.tenant,
      name,
      address,
      now,
      this.limits.maxLockMs,
    ]);
    const over = Number(row?.failures) - this.limits.freeFailures;
    const lock = over < 0 ? 0 : Math.min(this.limits.maxLockMs, this.limits.lockMs * 2 ** over);
    await this.store.shared("signInLock", [now + lock, this.tenant, name, address]);
    await this.names.take(name);
  }

  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    await this.store.shared("signInSweep", [this.tenant, now - this.limits.maxLockMs]);
  }
}
