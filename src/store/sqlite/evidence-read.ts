// Everything a decision needs about a batch of points, in one SQLite statement: each evidence
// table's rows for the keys, the points linked to them (a person, up to PERSON_HOPS links) with
// what those hold, and the tenant's complete Bloctel checks. One statement instead of twelve: a
// check spent most of its time starting statements (bench/api.ts), not reading rows.
// Rows come back as one wide table, each tagged with what it is; each part's columns are its state
// table's (state-tables.ts), in the order `SELECT *` gives them, so rows read as per-table queries did.
import type Database from "better-sqlite3";
import { columnsOf, STATE_TABLES, type StateTable, type StateTableName } from "../state-tables.ts";
import { PERSON_HOPS } from "../store.ts";
import { type HeldMap, type HeldParts, PART_BITS } from "./held-parts.ts";

/** A state table's columns after the tenant, as STATE_TABLES declares them (the table's own order). */
const columns = (name: StateTableName): string[] => {
  const t = STATE_TABLES.find((x) => x.name === name) as StateTable;
  return columnsOf(t).map(([c]) => c);
};

/** Each part: its table, and its columns as the per-table query read them (`SELECT *` with the tenant). */
const PARTS = {
  points: { table: "points", columns: columns("points") },
  sources: { table: "sources", columns: ["tenant", ...columns("sources")] },
  consents: { table: "consents", columns: ["tenant", ...columns("consents")] },
  objections: { table: "objections", columns: ["tenant", ...columns("objections")] },
  contacts: { table: "contacts_made", columns: ["tenant", ...columns("contacts_made")] },
  notices: { table: "notices", columns: ["tenant", ...columns("notices")] },
  callbacks: { table: "callback_requests", columns: ["tenant", ...columns("callback_requests")] },
  // The audit reads Bloctel rows as the checks they belong to: their own columns are named here.
  entries: {
    table: "registry_entries",
    columns: ["point_key", "snapshot_seq", "checked_at", "registered", "registered_at", "effective_at"],
  },
} as const;

/** The parts read for the linked points: what binds a person through any of its points. */
const PERSON_PARTS = ["points", "objections", "contacts"] as const;

export type Part = keyof typeof PARTS;
const PART_NAMES = Object.keys(PARTS) as Part[];
type Row = Record<string, unknown> & { point_key: string };

export interface EvidenceRead {
  /** Rows of each part for the keys asked, by part. */
  readonly own: { readonly [P in Part]: Row[] };
  /** Each link reached from a key asked: from the key asked, to the point reached. */
  readonly reached: { origin: string; key: string }[];
  /** Rows of the linked points (some may be keys asked too: the caller sorts them out). */
  readonly linked: { readonly [P in (typeof PERSON_PARTS)[number]]: Row[] };
  /** The tenant's complete Bloctel checks, by time. */
  readonly completeSnapshots: { seq: number; checked_at: number }[];
}

const WIDTH = Math.max(...Object.values(PARTS).map((p) => p.columns.length));

const select = (tag: string, columns: readonly string[]): string =>
  `SELECT '${tag}'${columns.map((c) => `, ${c}`).join("")}${", NULL".repeat(WIDTH - columns.length)}`;

/**
 * The tenant's head, read by the same statement as the rows: every change to a tenant's state
 * comes with an event, so rows read at one head are the state of that head — what a read through
 * the held-parts map checks the map against.
 */
const HEAD = select("head", [
  "coalesce((SELECT seq FROM chain_head WHERE tenant = @tenant), 0)",
  "coalesce((SELECT hash FROM chain_head WHERE tenant = @tenant), '')",
]);

/**
 * The statement for the keys of a JSON array (`@keys`), or for one key (`@key`): a check asks for
 * one, and seeking it by equality costs half what a JSON array's lookup does in each part.
 */
