// The compact event rows (src/store/rows.ts EventRow; schema 17 on SQLite, 18 on PostgreSQL):
// texts kept once, SQLite's numbers that never outlive a rolled-back transaction, and migrations
// that refuse a log whose stored previous hashes they would drop without the audit seeing them.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import type { NewEvent, StoredEvent } from "../../src/evidence/events.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import { migrate } from "../../src/store/postgres/migrations.ts";
import { PostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { MIGRATIONS } from "../../src/store/schema.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { StoreUpgradeError } from "../../src/store/store.ts";
import { vigie } from "../cli/vigie.ts";
import { copyOldStore } from "../support/old-store.ts";
import { postgresReady, TEST_DATABASE_URL } from "../support/postgres.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-event-rows-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of a store written by the version of schema 3 (test/files/stores/schema-3). */
const copyOfFixture = (): string => copyOldStore(mkdtempSync(join(dir, "old-")));

const consent = (key: string, day: number, recordedBy: string): NewEvent => ({
  tenant: "t",
  pointKey: key,
  controller: "agence dupont",
  occurredAt: Date.UTC(2026, 2, day),
  data: {
    type: "consent.given",
    consent: { channel: "email", method: "double_opt_in", scope: "standard", proof: true },
  },
  proof: { recordedBy },
  pii: null,
});

const count = (file: string, sql: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
};

describe("SQLite's compact event rows", () => {
  it("keeps a text shared by many events once, and reads every event back as recorded", async () => {
    const file = join(dir, "shared.db");
    const store = new SqliteStore(file);
    try {
      const events = Array.from({ length: 50 }, (_, i) => consent(`k:${i}`, 1 + (i % 20), "import a.csv"));
      await store.append(events.slice(0, 25));
      await store.append([...events.slice(25), consent("k:other", 3, "import b.csv")]);
      // One data text (every consent alike) and two proofs.
      assert.equal(count(file, "SELECT count(*) FROM event_texts"), 3);
      const back = [];
      for await (const e of store.events("t")) back.push(e);
      assert.equal(back.length, 51);
      assert.deepEqual(
        back.map((e) => [e.pointKey, e.occurredAt, e.proof.recordedBy]),
        [...events, consent("k:other", 3, "import b.csv")].map((e) => [
          e.pointKey,
          e.occurredAt,
          e.proof.recordedBy,
        ]),
      );
      assert.equal((await verifyAudit(store)).ok, true);
    } finally {
      await store.close();
    }
  });

  it("a text first added by a transaction that rolled back is added again, not referred to", async () => {
    const file = join(dir, "rollback.db");
    const store = new SqliteStore(file);
    try {
      await assert.rejects(
        store.bulk(async (w) => {
          await w.append([consent("k:a", 1, "import rolled-back.csv")]);
          throw new Error("the import failed");
        }),
        /the import failed/,
      );
      assert.equal(count(file, "SELECT count(*) FROM event_texts"), 0);
      await store.bulk(async (w) => {
        await w.append([consent("k:a", 1, "import rolled-back.csv")]);
      });
      const [e] = await store.eventsOf("t", ["k:a"]);
      assert.equal(e?.proof.recordedBy, "import rolled-back.csv");
      assert.equal((await verifyAudit(store)).ok, true);
    } finally {
      await store.close();
    }
  });

  it("an old store's rows are rewritten compact, and the pages they leave are given back to the disk", async () => {
    const file = join(copyOfFixture(), "store.db");
    const events = count(file, "SELECT count(*) FROM events");
    const store = new SqliteStore(file);
    try {
      let read = 0;
      for (const tenant of await store.tenants()) for await (const _ of store.events(tenant)) read++;
      assert.equal(read, events);
    } finally {
      await store.close();
    }
    assert.equal(count(file, "SELECT count(*) FROM pragma_table_info('events') WHERE name = 'prev_hash'"), 0);
    assert.equal(count(file, "PRAGMA freelist_count"), 0);
  });

  it("an old store whose stored previous hash disagrees with the chain is not migrated: a clear refusal, the store left as it was", () => {
    const file = join(copyOfFixture(), "store.db");
    const db = new Database(file);
    db.prepare(
      `UPDATE events SET prev_hash = '${"1".repeat(64)}' WHERE tenant = 'agence-b' AND seq = 4`,
    ).run();
    db.close();
    assert.throws(
      () => new SqliteStore(file),
      (e: unknown) => {
        assert.ok(e instanceof StoreUpgradeError);
        assert.match(
          e.message,
          /this store cannot be upgraded to this version of vigie, and was left as it was: event 4 of tenant "agence-b" does not follow the event before it \(its stored previous hash is not that event's hash\): the log was altered/,
        );
        return true;
      },
    );
    assert.equal(count(file, "SELECT max(version) FROM schema_migrations") < 17, true);
    const cli = vigie(["audit", "verify", "--store", file], undefined, {
      VIGIE_KEYRING: join(file, "..", "keyring.json"),
    });
    assert.equal(cli.status, 2, cli.stderr);
    assert.match(
      cli.stderr,
      /^vigie: this store cannot be upgraded .* event 4 of tenant "agence-b" does not follow/,
    );
    assert.equal(
      count(file, "SELECT count(*) FROM pragma_table_info('events') WHERE name = 'prev_hash'"),
      1,
      "the old rows are kept",
    );
  });
});

/** A few chained events, as a store makes them. */
async function someEvents(): Promise<StoredEvent[]> {
  const store = new SqliteStore(":memory:");
  try {
    await store.append([consent("k:1", 1, "import a.csv"), consent("k:2", 2, "import a.csv")]);
    await store.append([consent("k:3", 3, "import b.csv")]);
    const events: StoredEvent[] = [];
    for await (const e of store.events("t")) events.push(e);
    return events;
  } finally {
    await store.close();
  }
}

if (await postgresReady("PostgreSQL's compact event rows", "test/store/event-rows.test.ts")) {
  describe("PostgreSQL's compact event rows (schema 18)", () => {
    /** A schema as the version before left it (up to migration 17), holding `events` its way. */
    const oldStore = async (events: readonly StoredEvent[], tamper = ""): Promise<string> => {
      const schema = `rows18_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
      const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
      try {
        await migrate(
          pool,
          schema,
          MIGRATIONS.filter((m) => m.version < 18),
        );
        for (const e of events) {
          await pool.query(
            `INSERT INTO events (tenant, seq, event_id, type, point_key, controller, occurred_at, recorded_at, data, proof, pii_hash, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
            [
              e.tenant,
              e.seq,
              e.eventId,
              e.data.type,
              e.pointKey,
              e.controller,
              e.occurredAt,
              e.recordedAt,
              JSON.stringify(e.data),
              JSON.stringify(e.proof),
              e.piiHash,
              e.prevHash,
              e.hash,
            ],
          );
        }
        if (tamper !== "") await pool.query(tamper);
      } finally {
        await pool.end();
      }
      return schema;
    };
    const drop = async (schema: string) => {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    };

    it("an old store's events are read back as they were recorded, each text kept once", async () => {
      const events = await someEvents();
      const schema = await oldStore(events);
      try {
        const store = await PostgresStore.open(TEST_DATABASE_URL, { schema });
        try {
          const back: StoredEvent[] = [];
          for await (const e of store.events("t")) back.push(e);
          assert.deepEqual(back, events);
        } finally {
          await store.close();
        }
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        try {
          const texts = await client.query(`SELECT count(*)::int AS n FROM ${schema}.event_texts`);
          // One data text (the consents are alike) and two proofs.
          assert.equal(texts.rows[0].n, 3);
        } finally {
          await client.end();
        }
      } finally {
        await drop(schema);
      }
    });

    it("an old store whose stored previous hash disagrees with the chain is refused and left as it was", async () => {
      const events = await someEvents();
      const schema = await oldStore(
        events,
        `UPDATE events SET prev_hash = '${"1".repeat(64)}' WHERE seq = 2`,
      );
      try {
        await assert.rejects(PostgresStore.open(TEST_DATABASE_URL, { schema }), (e: unknown) => {
          assert.ok(e instanceof StoreUpgradeError);
          assert.match(
            e.message,
            /this store cannot be upgraded to this version of vigie, and was left as it was: event 2 of tenant "t" does not follow the event before it/,
          );
          return true;
        });
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        try {
          const version = await client.query(`SELECT max(version) AS v FROM ${schema}.schema_migrations`);
          assert.equal(version.rows[0].v, 17);
          const column = await client.query(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'events' AND column_name = 'prev_hash'",
            [schema],
          );
          assert.equal(column.rowCount, 1, "the old rows are kept");
        } finally {
          await client.end();
        }
      } finally {
        await drop(schema);
      }
    });
  });
}
