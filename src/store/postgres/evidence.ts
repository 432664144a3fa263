// The evidence reads: everything held about a point, in one statement.
import type pg from "pg";
import { type EvidenceRows, evidenceFromRows } from "../rows.ts";
import { type Evidence, PERSON_HOPS } from "../store.ts";
import { run } from "./pool.ts";

const EVIDENCE_SQL = `
  WITH RECURSIVE k AS (SELECT key, ord FROM unnest($2::text[]) WITH ORDINALITY AS k(key, ord)),
  -- The other points of the person, up to ${PERSON_HOPS} links away (both directions are stored).
  reach(key, hops) AS (
    SELECT key COLLATE "C", 0 FROM k
    UNION
    SELECT l.other_key COLLATE "C", r.hops + 1 FROM reach r
      JOIN subject_links l ON l.tenant = $1 AND l.point_key = r.key
    WHERE r.hops < ${PERSON_HOPS}),
  linked AS (SELECT DISTINCT key FROM reach WHERE NOT key = ANY($2::text[]))
  SELECT
    (SELECT json_agg(json_build_object('type', p.type, 'value', p.value, 'erased_at', p.erased_at) ORDER BY k.ord)
       FROM k JOIN points p ON p.tenant = $1 AND p.point_key = k.key) AS points,
    (SELECT json_agg(s ORDER BY k.ord, s.seq)
       FROM k JOIN sources s ON s.tenant = $1 AND s.point_key = k.key) AS sources,
    (SELECT json_agg(c ORDER BY k.ord, c.given_at, c.controller, c.channel)
       FROM k JOIN consents c ON c.tenant = $1 AND c.point_key = k.key) AS consents,
    (SELECT json_agg(o ORDER BY k.ord, o.at, o.controller, o.channel)
       FROM k JOIN objections o ON o.tenant = $1 AND o.point_key = k.key) AS objections,
    (SELECT json_agg(m ORDER BY k.ord, m.at, m.controller, m.channel)
       FROM k JOIN contacts_made m ON m.tenant = $1 AND m.point_key = k.key) AS contacts,
    (SELECT json_agg(n ORDER BY k.ord, n.at, n.controller)
       FROM k JOIN notices n ON n.tenant = $1 AND n.point_key = k.key) AS notices,
    (SELECT json_agg(b ORDER BY k.ord, b.at, b.controller)
       FROM k JOIN callback_requests b ON b.tenant = $1 AND b.point_key = k.key) AS callbacks,
    (SELECT json_agg(json_build_object('checked_at', e.checked_at, 'registered', e.registered,
                     'registered_at', e.registered_at, 'effective_at', e.effective_at) ORDER BY k.ord, e.snapshot_seq)
       FROM k JOIN registry_entries e ON e.tenant = $1 AND e.point_key = k.key) AS registry,
    -- A complete snapshot that does not list the number says it was clean that day.
    (SELECT json_agg(s.checked_at ORDER BY s.checked_at, s.seq) FROM registry_snapshots s
       WHERE s.tenant = $1 AND s.complete AND NOT EXISTS (
         SELECT 1 FROM registry_entries e
         WHERE e.tenant = s.tenant AND e.snapshot_seq = s.seq AND e.point_key = ANY($2::text[]))) AS clean,
    (SELECT json_agg(key ORDER BY key) FROM linked) AS person_keys,
    (SELECT json_agg(json_build_object('type', p.type, 'value', NULL, 'erased_at', p.erased_at))
       FROM linked JOIN points p ON p.tenant = $1 AND p.point_key = linked.key) AS person_points,
    (SELECT json_agg(o ORDER BY o.at, o.controller, o.channel)
       FROM linked JOIN objections o ON o.tenant = $1 AND o.point_key = linked.key) AS person_objections,
    (SELECT json_agg(m ORDER BY m.at, m.controller, m.channel)
       FROM linked JOIN contacts_made m ON m.tenant = $1 AND m.point_key = linked.key) AS person_contacts`;

const PERSON_KEYS_SQL = `
  WITH RECURSIVE reach(key, hops) AS (
    SELECT key COLLATE "C", 0 FROM unnest($2::text[]) AS k(key)
    UNION
    SELECT l.other_key COLLATE "C", r.hops + 1 FROM reach r
      JOIN subject_links l ON l.tenant = $1 AND l.point_key = r.key
    WHERE r.hops < ${PERSON_HOPS})
  SELECT DISTINCT key FROM reach WHERE NOT key = ANY($2::text[]) ORDER BY key`;

/** The other points of the person these keys belong to (Store.personKeys). */
export async function personKeys(pool: pg.Pool, tenant: string, keys: readonly string[]): Promise<string[]> {
  const r = await run(pool, "person_keys", PERSON_KEYS_SQL, [tenant, [...new Set(keys)]]);
  return (r.rows as { key: string }[]).map((row) => row.key);
}

export async function evidence(pool: pg.Pool, tenant: string, keys: readonly string[]): Promise<Evidence> {
  // One statement: one snapshot of the point, whatever is being appended meanwhile.
  // A key given twice is one key.
  const unique = [...new Set(keys)];
  const r = await run(pool, "evidence", EVIDENCE_SQL, [tenant, unique]);
  const row = r.rows[0] as { [K in keyof EvidenceRows]: EvidenceRows[K] | null } & {
    clean: number[] | null;
    person_keys: string[] | null;
    person_points: EvidenceRows["points"] | null;
    person_objections: EvidenceRows["objections"] | null;
    person_contacts: EvidenceRows["contacts"] | null;
  };
  const rows: EvidenceRows = {
    points: row.points ?? [],
    sources: row.sources ?? [],
    consents: row.consents ?? [],
    objections: row.objections ?? [],
    contacts: row.contacts ?? [],
    notices: row.notices ?? [],
    callbacks: row.callbacks ?? [],
    registry: row.registry ?? [],
  };
  for (const checkedAt of row.clean ?? []) {
    rows.registry.push({
      checked_at: checkedAt,
      registered: false,
      registered_at: null,
      effective_at: null,
    });
  }
  return evidenceFromRows(rows, {
    keys: row.person_keys ?? [],
    points: row.person_points ?? [],
    objections: row.person_objections ?? [],
    contacts: row.person_contacts ?? [],
  });
}

/** One query per point, run side by side on the pool's connections. */
export async function evidenceMany(
  pool: pg.Pool,
  tenant: string,
  points: readonly (readonly string[])[],
): Promise<Evidence[]> {
  return Promise.all(points.map((keys) => evidence(pool, tenant, keys)));
}
