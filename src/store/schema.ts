// The schema, as versioned migrations. Both dialects share the table layout; every primary key
// starts with the tenant and, for evidence about a person, the point key: where each table goes
// on a Citus cluster is declared in postgres/distribution.ts.
// Instants are epoch milliseconds (INTEGER / BIGINT); JSON is stored as text.
import { StoreNewerError } from "./store.ts";

export interface Migration {
  readonly version: number;
  readonly name: string;
  /**
   * Statements, with BIGINT written as {BIGINT}, BOOLEAN as {BOOL}, bytes as {BYTES}, a table's
   * SQLite-only WITHOUT ROWID as {WITHOUT_ROWID}, and the `channel` of an event's
   * JSON data as {DATA_CHANNEL}: each dialect fills them in.
   */
  readonly statements: readonly string[];
  /** A change of SQLite's storage only: PostgreSQL records the version and runs nothing. */
  readonly sqliteOnly?: true;
  /** A change of PostgreSQL's storage only: SQLite records the version and runs nothing. */
  readonly postgresOnly?: true;
  /**
   * Leaves much of a SQLite file free (a table rewritten smaller): VACUUM afterwards gives those
   * pages back to the disk instead of keeping them for later writes.
   */
  readonly vacuum?: true;
}

/**
 * SQLite statements that rebuild a table WITHOUT ROWID, its rows kept: the table becomes the
 * B-tree of its primary key instead of a rowid table plus a second tree for that key — one tree
 * to write per row and about half the bytes on disk (bench/import.ts prints them).
 */
function withoutRowid(table: string, columns: string, primaryKey: string): string[] {
  const names = columns
    .split(",")
    .map((c) => c.trim().split(/\s+/)[0])
    .join(", ");
  return [
    `CREATE TABLE ${table}_rebuilt (${columns}, PRIMARY KEY (${primaryKey})) WITHOUT ROWID`,
    `INSERT INTO ${table}_rebuilt (${names}) SELECT ${names} FROM ${table}`,
    `DROP TABLE ${table}`,
    `ALTER TABLE ${table}_rebuilt RENAME TO ${table}`,
  ];
}

/**
 * Two records of one consent (same point, controller, channel and instant) that disagree: what
 * they agree on is kept, where they differ the weaker reading holds (a method that never makes a
 * valid consent if either names one — terms acceptance, then a pre-ticked box — else the method
 * unknown; standard scope, proof only if both have it; a broker's or partner's collection over the controller's or
 * an unrecorded one, the controller's against an unrecorded one unrecorded; of two namings, the
 * first of not_named, unrecorded, listed_with_link) — the same whichever came first. Shared by
 * both adapters; rebuild.ts folds the same.
 */
export const CONSENT_MERGE = `method = CASE WHEN consents.method = excluded.method THEN consents.method
    WHEN 'terms_acceptance' IN (consents.method, excluded.method) THEN 'terms_acceptance'
    WHEN 'pre_ticked_checkbox' IN (consents.method, excluded.method) THEN 'pre_ticked_checkbox' ELSE NULL END,
  scope = CASE WHEN consents.scope = excluded.scope THEN consents.scope ELSE 'standard' END,
  proof = consents.proof AND excluded.proof,
  collected_by = CASE WHEN consents.collected_by = excluded.collected_by THEN consents.collected_by
    WHEN 'broker' IN (consents.collected_by, excluded.collected_by) THEN 'broker'
    WHEN 'partner' IN (consents.collected_by, excluded.collected_by) THEN 'partner' ELSE NULL END,
  named_how = CASE WHEN 'not_named' IN (consents.named_how, excluded.named_how) THEN 'not_named'
    WHEN consents.named_how IS NULL OR excluded.named_how IS NULL THEN NULL
    WHEN 'listed_with_link' IN (consents.named_how, excluded.named_how) THEN 'listed_with_link'
    ELSE 'named' END`;

/** Two records of one objection that disagree on how it was made: how is unknown. */
export const OBJECTION_MERGE =
  "via = CASE WHEN objections.via = excluded.via THEN objections.via ELSE NULL END";

/**
 * Two records of one call that disagree on its outcome: the one that restricts most holds; on the
 * advertiser: '' — not known, so the call counts for every advertiser, and an objection heard on it
 * binds them all (fail closed: NULL would say "for its caller itself"); on the sector: not known
 * (the call counts as any sector).
 */
