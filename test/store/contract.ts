// The store contract: one suite, run against every adapter (sqlite.test.ts, postgres.test.ts).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { EventData, NewEvent, SourceData, StoredEvent } from "../../src/evidence/events.ts";
import { registryDigest } from "../../src/evidence/registry-digest.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import type { RegistryEntry, Store } from "../../src/store/store.ts";
import { hashLiteral, insertEventSql } from "../support/sql.ts";

/** A store the contract can also tamper with, as an attacker with database access would. */
export interface TestStore extends Store {
  unsafeExec(sql: string): Promise<void> | void;
}

const T = "acme";
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** A scraped consumer source, as the contract and the migration tests record it. */
export const source: SourceData = {
  kind: "consumer",
  originType: "scraped_public",
  collectedAt: day("2025-02-20"),
  senderNamed: null,
  optOutOffered: null,
  publisherRefused: false,
  informedAt: null,
  relationship: "prospect",
  customerSince: null,
  customerUntil: null,
  lastInboundAt: null,
  department: "69",
  timeZone: null,
};

export function ev(
  pointKey: string,
  data: EventData,
  occurredAt: number,
  extra: Partial<Pick<NewEvent, "controller" | "pii" | "tenant">> = {},
): NewEvent {
  return {
    tenant: extra.tenant ?? T,
    pointKey,
    controller: extra.controller ?? "agence dupont",
    occurredAt,
    data,
    proof: { recordedBy: "contract-test" },
    pii: extra.pii ?? null,
  };
}

const consent = (channel: "email" | "voice_live" = "email"): EventData => ({
  type: "consent.given",
  consent: { channel, method: "double_opt_in", scope: "standard", proof: true },
});

