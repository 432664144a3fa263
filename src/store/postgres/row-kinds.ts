// The kinds of rows a planned batch writes (one per state table, or per statement on several),
// each with the multi-row statement that writes a chunk of them, and which kinds share a table.
// write-plan.ts says how they are scheduled.
import { CALLBACK_MERGE, CONSENT_MERGE, CONTACT_MERGE, OBJECTION_MERGE } from "../schema.ts";
import { DISTRIBUTION_COLUMN, TABLES } from "./distribution.ts";

export type Row = readonly unknown[];

/**
 * One statement of a chunk, not yet sent: write-plan.ts sends the statements of a batch that touch
 * no table in common as one (data-modifying WITH clauses), to spend fewer round trips under the
 * chain head's lock.
 */
export interface Part {
  /** Observed as, and prepared as `vigie_<name>` when sent alone. */
  readonly name: string;
  /** Parameters numbered from $1. */
  readonly text: string;
  readonly values: unknown[];
  /** Every table it reads or writes: statements sharing none cannot see each other's effects. */
  readonly tables: readonly string[];
  /** Planned for its values rather than prepared (a large batch filtered on its keys, below). */
  readonly planned: boolean;
}

export interface Kind {
  readonly name: string;
  readonly tables: readonly string[];
  /** For upserts: the key of a row, unique within one statement. */
  readonly key?: (row: Row) => string;
  /** The statements writing a chunk (its columns, one array each), in the order they must run. */
  parts(columns: unknown[][]): Part[];
}

/**
 * A column's type: an array's (`unnest`), or `hash` for SHA-256 hashes (`hash?` where a row may
 * have none), sent packed (`packedHashes`).
 */
type ColumnType = "text" | "bigint" | "integer" | "boolean" | "bytea" | "hash" | "hash?";
type Column = readonly [string, ColumnType];

const HASH_BYTES = 32;

/**
 * A column of SHA-256 hashes as one bytea parameter: each row's 32 bytes one after the other
 * (zeros for a row without one), read back by the row's ordinal. A bytea[] travels as hexadecimal
 * text, written out by the driver and parsed by PostgreSQL, element by element: packed, an event's
 * five hashes cost a third less of writing 100 000 events (an INSERT of them alone, 2.5–3.0 s →
 * 1.7 s). A hash of another length would be cut or padded: refused, as nothing planned makes one.
 */
function packedHashes(column: readonly unknown[], table: string, [name, type]: Column): Buffer {
  const out = Buffer.alloc(column.length * HASH_BYTES);
  column.forEach((hash, i) => {
    if (hash === null && type === "hash?") return;
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_BYTES) {
      throw new Error(`${table}.${name}: row ${i + 1} of the batch holds no 32-byte hash`);
    }
    out.set(hash, i * HASH_BYTES);
  });
  return out;
}

/**
 * `INSERT INTO table (columns) SELECT * FROM unnest($1::type[], …) suffix`; with `hash` columns,
 * each of those is one packed parameter after the arrays, sliced by the row's ordinal.
 */
