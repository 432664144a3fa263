// The API on the PostgreSQL store (VIGIE_TEST_DATABASE_URL, default the local `test` database),
// each test in a fresh schema dropped at its end: many writers at once over real HTTP — consents,
// withdrawals, objections, contacts made, repeated facts, CSV imports — then no event lost or
// doubled and the audit chain intact. Skipped or failed, saying why, without a server
// (test/support/postgres.ts).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import pg from "pg";
import { verifyAudit } from "../../src/services/audit.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { postgresReady, TEST_DATABASE_URL } from "../support/postgres.ts";
import { startServer } from "./helpers.ts";

const url = TEST_DATABASE_URL;

/** A fresh schema for one test, dropped after it whatever happens. */
async function inSchema(body: (schema: string) => Promise<void>): Promise<void> {
  const schema = `vigie_api_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    await body(schema);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

const title = "API over PostgreSQL: concurrent writers";

if (await postgresReady(title, "test/api/postgres.test.ts")) {
  describe(title, () => {
    test("400 writes at once over HTTP: every one recorded once, one unbroken chain", async () => {
      await inSchema(async (schema) => {
        const store = await PostgresStore.open(url, { schema, max: 8 });
        const s = await startServer({ store, rateLimit: { burst: 10_000, perSecond: 10_000 } });
        try {
          const key = s.key["write-evidence"];
          const phone = (i: number) => `06${String(20000000 + i)}`;
          const requests: { path: string; body: object }[] = [];
          for (let i = 0; i < 100; i++) {
            const point = phone(i);
            const base = { point, controller: "Agence Dupont", channel: "sms" };
            requests.push({
              path: "/v1/consents",
              body: { ...base, givenAt: "2026-03-01", method: "double_opt_in" },
            });
            requests.push({ path: "/v1/objections", body: { point: phone(1000 + i), at: "2026-03-02" } });
            requests.push({
              path: "/v1/contacts-made",
              body: { ...base, at: "2026-03-03T10:00:00+01:00", outcome: "answered" },
            });
            requests.push({ path: "/v1/consents/withdraw", body: { ...base, at: "2026-03-04" } });
          }
          // The same facts a second time, racing the first: each recorded once.
          const repeated = requests.slice(0, 40).map((r) => ({ ...r }));
          // Interleaved (7919 is prime to 440: a permutation), so a fact and its repeat race.
          const both = [...requests, ...repeated];
          const all = both.map((_, i) => both[(i * 7919) % both.length] as (typeof both)[number]);
          const results = await Promise.all(all.map((r) => s.call("POST", r.path, { key, body: r.body })));
          const created = results.filter((r) => r.status === 201);
          const duplicates = results.filter((r) => r.status === 200 && r.json.duplicate === true);
          const other = results.filter(
            (r) => r.status !== 201 && !(r.status === 200 && r.json.duplicate === true),
          );
          assert.deepEqual(
            other.map((r) => `${r.status} ${r.text}`),
            [],
            "every write answered 201 or 200 duplicate",
          );
          assert.equal(created.length, 400, "each distinct fact recorded once");
          assert.equal(duplicates.length, 40, "each repeated fact answered as a duplicate");

          const seqs = created.map((r) => r.json.seq as number).sort((a, b) => a - b);
          assert.equal(new Set(seqs).size, 400, "no seq given twice");
          let count = 0;
          for await (const _ of store.events("t")) count++;
          assert.equal(count, 400, "the log holds exactly the events answered 201");
          assert.equal((await store.chainHead("t"))?.seq, 400);
          const audit = await verifyAudit(store);
          assert.equal(audit.ok, true, JSON.stringify(audit.broken));
        } finally {
          await s.close();
        }
      });
    });

    test("imports uploaded while evidence is written: all of both kept, chain intact", async () => {
      await inSchema(async (schema) => {
        const store = await PostgresStore.open(url, { schema, max: 8 });
        const s = await startServer({ store, rateLimit: { burst: 10_000, perSecond: 10_000 } });
        try {
          const file = (n: number) =>
            `phone,at,controller,channel,via\n${Array.from({ length: 500 }, (_, i) => `06${String(50000000 + n * 10000 + i)},2026-05-02,,all,`).join("\n")}\n`;
          const imports = [1, 2, 3].map((n) =>
            s.call("POST", "/v1/imports/objections", {
              key: s.key["write-evidence"],
              raw: file(n),
              headers: { "content-type": "text/csv" },
            }),
          );
          const writes = Array.from({ length: 100 }, (_, i) =>
            s.call("POST", "/v1/objections", {
              key: s.key["write-evidence"],
              body: { point: `07${String(60000000 + i)}`, at: "2026-05-03" },
            }),
          );
          const results = await Promise.all([...imports, ...writes]);
          for (const r of results) assert.equal(r.status, 201, r.text);
          const imported = results.slice(0, 3).reduce((n, r) => n + (r.json.events.appended as number), 0);
          assert.equal(imported, 1500);
          let count = 0;
          for await (const _ of store.events("t")) count++;
          assert.equal(count, 1603, "1 500 imported, 100 written, and each import in the trail");
          const audit = await verifyAudit(store);
          assert.equal(audit.ok, true, JSON.stringify(audit.broken));
        } finally {
          await s.close();
        }
      });
    });
  });
}
