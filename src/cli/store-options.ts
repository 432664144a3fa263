// Options every evidence command takes, and the session they open.

import { userInfo } from "node:os";
import type { Command } from "commander";
import { openSession, type Session, type Subject, subjectOf } from "../services/session.ts";
import { UsageError } from "./exit.ts";

export interface StoreOptions {
  store?: string;
  database?: string;
  tenant?: string;
}

export function withStoreOptions(cmd: Command): Command {
  return cmd
    .option("--store <file>", "SQLite store file (default: vigie.db, or $VIGIE_STORE)")
    .option("--database <url>", "PostgreSQL URL instead of the SQLite file (or $VIGIE_DATABASE_URL)")
    .option("--tenant <name>", "the organisation whose evidence this is", "default");
}

/** Opens the store, runs `body`, and closes the store whatever happens. */
export async function withSession<T>(opts: StoreOptions, body: (s: Session) => Promise<T>): Promise<T> {
  const session = await openSession(opts);
  try {
    return await body(session);
  } finally {
    await session.store.close();
  }
}

export function subjectArg(session: Session, raw: string): Subject {
  const r = subjectOf(session.ring, raw);
  if (!r.ok) throw new UsageError(`${raw}: ${r.reason}`);
  return r.subject;
}

/** Who recorded evidence from the command line. */
export function cliActor(): string {
  return `cli:${userInfo().username}`;
}
