// `vigie keys create`: a new API key, printed once; only its SHA-256 is kept (src/api/auth.ts).
import { createKey, SCOPES, type Scope } from "../../api/auth.ts";
import { apiFile } from "../../api/paths.ts";
import { recordActivity } from "../../services/activity.ts";
import { EXIT, plainOption, UsageError } from "../exit.ts";
import { type StoreOptions, withSession } from "../store-options.ts";
import { cliUser } from "../who.ts";

export async function runKeysCreate(opts: StoreOptions & { scope: string; name?: string }): Promise<number> {
  const scopes = opts.scope.split(",").map((s) => s.trim());
  for (const s of scopes) {
    if (!(SCOPES as readonly string[]).includes(s)) {
      throw new UsageError(`--scope ${s}: expected some of ${SCOPES.join(", ")}`);
    }
  }
  plainOption("--name", opts.name);
  const path = apiFile(opts, "keys");
  // The session first: a store refused (its keyring is not there) leaves no key behind.
  return withSession(opts, async (session) => {
    const { key, record } = createKey(path, scopes as Scope[], opts.name ?? "");
    await recordActivity(session, {
      action: "api-key.created",
      target: record.id,
      by: cliUser(),
      at: Date.now(),
    });
    process.stderr.write(
      `vigie: key ${record.id} (${record.scopes.join(", ")}) added to ${path}; it is shown only now:\n`,
    );
    process.stdout.write(`${key}\n`);
    return EXIT.ok;
  });
}
