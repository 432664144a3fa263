// Random events as vigie records them, over a few points, controllers and days, and a way to
// append them in random batches: shared by the properties over whole stores (order.test.ts,
// audit-state.test.ts).
import fc from "fast-check";
import type { EventData, NewEvent } from "../../src/evidence/events.ts";
import type { Store } from "../../src/store/store.ts";

export const day0 = Date.parse("2026-03-02T09:00:00Z");
export const DAY = 86_400_000;
export const KEYS = ["k0", "k1", "k2", "k3"] as const;
const CONTROLLERS = ["", "agence dupont"] as const;

const when = fc.integer({ min: 0, max: 8 }).map((d) => day0 + d * DAY);
const channel = fc.constantFrom("email" as const, "sms" as const);
/** Who collected a consent, left out as often as not (events recorded before these fields). */
const COLLECTION = {
  collectedBy: fc.constantFrom("self" as const, "partner" as const, "broker" as const),
  namedHow: fc.constantFrom("named" as const, "listed_with_link" as const, "not_named" as const),
};
const dataArb: fc.Arbitrary<EventData> = fc.oneof(
  {
    arbitrary: fc.record({
      type: fc.constant("source.recorded" as const),
      source: fc.record(
        {
          kind: fc.constantFrom("consumer" as const, "professional" as const),
          originType: fc.constantFrom("direct" as const, "broker" as const),
          collectedAt: fc.option(when),
          senderNamed: fc.option(fc.boolean()),
          optOutOffered: fc.option(fc.boolean()),
          publisherRefused: fc.option(fc.boolean()),
          informedAt: fc.constant(null),
          relationship: fc.option(fc.constantFrom("prospect" as const, "past_customer" as const)),
          customerSince: fc.constant(null),
          customerUntil: fc.constant(null),
          lastInboundAt: fc.option(when),
          department: fc.option(fc.constantFrom("69", "75")),
          timeZone: fc.constant(null),
          obtainedAt: when,
          transfers: fc.integer({ min: 1, max: 3 }),
          freeAccountOfPaidModel: fc.boolean(),
        },
        {
          requiredKeys: [
            "kind",
            "originType",
            "collectedAt",
            "senderNamed",
            "optOutOffered",
            "publisherRefused",
            "informedAt",
            "relationship",
            "customerSince",
            "customerUntil",
            "lastInboundAt",
            "department",
            "timeZone",
          ],
        },
      ),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      type: fc.constant("consent.given" as const),
      consent: fc.record(
        {
          channel,
          method: fc.option(fc.constantFrom("double_opt_in" as const, "unticked_checkbox" as const)),
          scope: fc.constantFrom("standard" as const, "out_of_hours" as const),
          proof: fc.boolean(),
          ...COLLECTION,
        },
        { requiredKeys: ["channel", "method", "scope", "proof"] },
      ),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ type: fc.constant("consent.withdrawn" as const), channel }), weight: 3 },
  {
    arbitrary: fc.record({
      type: fc.constant("objection.recorded" as const),
      channel: fc.constantFrom("all" as const, "sms" as const),
      via: fc.option(fc.constantFrom("letter" as const, "stop_sms" as const)),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record(
      {
        type: fc.constant("contact.made" as const),
        channel,
        outcome: fc.constantFrom("answered" as const, "objected" as const, "no_interest" as const),
        // Left out as often as not (calls recorded before these fields); two records of one call may
        // disagree on them.
        advertiser: fc.constantFrom("agence dupont", "agence martin"),
        sector: fc.constantFrom("insurance" as const, "other" as const),
      },
      { requiredKeys: ["type", "channel", "outcome"] },
    ),
    weight: 1,
  },
  { arbitrary: fc.record({ type: fc.constant("notice.sent" as const) }), weight: 1 },
  {
    // Two records of one request may disagree on the slot and the subject.
    arbitrary: fc.record({
      type: fc.constant("callback.requested" as const),
      slot: fc.option(
        fc.constantFrom(
          { from: Date.parse("2026-03-10T13:00:00Z"), to: Date.parse("2026-03-10T15:00:00Z") },
          { from: Date.parse("2026-03-10T14:00:00Z"), to: Date.parse("2026-03-10T16:00:00Z") },
        ),
      ),
      subject: fc.option(fc.constantFrom("insurance" as const, "other" as const)),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ type: fc.constant("subject.linked" as const), with: fc.constantFrom(...KEYS) }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      type: fc.constant("subject.erased" as const),
      pointType: fc.constant("email" as const),
      reason: fc.constant("request" as const),
    }),
    weight: 1,
  },
);

export const eventArb: fc.Arbitrary<Omit<NewEvent, "tenant">> = fc
  .record({
    pointKey: fc.constantFrom(...KEYS),
    controller: fc.constantFrom(...CONTROLLERS),
    occurredAt: when,
    data: dataArb,
  })
  .map((e) => ({
    ...e,
    proof: { recordedBy: "order" },
    // As vigie records them: every event carries its point's value, but erasures and links.
    pii:
      e.data.type === "subject.erased" || e.data.type === "subject.linked"
        ? null
        : { point: { type: "email" as const, value: `${e.pointKey}@example.fr` } },
  }));

/** Events, the same events in another order, and where each order is cut into batches. */
export const worldArb = fc.array(eventArb, { minLength: 1, maxLength: 30 }).chain((events) =>
  fc.record({
    events: fc.constant(events),
    order: fc.shuffledSubarray(
      events.map((_, i) => i),
      { minLength: events.length, maxLength: events.length },
    ),
    cutsA: fc.array(fc.boolean(), { minLength: events.length, maxLength: events.length }),
    cutsB: fc.array(fc.boolean(), { minLength: events.length, maxLength: events.length }),
  }),
);

/** The events cut into batches after each event whose `cuts` entry is true. */
function batches(events: readonly NewEvent[], cuts: readonly boolean[]): NewEvent[][] {
  const out: NewEvent[][] = [[]];
  for (const [i, e] of events.entries()) {
    (out[out.length - 1] as NewEvent[]).push(e);
    if (cuts[i] === true) out.push([]);
  }
  return out.filter((b) => b.length > 0);
}

export async function appendInBatches(store: Store, events: readonly NewEvent[], cuts: readonly boolean[]) {
  for (const batch of batches(events, cuts)) await store.append(batch);
}

/** The same in one bulk transaction, as an import appends its batches (`BulkWriter.append`). */
export async function appendInBulk(store: Store, events: readonly NewEvent[], cuts: readonly boolean[]) {
  await store.bulk(async (w) => {
    for (const batch of batches(events, cuts)) await w.append(batch);
  });
}

/**
 * A Bloctel check of some of the points, as `vigie import bloctel` records one: its event, then
 * its rows under the event's number, in one bulk. `effectiveAt`: each row's, null when unknown.
 */
export async function bloctelCheck(
  store: Store,
  tenant: string,
  check: { readonly keys: readonly string[]; readonly complete: boolean; readonly day: number },
  effectiveAt: number | null = day0,
): Promise<void> {
  const { keys, complete, day } = check;
  await store.bulk(async (w) => {
    const r = await w.append([
      {
        tenant,
        pointKey: "",
        controller: "",
        occurredAt: day0 + day * DAY,
        data: {
          type: "registry.snapshot",
          registry: "bloctel",
          complete,
          fileSha256: `f${day}${keys.join("")}${complete}`,
          rows: keys.length,
          entriesDigest: "d",
        },
        proof: { recordedBy: "test" },
        pii: null,
      },
    ]);
    const seq = r.seqs[0];
    if (seq === null || seq === undefined) return;
    await w.registry(
      tenant,
      seq,
      day0 + day * DAY,
      keys.map((pointKey) => ({ pointKey, registered: true, registeredAt: day0, effectiveAt })),
    );
  });
}