export function storeContract(name: string, open: () => Promise<TestStore>): void {
  describe(`store contract: ${name}`, () => {
    let store: TestStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    test("who collected a consent is kept; records that disagree keep the more restrictive reading (A8)", async () => {
      const key = "k:collector";
      const on = { tenant: "collectors" };
      const given = (collection: object) => ({
        type: "consent.given" as const,
        consent: {
          channel: "email" as const,
          method: null,
          scope: "standard" as const,
          proof: true,
          ...collection,
        },
      });
      await store.append([
        ev(key, given({ collectedBy: "broker", namedHow: "listed_with_link" }), day("2025-03-01"), on),
        ev(key, given({ collectedBy: "self" }), day("2025-03-02"), on),
        ev(key, given({}), day("2025-03-02"), on),
        ev(key, given({ collectedBy: "partner", namedHow: "named" }), day("2025-03-03"), on),
        ev(key, given({ collectedBy: "self" }), day("2025-03-03"), on),
      ]);
      const read = (await store.evidence(on.tenant, [key])).consents.map((c) => [c.collectedBy, c.namedHow]);
      assert.deepEqual(read, [
        ["broker", "listed_with_link"],
        [null, null],
        ["partner", null],
      ]);
      assert.equal((await verifyAudit(store)).ok, true);
    });

    test("records of one consent that disagree on the method keep one that never makes a valid consent", async () => {
      const on = { tenant: "methods" };
      const given = (method: string | null) => ({
        type: "consent.given" as const,
        consent: {
          channel: "sms" as const,
          method: method as never,
          scope: "standard" as const,
          proof: true,
        },
      });
      const merged = async (key: string, methods: readonly (string | null)[]) => {
        await store.append(methods.map((m) => ev(key, given(m), day("2026-09-01"), on)));
        return (await store.evidence(on.tenant, [key])).consents.map((c) => c.method);
      };
      assert.deepEqual(await merged("k:m1", ["pre_ticked_checkbox", "double_opt_in"]), [
        "pre_ticked_checkbox",
      ]);
      assert.deepEqual(await merged("k:m2", ["double_opt_in", "terms_acceptance", "pre_ticked_checkbox"]), [
        "terms_acceptance",
      ]);
      assert.deepEqual(await merged("k:m3", [null, "pre_ticked_checkbox"]), ["pre_ticked_checkbox"]);
      assert.deepEqual(await merged("k:m4", ["double_opt_in", "unticked_checkbox"]), [null]);
      assert.equal((await verifyAudit(store)).ok, true, "the audit rebuilds the same state");
    });

    test("records of one call that disagree on the advertiser leave it unknown to all (''), not the caller's own", async () => {
      const on = { tenant: "calls", controller: "centre alpha" };
      const call = (advertiser?: string) => ({
        type: "contact.made" as const,
        channel: "voice_live" as const,
        outcome: "objected" as const,
        ...(advertiser === undefined ? {} : { advertiser }),
      });
      const merged = async (key: string, advertisers: readonly (string | undefined)[]) => {
        await store.append(advertisers.map((a) => ev(key, call(a), day("2026-11-02"), on)));
        return (await store.evidence(on.tenant, [key])).contacts.map((c) => c.advertiser);
      };
      assert.deepEqual(await merged("k:adv1", ["agence dupont", "agence martin"]), [""]);
      assert.deepEqual(await merged("k:adv2", ["agence dupont", undefined]), [""]);
      assert.deepEqual(await merged("k:adv3", ["agence dupont", "agence dupont"]), ["agence dupont"]);
      assert.deepEqual(await merged("k:adv4", [undefined, undefined]), [null]);
      assert.equal((await verifyAudit(store)).ok, true, "the audit rebuilds the same state");
    });

    test("appended evidence comes back as the current state of the point", async () => {
      const key = "k:roundtrip";
      const pii = {
        point: { type: "phone" as const, value: "+33612345678" },
        sourceUrl: "https://ads.example/1",
      };
      const r = await store.append([
        ev(key, { type: "source.recorded", source }, day("2025-02-20"), { pii }),
        ev(key, consent("voice_live"), day("2025-03-01"), { pii: { ip: "203.0.113.9", userAgent: "UA" } }),
        ev(key, { type: "consent.withdrawn", channel: "voice_live" }, day("2025-04-01")),
        ev(key, { type: "objection.recorded", channel: "sms", via: "stop_sms" }, day("2025-05-01"), {
          controller: "",
        }),
        ev(key, { type: "contact.made", channel: "voice_live", outcome: "no_answer" }, day("2025-03-02")),
        ev(key, { type: "notice.sent" }, day("2025-02-21")),
        ev(
          key,
          {
            type: "contact.made",
            channel: "voice_live",
            outcome: "no_interest",
            advertiser: "agence dupont",
            sector: "insurance",
          },
          day("2025-03-03"),
          { controller: "centre beta" },
        ),
      ]);
      assert.deepEqual(r, { appended: 7, seqs: [1, 2, 3, 4, 5, 6, 7], duplicates: 0, suppressed: [] });
      const e = await store.evidence(T, [key]);
      assert.deepEqual(e.point, { type: "phone", value: "+33612345678", erasedAt: null });
      assert.equal(e.sources.length, 1);
      assert.equal(e.sources[0]?.sourceUrl, "https://ads.example/1");
      assert.equal(e.sources[0]?.department, "69");
      assert.equal(e.sources[0]?.collectedAt, day("2025-02-20"));
      assert.deepEqual(e.consents, [
        {
          controller: "agence dupont",
          channel: "voice_live",
          givenAt: day("2025-03-01"),
          withdrawnAt: day("2025-04-01"),
          method: "double_opt_in",
          scope: "standard",
          proof: true,
          collectedBy: null,
          namedHow: null,
        },
      ]);
      assert.deepEqual(e.objections, [
        { controller: "", channel: "sms", at: day("2025-05-01"), via: "stop_sms" },
      ]);
      assert.deepEqual(e.contacts, [
        {
          controller: "agence dupont",
          channel: "voice_live",
          at: day("2025-03-02"),
          outcome: "no_answer",
          advertiser: null,
          sector: null,
        },
        {
          controller: "centre beta",
          channel: "voice_live",
          at: day("2025-03-03"),
          outcome: "no_interest",
          advertiser: "agence dupont",
          sector: "insurance",
        },
      ]);
      assert.deepEqual(e.notices, [{ controller: "agence dupont", at: day("2025-02-21") }]);
    });

    test("appending the same facts again adds no event (idempotent imports)", async () => {
      const key = "k:idempotent";
      const batch = [ev(key, consent(), day("2025-03-01")), ev(key, consent(), day("2025-03-01"))];
      const first = await store.append(batch);
      assert.deepEqual(
        { ...first, seqs: first.seqs.map((s) => s !== null) },
        {
          appended: 1,
          seqs: [true, false],
          duplicates: 1,
          suppressed: [],
        },
      );
      assert.deepEqual(await store.append(batch), {
        appended: 0,
        seqs: [null, null],
        duplicates: 2,
        suppressed: [],
      });
      assert.equal((await store.eventsOf(T, [key])).length, 1);
    });

    test("an import is recorded with its events, in the same transaction", async () => {
      assert.equal(await store.findImport(T, "consents", "f".repeat(64)), null);
      await store.bulk(async (w) => {
        await w.append([ev("k:import", consent(), day("2025-03-01"))]);
        await w.recordImport(T, { kind: "consents", fileSha256: "f".repeat(64), summary: { in: 1 } });
      });
      const rec = await store.findImport(T, "consents", "f".repeat(64));
      assert.equal(rec?.kind, "consents");
      assert.deepEqual(rec?.summary, { in: 1 });
    });

    test("erasure deletes personal data, keeps the key, refuses new consents, still records objections", async () => {
      const key = "k:erase";
      await store.append([
        ev(key, { type: "source.recorded", source }, day("2025-02-20"), {
          pii: { point: { type: "email", value: "jean@example.fr" }, sourceUrl: "https://x.example/jean" },
        }),
        ev(key, consent(), day("2025-03-01"), { pii: { ip: "198.51.100.7" } }),
      ]);
      await store.append([
        ev(key, { type: "subject.erased", pointType: "email", reason: "request" }, day("2025-06-01"), {
          controller: "",
        }),
      ]);
      const e = await store.evidence(T, [key]);
      assert.deepEqual(e.point, { type: "email", value: null, erasedAt: day("2025-06-01") });
      // What the point held goes with it (its events stay, keyed): the same state as when the
      // erasure came first and refused them.
      assert.deepEqual(e.sources, []);
      assert.deepEqual(e.consents, []);
      for (const event of await store.eventsOf(T, [key])) assert.equal(event.pii, null, `event ${event.seq}`);
      const again = await store.append([
        ev(key, { type: "source.recorded", source }, day("2025-07-01"), {
          pii: { point: { type: "email", value: "jean@example.fr" } },
        }),
        ev(key, consent(), day("2025-07-02")),
        ev(key, { type: "objection.recorded", channel: "all", via: "letter" }, day("2025-07-03")),
        ev(key, { type: "consent.withdrawn", channel: "email" }, day("2025-07-04")),
      ]);
      assert.deepEqual(again.suppressed, [
        { index: 0, erasedAt: day("2025-06-01") },
        { index: 1, erasedAt: day("2025-06-01") },
      ]);
      assert.equal(again.appended, 2);
      const after = await store.evidence(T, [key]);
      assert.equal(after.point?.value, null);
      assert.equal(after.objections.length, 1);
      assert.equal((await verifyAudit(store)).ok, true, "erasure must not break the chain");
    });

    test("a Bloctel check stores its rows under one event, and complete lists clear absent numbers", async () => {
      const entries: RegistryEntry[] = [
        {
          pointKey: "k:bloctel-yes",
          registered: true,
          registeredAt: day("2019-05-02"),
          effectiveAt: day("2019-05-30"),
        },
        { pointKey: "k:bloctel-no", registered: false, registeredAt: null, effectiveAt: null },
      ];
      const snapshot = (complete: boolean, at: string, rows: RegistryEntry[]) =>
        registryDigest(rows).then((entriesDigest) =>
          ev(
            "",
            {
              type: "registry.snapshot",
              registry: "bloctel",
              complete,
              fileSha256: `${at}${complete}`.padEnd(64, "0"),
              rows: rows.length,
              entriesDigest,
            },
            day(at),
            { controller: "" },
          ),
        );
      const check = async (complete: boolean, at: string, rows: RegistryEntry[]) => {
        const event = await snapshot(complete, at, rows);
        await store.bulk(async (w) => {
          const seq = (await w.append([event])).seqs[0];
          assert.ok(typeof seq === "number");
          await w.registry(T, seq, event.occurredAt, rows);
        });
      };
      await check(false, "2025-02-25", entries);
      const yes = await store.evidence(T, ["k:bloctel-yes"]);
      assert.deepEqual(yes.registry, [
        {
          checkedAt: day("2025-02-25"),
          registered: true,
          registeredAt: day("2019-05-02"),
          effectiveAt: day("2019-05-30"),
        },
      ]);
      assert.equal((await store.evidence(T, ["k:bloctel-unlisted"])).registry.length, 0, "unscreened");
      const listed = [entries[0] as RegistryEntry];
      await check(true, "2025-03-25", listed);
      assert.deepEqual((await store.evidence(T, ["k:bloctel-unlisted"])).registry, [
        { checkedAt: day("2025-03-25"), registered: false, registeredAt: null, effectiveAt: null },
      ]);
      assert.equal((await verifyAudit(store)).ok, true);
    });

    test("concurrent writers lose no event and keep one chain", async () => {
      const writes = Array.from({ length: 40 }, (_, i) =>
        store.append([
          ev(
            `k:concurrent-${i % 7}`,
            { type: "contact.made", channel: "sms", outcome: "answered" },
            day("2025-01-01") + i,
          ),
        ]),
      );
      const results = await Promise.all(writes);
      assert.equal(
        results.reduce((n, r) => n + r.appended, 0),
        40,
      );
      const keys = Array.from({ length: 7 }, (_, i) => `k:concurrent-${i}`);
      assert.equal((await store.eventsOf(T, keys)).length, 40);
      assert.equal((await verifyAudit(store)).ok, true);
    });

    test("each tenant has its own chain", async () => {
      await store.append([ev("k:other-tenant", consent(), day("2025-03-01"), { tenant: "globex" })]);
      assert.ok((await store.tenants()).includes("globex"));
      assert.equal((await store.chainHead("globex"))?.seq, 1);
      assert.deepEqual((await store.evidence(T, ["k:other-tenant"])).consents, []);
    });

    test("point keys: every point with events, once, in byte order; not Bloctel rows, not other tenants", async () => {
      const keys: string[] = [];
      for await (const key of store.pointKeys(T)) keys.push(key);
      const concurrent = Array.from({ length: 7 }, (_, i) => `k:concurrent-${i}`);
      // "k:bloctel-*" are only in Bloctel rows; "k:other-tenant" is globex's; "" is a snapshot's.
      assert.deepEqual(keys, ["k:erase", "k:idempotent", "k:import", "k:roundtrip", ...concurrent].sort());
      const globex: string[] = [];
      for await (const key of store.pointKeys("globex")) globex.push(key);
      assert.deepEqual(globex, ["k:other-tenant"]);
      for await (const key of store.pointKeys("nobody")) assert.fail(`unexpected ${key}`);
    });

    test("registry snapshots and rows: the tenant's Bloctel checks by day, and every row with its check", async () => {
      const snapshots = await store.registrySnapshots(T);
      assert.deepEqual(
        snapshots.map((s) => ({ checkedAt: s.checkedAt, complete: s.complete })),
        [
          { checkedAt: day("2025-02-25"), complete: false },
          { checkedAt: day("2025-03-25"), complete: true },
        ],
      );
      const rows: string[] = [];
      for await (const r of store.registryEntries(T, (snapshots[1] as { seq: number }).seq))
        rows.push(r.pointKey);
      assert.deepEqual(rows, ["k:bloctel-yes"]);
      assert.deepEqual(await store.registrySnapshots("globex"), []);
      const all = [];
      for await (const r of store.registryRows(T)) all.push(r);
      all.sort((a, b) => a.snapshotSeq - b.snapshotSeq || (a.pointKey < b.pointKey ? -1 : 1));
      const [first, second] = snapshots as unknown as [{ seq: number }, { seq: number }];
      assert.deepEqual(all, [
        {
          pointKey: "k:bloctel-no",
          snapshotSeq: first.seq,
          registered: false,
          registeredAt: null,
          effectiveAt: null,
        },
        {
          pointKey: "k:bloctel-yes",
          snapshotSeq: first.seq,
          registered: true,
          registeredAt: day("2019-05-02"),
          effectiveAt: day("2019-05-30"),
        },
        {
          pointKey: "k:bloctel-yes",
          snapshotSeq: second.seq,
          registered: true,
          registeredAt: day("2019-05-02"),
          effectiveAt: day("2019-05-30"),
        },
      ]);
      for await (const r of store.registryRows("globex")) assert.fail(`unexpected ${r.pointKey}`);
    });

    test("state rows: each table in STATE_TABLES order, each in key order, one tenant's only", async () => {
      const t = "state-rows";
      const on = { tenant: t };
      await store.append([
        ev("k:b", { type: "source.recorded", source }, day("2025-01-01"), {
          ...on,
          pii: { point: { type: "email", value: "b@example.fr" }, sourceUrl: "https://s.example" },
        }),
        ev("k:a", consent(), day("2025-01-02"), { ...on, controller: "z" }),
        ev("k:a", consent(), day("2025-01-02"), on),
        ev("k:a", { type: "consent.withdrawn", channel: "email" }, day("2025-01-03"), on),
        ev("k:a", { type: "subject.linked", with: "k:b" }, day("2025-01-02"), on),
        ev("k:c", { type: "subject.erased", pointType: "phone", reason: "request" }, day("2025-01-04"), {
          ...on,
          controller: "",
        }),
      ]);
      const rows = [];
      for await (const r of store.stateRows(t)) rows.push(r);
      const d = "agence dupont";
      assert.deepEqual(rows, [
        { table: "points", key: ["k:b"], values: ["email", "b@example.fr", null] },
        { table: "points", key: ["k:c"], values: ["phone", null, day("2025-01-04")] },
        {
          table: "sources",
          key: ["k:b", d, 1],
          values: [
            "consumer",
            "scraped_public",
            day("2025-02-20"),
            null,
            null,
            false,
            null,
            "prospect",
            null,
            null,
            null,
            "69",
            null,
            "https://s.example",
            null,
            null,
            null,
          ],
        },
        {
          table: "consents",
          key: ["k:a", d, "email", day("2025-01-02")],
          values: ["double_opt_in", "standard", true, day("2025-01-03"), null, null],
        },
        {
          table: "consents",
          key: ["k:a", "z", "email", day("2025-01-02")],
          values: ["double_opt_in", "standard", true, null, null, null],
        },
        { table: "withdrawals", key: ["k:a", d, "email", day("2025-01-03")], values: [] },
        { table: "subject_links", key: ["k:a", "k:b"], values: [] },
        { table: "subject_links", key: ["k:b", "k:a"], values: [] },
      ]);
      for await (const r of store.stateRows("nobody")) assert.fail(`unexpected ${r.table}`);
    });

    test("retention candidates list points with their last dates", async () => {
      const seen = new Map<string, { lastCollectedAt: number | null }>();
      for await (const c of store.retentionCandidates(T)) seen.set(c.pointKey, c);
      assert.equal(seen.get("k:roundtrip")?.lastCollectedAt, day("2025-02-20"));
      assert.equal(seen.has("k:erase"), false, "erased points are no longer candidates");
    });

    test("store metadata: absent until recorded, then the first value recorded stays", async () => {
      assert.equal(await store.meta("contract.once"), null);
      assert.equal(await store.recordMeta("contract.once", "first"), "first");
      assert.equal(await store.recordMeta("contract.once", "second"), "first", "never overwritten");
      assert.equal(await store.meta("contract.once"), "first");
      // Writers racing on a new name all end up seeing one of their values, the same one.
      const values = Array.from({ length: 8 }, (_, i) => `racer-${i}`);
      const held = await Promise.all(values.map((v) => store.recordMeta("contract.race", v)));
      assert.equal(new Set(held).size, 1);
      assert.ok(values.includes(held[0] as string));
      assert.equal(await store.meta("contract.race"), held[0]);
    });

    test("a point's value is kept once, with the point; a differing one stays beside its event", async () => {
      const tenant = "once";
      const at = day("2026-03-01");
      const phone = (value: string) => ({ point: { type: "phone" as const, value } });
      await store.append([
        ev("k:once", consent(), at, { tenant, pii: phone("+33611111111") }),
        ev("k:once", { type: "objection.recorded", channel: "sms", via: "stop_sms" }, at + 1, {
          tenant,
          pii: phone("+33611111111"),
        }),
        // What only a keyring mix-up could record: another value under the same key.
        ev("k:once", { type: "notice.sent" }, at + 2, { tenant, pii: phone("+33622222222") }),
      ]);
      const events = await store.eventsOf(tenant, ["k:once"]);
      assert.deepEqual(
        events.map((e) => e.pii?.point?.value),
        ["+33611111111", "+33611111111", "+33622222222"],
      );
      assert.equal((await store.evidence(tenant, ["k:once"])).point?.value, "+33611111111");
      assert.equal((await verifyAudit(store)).ok, true);
      // Only the differing value is kept beside its event: without it the event reads the point's,
      // which is not its own; without the point's row, the others lose theirs. The audit names both.
      await store.unsafeExec(`DELETE FROM event_pii WHERE tenant = '${tenant}' AND seq = 3`);
      let r = await verifyAudit(store);
      assert.equal(r.broken?.table, "event_pii", r.broken?.problem);
      assert.match(r.broken?.problem ?? "", /personal data of event 3 was altered/);
      await store.unsafeExec(`DELETE FROM points WHERE tenant = '${tenant}'`);
      r = await verifyAudit(store);
      assert.equal(r.broken?.table, "points", r.broken?.problem);
      assert.match(
        r.broken?.problem ?? "",
        /value of the point of event 1, kept once with the point, is gone/,
      );
      for (const table of [
        "events",
        "event_pii",
        "chain_head",
        "merkle_nodes",
        "consents",
        "objections",
        "notices",
      ])
        await store.unsafeExec(`DELETE FROM ${table} WHERE tenant = '${tenant}'`);
      assert.equal((await verifyAudit(store)).ok, true);
    });

    test("the audit names an edited, a deleted and an inserted event, and a truncated log", async () => {
      assert.equal((await verifyAudit(store)).ok, true);
      const tamper = async (sql: string, expected: RegExp, undo: string) => {
        await store.unsafeExec(sql);
        const r = await verifyAudit(store);
        assert.equal(r.ok, false, sql);
        assert.match(r.broken?.problem ?? "", expected);
        await store.unsafeExec(undo);
        assert.equal((await verifyAudit(store)).ok, true, `undo: ${undo}`);
      };
      const seq = 3;
      await tamper(
        `UPDATE events SET occurred_at = occurred_at + 1 WHERE tenant = '${T}' AND seq = ${seq}`,
        /event 3 \(.*\) was altered/,
        `UPDATE events SET occurred_at = occurred_at - 1 WHERE tenant = '${T}' AND seq = ${seq}`,
      );
      await tamper(
        `UPDATE events SET seq = seq + 100000 WHERE tenant = '${T}' AND seq = ${seq}`,
        /event 3 is missing: deleted/,
        `UPDATE events SET seq = seq - 100000 WHERE tenant = '${T}' AND seq = ${seq + 100000}`,
      );
      // No previous hash is stored (src/store/rows.ts EventRow): an event is chained to the one
      // stored before it, and an edit of either is the altered event above.
      await tamper(
        `UPDATE event_pii SET pii = '{"ip":"192.0.2.1"}' WHERE tenant = '${T}' AND seq = 2`,
        /personal data of event 2 was altered/,
        `UPDATE event_pii SET pii = '{"ip":"203.0.113.9","userAgent":"UA"}' WHERE tenant = '${T}' AND seq = 2`,
      );
      const head = await store.chainHead(T);
      await tamper(
        `UPDATE chain_head SET seq = seq + 1 WHERE tenant = '${T}'`,
        /log ends at event \d+ but the chain head records event \d+: events deleted at the end/,
        `UPDATE chain_head SET seq = ${head?.seq} WHERE tenant = '${T}'`,
      );
      await tamper(
        `UPDATE registry_entries SET registered = 1 - registered WHERE tenant = '${T}' AND point_key = 'k:bloctel-no'`.replace(
          "1 - registered",
          name === "postgres" ? "NOT registered" : "1 - registered",
        ),
        /rows of the Bloctel check recorded by event \d+ were altered/,
        `UPDATE registry_entries SET registered = ${name === "postgres" ? "NOT registered" : "1 - registered"} WHERE tenant = '${T}' AND point_key = 'k:bloctel-no'`,
      );
    });
  });
}

