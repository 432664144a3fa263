// The evidence reads: everything held about a batch of points, in one statement.
import type pg from "pg";
import {
  type EvidenceRows,
  evidenceFromRows,
  noEvidenceRows,
  noPersonRows,
  type PersonRows,
} from "../rows.ts";
import { type Evidence, PERSON_HOPS } from "../store.ts";
import { run } from "./pool.ts";

// The keys come with the index of the point each belongs to (`ord`; a point may have a key under
// each keyring version) and their order (`i`); every part of a point's evidence, and the points
// of its person, are tagged with the point's index. Rows come out in the order a point's keys were
// given, then in each table's own order: evidenceFromRows orders them in time, ties by content.
const evidenceSql = (keys: string) => `
  WITH RECURSIVE k AS (SELECT key COLLATE "C" AS key, ord, i FROM ${keys} AS k(key, ord, i)),
  -- The other points of each person, up to ${PERSON_HOPS} links away (both directions are stored).
  reach(ord, key, hops) AS (
    SELECT ord, key, 0 FROM k
    UNION
    SELECT r.ord, l.other_key COLLATE "C", r.hops + 1 FROM reach r
      JOIN subject_links l ON l.tenant = $1 AND l.point_key = r.key
    WHERE r.hops < ${PERSON_HOPS}),
  linked AS (SELECT DISTINCT r.ord, r.key FROM reach r
    WHERE NOT EXISTS (SELECT 1 FROM k WHERE k.ord = r.ord AND k.key = r.key))
  SELECT
    (SELECT json_agg(json_build_object('ord', k.ord, 'row',
              json_build_object('type', p.type, 'value', p.value, 'erased_at', p.erased_at)) ORDER BY k.i)
       FROM k JOIN points p ON p.tenant = $1 AND p.point_key = k.key) AS points,
    (SELECT json_agg(json_build_object('ord', k.ord, 'row', s) ORDER BY k.i, s.seq)
       FROM k JOIN sources s ON s.tenant = $1 AND s.point_key = k.key) AS sources,
    (SELECT json_agg(json_build_object('ord', k.ord, 'row', c) ORDER BY k.i, c.given_at, c.controller, c.channel)
       FROM k JOIN consents c ON c.tenant = $1 AND c.point_key = k.key) AS consents,
    (SELECT json_agg(json_build_object('ord', k.ord, 'row', o) ORDER BY k.i, o.at, o.controller, o.channel)
       FROM k JOIN objections o ON o.tenant = $1 AND o.point_key = k.key) AS objections,
    (SELECT json_agg(json_build_object('ord', k.ord, 'row', m) ORDER BY k.i, m.at, m.controller, m.channel)
       FROM k JOIN contacts_made m ON m.tenant = $1 AND m.point_key = k.key) AS contacts,
    (SELECT json_agg(json_build_object('ord', k.ord, 'row', n) ORDER BY k.i, n.at, n.controller)
       FROM k JOIN notices n ON n.tenant = $1 AND n.point_key = k.key) AS notices,
    (SELECT json_agg(json_build_object('ord', k.ord, 'row', b) ORDER BY k.i, b.at, b.controller)
       FROM k JOIN callback_requests b ON b.tenant = $1 AND b.point_key = k.key) AS callbacks,
    (SELECT json_agg(json_build_object('ord', k.ord, 'seq', e.snapshot_seq, 'row',
              json_build_object('checked_at', e.checked_at, 'registered', e.registered,
                'registered_at', e.registered_at, 'effective_at', e.effective_at)) ORDER BY k.i, e.snapshot_seq)
       FROM k JOIN registry_entries e ON e.tenant = $1 AND e.point_key = k.key) AS registry,
    -- A complete snapshot that does not list any key of a point says it was clean that day.
    (SELECT json_agg(json_build_object('seq', s.seq, 'checked_at', s.checked_at) ORDER BY s.checked_at, s.seq)
       FROM registry_snapshots s WHERE s.tenant = $1 AND s.complete) AS complete,
    (SELECT json_agg(json_build_object('ord', ord, 'key', key) ORDER BY ord, key) FROM linked) AS person_keys,
    (SELECT json_agg(json_build_object('ord', linked.ord, 'row',
              json_build_object('type', p.type, 'value', NULL, 'erased_at', p.erased_at)))
       FROM linked JOIN points p ON p.tenant = $1 AND p.point_key = linked.key) AS person_points,
    (SELECT json_agg(json_build_object('ord', linked.ord, 'row', o) ORDER BY o.at, o.controller, o.channel)
       FROM linked JOIN objections o ON o.tenant = $1 AND o.point_key = linked.key) AS person_objections,
    (SELECT json_agg(json_build_object('ord', linked.ord, 'row', m) ORDER BY m.at, m.controller, m.channel)
       FROM linked JOIN contacts_made m ON m.tenant = $1 AND m.point_key = linked.key) AS person_contacts`;