function statementFor(db: Database.Database, one: boolean) {
  const own = Object.entries(PARTS).map(
    ([part, p]) =>
      `${select(part, p.columns)} FROM ${p.table} WHERE tenant = @tenant AND ${one ? "point_key = @key" : "point_key IN (SELECT key FROM asked)"}`,
  );
  const linked = PERSON_PARTS.map((part) => {
    const p = PARTS[part];
    return `${select(`person.${part}`, p.columns)} FROM ${p.table}
      WHERE tenant = @tenant AND point_key IN (SELECT key FROM linked)`;
  });
  // Each part reads the keys asked and the points linked to them: computed once, not per part.
  return db
    .prepare(
      `WITH RECURSIVE asked(key) AS MATERIALIZED (${one ? "SELECT @key" : "SELECT value FROM json_each(@keys)"}),
       reach(origin, key, hops) AS (
         SELECT key, key, 0 FROM asked
         UNION
         -- CROSS JOIN keeps the walk outside: with the links as the outer loop (the planner's
         -- choice while the table is small) each step would read every link of the tenant.
         SELECT r.origin, l.other_key, r.hops + 1 FROM reach r
           CROSS JOIN subject_links l ON l.tenant = @tenant AND l.point_key = r.key
         WHERE r.hops < ${PERSON_HOPS}),
       links(origin, key) AS MATERIALIZED (SELECT DISTINCT origin, key FROM reach WHERE origin <> key),
       linked(key) AS MATERIALIZED (SELECT DISTINCT key FROM links)
       ${[
         ...own,
         `${select("reach", ["origin", "key"])} FROM links`,
         ...linked,
         `${select("snapshot", ["seq", "checked_at"])} FROM registry_snapshots WHERE tenant = @tenant AND complete = 1`,
         HEAD,
       ].join("\nUNION ALL ")}`,
    )
    .raw(true);
}

/**
 * The statement for one key that no link joins to another point — most points a check asks for:
 * each part read by equality, and whether the point has links. Without the recursive walk and its
 * materialized sets it costs a third of the full statement (bench/api.ts); a point with links is
 * read again by the full one.
 */
function unlinkedStatement(db: Database.Database) {
  const own = Object.entries(PARTS).map(
    ([part, p]) => `${select(part, p.columns)} FROM ${p.table} WHERE tenant = @tenant AND point_key = @key`,
  );
  return db
    .prepare(
      [
        ...own,
        `${select("link", ["other_key"])} FROM subject_links WHERE tenant = @tenant AND point_key = @key`,
        `${select("snapshot", ["seq", "checked_at"])} FROM registry_snapshots WHERE tenant = @tenant AND complete = 1`,
      ].join("\nUNION ALL "),
    )
    .raw(true);
}

/**
 * The statements for one key the held-parts map places and no link joins to another point: the
 * head, then each part the map says the key has rows in, by equality — one statement, so one
 * read and one state; for a point the store knows nothing about, the head alone. Prepared on
 * first use for each combination of parts met (a store's points fall into a handful).
 */
function placedStatements(db: Database.Database): (bits: number) => Database.Statement {
  const made = new Map<number, Database.Statement>();
  return (bits) => {
    let statement = made.get(bits);
    if (statement === undefined) {
      const own = PART_NAMES.filter((part) => (bits & PART_BITS[part]) !== 0).map((part) => {
        const p = PARTS[part];
        return `${select(part, p.columns)} FROM ${p.table} WHERE tenant = @tenant AND point_key = @key`;
      });
      statement = db.prepare([HEAD, ...own].join("\nUNION ALL ")).raw(true);
      made.set(bits, statement);
    }
    return statement;
  };
}

/** What a read gives before any row: nothing, and no Bloctel check. */
function emptyRead(): EvidenceRead {
  return {
    own: {
      points: [],
      sources: [],
      consents: [],
      objections: [],
      contacts: [],
      notices: [],
      callbacks: [],
      entries: [],
    },
    reached: [],
    linked: { points: [], objections: [], contacts: [] },
    completeSnapshots: [],
  };
}

/** A head as statements read it: its seq and hash. */
type Head = readonly [number, string];

/**
 * Files a row of the wide table under what its tag says it is (its complete checks if
 * `snapshots`); the head if the row is the head's.
 */