function insertKind(
  name: string,
  table: string,
  columns: readonly Column[],
  suffix = "",
  key?: (row: Row) => string,
): Kind {
  const isHash = (t: ColumnType): boolean => t === "hash" || t === "hash?";
  const arrays = columns.filter(([, t]) => !isHash(t));
  const hashes = columns.filter(([, t]) => isHash(t));
  // A nullable hash also says, in a boolean array after the others, which rows have one.
  const given = hashes.filter(([, t]) => t === "hash?");
  const unnest = [...arrays.map(([, t]) => t), ...given.map(() => "boolean")]
    .map((t, i) => `$${i + 1}::${t}[]`)
    .join(", ");
  const packedAt = (c: string): string =>
    `$${arrays.length + given.length + 1 + hashes.findIndex(([h]) => h === c)}`;
  const slice = (c: string): string =>
    `substring(${packedAt(c)}::bytea from (u.i * ${HASH_BYTES} - ${HASH_BYTES - 1})::int for ${HASH_BYTES})`;
  const text =
    hashes.length === 0
      ? `INSERT INTO ${table} (${columns.map(([c]) => c).join(", ")})
    SELECT * FROM unnest(${unnest}) ${suffix}`
      : `INSERT INTO ${table} (${columns.map(([c]) => c).join(", ")})
    SELECT ${columns
      .map(([c, t]) =>
        t === "hash" ? slice(c) : t === "hash?" ? `CASE WHEN u.${c}_given THEN ${slice(c)} END` : `u.${c}`,
      )
      .join(", ")}
    FROM unnest(${unnest}) WITH ORDINALITY
      AS u(${[...arrays.map(([c]) => c), ...given.map(([c]) => `${c}_given`), "i"].join(", ")}) ${suffix}`;
  const at = (c: string): number => columns.findIndex(([x]) => x === c);
  return {
    name,
    tables: [table],
    ...(key === undefined ? {} : { key }),
    parts: (values) => {
      if (hashes.length === 0) return [{ name, text, values, tables: [table], planned: false }];
      const column = (c: string): unknown[] => values[at(c)] as unknown[];
      const params = [
        ...arrays.map(([c]) => column(c)),
        ...given.map(([c]) => column(c).map((h) => h !== null)),
        ...hashes.map((h) => packedHashes(column(h[0]), table, h)),
      ];
      return [{ name, text, values: params, tables: [table], planned: false }];
    },
  };
}

/**
 * From this many values filtered on, a statement is planned for its values (pool.ts `runPlanned`):
 * with fewer, a prepared statement's generic plan, comparing each row found with each value, costs
 * less than planning it every time. On PostgreSQL 15, filtered on 5 000 keys, the consent's, the
 * withdrawal's and the erasure's statements took 4 to 25 times their unfiltered time prepared,
 * about that time planned; on 16 keys, planned was the slower.
 */
export const PLANNED_FROM = 128;

/**
 * A chunk's statement given, as its last parameter, the distinct values of `column` — a
 * distribution column the statement filters on beside its join (`AND x.point_key = ANY($n)`): so
 * the planner, and a router, keep only the partitions (shards) of the batch's keys or tenants.
 */
function filtered(
  name: string,
  tables: readonly string[],
  text: string,
  values: unknown[],
  column: unknown,
): Part {
  const filter = [...new Set(column as string[])];
  return { name, text, values: [...values, filter], tables, planned: filter.length >= PLANNED_FROM };
}

/** The key of a row keyed by (tenant, point, controller, channel, instant): its first five columns. */
const rowKey = (r: Row): string => r.slice(0, 5).join("\u0000");

