// An API key's rate limit across the server processes of one store, without a write per request:
// each process says in the store that it is alive (every BEAT_MS), counts the processes alive, and
// applies 1/N of the key's rate and burst in its own token buckets. Behind a balancer that spreads
// requests evenly (round robin), the processes together admit the key's rate; an uneven spread
// admits less, never more (fail closed). A process killed without stopping stops counting after
// ALIVE_MS; until then the others admit a little less.
import { randomBytes } from "node:crypto";
import type { Store } from "../store/store.ts";
import type { RateLimit } from "../web/rate-limit.ts";

export const BEAT_MS = 2000;
const ALIVE_MS = 3 * BEAT_MS;
const FORGET_MS = 60_000;

export class ProcessShare {
  private readonly store: Store;
  private readonly tenant: string;
  private readonly id = `p_${randomBytes(9).toString("base64url")}`;
  private alive = 1;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  /** `now`: the real clock (liveness is real time), but in tests of a process that died. */
  constructor(store: Store, tenant: string, now: () => number = Date.now) {
    this.store = store;
    this.tenant = tenant;
    this.now = now;
  }

  /** The processes alive at the last beat (this one included). */
  get processes(): number {
    return this.alive;
  }

  /**
   * Says this process is alive now and every BEAT_MS; learns how many are. A beat that fails (the
   * store unreachable, or a SQLite file locked by a long import) leaves the last count until the
   * next one: the server starts and answers all the same.
   */
  async start(): Promise<void> {
    const beat = () => this.refresh().catch(() => {});
    await beat();
    this.timer = setInterval(beat, BEAT_MS);
    this.timer.unref();
  }

  /** Stops saying so; the others count one process less at once (or after ALIVE_MS if this fails). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.store.shared("processGone", [this.tenant, this.id]).catch(() => {});
  }

  /** This process's share of a key's limit. */
  share(limit: RateLimit): RateLimit {
    const n = this.alive;
    return n <= 1 ? limit : { burst: Math.max(1, limit.burst / n), perSecond: limit.perSecond / n };
  }

  /** Says this process is alive and counts those that are (what every beat does). */
  async refresh(): Promise<void> {
    const now = this.now();
    await this.store.shared("processSeen", [this.tenant, this.id, now]);
    await this.store.shared("processSweep", [this.tenant, now - FORGET_MS]);
    const [row] = await this.store.shared("processesAlive", [this.tenant, now - ALIVE_MS]);
    this.alive = Math.max(1, Number(row?.n ?? 1));
  }
}