function addRow(read: EvidenceRead, row: readonly unknown[], snapshots: boolean): Head | null {
  const tag = row[0] as string;
  if (tag === "head") return [row[1] as number, row[2] as string];
  if (tag === "reach") read.reached.push({ origin: row[1] as string, key: row[2] as string });
  else if (tag === "snapshot") {
    if (snapshots) read.completeSnapshots.push({ seq: row[1] as number, checked_at: row[2] as number });
  } else if (tag.startsWith("person.")) {
    const part = tag.slice(7) as (typeof PERSON_PARTS)[number];
    read.linked[part].push(WIDE_ROW[part](row));
  } else read.own[tag as Part].push(WIDE_ROW[tag as Part](row));
  return null;
}

/**
 * A part's rows for the distinct keys of a JSON array, its own columns only: the read of points
 * whose held parts are known (held-parts.ts). A batch reads the parts its keys have rows in, each
 * by its own statement in one read transaction — the wide table's padding cost a batch a
 * microsecond a point. The array is the outer loop of a join, each key sought in the table's
 * index: `point_key IN (SELECT … json_each)` first copied the keys into a temporary index, a
 * quarter more time a key sought by the statement alone (store of 100 000 points) — though a
 * whole batch read, bound by making rows into JavaScript values, did not measurably change.
 */
function partStatements(db: Database.Database): Record<Part, Database.Statement> {
  const statements = {} as Record<Part, Database.Statement>;
  for (const part of PART_NAMES) {
    const p = PARTS[part];
    statements[part] = db
      .prepare(
        `SELECT ${p.columns.map((c) => `t.${c}`).join(", ")} FROM json_each(@keys) j
         CROSS JOIN ${p.table} t ON t.tenant = @tenant AND t.point_key = j.value`,
      )
      .raw(true);
  }
  return statements;
}

/**
 * Reads the evidence of the keys asked (`keys`: distinct). With `held` (a serving process), the
 * parts each key of a batch has rows in are known: only those are read, nothing for a key the
 * store knows nothing about, and the walk of a person only for keys with links. Each statement
 * also reads the head: rows read at the head the map was kept up to are exactly what the map
 * says; at another, the map catches up and the keys are read again.
 */
