// Where the API keeps its own files, beside the store: `<store>.keys.json` and `<store>.campaigns.json`
// (read into the store, where keys and campaigns now live: src/api/auth.ts, src/services/campaigns.ts),
// `<store>.pending-consents.json` (read once into the store: src/services/pending-consents.ts),
// the dashboard's `<store>.users.json` (read into the store: src/dashboard/users.ts), the outbox
// `<store>.outbox.jsonl` and the dashboard's screenings in the directory `<store>.screenings` for
// a SQLite store, or `api.keys.json`, `api.campaigns.json`… beside the keyring when the evidence
// is in PostgreSQL (there is no store file to sit beside).
import { dirname, join } from "node:path";
import { defaultKeyRingPath } from "../normalize/keys.ts";
import { DEFAULT_STORE_FILE, type StoreLocation } from "../services/session.ts";

export function apiFile(
  where: StoreLocation,
  kind: "keys" | "campaigns" | "pending-consents" | "users" | "outbox" | "screenings",
): string {
  const ext = kind === "outbox" ? ".jsonl" : kind === "screenings" ? "" : ".json";
  const url = where.database ?? process.env.VIGIE_DATABASE_URL;
  if (url !== undefined && url !== "") return join(dirname(defaultKeyRingPath()), `api.${kind}${ext}`);
  return `${where.store ?? process.env.VIGIE_STORE ?? DEFAULT_STORE_FILE}.${kind}${ext}`;
}
