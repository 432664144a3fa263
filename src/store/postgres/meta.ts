// Facts about the whole store (store_meta): read, and recorded once.
import type pg from "pg";
import { run } from "./pool.ts";

export async function meta(pool: pg.Pool, name: string): Promise<string | null> {
  const r = await run(pool, "meta", "SELECT value FROM store_meta WHERE name = $1", [name]);
  return (r.rows[0] as { value: string } | undefined)?.value ?? null;
}

/** ON CONFLICT DO NOTHING: a value already recorded, even by a transaction committing meanwhile, stays. */
export async function recordMeta(pool: pg.Pool, name: string, value: string): Promise<string> {
  await run(
    pool,
    "record_meta",
    "INSERT INTO store_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    [name, value],
  );
  const held = await meta(pool, name);
  if (held === null) throw new Error(`store_meta ${name}: recorded, then not found`);
  return held;
}