export function evidenceReader(
  db: Database.Database,
  held?: HeldParts,
): (tenant: string, keys: readonly string[]) => EvidenceRead {
  const many = statementFor(db, false);
  const one = statementFor(db, true);
  const unlinked = unlinkedStatement(db);
  const parts = partStatements(db);
  const placedStatement = placedStatements(db);
  const head = db.prepare("SELECT seq, hash FROM chain_head WHERE tenant = ?").raw(true);
  /** The head, and the rows of each part for its keys, read in one transaction (one state). */
  const readParts = db.transaction(
    (tenant: string, byPart: ReadonlyMap<Part, string[]>, read: EvidenceRead): Head => {
      const [seq, hash] = (head.get(tenant) as Head | undefined) ?? [0, ""];
      for (const [part, keys] of byPart) {
        const named = OWN_ROW[part];
        const into = read.own[part];
        // Sorted: rows come in the order of the keys, as the full statement gives them.
        const sorted = JSON.stringify(keys.sort());
        for (const row of parts[part].all({ tenant, keys: sorted }) as unknown[][]) {
          into.push(named(row));
        }
      }
      return [seq, hash];
    },
  );

  /** Files the rows into `read`; the head they were read at, or null (a statement without it). */
  const file = (rows: unknown[][], read: EvidenceRead, snapshots: boolean): Head | null => {
    let head: Head | null = null;
    for (const row of rows) head = addRow(read, row, snapshots) ?? head;
    return head;
  };

  /** Every part of every key, its person walked. */
  const full = (tenant: string, keys: readonly string[], read: EvidenceRead): void => {
    let rows: unknown[][];
    if (keys.length === 1) {
      rows = unlinked.all({ tenant, key: keys[0] }) as unknown[][];
      if (rows.some((row) => row[0] === "link")) rows = one.all({ tenant, key: keys[0] }) as unknown[][];
    } else rows = many.all({ tenant, keys: JSON.stringify(keys) }) as unknown[][];
    file(rows, read, true);
  };

  /**
   * The parts the map says each key has rows in (keys with links read whole): the evidence, if
   * every statement read the head the map is at; else null.
   */
  const masked = (tenant: string, keys: readonly string[], map: HeldMap): EvidenceRead | null => {
    const read = emptyRead();
    const linked: string[] = [];
    const byPart = new Map<Part, string[]>();
    for (const key of keys) {
      const bits = map.bitsOf(key);
      if ((bits & PART_BITS.links) !== 0) {
        linked.push(key);
        continue;
      }
      for (const part of PART_NAMES) {
        if ((bits & PART_BITS[part]) === 0) continue;
        const list = byPart.get(part);
        if (list === undefined) byPart.set(part, [key]);
        else list.push(key);
      }
    }
    const heads: (Head | null)[] = [];
    if (byPart.size > 0 || linked.length === 0) heads.push(readParts(tenant, byPart, read));
    if (linked.length > 0) {
      const rows =
        linked.length === 1
          ? one.all({ tenant, key: linked[0] })
          : many.all({ tenant, keys: JSON.stringify(linked) });
      heads.push(file(rows as unknown[][], read, false));
    }
    if (heads.some((h) => h === null || h[0] !== map.seq || h[1] !== map.hash)) return null;
    read.completeSnapshots.push(...map.completeSnapshots);
    return read;
  };

  /**
   * One key (a check), read as `masked` reads a batch but by one statement for the head and its
   * parts (`placedStatements`): no transaction to open and close, no JSON array to expand.
   */
  const placed = (tenant: string, keys: readonly string[], map: HeldMap): EvidenceRead | null => {
    const key = keys[0] as string;
    const bits = map.bitsOf(key);
    if ((bits & PART_BITS.links) !== 0) return masked(tenant, keys, map);
    const read = emptyRead();
    const rows = placedStatement(bits).all(bits === 0 ? { tenant } : { tenant, key }) as unknown[][];
    const head = file(rows, read, false);
    if (head === null || head[0] !== map.seq || head[1] !== map.hash) return null;
    read.completeSnapshots.push(...map.completeSnapshots);
    return read;
  };

  return (tenant, keys) => {
    // While an import's transaction is open on this connection (a store in memory: a store in a
    // file imports on its writer thread's) its rows are seen uncommitted, Bloctel rows added under
    // a head that does not move: the map follows committed states only.
    const map = db.inTransaction ? null : (held?.built(tenant) ?? null);
    const through = keys.length === 1 ? placed : masked;
    let read = map === null ? null : through(tenant, keys, map);
    // The log moved since the map was last kept up: it catches up a slice, then reads again.
    if (read === null && map !== null && (held as HeldParts).catchUp(tenant))
      read = through(tenant, keys, map);
    if (read === null) {
      read = emptyRead();
      full(tenant, keys, read);
    }
    read.completeSnapshots.sort((a, b) => a.checked_at - b.checked_at || a.seq - b.seq);
    return read;
  };
}

/**
 * A part's row as an object, its values read from `from` on (the wide table's come after its
 * tag). Generated once per part: an object literal of a fixed shape costs a twentieth of the same
 * object built key by key (0.95 → 0.03–0.06 µs for a source's 21 columns), and a batch check
 * builds one for every row it reads. The names are the state tables' declared columns.
 */
function rowReader(columns: readonly string[], from: number): (row: readonly unknown[]) => Row {
  const fields = columns.map((c, i) => `${JSON.stringify(c)}: row[${i + from}]`).join(", ");
  return new Function("row", `return { ${fields} };`) as (row: readonly unknown[]) => Row;
}

const readers = (from: number) =>
  Object.fromEntries(PART_NAMES.map((part) => [part, rowReader(PARTS[part].columns, from)])) as Record<
    Part,
    (row: readonly unknown[]) => Row
  >;
/** Rows of the wide table (after the tag) and of a part's own statement. */
const WIDE_ROW = readers(1);
const OWN_ROW = readers(0);
