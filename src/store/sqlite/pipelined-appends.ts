// The appends of one bulk transaction on SQLite, pipelined as on PostgreSQL (postgres/append.ts):
// a batch is planned on the importing thread while the connection writes the one before. A planned
// batch's rows are held back until the next batch's lookups are sent, so that those never wait for
// them; the next batch is then planned with the held batch's rows in memory (append-plan.ts
// `PlanCarry`) and the heads it leaves. With the writer thread (writer-thread.ts) the SQL runs on
// the machine's other core meanwhile; on the store's own connection, one step after the other.
import { appendState, lookupsFor, type PlanCarry, planAppend } from "../../evidence/append-plan.ts";
import { eventIdOf, type NewEvent } from "../../evidence/events.ts";
import type { AppendResult, BulkWriter, ChainHead, RegistryEntry } from "../store.ts";
import { type BulkConnection, type EncodedBatch, encodePlan, found, lookupRequest } from "./batch-writes.ts";

/** Writes sent and not yet done, past which the importing thread waits (an import must not outrun its writes by more). */
const IN_FLIGHT = 2;

export class PipelinedAppends implements BulkWriter {
  readonly #c: BulkConnection;
  /** Heads as the batches planned so far leave them (read from the store at a tenant's first batch). */
  readonly #heads = new Map<string, ChainHead | null>();
  #carry: PlanCarry | undefined;
  #held: EncodedBatch | null = null;
  readonly #inFlight: Promise<void>[] = [];
  #failure: { readonly error: unknown } | null = null;

  constructor(c: BulkConnection) {
    this.#c = c;
  }

  async append(events: readonly NewEvent[]): Promise<AppendResult> {
    if (events.length === 0) return { appended: 0, seqs: [], duplicates: 0, suppressed: [] };
    const eventIds = events.map(eventIdOf);
    const unread = [...new Set(events.map((e) => e.tenant))].filter((t) => !this.#heads.has(t));
    if (unread.length > 0) {
      const read = await this.#c.heads(unread);
      unread.forEach((t, i) => {
        this.#heads.set(t, read[i] ?? null);
      });
    }
    const head = (tenant: string): ChainHead | null => this.#heads.get(tenant) ?? null;
    const lookup = this.#c.lookup(lookupRequest(lookupsFor(events, eventIds, (t) => head(t) !== null)));
    this.send();
    const plan = planAppend(
      events,
      appendState(head, found(await lookup)),
      Date.now(),
      eventIds,
      this.#carry,
    );
    this.#carry = plan.carry;
    for (const [tenant, h] of plan.heads) this.#heads.set(tenant, h);
    this.#held = encodePlan(plan);
    await this.#settle(IN_FLIGHT);
    return plan.result;
  }

  async registry(
    tenant: string,
    snapshotSeq: number,
    checkedAt: number,
    entries: readonly RegistryEntry[],
  ): Promise<void> {
    this.send();
    this.#track(this.#c.registry(tenant, snapshotSeq, checkedAt, entries));
    await this.#settle(IN_FLIGHT);
  }

  async recordImport(
    tenant: string,
    record: { readonly kind: string; readonly fileSha256: string; readonly summary: unknown },
  ): Promise<void> {
    this.send();
    this.#track(this.#c.recordImport(tenant, record));
    await this.#settle(IN_FLIGHT);
  }

  /** Sends the held batch's rows: before any other call that follows it. */
  send(): void {
    if (this.#held === null) return;
    this.#track(this.#c.write(this.#held));
    this.#held = null;
  }

  /** Sends what is held and waits for every write: throws the first that failed. */
  async finish(): Promise<void> {
    this.send();
    await this.#settle(0);
  }

  #track(written: Promise<void>): void {
    this.#inFlight.push(
      written.catch((error: unknown) => {
        this.#failure ??= { error };
      }),
    );
  }

  async #settle(most: number): Promise<void> {
    while (this.#inFlight.length > most) await this.#inFlight.shift();
    if (this.#failure !== null) throw this.#failure.error;
  }
}
