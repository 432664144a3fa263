// What the server processes of one store share besides evidence, campaigns and webhooks (schema.ts,
// versions 11 to 16): pending double opt-ins and their wrong codes, dashboard users and sessions,
// which processes are alive, API keys, and the rate limits that must hold across processes. Statements both adapters run as
// written through `Store.shared`, each with its own placeholders (`?` or `$n`); rows come back as
// the driver gives them (PostgreSQL's BIGINT as text: callers read instants with Number()).

/** Columns of a pending request, as the statements that read one return them. */
const PENDING = "id_sha256, channel, point_key, point, request, created_at, expires_at, code_sha256";

/** A token, in the millionths rate_buckets counts (schema 16). */
export const TOKEN = 1_000_000;

/**
 * A bucket's tokens refilled up to now, as SQL over the stored row and the one being inserted
 * (`excluded`): the time since it was last touched (never negative, whatever the clocks of two
 * processes say, and at most a day, which refills any bucket and keeps the product in 64 bits)
 * times the rate, capped at the burst.
 */
const REFILLED = (() => {
  const elapsed = `CASE WHEN excluded.at <= rate_buckets.at THEN 0
    WHEN excluded.at - rate_buckets.at > 86400000 THEN 86400000 ELSE excluded.at - rate_buckets.at END`;
  const grown = `rate_buckets.tokens + (${elapsed}) * excluded.rate / 1000`;
  return `(CASE WHEN ${grown} > excluded.burst THEN excluded.burst ELSE ${grown} END)`;
})();

