// `vigie keys create|list|revoke`: API keys, kept in the store (src/api/auth.ts). A key is
// printed once, at its creation; only its SHA-256 is kept, and neither is ever shown again.
// Creating and revoking are recorded in the audit trail. An earlier version's key file beside the
// store is read into it first.
import {
  type ApiKey,
  createKey,
  importKeyFile,
  listKeys,
  rateOf,
  revokeKey,
  SCOPES,
  type Scope,
} from "../../api/auth.ts";
import { apiFile } from "../../api/paths.ts";
import { recordActivity } from "../../services/activity.ts";
import type { Session } from "../../services/session.ts";
import type { RateLimit } from "../../web/rate-limit.ts";
import { EXIT, plainOption, UsageError } from "../exit.ts";
import { type StoreOptions, withSession } from "../store-options.ts";
import { cliUser } from "../who.ts";

/** `--rate N [--burst B]`: undefined for the default, null for unlimited (`--rate 0`). */
function rateOption(rate: string | undefined, burst: string | undefined): RateLimit | null | undefined {
  if (rate === undefined) {
    if (burst !== undefined) throw new UsageError("--burst: give --rate too");
    return undefined;
  }
  if (!/^\d+(\.\d+)?$/.test(rate)) {
    throw new UsageError(`--rate ${rate}: expected requests per second (0: unlimited)`);
  }
  const perSecond = Number(rate);
  if (perSecond === 0) {
    if (burst !== undefined) throw new UsageError("--burst: a key with --rate 0 is unlimited");
    return null;
  }
  if (burst === undefined) return { perSecond, burst: Math.max(1, Math.ceil(2 * perSecond)) };
  if (!/^[1-9]\d*$/.test(burst)) throw new UsageError(`--burst ${burst}: expected a whole number ≥ 1`);
  return { perSecond, burst: Number(burst) };
}

const rateText = (key: ApiKey): string => {
  const limit = rateOf(key);
  if (limit === null) return "unlimited";
  return `${limit.perSecond}/s burst ${limit.burst}${key.rate === undefined ? " (default)" : ""}`;
};

export async function runKeysCreate(
  opts: StoreOptions & { scope: string; name?: string; rate?: string; burst?: string },
): Promise<number> {
  const scopes = opts.scope.split(",").map((s) => s.trim());
  for (const s of scopes) {
    if (!(SCOPES as readonly string[]).includes(s)) {
      throw new UsageError(`--scope ${s}: expected some of ${SCOPES.join(", ")}`);
    }
  }
  plainOption("--name", opts.name);
  const rate = rateOption(opts.rate, opts.burst);
  // The session first: a store refused (its keyring is not there) leaves no key behind.
  return withSession(opts, async (session) => {
    await keysOf(session, opts);
    const { key, record } = await createKey(session.store, session.tenant, {
      scopes: scopes as Scope[],
      name: opts.name ?? "",
      ...(rate === undefined ? {} : { rate }),
    });
    await recordActivity(session, {
      action: "api-key.created",
      target: record.id,
      by: cliUser(),
      at: Date.now(),
    });
    process.stderr.write(
      `vigie: key ${record.id} (${record.scopes.join(", ")}; ${rateText(record)}) added to the store (tenant ${session.tenant}); it is shown only now:\n`,
    );
    process.stdout.write(`${key}\n`);
    return EXIT.ok;
  });
}

/** The tenant's keys, an earlier version's key file read in first. */
async function keysOf(session: Session, opts: StoreOptions): Promise<ApiKey[]> {
  await importKeyFile(session.store, session.tenant, apiFile(opts, "keys"));
  return listKeys(session.store, session.tenant);
}

/** One line a key (tab-separated, or JSON): never its hash, let alone the key. */
export async function runKeysList(opts: StoreOptions & { json?: boolean }): Promise<number> {
  return withSession(opts, async (session) => {
    for (const k of await keysOf(session, opts)) {
      const limit = rateOf(k);
      if (opts.json) {
        const { id, name, scopes, createdAt } = k;
        const rate = { rate: limit?.perSecond ?? 0, burst: limit?.burst ?? null };
        process.stdout.write(
          `${JSON.stringify({ id, name, scopes, ...rate, createdAt, revokedAt: k.revokedAt ?? null })}\n`,
        );
      } else {
        const state = k.revokedAt === undefined ? "active" : `revoked ${k.revokedAt}`;
        process.stdout.write(
          `${[k.id, k.name, k.scopes.join(","), rateText(k), k.createdAt, state].join("\t")}\n`,
        );
      }
    }
    return EXIT.ok;
  });
}

export async function runKeysRevoke(id: string, opts: StoreOptions): Promise<number> {
  return withSession(opts, async (session) => {
    await keysOf(session, opts);
    const before = await revokeKey(session.store, session.tenant, id);
    if (before === null) throw new UsageError(`no key ${id} for tenant ${session.tenant}`);
    if (before.revokedAt !== undefined) {
      process.stderr.write(`vigie: key ${id} was already revoked at ${before.revokedAt}\n`);
      return EXIT.ok;
    }
    await recordActivity(session, { action: "api-key.revoked", target: id, by: cliUser(), at: Date.now() });
    process.stderr.write(`vigie: key ${id} revoked; vigie serve refuses it within a second (401)\n`);
    return EXIT.ok;
  });
}