const EVIDENCE_SQL = evidenceSql("unnest($2::text[], $3::int[]) WITH ORDINALITY");
/**
 * One key (a check; most points have a key under one keyring version): a scalar parameter, so
 * that PostgreSQL settles on one generic plan of index lookups for the prepared statement, where
 * an array of unknown length keeps it planning each call again — 235 against 834 µs a round trip.
 */
const EVIDENCE_ONE_SQL = evidenceSql("(VALUES ($2::text, $3::int, 1::bigint))");

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
  return (await evidenceMany(pool, tenant, [keys]))[0] as Evidence;
}

/** A part's rows, each tagged with the index of the point it belongs to. */
type Tagged<T> = { ord: number; row: T }[] | null;

/**
 * The evidence of each point (its keys), in one statement: one snapshot of the store whatever is
 * being appended meanwhile, and one round trip for a batch of any size. A key given twice for a
 * point is one key.
 */
export async function evidenceMany(
  pool: pg.Pool,
  tenant: string,
  points: readonly (readonly string[])[],
): Promise<Evidence[]> {
  const keys: string[] = [];
  const ords: number[] = [];
  points.forEach((list, ord) => {
    for (const key of new Set(list)) {
      keys.push(key);
      ords.push(ord);
    }
  });
  const r =
    keys.length === 1
      ? await run(pool, "evidence_one", EVIDENCE_ONE_SQL, [tenant, keys[0], ords[0]])
      : await run(pool, "evidence", EVIDENCE_SQL, [tenant, keys, ords]);
  const found = r.rows[0] as { [K in keyof EvidenceRows]: Tagged<EvidenceRows[K][number]> } & {
    registry: { ord: number; seq: number; row: EvidenceRows["registry"][number] }[] | null;
    complete: { seq: number; checked_at: number }[] | null;
    person_keys: { ord: number; key: string }[] | null;
    person_points: Tagged<EvidenceRows["points"][number]>;
    person_objections: Tagged<EvidenceRows["objections"][number]>;
    person_contacts: Tagged<EvidenceRows["contacts"][number]>;
  };
  const rows: EvidenceRows[] = points.map(noEvidenceRows);
  const persons: PersonRows[] = points.map(noPersonRows);
  const into = <T>(tagged: Tagged<T>, list: (ord: number) => T[]) => {
    for (const { ord, row } of tagged ?? []) list(ord).push(row);
  };
  const of = (ord: number) => rows[ord] as EvidenceRows;
  into(found.points, (o) => of(o).points);
  into(found.sources, (o) => of(o).sources);
  into(found.consents, (o) => of(o).consents);
  into(found.objections, (o) => of(o).objections);
  into(found.contacts, (o) => of(o).contacts);
  into(found.notices, (o) => of(o).notices);
  into(found.callbacks, (o) => of(o).callbacks);
  into(found.registry, (o) => of(o).registry);
  const listed = points.map(() => new Set<number>());
  for (const e of found.registry ?? []) listed[e.ord]?.add(e.seq);
  rows.forEach((r, ord) => {
    for (const snap of found.complete ?? []) {
      if (listed[ord]?.has(snap.seq)) continue;
      r.registry.push({
        checked_at: snap.checked_at,
        registered: false,
        registered_at: null,
        effective_at: null,
      });
    }
  });
  const person = (ord: number) => persons[ord] as PersonRows;
  for (const { ord, key } of found.person_keys ?? []) person(ord).keys.push(key);
  into(found.person_points, (o) => person(o).points);
  into(found.person_objections, (o) => person(o).objections);
  into(found.person_contacts, (o) => person(o).contacts);
  return rows.map((r, ord) => evidenceFromRows(r, persons[ord]));
}