export const CONTACT_MERGE = `outcome = CASE
    WHEN 'objected' IN (contacts_made.outcome, excluded.outcome) THEN 'objected'
    WHEN 'declined_to_continue' IN (contacts_made.outcome, excluded.outcome) THEN 'declined_to_continue'
    WHEN 'no_interest' IN (contacts_made.outcome, excluded.outcome) THEN 'no_interest'
    WHEN 'refused_offer' IN (contacts_made.outcome, excluded.outcome) THEN 'refused_offer'
    WHEN 'answered' IN (contacts_made.outcome, excluded.outcome) THEN 'answered'
    ELSE excluded.outcome END,
  advertiser = CASE WHEN contacts_made.advertiser IS NOT DISTINCT FROM excluded.advertiser
    THEN contacts_made.advertiser ELSE '' END,
  sector = CASE WHEN contacts_made.sector = excluded.sector THEN contacts_made.sector ELSE NULL END`;

/**
 * Two records of one callback request that disagree: the call must fit both — the slots
 * intersect (an empty intersection fits no call), a subject on one side holds, two different
 * subjects leave '' (no call is about both). Fail closed, whatever came first.
 */
export const CALLBACK_MERGE = `slot_from = CASE WHEN callback_requests.slot_from IS NULL THEN excluded.slot_from
    WHEN excluded.slot_from IS NULL OR callback_requests.slot_from > excluded.slot_from THEN callback_requests.slot_from
    ELSE excluded.slot_from END,
  slot_to = CASE WHEN callback_requests.slot_to IS NULL THEN excluded.slot_to
    WHEN excluded.slot_to IS NULL OR callback_requests.slot_to < excluded.slot_to THEN callback_requests.slot_to
    ELSE excluded.slot_to END,
  subject = CASE WHEN callback_requests.subject IS NULL THEN excluded.subject
    WHEN excluded.subject IS NULL OR excluded.subject = callback_requests.subject THEN callback_requests.subject
    ELSE '' END`;

/**
 * Why migrations 17 and 18 refuse a log, after "event N of tenant T": inside SQL string literals
 * (a quote doubled), so that both dialects say the same.
 */
const NOT_FOLLOWING =
  "does not follow the event before it (its stored previous hash is not that event''s hash): the log was altered";