/** A transaction that throws leaves nothing behind. */
export function bulkRollbackContract(name: string, open: () => Promise<TestStore>): void {
  test(`store contract: ${name}: a bulk transaction that fails leaves nothing`, async () => {
    const store = await open();
    try {
      const before = await store.chainHead("rollback");
      await assert.rejects(
        store.bulk(async (w) => {
          await w.append([ev("k:rollback", consent(), day("2025-03-01"), { tenant: "rollback" })]);
          throw new Error("disk full");
        }),
        /disk full/,
      );
      assert.deepEqual(await store.chainHead("rollback"), before);
      assert.deepEqual((await store.evidence("rollback", ["k:rollback"])).consents, []);
    } finally {
      await store.close();
    }
  });

  // PostgreSQL queues a batch's writes and plans the next meanwhile: the failure of a write must
  // still be the error reported, not the "transaction aborted" of the statements after it.
  test(`store contract: ${name}: a write that fails fails the bulk with its own error, and leaves nothing`, async () => {
    const store = await open();
    try {
      const t = "rollback-write";
      await store.append([ev("k:w0", consent(), day("2025-03-01"), { tenant: t })]);
      const before = await store.chainHead(t);
      // A stray row where the bulk's first batch will write its second event.
      const dialect = name === "postgres" ? "postgres" : "sqlite";
      const stray = "5".repeat(64);
      await store.unsafeExec(
        insertEventSql(dialect, {
          tenant: t,
          seq: 3,
          eventId: stray,
          pointKey: "k:stray",
          controller: "",
          occurredAt: 0,
          recordedAt: 0,
          data: { type: "notice.sent" },
          proof: {},
          pii: null,
          piiHash: null,
          prevHash: "6".repeat(64),
          hash: "7".repeat(64),
        } as StoredEvent),
      );
      await assert.rejects(
        store.bulk(async (w) => {
          await w.append([
            ev("k:w1", consent(), day("2025-03-02"), { tenant: t }),
            ev("k:w2", consent(), day("2025-03-02"), { tenant: t }),
          ]);
          await w.append([ev("k:w3", consent(), day("2025-03-03"), { tenant: t })]);
          await w.recordImport(t, { kind: "consents", fileSha256: "0".repeat(64), summary: {} });
        }),
        /duplicate key|UNIQUE constraint/,
      );
      assert.deepEqual(await store.chainHead(t), before);
      for (const key of ["k:w1", "k:w2", "k:w3"]) {
        assert.deepEqual((await store.evidence(t, [key])).consents, [], key);
      }
      // The store is shared with other tests, whose audits read every tenant's log.
      await store.unsafeExec(
        `DELETE FROM events WHERE tenant = '${t}' AND event_id = ${hashLiteral(dialect, stray)}`,
      );
    } finally {
      await store.close();
    }
  });
}
