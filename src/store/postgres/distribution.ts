// How the tables would spread over the nodes of a Citus cluster (docs/scale.md), declared once:
// test/store/partitioned.test.ts hash-partitions each distributed table on its column, runs the
// store contract on it and checks which partitions every statement touches; it also checks that
// every table the migrations create is declared here, and that docs/scale.md gives `citusSql()`.

/**
 * - `point`: distributed by point_key — the evidence of a person on one node, a tenant's
 *   evidence over all of them. Every key and unique index holds (tenant, point_key).
 * - `tenant`: distributed by tenant — a tenant's rows on one node. The log while it has one
 *   sequence per tenant, and what the service writes as it runs keyed without the point key.
 * - `reference`: one copy on every node — small, written rarely, or joined with point tables.
 */
export type Distribution = "point" | "tenant" | "reference";

export const TABLES = {
  points: "point",
  sources: "point",
  consents: "point",
  withdrawals: "point",
  objections: "point",
  contacts_made: "point",
  notices: "point",
  callback_requests: "point",
  subject_links: "point",
  registry_entries: "point",
  opt_in_wrong_codes: "point",
  // The log, its heads and tree: keyed (tenant, seq), one sequence and one chain a tenant, so not
  // by point key until the log is split into key-range shards with a sequence each.
  events: "tenant",
  event_pii: "tenant",
  // The events' data and proof texts (postgres/event-rows.ts), each once a tenant.
  event_texts: "tenant",
  chain_head: "tenant",
  merkle_nodes: "tenant",
  // A link names its request by the SHA-256 of its secret, not by point: keyed (tenant, id_sha256).
  pending_consents: "tenant",
  // Written by requests, deliveries and heartbeats: a reference table's write goes to every node.
  dashboard_sessions: "tenant",
  server_processes: "tenant",
  rate_buckets: "tenant",
  sign_in_failures: "tenant",
  webhooks: "tenant",
  webhook_dead_letters: "tenant",
  // Joined with registry_entries by the evidence read.
  registry_snapshots: "reference",
  campaigns: "reference",
  api_keys: "reference",
  dashboard_users: "reference",
  imports: "reference",
  // Without a tenant.
  store_meta: "reference",
  schema_migrations: "reference",
} as const satisfies Record<string, Distribution>;

export type Table = keyof typeof TABLES;

/** The column a distributed table is hashed on. */
export const DISTRIBUTION_COLUMN = { point: "point_key", tenant: "tenant" } as const;

/** The tables of one class, in the order above. */
function tablesOf(d: Distribution): Table[] {
  return (Object.keys(TABLES) as Table[]).filter((t) => TABLES[t] === d);
}

/**
 * The calls that distribute a migrated store's tables. Each group of distributed tables is
 * co-located with its first table, and starts a group of its own: by default Citus co-locates
 * tables distributed on columns of one type, which would pair each tenant's log with a point's.
 */
export function citusSql(): string[] {
  const distributed = (d: "point" | "tenant") => {
    const [first, ...rest] = tablesOf(d);
    const column = DISTRIBUTION_COLUMN[d];
    return [
      `SELECT create_distributed_table('${first}', '${column}', colocate_with => 'none');`,
      ...rest.map(
        (t) => `SELECT create_distributed_table('${t}', '${column}', colocate_with => '${first}');`,
      ),
    ];
  };
  return [
    ...distributed("point"),
    ...distributed("tenant"),
    ...tablesOf("reference").map((t) => `SELECT create_reference_table('${t}');`),
  ];
}
