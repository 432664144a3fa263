// The store contract against PostgreSQL (test/support/postgres.ts: skipped or failed, saying why,
// without a server), in a schema of its own that is dropped at the end.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import pg from "pg";
import type { EventData, EventPii, NewEvent, StoredEvent } from "../../src/evidence/events.ts";
import { registryDigest } from "../../src/evidence/registry-digest.ts";
import { keyRingFingerprint } from "../../src/normalize/keyring-fingerprint.ts";
import type { KeyRing } from "../../src/normalize/keys.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import { KEYRING_FINGERPRINT, KeyRingError, keyRingFor } from "../../src/services/keyring-check.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { MIGRATIONS } from "../../src/store/schema.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { type Store, StoreOpenError } from "../../src/store/store.ts";
import { postgresReady, TEST_DATABASE_URL } from "../support/postgres.ts";
import { auditStateContract } from "./audit-contract.ts";
import { bulkRollbackContract, ev, storeContract } from "./contract.ts";
import { migration5Contract } from "./migration-5.ts";
import { CALL_ADVERTISER, CONSENT_METHOD, mergeMigrationContract } from "./migration-merges.ts";

const url = TEST_DATABASE_URL;

if (await postgresReady("store contract: postgres", "test/store/postgres.test.ts")) {
  const schema = `vigie_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  after(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema}_a CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema}_m5 CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema}_m21 CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema}_m23 CASCADE`);
    await admin.end();
  });

  storeContract("postgres", () => PostgresStore.open(url, { schema }));
  bulkRollbackContract("postgres", () => PostgresStore.open(url, { schema }));
  auditStateContract("postgres", () => PostgresStore.open(url, { schema: `${schema}_a` }));
  migration5Contract(
    "postgres",
    () => PostgresStore.open(url, { schema: `${schema}_m5` }),
    async () =>
      (await admin.query(`SELECT version FROM ${schema}_m5.schema_migrations ORDER BY version`)).rows.map(
        (r: { version: number }) => r.version,
      ),
  );

  for (const [version, mend] of [
    [21, CONSENT_METHOD],
    [23, CALL_ADVERTISER],
  ] as const) {
    const mended = `${schema}_m${version}`;
    mergeMigrationContract(
      "postgres",
      version,
      mend,
      () => PostgresStore.open(url, { schema: mended }),
      async (statements) => {
        for (const sql of statements) await admin.query(`SET search_path = ${mended}; ${sql}`);
        await admin.query("RESET search_path");
      },
    );
  }

  describe("postgres adapter", () => {
    test("a URL whose search_path names no schema that exists is refused, saying so", async () => {
      const missing = `${schema}_missing`;
      const options = encodeURIComponent(`-c search_path=${missing}`);
      await assert.rejects(
        PostgresStore.open(`${url}${url.includes("?") ? "&" : "?"}options=${options}`),
        (e) => {
          assert.ok(e instanceof StoreOpenError);
          assert.match(
            (e as Error).message,
            /search_path names no schema that exists .*create the schema first/,
          );
          return true;
        },
      );
    });

    test("two processes starting together migrate once", async () => {
      const fresh = `${schema}_m`;
      try {
        const stores = await Promise.all(
          [1, 2, 3].map(() => PostgresStore.open(url, { schema: fresh, max: 2 })),
        );
        const r = await admin.query(`SELECT count(*)::int AS n FROM ${fresh}.schema_migrations`);
        assert.equal(r.rows[0].n, MIGRATIONS.length, "each migration applied once");
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
      }
    });

    test("two processes opening a new store, each with its own keyring: one fingerprint, the other refused", async () => {
      const fresh = `${schema}_k`;
      const dir = mkdtempSync(join(tmpdir(), "vigie-keyring-race-"));
      const stores = await Promise.all([1, 2].map(() => PostgresStore.open(url, { schema: fresh, max: 2 })));
      try {
        const results = await Promise.allSettled(
          stores.map((store, i) => keyRingFor(store, join(dir, `keyring-${i}.json`), "the PostgreSQL store")),
        );
        const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
        const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
        assert.equal(won.length, 1);
        assert.ok(lost[0] instanceof KeyRingError);
        assert.equal(await stores[1]?.meta(KEYRING_FINGERPRINT), keyRingFingerprint(won[0] as KeyRing));
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await admin.query(`DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
        rmSync(dir, { recursive: true, force: true });
      }
    });

    describe("the same as the SQLite adapter", () => {
      const dir = mkdtempSync(join(tmpdir(), "vigie-differential-"));
      let pgStore: PostgresStore;
      let sqlite: SqliteStore;
      before(async () => {
        pgStore = await PostgresStore.open(url, { schema });
        sqlite = new SqliteStore(join(dir, "reference.db"));
      });
      after(async () => {
        await pgStore.close();
        await sqlite.close();
        rmSync(dir, { recursive: true, force: true });
      });

      test("on random batches: results, evidence, events and chains", async () => {
        let run = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.array(eventArb, { minLength: 1, maxLength: 25 }), { minLength: 1, maxLength: 4 }),
            async (batches) => {
              const tenant = `diff-${run++}`;
              const events = batches.map((b) =>
                b.map((e) => ({ ...e, tenant: e.tenant === "a" ? tenant : `${tenant}-b` })),
              );
              for (const batch of events) {
                assert.deepEqual(await pgStore.append(batch), await sqlite.append(batch));
              }
              for (const t of [tenant, `${tenant}-b`]) await sameState(t, pgStore, sqlite);
            },
          ),
          { numRuns: 60, examples: [[withdrawals]] },
        );
        const audited = await verifyAudit(pgStore);
        assert.equal(audited.ok, true, audited.broken?.problem);
      });
    });

    test("pointKeys and registryRows page through more rows than one query reads", async () => {
      const store = await PostgresStore.open(url, { schema });
      try {
        const tenant = "pages";
        const n = 12_001; // past two pages of 5 000
        const keys = Array.from({ length: n }, (_, i) => `k:page-${String(i).padStart(5, "0")}`);
        const day = Date.parse("2025-06-01T00:00:00Z");
        await store.append(keys.map((k, i) => ev(k, { type: "notice.sent" }, day + i, { tenant })));
        const seen: string[] = [];
        for await (const key of store.pointKeys(tenant)) seen.push(key);
        assert.deepEqual(seen, keys);
        const entries = keys.map((pointKey) => ({
          pointKey,
          registered: true,
          registeredAt: null,
          effectiveAt: null,
        }));
        const entriesDigest = await registryDigest(entries);
        await store.bulk(async (w) => {
          const snapshot = ev(
            "",
            {
              type: "registry.snapshot",
              registry: "bloctel",
              complete: false,
              fileSha256: "a".repeat(64),
              rows: n,
              entriesDigest,
            },
            day,
            { tenant, controller: "" },
          );
          const seq = (await w.append([snapshot])).seqs[0] as number;
          await w.registry(tenant, seq, day, entries);
        });
        const rows: string[] = [];
        for await (const r of store.registryRows(tenant)) rows.push(r.pointKey);
        assert.deepEqual(rows.sort(), keys);
        assert.equal((await verifyAudit(store)).ok, true);
      } finally {
        await store.close();
      }
    });

    describe("concurrent appends", () => {
      const app = `${schema}_c`;
      let store: PostgresStore;
      before(async () => {
        store = await PostgresStore.open(`${url}${url.includes("?") ? "&" : "?"}application_name=${app}`, {
          schema,
          max: 8,
        });
      });
      after(async () => {
        await store.close();
      });

      test("run on several connections and keep one chain per tenant", async () => {
        const day = Date.parse("2025-06-01T00:00:00Z");
        const writes = Array.from({ length: 60 }, (_, i) =>
          store.append([
            ev(`k:parallel-${i}`, { type: "notice.sent" }, day + i, {
              tenant: i % 2 === 0 ? "p-even" : "p-odd",
            }),
            ev(`k:parallel-${i}`, { type: "notice.sent" }, day + i, { tenant: "p-both" }),
          ]),
        );
        const results = await Promise.all(writes);
        assert.equal(
          results.reduce((n, r) => n + r.appended, 0),
          120,
        );
        const r = await admin.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1",
          [app],
        );
        assert.ok(r.rows[0].n > 1, `appends ran on ${r.rows[0].n} connection(s)`);
        for (const [tenant, n] of [
          ["p-even", 30],
          ["p-odd", 30],
          ["p-both", 60],
        ] as const) {
          assert.equal((await store.chainHead(tenant))?.seq, n, tenant);
          let expected = 1;
          for await (const e of store.events(tenant)) assert.equal(e.seq, expected++);
          assert.equal(expected - 1, n);
        }
      });
    });
  });
}

const day0 = Date.parse("2025-03-01T00:00:00Z");
const DAY = 86_400_000;
const channelArb = fc.constantFrom("email" as const, "sms" as const);
const dataArb: fc.Arbitrary<EventData> = fc.oneof(
  fc.record({
    type: fc.constant("source.recorded" as const),
    source: fc.record({
      kind: fc.constantFrom("consumer" as const, "professional" as const),
      originType: fc.constantFrom("direct" as const, "partner" as const),
      collectedAt: fc.option(fc.integer({ min: 0, max: 5 }).map((d) => day0 + d * DAY)),
      senderNamed: fc.option(fc.boolean()),
      optOutOffered: fc.option(fc.boolean()),
      publisherRefused: fc.option(fc.boolean()),
      informedAt: fc.constant(null),
      relationship: fc.option(fc.constantFrom("prospect" as const, "active_contract" as const)),
      customerSince: fc.constant(null),
      customerUntil: fc.option(fc.constant(day0 + 9 * DAY)),
      lastInboundAt: fc.constant(null),
      department: fc.option(fc.constantFrom("69", "75")),
      timeZone: fc.constant(null),
    }),
  }),
  fc.record({
    type: fc.constant("consent.given" as const),
    consent: fc.record(
      {
        channel: channelArb,
        method: fc.option(fc.constantFrom("double_opt_in" as const, "unticked_checkbox" as const)),
        scope: fc.constantFrom("standard" as const, "out_of_hours" as const),
        proof: fc.boolean(),
        collectedBy: fc.constantFrom("self" as const, "partner" as const, "broker" as const),
        namedHow: fc.constantFrom("named" as const, "listed_with_link" as const, "not_named" as const),
      },
      { requiredKeys: ["channel", "method", "scope", "proof"] },
    ),
  }),
  fc.record({ type: fc.constant("consent.withdrawn" as const), channel: channelArb }),
  fc.record({
    type: fc.constant("objection.recorded" as const),
    channel: fc.constantFrom("all" as const, "email" as const),
    via: fc.option(fc.constantFrom("letter" as const, "stop_sms" as const)),
  }),
  fc.record({
    type: fc.constant("contact.made" as const),
    channel: channelArb,
    outcome: fc.constantFrom("answered" as const, "no_answer" as const),
  }),
  fc.record({ type: fc.constant("notice.sent" as const) }),
  fc.record({
    type: fc.constant("subject.erased" as const),
    pointType: fc.constant("email" as const),
    reason: fc.constant("request" as const),
  }),
);
const piiArb: fc.Arbitrary<EventPii | null> = fc.option(
  fc.oneof(
    fc.record({
      point: fc.record({ type: fc.constant("email" as const), value: fc.constantFrom("a@x.fr", "b@x.fr") }),
    }),
    fc.record({ ip: fc.constantFrom("192.0.2.1", "192.0.2.2") }),
    fc.record({ sourceUrl: fc.constant("https://x.example/") }),
  ),
);
/** A small world, so that batches repeat facts, hit the same rows and erase what others hold. */
const eventArb: fc.Arbitrary<NewEvent> = fc.record({
  tenant: fc.constantFrom("a", "a", "a", "b"),
  pointKey: fc.constantFrom("k0", "k1", "k2"),
  controller: fc.constantFrom("", "c1"),
  occurredAt: fc.integer({ min: 0, max: 6 }).map((d) => day0 + d * DAY),
  data: dataArb,
  proof: fc.constant({ recordedBy: "differential" }),
  pii: piiArb,
});

/** A consent, then withdrawals of it in one batch, latest first: it ends at the earliest one. */
const withdrawals: NewEvent[][] = (() => {
  const at = (d: number) => day0 + d * DAY;
  const e = (data: EventData, d: number): NewEvent => ({
    tenant: "a",
    pointKey: "k0",
    controller: "c1",
    occurredAt: at(d),
    data,
    proof: { recordedBy: "differential" },
    pii: null,
  });
  const given: EventData = {
    type: "consent.given",
    consent: { channel: "email", method: null, scope: "standard", proof: true },
  };
  const withdrawn: EventData = { type: "consent.withdrawn", channel: "email" };
  return [
    [e(given, 1)],
    [e(withdrawn, 5), e(withdrawn, 3), e(withdrawn, 4), e(given, 2), e(withdrawn, 0), e(withdrawn, 6)],
  ];
})();

/** Everything but what depends on the instant of recording (recordedAt, and the hashes over it). */
const comparable = ({ recordedAt, hash, prevHash, ...rest }: StoredEvent) => rest;

async function sameState(tenant: string, a: Store, b: Store): Promise<void> {
  const keys = ["k0", "k1", "k2"];
  for (const key of [...keys.map((k) => [k]), keys, ["k1", "k1"]]) {
    assert.deepEqual(await a.evidence(tenant, key), await b.evidence(tenant, key), `evidence ${key}`);
    assert.deepEqual(
      (await a.eventsOf(tenant, key)).map(comparable),
      (await b.eventsOf(tenant, key)).map(comparable),
      `events of ${key}`,
    );
  }
  assert.equal((await a.chainHead(tenant))?.seq, (await b.chainHead(tenant))?.seq);
  const candidates = async (s: Store) => {
    const out = [];
    for await (const c of s.retentionCandidates(tenant)) out.push(c);
    return out;
  };
  assert.deepEqual(await candidates(a), await candidates(b));
  const pointKeys = async (s: Store) => {
    const out = [];
    for await (const key of s.pointKeys(tenant)) out.push(key);
    return out;
  };
  assert.deepEqual(await pointKeys(a), await pointKeys(b));
}