export const KINDS = {
  event: insertKind("event", "events", [
    ["tenant", "text"],
    ["seq", "bigint"],
    ["event_id", "hash"],
    ["type", "text"],
    ["point_key", "text"],
    ["controller", "text"],
    ["occurred_at", "bigint"],
    ["recorded_at", "bigint"],
    ["data", "hash"],
    ["proof", "hash"],
    ["pii_hash", "hash?"],
    ["hash", "hash"],
  ]),
  // The texts of the events (event-rows.ts), each once a tenant.
  text: insertKind(
    "text",
    "event_texts",
    [
      ["tenant", "text"],
      ["sha256", "bytea"],
      ["text", "text"],
    ],
    "ON CONFLICT (tenant, sha256) DO NOTHING",
  ),
  pii: insertKind("pii", "event_pii", [
    ["tenant", "text"],
    ["seq", "bigint"],
    ["point_key", "text"],
    ["pii", "text"],
  ]),
  point: insertKind(
    "point",
    "points",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["type", "text"],
      ["value", "text"],
    ],
    // A point keeps its first value (append-plan.ts piiBeside): events read theirs from it.
    "ON CONFLICT (tenant, point_key) DO NOTHING",
  ),
  source: insertKind(
    "source",
    "sources",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["controller", "text"],
      ["seq", "bigint"],
      ["kind", "text"],
      ["origin_type", "text"],
      ["collected_at", "bigint"],
      ["sender_named", "boolean"],
      ["opt_out_offered", "boolean"],
      ["publisher_refused", "boolean"],
      ["informed_at", "bigint"],
      ["relationship", "text"],
      ["customer_since", "bigint"],
      ["customer_until", "bigint"],
      ["last_inbound_at", "bigint"],
      ["department", "text"],
      ["time_zone", "text"],
      ["source_url", "text"],
      ["obtained_at", "bigint"],
      ["transfers", "integer"],
      ["free_account_of_paid_model", "boolean"],
    ],
    "ON CONFLICT DO NOTHING",
  ),
  // Withdrawn at the earliest withdrawal on or after it was given, were it recorded before it.
  consent: {
    name: "consent",
    tables: ["consents", "withdrawals"],
    key: rowKey,
    parts: (values) => [
      filtered(
        "consent",
        ["consents", "withdrawals"],
        `INSERT INTO consents (tenant, point_key, controller, channel, given_at, method, scope, proof, withdrawn_at,
           collected_by, named_how)
         SELECT u.tenant, u.point_key, u.controller, u.channel, u.given_at, u.method, u.scope, u.proof,
           (SELECT min(w.at) FROM withdrawals w WHERE w.tenant = u.tenant
             AND w.point_key = u.point_key AND w.controller = u.controller AND w.channel = u.channel
             AND w.at >= u.given_at AND w.point_key = ANY($11::text[])),
           u.collected_by, u.named_how
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
           $7::text[], $8::boolean[], $9::text[], $10::text[])
           AS u(tenant, point_key, controller, channel, given_at, method, scope, proof, collected_by, named_how)
         ON CONFLICT (tenant, point_key, controller, channel, given_at) DO UPDATE SET ${CONSENT_MERGE}`,
        values,
        values[1],
      ),
    ],
  } satisfies Kind,
  // One after the other, withdrawals leave each consent withdrawn at the earliest of them that
  // falls on or after it was given (and before an earlier withdrawal): their order does not
  // matter, so a run of them is one statement taking that minimum.
  withdraw: {
    name: "withdraw",
    tables: ["consents", "withdrawals"],
    parts: (values) => [
      {
        name: "withdrawal",
        text: `INSERT INTO withdrawals (tenant, point_key, controller, channel, at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
         ON CONFLICT DO NOTHING`,
        values,
        tables: ["withdrawals"],
        planned: false,
      },
      filtered(
        "withdraw",
        ["consents"],
        `UPDATE consents c SET withdrawn_at = w.at
         FROM (SELECT c2.tenant, c2.point_key, c2.controller, c2.channel, c2.given_at, min(u.at) AS at
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
                 AS u(tenant, point_key, controller, channel, at)
               JOIN consents c2 ON c2.tenant = u.tenant AND c2.point_key = u.point_key
                 AND c2.controller = u.controller AND c2.channel = u.channel
                 AND c2.given_at <= u.at AND (c2.withdrawn_at IS NULL OR c2.withdrawn_at > u.at)
                 AND c2.point_key = ANY($6::text[])
               GROUP BY c2.tenant, c2.point_key, c2.controller, c2.channel, c2.given_at) w
         WHERE c.tenant = w.tenant AND c.point_key = w.point_key AND c.controller = w.controller
           AND c.channel = w.channel AND c.given_at = w.given_at AND c.point_key = ANY($6::text[])`,
        values,
        values[1],
      ),
    ],
  } satisfies Kind,
  objection: insertKind(
    "objection",
    "objections",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["controller", "text"],
      ["channel", "text"],
      ["at", "bigint"],
      ["via", "text"],
    ],
    `ON CONFLICT (tenant, point_key, controller, channel, at) DO UPDATE SET ${OBJECTION_MERGE}`,
    rowKey,
  ),
  contact: insertKind(
    "contact",
    "contacts_made",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["controller", "text"],
      ["channel", "text"],
      ["at", "bigint"],
      ["outcome", "text"],
      ["advertiser", "text"],
      ["sector", "text"],
    ],
    `ON CONFLICT (tenant, point_key, controller, channel, at) DO UPDATE SET ${CONTACT_MERGE}`,
    rowKey,
  ),
  callback: insertKind(
    "callback",
    "callback_requests",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["controller", "text"],
      ["at", "bigint"],
      ["slot_from", "bigint"],
      ["slot_to", "bigint"],
      ["subject", "text"],
    ],
    `ON CONFLICT (tenant, point_key, controller, at) DO UPDATE SET ${CALLBACK_MERGE}`,
    (r: Row): string => r.slice(0, 4).join("\u0000"),
  ),
  notice: insertKind(
    "notice",
    "notices",
    [
      ["tenant", "text"],
      ["point_key", "text"],
      ["controller", "text"],
      ["at", "bigint"],
    ],
    "ON CONFLICT DO NOTHING",
  ),
  snapshot: insertKind("snapshot", "registry_snapshots", [
    ["tenant", "text"],
    ["seq", "bigint"],
    ["checked_at", "bigint"],
    ["complete", "boolean"],
  ]),
  erase: {
    name: "erase",
    tables: ["points", "event_pii", "sources", "consents", "callback_requests", "pending_consents"],
    key: (r) => `${r[0]}\u0000${r[1]}`,
    parts: ([tenants, keys, pointTypes, at]) => [
      {
        name: "erase_point",
        text: `INSERT INTO points (tenant, point_key, type, erased_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
         ON CONFLICT (tenant, point_key) DO UPDATE SET value = NULL,
           erased_at = LEAST(COALESCE(points.erased_at, excluded.erased_at), excluded.erased_at)`,
        values: [tenants, keys, pointTypes, at],
        tables: ["points"],
        planned: false,
      },
      // What an erased point held goes with it, its events' personal data included; the events
      // stay, keyed. Sources, consents and callback requests recorded after the erasure are
      // refused, so the state is the same in whichever order they came.
      // A double opt-in sent to the point can no longer be confirmed (schema 11).
      ...(["event_pii", "sources", "consents", "callback_requests", "pending_consents"] as const).map(
        (table) => {
          const column = DISTRIBUTION_COLUMN[TABLES[table]];
          return filtered(
            `erase_${table}`,
            [table],
            `DELETE FROM ${table} s USING unnest($1::text[], $2::text[]) AS u(tenant, point_key)
             WHERE s.tenant = u.tenant AND s.point_key = u.point_key AND s.${column} = ANY($3::text[])`,
            [tenants, keys],
            { tenant: tenants, point_key: keys }[column],
          );
        },
      ),
    ],
  } satisfies Kind,
  // Both directions, so that a point's links are read through its own key.
  link: {
    name: "link",
    tables: ["subject_links"],
    parts: ([tenants, keys, others]) => [
      {
        name: "link",
        text: `INSERT INTO subject_links (tenant, point_key, other_key)
         SELECT tenant, a, b FROM unnest($1::text[], $2::text[], $3::text[]) AS u(tenant, a, b)
         UNION SELECT tenant, b, a FROM unnest($1::text[], $2::text[], $3::text[]) AS u(tenant, a, b)
         ON CONFLICT DO NOTHING`,
        values: [tenants, keys, others],
        tables: ["subject_links"],
        planned: false,
      },
    ],
  } satisfies Kind,
} as const satisfies Record<string, Kind>;

/** Kinds of rows that touch a table in common: they are never pending together. */
export const CONFLICTS = new Map<Kind, Kind[]>(
  Object.values(KINDS).map((kind: Kind) => [
    kind,
    Object.values(KINDS).filter(
      (other: Kind) => other !== kind && other.tables.some((t) => kind.tables.includes(t)),
    ),
  ]),
);
