// What the evidence log v2 issue's 100 000 imported rows/s and 400 bytes a row would take of the
// SQLite layout: the rows BENCH_LAYOUT_ROWS consents (default 100 000) make, written alone — values
// made in advance, one durable transaction, random point keys — into a fresh file laid out six
// ways, each measured BENCH_LAYOUT_RUNS times (default 2, alternated, the fastest kept):
//   schemas 19–23 the layout before schema 24: an event row with two indexes (event id, point key);
//   today         the store's layout (schema 24): an event row with one index of a point's events,
//                 keyed (point key, event id), which also tells a duplicate; the point, the consent;
//                 point keys as 46-character text, tenant, event type and controller as text;
//   key bytes     point keys as their 33 bytes (version, HMAC) instead of text;
//   + numbers     and tenant, event type and controller as small numbers (a dictionary table);
//   + packed log  and the events packed a batch to a row (the log read in order, as audits and
//                 proofs read it), a point's events found, and events deduplicated, by one table
//                 keyed (point, event id): three random B-trees a consent, as today;
//   two B-trees   and no index of a point's events at all (found from the state rows' event numbers
//                 and deduplicated otherwise): the point and the consent only.
// Figures, not pass/fail: the floors a layout allows, which the import (bench/import.ts, whose
// own floor line is `today`'s) can approach but not pass. Alone: `node --import tsx bench/layouts.ts`.
import { randomBytes } from "node:crypto";
import { rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { machineLine } from "./machine.ts";

const ROWS = Number(process.env.BENCH_LAYOUT_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_LAYOUT_RUNS ?? 2);
const DIR = resolve("bench/data");

interface Made {
  readonly text: string;
  readonly bytes: Buffer;
  readonly id: Buffer;
  readonly hash: Buffer;
  readonly pii: Buffer;
  readonly at: number;
}

type Writer = (r: Made, i: number) => void;

/** The state tables both kinds of log share, with `key` and `id` the column types of point keys and dictionary values. */
const stateTables = (key: string, id: string, consentExtra = "") => `
  CREATE TABLE points (tenant ${id} NOT NULL, point_key ${key} NOT NULL, type TEXT NOT NULL, value TEXT,
    erased_at INTEGER, PRIMARY KEY (tenant, point_key)) WITHOUT ROWID;
  CREATE TABLE consents (tenant ${id} NOT NULL, point_key ${key} NOT NULL, controller ${id} NOT NULL,
    channel TEXT NOT NULL, given_at INTEGER NOT NULL, method TEXT, scope TEXT NOT NULL, proof INTEGER NOT NULL,
    withdrawn_at INTEGER, collected_by TEXT, named_how TEXT${consentExtra},
    PRIMARY KEY (tenant, point_key, controller, channel, given_at)) WITHOUT ROWID;`;

/**
 * An event row and its index, as schema 24 lays them out: one index of a point's events, keyed
 * (point, event id); `twoIndexes`, as schemas 17 to 23 did: one by event id, one by point.
 */
const eventTable = (key: string, id: string, twoIndexes = false) => `
  CREATE TABLE events (tenant ${id} NOT NULL, seq INTEGER NOT NULL, event_id BLOB NOT NULL, type ${id} NOT NULL,
    point_key ${key} NOT NULL, controller ${id} NOT NULL, occurred_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL,
    data INTEGER NOT NULL, proof INTEGER NOT NULL, pii_hash BLOB, hash BLOB NOT NULL,
    PRIMARY KEY (tenant, seq)) WITHOUT ROWID;
  ${
    twoIndexes
      ? `CREATE UNIQUE INDEX events_event_id ON events (tenant, event_id);
  CREATE INDEX events_point ON events (tenant, point_key);`
      : "CREATE UNIQUE INDEX events_point ON events (tenant, point_key, event_id);"
  }`;

/** Events a packed row of the log holds. */
const PACK = 2_000;

function perEvent(db: Database.Database, numbers: boolean, bytes: boolean, twoIndexes = false): Writer {
  db.exec(
    eventTable(bytes ? "BLOB" : "TEXT", numbers ? "INTEGER" : "TEXT", twoIndexes) +
      stateTables(bytes ? "BLOB" : "TEXT", numbers ? "INTEGER" : "TEXT"),
  );
  const event = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const point = db.prepare("INSERT INTO points VALUES (?, ?, ?, ?, NULL) ON CONFLICT DO NOTHING");
  const consent = db.prepare(
    "INSERT INTO consents VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL) ON CONFLICT DO NOTHING",
  );
  const [tenant, type, controller] = numbers ? [1, 3, 7] : ["default", "consent.given", "agence dupont"];
  return (r, i) => {
    const key = bytes ? r.bytes : r.text;
    event.run(tenant, i + 1, r.id, type, key, controller, r.at, r.at, 1, 2, r.pii, r.hash);
    point.run(tenant, key, "phone", "+33612345678");
    consent.run(tenant, key, controller, "sms", r.at, "double_opt_in", "standard", 1);
  };
}

/**
 * The log packed a batch to a row: each event its point key, personal-data hash, hash, and 24 bytes
 * of numbers (times, type, controller, texts); with `pointIndex`, a table keyed (point, event id)
 * giving its number, else the event id packed too and the consent holding its event's number.
 */
function packed(db: Database.Database, pointIndex: boolean): Writer {
  db.exec(`CREATE TABLE log (tenant INTEGER NOT NULL, first_seq INTEGER NOT NULL, events BLOB NOT NULL,
    PRIMARY KEY (tenant, first_seq)) WITHOUT ROWID;
    ${pointIndex ? "CREATE TABLE point_events (tenant INTEGER NOT NULL, point_key BLOB NOT NULL, event_id BLOB NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (tenant, point_key, event_id)) WITHOUT ROWID;" : ""}
    ${stateTables("BLOB", "INTEGER", pointIndex ? "" : ", seq INTEGER")}`);
  const log = db.prepare("INSERT INTO log VALUES (?, ?, ?)");
  const pointEvent = pointIndex ? db.prepare("INSERT INTO point_events VALUES (?, ?, ?, ?)") : null;
  const point = db.prepare("INSERT INTO points VALUES (?, ?, ?, ?, NULL) ON CONFLICT DO NOTHING");
  const consent = db.prepare(
    `INSERT INTO consents VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL${pointIndex ? "" : ", ?"}) ON CONFLICT DO NOTHING`,
  );
  const numbers = Buffer.alloc(24);
  let pack: Buffer[] = [];
  return (r, i) => {
    pack.push(r.bytes, r.pii, r.hash, numbers);
    if (!pointIndex) pack.push(r.id);
    if ((i + 1) % PACK === 0 || i === ROWS - 1) {
      log.run(1, i + 2 - pack.length / (pointIndex ? 4 : 5), Buffer.concat(pack));
      pack = [];
    }
    pointEvent?.run(1, r.bytes, r.id.subarray(0, 16), i + 1);
    point.run(1, r.bytes, "phone", "+33612345678");
    const values = [1, r.bytes, 7, "sms", r.at, "double_opt_in", "standard", 1];
    consent.run(pointIndex ? values : [...values, i + 1]);
  };
}

const LAYOUTS: readonly (readonly [string, (db: Database.Database) => Writer])[] = [
  ["schemas 19–23: two indexes of events", (db) => perEvent(db, false, false, true)],
  ["today (schema 24)", (db) => perEvent(db, false, false)],
  ["key bytes", (db) => perEvent(db, false, true)],
  ["+ numbers", (db) => perEvent(db, true, true)],
  ["+ packed log", (db) => packed(db, true)],
  ["two B-trees", (db) => packed(db, false)],
];

/** Seconds to write every row in one durable transaction, and the file's bytes once checkpointed. */
function measure(
  layout: (db: Database.Database) => Writer,
  made: readonly Made[],
): { s: number; bytes: number } {
  const path = join(DIR, "layout.db");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
  const db = new Database(path);
  // As the store's connections (src/store/sqlite/statements.ts openConnection).
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("cache_size = -65536");
  const write = layout(db);
  const t = performance.now();
  db.transaction(() => made.forEach(write)).immediate();
  const s = (performance.now() - t) / 1000;
  db.pragma("wal_checkpoint(TRUNCATE)");
  const bytes = statSync(path).size;
  db.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
  return { s, bytes };
}

export function benchLayouts(): void {
  const made: Made[] = Array.from({ length: ROWS }, (_, i) => {
    const mac = randomBytes(32);
    return {
      text: `v1:${mac.toString("base64url")}`,
      bytes: Buffer.concat([Buffer.from([1]), mac]),
      id: randomBytes(32),
      hash: randomBytes(32),
      pii: randomBytes(32),
      at: Date.UTC(2026, 0, 1) + i * 1000,
    };
  });
  const best = LAYOUTS.map(() => ({ s: Number.POSITIVE_INFINITY, bytes: 0 }));
  for (let run = 0; run < RUNS; run++) {
    LAYOUTS.forEach(([, layout], i) => {
      const m = measure(layout, made);
      best[i] = { s: Math.min(best[i]?.s ?? m.s, m.s), bytes: m.bytes };
    });
  }
  const today = best[LAYOUTS.findIndex(([name]) => name.startsWith("today"))] as { s: number; bytes: number };
  console.log(
    `the rows of ${ROWS.toLocaleString("en")} consents written alone, fastest of ${RUNS} runs alternated:`,
  );
  LAYOUTS.forEach(([name], i) => {
    const m = best[i] as { s: number; bytes: number };
    const rate = Math.round(ROWS / m.s);
    console.log(
      `${name.padEnd(38)} ${m.s.toFixed(2)} s  ${rate.toLocaleString("en").padStart(7)} rows/s (×${(today.s / m.s).toFixed(2)} today's)  ${Math.round(m.bytes / ROWS)} bytes a row${rate >= 100_000 ? "" : "  — under 100 000 rows/s"}`,
    );
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(`layouts — ${machineLine()}`);
  benchLayouts();
}
