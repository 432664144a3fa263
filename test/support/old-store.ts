// A store written by an older vigie (test/files/stores/schema-3: schema 3, before the Merkle
// tree), for the tests of what opening it with this version does.
import { chmodSync, copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const FIXTURE = new URL("../files/stores/schema-3/", import.meta.url).pathname;

/** Copies the old store, its keys and heads file into `dir`, private as vigie wants them. */
export function copyOldStore(dir: string): string {
  for (const f of readdirSync(FIXTURE)) {
    copyFileSync(join(FIXTURE, f), join(dir, f));
    chmodSync(join(dir, f), 0o600);
  }
  return dir;
}