/** The statements, with `p(i)` the i-th placeholder (1-based). */
export function sharedSql(p: (i: number) => string) {
  return {
    pendingAdd: `INSERT INTO pending_consents (tenant, id_sha256, channel, point_key, point, request, created_at, expires_at, code_sha256)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)})`,
    /** Expired requests: nothing can confirm them any more. */
    pendingSweep: `DELETE FROM pending_consents WHERE tenant = ${p(1)} AND expires_at <= ${p(2)}`,
    pendingLink: `SELECT ${PENDING} FROM pending_consents
      WHERE tenant = ${p(1)} AND id_sha256 = ${p(2)} AND channel = 'email' AND expires_at > ${p(3)}`,
    /** Removes a request and says whether it was there: of two confirmations, one gets it. */
    pendingTake: `DELETE FROM pending_consents WHERE tenant = ${p(1)} AND id_sha256 = ${p(2)} AND expires_at > ${p(3)}
      RETURNING ${PENDING}`,
    pendingCode: `SELECT ${PENDING} FROM pending_consents
      WHERE tenant = ${p(1)} AND point_key = ${p(2)} AND channel = 'sms' AND expires_at > ${p(3)}`,
    /** A new code for a number replaces the one pending. */
    pendingDropCodes: `DELETE FROM pending_consents WHERE tenant = ${p(1)} AND point_key = ${p(2)} AND channel = 'sms'`,
    pendingRemove: `DELETE FROM pending_consents WHERE tenant = ${p(1)} AND id_sha256 = ${p(2)}`,
    sessionOpen: `INSERT INTO dashboard_sessions (tenant, token_sha256, user_name, user_created_at, csrf, expires_at)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)})`,
    sessionGet: `SELECT user_name, user_created_at, csrf, expires_at FROM dashboard_sessions
      WHERE tenant = ${p(1)} AND token_sha256 = ${p(2)} AND expires_at > ${p(3)}`,
    sessionTouch: `UPDATE dashboard_sessions SET expires_at = ${p(1)} WHERE tenant = ${p(2)} AND token_sha256 = ${p(3)}`,
    sessionClose: `DELETE FROM dashboard_sessions WHERE tenant = ${p(1)} AND token_sha256 = ${p(2)}`,
    sessionSweep: `DELETE FROM dashboard_sessions WHERE tenant = ${p(1)} AND expires_at <= ${p(2)}`,
    processSeen: `INSERT INTO server_processes (tenant, id, seen_at) VALUES (${p(1)}, ${p(2)}, ${p(3)})
      ON CONFLICT (tenant, id) DO UPDATE SET seen_at = excluded.seen_at`,
    processesAlive: `SELECT count(*) AS n FROM server_processes WHERE tenant = ${p(1)} AND seen_at > ${p(2)}`,
    /** Processes long silent (killed, not stopped): forgotten. */
    processSweep: `DELETE FROM server_processes WHERE tenant = ${p(1)} AND seen_at <= ${p(2)}`,
    processGone: `DELETE FROM server_processes WHERE tenant = ${p(1)} AND id = ${p(2)}`,
    /** A key read again from an earlier version's file changes nothing. */
    keyAdd: `INSERT INTO api_keys (tenant, id, sha256, created_at, record) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})
      ON CONFLICT (tenant, id) DO NOTHING`,
    keysAll: `SELECT record FROM api_keys WHERE tenant = ${p(1)} ORDER BY created_at, id`,
    keyUpdate: `UPDATE api_keys SET record = ${p(1)} WHERE tenant = ${p(2)} AND id = ${p(3)}`,
    /**
     * Counts a wrong code, in one statement whichever process takes it: a count starts again after
     * a lock, or when the point had no wrong code for a lock's length (`p(4)`).
     */
    wrongCode: `INSERT INTO opt_in_wrong_codes (tenant, point_key, count, last_at, locked_until)
      VALUES (${p(1)}, ${p(2)}, 1, ${p(3)}, 0)
      ON CONFLICT (tenant, point_key) DO UPDATE SET
        count = CASE WHEN opt_in_wrong_codes.locked_until > 0 OR excluded.last_at - opt_in_wrong_codes.last_at > ${p(4)}
          THEN 1 ELSE opt_in_wrong_codes.count + 1 END,
        locked_until = 0, last_at = excluded.last_at
      RETURNING count`,
    wrongCodeLock: `UPDATE opt_in_wrong_codes SET locked_until = ${p(1)} WHERE tenant = ${p(2)} AND point_key = ${p(3)}`,
    wrongCodeLocked: `SELECT locked_until FROM opt_in_wrong_codes WHERE tenant = ${p(1)} AND point_key = ${p(2)}`,
    wrongCodesForget: `DELETE FROM opt_in_wrong_codes WHERE tenant = ${p(1)} AND point_key = ${p(2)}`,
    /**
     * Takes a token from a bucket if it holds one, in one statement whichever process asks: the
     * row says how many are left and whether one was taken. A new bucket starts full, less the
     * token taken (`p(4)`, computed by the caller).
     */
    bucketTake: `INSERT INTO rate_buckets (tenant, scope, subject, tokens, at, rate, burst, taken)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, 1)
      ON CONFLICT (tenant, scope, subject) DO UPDATE SET
        tokens = CASE WHEN ${REFILLED} >= ${TOKEN} THEN ${REFILLED} - ${TOKEN} ELSE ${REFILLED} END,
        taken = CASE WHEN ${REFILLED} >= ${TOKEN} THEN 1 ELSE 0 END,
        at = CASE WHEN excluded.at > rate_buckets.at THEN excluded.at ELSE rate_buckets.at END,
        rate = excluded.rate, burst = excluded.burst
      RETURNING tokens, taken`,
    bucketPeek: `SELECT tokens, at FROM rate_buckets WHERE tenant = ${p(1)} AND scope = ${p(2)} AND subject = ${p(3)}`,
    /** Buckets untouched since before `p(3)`: full again, so forgotten. */
    bucketSweep: `DELETE FROM rate_buckets WHERE tenant = ${p(1)} AND scope = ${p(2)} AND at < ${p(3)}`,
    /**
     * Counts a failed sign-in of a name from an address: the count starts again once the longest
     * lock has passed again since the last failure (`p(5)`).
     */
    signInFailed: `INSERT INTO sign_in_failures (tenant, name, address, failures, last_at, locked_until)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, 1, ${p(4)}, 0)
      ON CONFLICT (tenant, name, address) DO UPDATE SET
        failures = CASE WHEN excluded.last_at - sign_in_failures.locked_until > ${p(5)} THEN 1
          ELSE sign_in_failures.failures + 1 END,
        last_at = excluded.last_at
      RETURNING failures`,
    signInLock: `UPDATE sign_in_failures SET locked_until = ${p(1)} WHERE tenant = ${p(2)} AND name = ${p(3)} AND address = ${p(4)}`,
    signInPair: `SELECT failures, locked_until FROM sign_in_failures WHERE tenant = ${p(1)} AND name = ${p(2)} AND address = ${p(3)}`,
    signInForget: `DELETE FROM sign_in_failures WHERE tenant = ${p(1)} AND name = ${p(2)} AND address = ${p(3)}`,
    /** Failures whose lock has been over for longer than the longest lock: forgotten. */
    signInSweep: `DELETE FROM sign_in_failures WHERE tenant = ${p(1)} AND locked_until < ${p(2)}`,
    /** Returns the name when added: none when a user of that name exists. */
    userAdd: `INSERT INTO dashboard_users (tenant, name, created_at, record) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})
      ON CONFLICT (tenant, name) DO NOTHING RETURNING name`,
    userGet: `SELECT record FROM dashboard_users WHERE tenant = ${p(1)} AND name = ${p(2)}`,
    usersAll: `SELECT record FROM dashboard_users WHERE tenant = ${p(1)} ORDER BY created_at, name`,
    userRemove: `DELETE FROM dashboard_users WHERE tenant = ${p(1)} AND name = ${p(2)} RETURNING name`,
  };
}

export type SharedStatement = keyof ReturnType<typeof sharedSql>;

/**
 * Writes whose loss in a crash is harmless: a process's liveness, said again every two seconds
 * (process-share.ts). SQLite commits them without waiting for the disk — an fsync on the thread
 * that answers requests held every check behind it for milliseconds (bench/api.ts, paced p99);
 * the next durable commit carries them to the disk. Everything else stays durable.
 */
export const UNDURABLE: ReadonlySet<SharedStatement> = new Set([
  "processSeen",
  "processSweep",
  "processGone",
]);
export type SharedValue = string | number | null;
export type SharedRow = Readonly<Record<string, unknown>>;