const NOT_HEX = "has an id or a hash that is not hexadecimal: the log was altered";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "evidence log and current state",
    statements: [
      `CREATE TABLE events (
        tenant TEXT NOT NULL, seq {BIGINT} NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL,
        point_key TEXT NOT NULL, controller TEXT NOT NULL, occurred_at {BIGINT} NOT NULL,
        recorded_at {BIGINT} NOT NULL, data TEXT NOT NULL, proof TEXT NOT NULL, pii_hash TEXT,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
        PRIMARY KEY (tenant, seq))`,
      "CREATE UNIQUE INDEX events_event_id ON events (tenant, event_id)",
      "CREATE INDEX events_point ON events (tenant, point_key)",
      // Personal data of an event, erasable: the chain holds only its hash.
      `CREATE TABLE event_pii (
        tenant TEXT NOT NULL, seq {BIGINT} NOT NULL, point_key TEXT NOT NULL, pii TEXT NOT NULL,
        PRIMARY KEY (tenant, seq))`,
      "CREATE INDEX event_pii_point ON event_pii (tenant, point_key)",
      `CREATE TABLE chain_head (tenant TEXT NOT NULL PRIMARY KEY, seq {BIGINT} NOT NULL, hash TEXT NOT NULL)`,
      `CREATE TABLE points (
        tenant TEXT NOT NULL, point_key TEXT NOT NULL, type TEXT NOT NULL, value TEXT,
        erased_at {BIGINT}, PRIMARY KEY (tenant, point_key))`,
      `CREATE TABLE sources (
        tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, seq {BIGINT} NOT NULL,
        kind TEXT NOT NULL, origin_type TEXT NOT NULL, collected_at {BIGINT}, sender_named {BOOL},
        opt_out_offered {BOOL}, publisher_refused {BOOL}, informed_at {BIGINT}, relationship TEXT,
        customer_since {BIGINT}, customer_until {BIGINT}, last_inbound_at {BIGINT}, department TEXT,
        time_zone TEXT, source_url TEXT,
        PRIMARY KEY (tenant, point_key, controller, seq))`,
      `CREATE TABLE consents (
        tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, channel TEXT NOT NULL,
        given_at {BIGINT} NOT NULL, method TEXT, scope TEXT NOT NULL, proof {BOOL} NOT NULL,
        withdrawn_at {BIGINT},
        PRIMARY KEY (tenant, point_key, controller, channel, given_at))`,
      `CREATE TABLE objections (
        tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, channel TEXT NOT NULL,
        at {BIGINT} NOT NULL, via TEXT,
        PRIMARY KEY (tenant, point_key, controller, channel, at))`,
      `CREATE TABLE contacts_made (
        tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, channel TEXT NOT NULL,
        at {BIGINT} NOT NULL, outcome TEXT NOT NULL,
        PRIMARY KEY (tenant, point_key, controller, channel, at))`,
      `CREATE TABLE notices (
        tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, at {BIGINT} NOT NULL,
        PRIMARY KEY (tenant, point_key, controller, at))`,
      `CREATE TABLE registry_snapshots (
        tenant TEXT NOT NULL, seq {BIGINT} NOT NULL, checked_at {BIGINT} NOT NULL, complete {BOOL} NOT NULL,
        PRIMARY KEY (tenant, seq))`,
      `CREATE TABLE registry_entries (
        tenant TEXT NOT NULL, point_key TEXT NOT NULL, snapshot_seq {BIGINT} NOT NULL,
        checked_at {BIGINT} NOT NULL, registered {BOOL} NOT NULL, registered_at {BIGINT},
        effective_at {BIGINT},
        PRIMARY KEY (tenant, point_key, snapshot_seq))`,
      "CREATE INDEX registry_entries_snapshot ON registry_entries (tenant, snapshot_seq, point_key)",
      `CREATE TABLE imports (
        tenant TEXT NOT NULL, kind TEXT NOT NULL, file_sha256 TEXT NOT NULL, imported_at {BIGINT} NOT NULL,
        summary TEXT NOT NULL, PRIMARY KEY (tenant, kind, file_sha256))`,
    ],
  },
  {
    version: 2,
    name: "store metadata",
    // Facts about the store as a whole, each written once: the fingerprint of the keyring that
    // keys its points (src/services/keyring-check.ts).
    statements: ["CREATE TABLE store_meta (name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)"],
  },
  {
    version: 3,
    name: "withdrawals kept apart, and the points of one person linked",
    statements: [
      // A withdrawal is kept as a row of its own, so that a consent that reaches the store after
      // the withdrawal ending it (imports in another order) is folded as withdrawn all the same.
      `CREATE TABLE withdrawals (
        tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, channel TEXT NOT NULL,
        at {BIGINT} NOT NULL,
        PRIMARY KEY (tenant, point_key, controller, channel, at))`,
      `INSERT INTO withdrawals (tenant, point_key, controller, channel, at)
        SELECT DISTINCT tenant, point_key, controller, {DATA_CHANNEL}, occurred_at FROM events
        WHERE type = 'consent.withdrawn'`,
      // Withdrawals recorded before their consent were lost from the state until now.
      `UPDATE consents SET withdrawn_at = (SELECT MIN(w.at) FROM withdrawals w
          WHERE w.tenant = consents.tenant AND w.point_key = consents.point_key
            AND w.controller = consents.controller AND w.channel = consents.channel
            AND w.at >= consents.given_at)
        WHERE withdrawn_at IS NULL`,
      // Points recorded together (a phone and an e-mail on one form) are one person: each link is
      // kept in both directions, so a point's links are read through its own key.
      `CREATE TABLE subject_links (
        tenant TEXT NOT NULL, point_key TEXT NOT NULL, other_key TEXT NOT NULL,
        PRIMARY KEY (tenant, point_key, other_key))`,
    ],
  },
  {
    version: 4,
    name: "the log's Merkle tree",
    statements: [
      // The frontier of the tree over the head's events (src/log/merkle.ts). NULL on a log written
      // before: it is verified, then sealed by its first tree (src/services/seal.ts).
      "ALTER TABLE chain_head ADD COLUMN tree {BYTES}",
      // Interior nodes of every fourth level: proofs rebuild the others from them and the leaves.
      `CREATE TABLE merkle_nodes (
        tenant TEXT NOT NULL, level INTEGER NOT NULL, idx {BIGINT} NOT NULL, hash {BYTES} NOT NULL,
        PRIMARY KEY (tenant, level, idx)){WITHOUT_ROWID}`,
    ],
  },
  {
    version: 5,
    name: "who collected each consent",
    // Consents recorded before hold NULL: not recorded, as their events say (docs/readings.md).
    statements: [
      "ALTER TABLE consents ADD COLUMN collected_by TEXT",
      "ALTER TABLE consents ADD COLUMN named_how TEXT",
    ],
  },
  {
    version: 6,
    name: "calls made for an advertiser, in a sector; when and how data were obtained",
    // Rows recorded before hold NULL: not recorded, as their events say (docs/contract.md).
    statements: [
      "ALTER TABLE contacts_made ADD COLUMN advertiser TEXT",
      "ALTER TABLE contacts_made ADD COLUMN sector TEXT",
      "ALTER TABLE sources ADD COLUMN obtained_at {BIGINT}",
      "ALTER TABLE sources ADD COLUMN transfers INTEGER",
      "ALTER TABLE sources ADD COLUMN free_account_of_paid_model {BOOL}",
    ],
  },
  {
    version: 7,
    name: "callbacks the persons asked for",
    statements: [
      `CREATE TABLE callback_requests (
        tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, at {BIGINT} NOT NULL,
        slot_from {BIGINT}, slot_to {BIGINT}, subject TEXT,
        PRIMARY KEY (tenant, point_key, controller, at))`,
    ],
  },
  {
    version: 8,
    name: "state tables without rowid (SQLite)",
    sqliteOnly: true,
    statements: [
      ...withoutRowid(
        "points",
        "tenant TEXT NOT NULL, point_key TEXT NOT NULL, type TEXT NOT NULL, value TEXT, erased_at INTEGER",
        "tenant, point_key",
      ),
      ...withoutRowid(
        "consents",
        `tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, channel TEXT NOT NULL,
         given_at INTEGER NOT NULL, method TEXT, scope TEXT NOT NULL, proof INTEGER NOT NULL,
         withdrawn_at INTEGER, collected_by TEXT, named_how TEXT`,
        "tenant, point_key, controller, channel, given_at",
      ),
      ...withoutRowid(
        "withdrawals",
        "tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, channel TEXT NOT NULL, at INTEGER NOT NULL",
        "tenant, point_key, controller, channel, at",
      ),
      ...withoutRowid(
        "objections",
        `tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, channel TEXT NOT NULL,
         at INTEGER NOT NULL, via TEXT`,
        "tenant, point_key, controller, channel, at",
      ),
      ...withoutRowid(
        "contacts_made",
        `tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, channel TEXT NOT NULL,
         at INTEGER NOT NULL, outcome TEXT NOT NULL, advertiser TEXT, sector TEXT`,
        "tenant, point_key, controller, channel, at",
      ),
      ...withoutRowid(
        "notices",
        "tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, at INTEGER NOT NULL",
        "tenant, point_key, controller, at",
      ),
      ...withoutRowid(
        "callback_requests",
        `tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, at INTEGER NOT NULL,
         slot_from INTEGER, slot_to INTEGER, subject TEXT`,
        "tenant, point_key, controller, at",
      ),
      ...withoutRowid(
        "subject_links",
        "tenant TEXT NOT NULL, point_key TEXT NOT NULL, other_key TEXT NOT NULL",
        "tenant, point_key, other_key",
      ),
    ],
  },
  {
    version: 9,
    name: "webhook subscriptions and their progress",
    statements: [
      // Each subscription reads the log itself as its queue: an event committed is an event to
      // deliver (delivered_seq: the last one handled), so nothing recorded can be missed.
      `CREATE TABLE webhooks (
        tenant TEXT NOT NULL, id TEXT NOT NULL, url TEXT NOT NULL, events TEXT NOT NULL,
        personal_data {BOOL} NOT NULL, secret TEXT NOT NULL, created_at {BIGINT} NOT NULL,
        delivered_seq {BIGINT} NOT NULL, attempts INTEGER NOT NULL, next_attempt_at {BIGINT},
        last_error TEXT,
        PRIMARY KEY (tenant, id))`,
      // Events given up on after the last retry, until replayed.
      `CREATE TABLE webhook_dead_letters (
        tenant TEXT NOT NULL, webhook_id TEXT NOT NULL, seq {BIGINT} NOT NULL,
        failed_at {BIGINT} NOT NULL, attempts INTEGER NOT NULL, error TEXT NOT NULL,
        PRIMARY KEY (tenant, webhook_id, seq))`,
    ],
  },
  {
    version: 10,
    name: "stored campaigns",
    // In the store, not in a file beside it: every server process of one database sees a campaign
    // stored through any of them. A campaign never changes once stored.
    statements: [
      `CREATE TABLE campaigns (
        tenant TEXT NOT NULL, id TEXT NOT NULL, created_at TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant, id))`,
    ],
  },
  {
    version: 11,
    name: "pending double opt-ins and dashboard sessions",
    // In the store, not in a file or a process's memory: a link or code sent by one server process
    // is confirmed on any other, a signed-in user stays signed in whichever process answers
    // (src/store/shared-sql.ts). Requests and sessions are found by the SHA-256 of their secret,
    // never the secret itself; an erasure deletes the point's pending requests with its data.
    statements: [
      `CREATE TABLE pending_consents (
        tenant TEXT NOT NULL, id_sha256 TEXT NOT NULL, channel TEXT NOT NULL, point_key TEXT NOT NULL,
        point TEXT NOT NULL, request TEXT NOT NULL, created_at {BIGINT} NOT NULL,
        expires_at {BIGINT} NOT NULL, code_sha256 TEXT,
        PRIMARY KEY (tenant, id_sha256))`,
      "CREATE INDEX pending_consents_point ON pending_consents (tenant, point_key)",
      `CREATE TABLE dashboard_sessions (
        tenant TEXT NOT NULL, token_sha256 TEXT NOT NULL, user_name TEXT NOT NULL,
        user_created_at TEXT NOT NULL, csrf TEXT NOT NULL, expires_at {BIGINT} NOT NULL,
        PRIMARY KEY (tenant, token_sha256))`,
    ],
  },
  {
    version: 12,
    name: "the server processes of a store",
    // Each `vigie serve` says it is alive every few seconds; each applies 1/N of an API key's rate,
    // N the processes alive, so that the limit holds across processes (src/services/process-share.ts).
    statements: [
      `CREATE TABLE server_processes (
        tenant TEXT NOT NULL, id TEXT NOT NULL, seen_at {BIGINT} NOT NULL,
        PRIMARY KEY (tenant, id))`,
    ],
  },
  {
    version: 13,
    name: "API keys",
    // In the store, not in a file beside it: a key created or revoked through any process or
    // machine counts for every server of the store. Only each key's SHA-256 is kept, in its record
    // (the JSON of src/api/auth.ts's ApiKey), as in the key files of earlier versions.
    statements: [
      `CREATE TABLE api_keys (
        tenant TEXT NOT NULL, id TEXT NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL,
        record TEXT NOT NULL, PRIMARY KEY (tenant, id))`,
      "CREATE UNIQUE INDEX api_keys_sha256 ON api_keys (tenant, sha256)",
    ],
  },
  {
    version: 14,
    name: "wrong double opt-in codes",
    // Counted in the store, by point key, so that N server processes give a guesser no more tries
    // than one (src/api/opt-in-limits.ts).
    statements: [
      `CREATE TABLE opt_in_wrong_codes (
        tenant TEXT NOT NULL, point_key TEXT NOT NULL, count INTEGER NOT NULL, last_at {BIGINT} NOT NULL,
        locked_until {BIGINT} NOT NULL, PRIMARY KEY (tenant, point_key))`,
    ],
  },
  {
    version: 15,
    name: "dashboard users",
    // In the store, so that every server process knows a user added or removed anywhere; each
    // record is the JSON of src/dashboard/users.ts's User (a scrypt hash, never the password).
    statements: [
      `CREATE TABLE dashboard_users (
        tenant TEXT NOT NULL, name TEXT NOT NULL, created_at TEXT NOT NULL, record TEXT NOT NULL,
        PRIMARY KEY (tenant, name))`,
    ],
  },
  {
    version: 16,
    name: "rate limits shared by the server processes",
    // Token buckets and sign-in failures in the store, so that N server processes let through no
    // more double opt-in requests, sign-in attempts or failed passwords than one
    // (src/services/shared-buckets.ts, src/dashboard/sign-in-gate.ts). Tokens are counted in
    // millionths, rates in millionths of a token a second: integers, the same in both dialects.
    statements: [
      `CREATE TABLE rate_buckets (
        tenant TEXT NOT NULL, scope TEXT NOT NULL, subject TEXT NOT NULL, tokens {BIGINT} NOT NULL,
        at {BIGINT} NOT NULL, rate {BIGINT} NOT NULL, burst {BIGINT} NOT NULL, taken INTEGER NOT NULL,
        PRIMARY KEY (tenant, scope, subject))`,
      `CREATE TABLE sign_in_failures (
        tenant TEXT NOT NULL, name TEXT NOT NULL, address TEXT NOT NULL, failures INTEGER NOT NULL,
        last_at {BIGINT} NOT NULL, locked_until {BIGINT} NOT NULL, PRIMARY KEY (tenant, name, address))`,
    ],
  },
  {
    version: 17,
    name: "compact event rows (SQLite)",
    sqliteOnly: true,
    vacuum: true,
    // rows.ts EventRow says what the row holds. The stored previous hash goes: the migration
    // first refuses a log where an event's differs from the hash of the event before it (audit
    // verify names it), so that nothing the audit would have caught is lost with the column.
    // vigie_sha256 and vigie_refuse are the SQLite adapter's own functions.
    statements: [
      `SELECT vigie_refuse('event ' || e.seq || ' of tenant "' || e.tenant || '" ${NOT_FOLLOWING}')
        FROM events e LEFT JOIN events pe ON pe.tenant = e.tenant AND pe.seq = e.seq - 1
        WHERE e.prev_hash <> coalesce(pe.hash, '${"0".repeat(64)}') LIMIT 1`,
      `SELECT vigie_refuse('event ' || seq || ' of tenant "' || tenant || '" ${NOT_HEX}')
        FROM events WHERE unhex(event_id) IS NULL OR unhex(hash) IS NULL
          OR (pii_hash IS NOT NULL AND unhex(pii_hash) IS NULL) LIMIT 1`,
      "CREATE TABLE event_texts (id INTEGER PRIMARY KEY, sha256 BLOB NOT NULL, text TEXT NOT NULL)",
      "CREATE UNIQUE INDEX event_texts_sha256 ON event_texts (sha256)",
      `INSERT INTO event_texts (sha256, text)
        SELECT vigie_sha256(text), text FROM (SELECT data AS text FROM events UNION SELECT proof FROM events)`,
      `CREATE TABLE events_v17 (
        tenant TEXT NOT NULL, seq INTEGER NOT NULL, event_id BLOB NOT NULL, type TEXT NOT NULL,
        point_key TEXT NOT NULL, controller TEXT NOT NULL, occurred_at INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL, data INTEGER NOT NULL, proof INTEGER NOT NULL, pii_hash BLOB,
        hash BLOB NOT NULL,
        PRIMARY KEY (tenant, seq)) WITHOUT ROWID`,
      `INSERT INTO events_v17 (tenant, seq, event_id, type, point_key, controller, occurred_at, recorded_at,
          data, proof, pii_hash, hash)
        SELECT e.tenant, e.seq, unhex(e.event_id), e.type, e.point_key, e.controller, e.occurred_at,
          e.recorded_at, d.id, p.id, unhex(e.pii_hash), unhex(e.hash)
        FROM events e JOIN event_texts d ON d.sha256 = vigie_sha256(e.data)
        JOIN event_texts p ON p.sha256 = vigie_sha256(e.proof)`,
      "DROP TABLE events",
      "ALTER TABLE events_v17 RENAME TO events",
      "CREATE UNIQUE INDEX events_event_id ON events (tenant, event_id)",
      "CREATE INDEX events_point ON events (tenant, point_key)",
    ],
  },
  {
    version: 18,
    name: "compact event rows (PostgreSQL)",
    postgresOnly: true,
    // rows.ts EventRow and postgres/event-rows.ts say what the row holds. As in migration 17, a
    // log whose stored previous hashes or hexadecimal ids and hashes the new row could not carry
    // is refused (SQLSTATE VG017, postgres/migrations.ts), the store left as it was.
    statements: [
      `DO $$ DECLARE bad record; BEGIN
        SELECT e.tenant, e.seq INTO bad FROM events e
          LEFT JOIN events pe ON pe.tenant = e.tenant AND pe.seq = e.seq - 1
          WHERE e.prev_hash <> coalesce(pe.hash, '${"0".repeat(64)}') LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'event % of tenant "%" ${NOT_FOLLOWING}', bad.seq, bad.tenant
            USING ERRCODE = 'VG017';
        END IF;
        SELECT tenant, seq INTO bad FROM events WHERE event_id !~ '^[0-9a-f]{64}$'
          OR hash !~ '^[0-9a-f]{64}$' OR pii_hash !~ '^[0-9a-f]{64}$' LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'event % of tenant "%" ${NOT_HEX}', bad.seq, bad.tenant
            USING ERRCODE = 'VG017';
        END IF;
      END $$`,
      `CREATE TABLE event_texts (
        tenant TEXT NOT NULL, sha256 {BYTES} NOT NULL, text TEXT NOT NULL, PRIMARY KEY (tenant, sha256))`,
      `INSERT INTO event_texts (tenant, sha256, text)
        SELECT DISTINCT tenant, sha256(convert_to(text, 'UTF8')), text
        FROM (SELECT tenant, data AS text FROM events UNION SELECT tenant, proof FROM events) t`,
      `ALTER TABLE events
        ALTER COLUMN event_id TYPE {BYTES} USING decode(event_id, 'hex'),
        ALTER COLUMN data TYPE {BYTES} USING sha256(convert_to(data, 'UTF8')),
        ALTER COLUMN proof TYPE {BYTES} USING sha256(convert_to(proof, 'UTF8')),
        ALTER COLUMN pii_hash TYPE {BYTES} USING decode(pii_hash, 'hex'),
        ALTER COLUMN hash TYPE {BYTES} USING decode(hash, 'hex'),
        DROP COLUMN prev_hash`,
    ],
  },
  {
    version: 19,
    name: "sources and Bloctel entries without rowid (SQLite)",
    sqliteOnly: true,
    vacuum: true,
    // Left as rowid tables by migration 8. A source or a registry entry read by its point then
    // cost two seeks (the key's index, then the row); now one: a batch check's read of a source
    // 6.1 → 4.6 µs, and each row about 40 % fewer bytes (bench/api.ts's store of 1 M points).
    statements: [
      ...withoutRowid(
        "sources",
        `tenant TEXT NOT NULL, point_key TEXT NOT NULL, controller TEXT NOT NULL, seq INTEGER NOT NULL,
         kind TEXT NOT NULL, origin_type TEXT NOT NULL, collected_at INTEGER, sender_named INTEGER,
         opt_out_offered INTEGER, publisher_refused INTEGER, informed_at INTEGER, relationship TEXT,
         customer_since INTEGER, customer_until INTEGER, last_inbound_at INTEGER, department TEXT,
         time_zone TEXT, source_url TEXT, obtained_at INTEGER, transfers INTEGER,
         free_account_of_paid_model INTEGER`,
        "tenant, point_key, controller, seq",
      ),
      ...withoutRowid(
        "registry_entries",
        `tenant TEXT NOT NULL, point_key TEXT NOT NULL, snapshot_seq INTEGER NOT NULL,
         checked_at INTEGER NOT NULL, registered INTEGER NOT NULL, registered_at INTEGER,
         effective_at INTEGER`,
        "tenant, point_key, snapshot_seq",
      ),
      // Dropped with its table.
      "CREATE INDEX registry_entries_snapshot ON registry_entries (tenant, snapshot_seq, point_key)",
    ],
  },
  {
    version: 20,
    name: "two records of one consent that disagree keep an invalid method (SQLite)",
    sqliteOnly: true,
    // CONSENT_MERGE used to leave the method unknown (and so valid) when two records of one consent
    // disagreed, a pre-ticked box or an acceptance of terms against another method. A consent
    // whose method is unknown takes the weakest its events name; the others are as the new merge
    // makes them already (the audit rebuilds the state with it).
    statements: [
      `UPDATE consents SET method = (
         SELECT CASE WHEN max(m = 'terms_acceptance') = 1 THEN 'terms_acceptance' ELSE 'pre_ticked_checkbox' END
         FROM (SELECT json_extract(t.text, '$.consent.method') AS m FROM events e JOIN event_texts t ON t.id = e.data
           WHERE e.tenant = consents.tenant AND e.point_key = consents.point_key AND e.type = 'consent.given'
             AND e.controller = consents.controller AND e.occurred_at = consents.given_at
             AND json_extract(t.text, '$.consent.channel') = consents.channel)
         WHERE m IN ('terms_acceptance', 'pre_ticked_checkbox'))
       WHERE method IS NULL AND EXISTS (
         SELECT 1 FROM events e JOIN event_texts t ON t.id = e.data
         WHERE e.tenant = consents.tenant AND e.point_key = consents.point_key AND e.type = 'consent.given'
           AND e.controller = consents.controller AND e.occurred_at = consents.given_at
           AND json_extract(t.text, '$.consent.channel') = consents.channel
           AND json_extract(t.text, '$.consent.method') IN ('terms_acceptance', 'pre_ticked_checkbox'))`,
    ],
  },
  {
    version: 21,
    name: "two records of one consent that disagree keep an invalid method (PostgreSQL)",
    postgresOnly: true,
    // As migration 20, in PostgreSQL's words (events hold the SHA-256 of their data text).
    statements: [
      `UPDATE consents c SET method = w.m
       FROM (SELECT e.tenant, e.point_key, e.controller, e.occurred_at,
           t.text::jsonb #>> '{consent,channel}' AS channel,
           CASE WHEN bool_or(t.text::jsonb #>> '{consent,method}' = 'terms_acceptance')
             THEN 'terms_acceptance' ELSE 'pre_ticked_checkbox' END AS m
         FROM events e JOIN event_texts t ON t.tenant = e.tenant AND t.sha256 = e.data
         WHERE e.type = 'consent.given'
           AND t.text::jsonb #>> '{consent,method}' IN ('terms_acceptance', 'pre_ticked_checkbox')
         GROUP BY 1, 2, 3, 4, 5) w
       WHERE c.method IS NULL AND c.tenant = w.tenant AND c.point_key = w.point_key
         AND c.controller = w.controller AND c.given_at = w.occurred_at AND c.channel = w.channel`,
    ],
  },
  {
    version: 22,
    name: "two records of one call that disagree on the advertiser leave it unknown to all (SQLite)",
    sqliteOnly: true,
    // CONTACT_MERGE used to store NULL — "for the caller itself" — when two records of one call
    // disagreed on the advertiser: an objection heard on it then bound no advertiser. Such a call
    // (its events naming more than one advertiser, none counting as one) now holds ''.
    statements: [
      `UPDATE contacts_made SET advertiser = '' WHERE advertiser IS NULL AND (
         SELECT count(DISTINCT coalesce(json_extract(t.text, '$.advertiser'), char(1)))
         FROM events e JOIN event_texts t ON t.id = e.data
         WHERE e.tenant = contacts_made.tenant AND e.point_key = contacts_made.point_key
           AND e.type = 'contact.made' AND e.controller = contacts_made.controller
           AND e.occurred_at = contacts_made.at AND json_extract(t.text, '$.channel') = contacts_made.channel) > 1`,
    ],
  },
  {
    version: 23,
    name: "two records of one call that disagree on the advertiser leave it unknown to all (PostgreSQL)",
    postgresOnly: true,
    // As migration 22, in PostgreSQL's words.
    statements: [
      `UPDATE contacts_made c SET advertiser = ''
       FROM (SELECT e.tenant, e.point_key, e.controller, e.occurred_at, t.text::jsonb ->> 'channel' AS channel
         FROM events e JOIN event_texts t ON t.tenant = e.tenant AND t.sha256 = e.data
         WHERE e.type = 'contact.made'
         GROUP BY 1, 2, 3, 4, 5
         HAVING count(DISTINCT coalesce(t.text::jsonb ->> 'advertiser', chr(1))) > 1) w
       WHERE c.advertiser IS NULL AND c.tenant = w.tenant AND c.point_key = w.point_key
         AND c.controller = w.controller AND c.at = w.occurred_at AND c.channel = w.channel`,
    ],
  },
  {
    version: 24,
    name: "one index of a point's events, which finds an event by its id",
    // An event was indexed twice: by its id (to tell a duplicate) and by its point (a person's
    // events). Its id covers its point key (events.ts eventIdOf), so one unique index on (point
    // key, event id) does both: a batch looks its events up by both, a point's events are its
    // prefix. One random B-tree fewer written per event (bench/layouts.ts), and its bytes.
    statements: [
      "DROP INDEX events_event_id",
      "DROP INDEX events_point",
      "CREATE UNIQUE INDEX events_point ON events (tenant, point_key, event_id)",
    ],
  },
];

/**
 * Refuses a store a later version of vigie has migrated: its evidence may sit in tables or
 * columns this version does not read (a new kind of objection), and deciding without it would
 * allow what the store forbids. `applied`: the versions the store records.
 */
export function refuseNewerSchema(applied: Iterable<number>): void {
  const known = new Set(MIGRATIONS.map((m) => m.version));
  const unknown = [...applied].filter((v) => !known.has(v)).sort((a, b) => a - b);
  if (unknown.length === 0) return;
  const newest = Math.max(...known);
  throw new StoreNewerError(
    `this store was migrated by a later version of vigie (schema ${unknown.join(", ")}; this version knows up to ${newest}) and may hold evidence this version cannot read: open it with that version or a later one`,
  );
}
