// Starts the API as `vigie serve` does, on an ephemeral port, over a temporary SQLite store and
// keyring, with one key per scope (each with the rate `rateLimit`, default 1000/s).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { ApiKeys, createKey, type Scope } from "../../src/api/auth.ts";
import { FileOutbox, type Outbox } from "../../src/api/outbox.ts";
import { apiFile } from "../../src/api/paths.ts";
import { loadOrCreateUnsubscribeSecret } from "../../src/api/unsubscribe.ts";
import { defaultKeyRingPath, loadOrCreateKeyRing } from "../../src/normalize/keys.ts";
import { buildServer, type ServerOptions } from "../../src/server/server.ts";
import { Campaigns } from "../../src/services/campaigns.ts";
import { PendingConsents } from "../../src/services/pending-consents.ts";
import { openSession, type Session } from "../../src/services/session.ts";
import type { Store } from "../../src/store/store.ts";
import type { RateLimit } from "../../src/web/rate-limit.ts";

/** A response body as tests read it: field by field, each read checked by an assertion. */
// biome-ignore lint/suspicious/noExplicitAny: JSON of many shapes; the assertions are the type check.
type Json = any;

export interface Server {
  readonly url: string;
  /** The Fastify instance, for `inject` (no socket). */
  readonly app: FastifyInstance;
  /** The file outbox's path (the default outbox). */
  readonly outboxPath: string;
  readonly dir: string;
  readonly session: Session;
  readonly key: Record<Scope, string>;
  /** fetch with a key (or none) and a JSON body, parsed back. */
  call(
    method: string,
    path: string,
    opts?: {
      key?: string | null;
      body?: unknown;
      /** The body as sent: text, or bytes (to send what is not UTF-8). */
      raw?: string | Uint8Array;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; headers: Headers; json: Json; text: string }>;
  close(): Promise<void>;
}

export async function startServer(
  options: Partial<
    Pick<
      ServerOptions,
      | "publicRateLimit"
      | "optInLimits"
      | "bodyLimit"
      | "uploadLimit"
      | "log"
      | "now"
      | "publicUrl"
      | "twilioAuthToken"
      | "vonage"
      | "brevoToken"
    >
  > & {
    /** The rate of the keys created (null: unlimited). */
    rateLimit?: RateLimit | null;
    outbox?: Outbox;
    /** Another store than a fresh SQLite file (PostgreSQL); the server closes it. */
    store?: Store;
    /** The tenant served; default "t" (the command line's default is "default"). */
    tenant?: string;
  } = {},
): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), "vigie-api-"));
  process.env.VIGIE_KEYRING = join(dir, "keyring.json");
  const where = { store: join(dir, "vigie.db") };
  const session =
    options.store === undefined
      ? await openSession({ ...where, tenant: options.tenant ?? "t" })
      : {
          store: options.store,
          ring: loadOrCreateKeyRing(defaultKeyRingPath()),
          tenant: options.tenant ?? "t",
        };
  const key = {} as Record<Scope, string>;
  for (const scope of ["decide", "read", "write-evidence", "admin"] as const) {
    const rate = options.rateLimit === undefined ? { burst: 1000, perSecond: 1000 } : options.rateLimit;
    key[scope] = (
      await createKey(session.store, session.tenant, { scopes: [scope], name: `test ${scope}`, rate })
    ).key;
  }
  const app = buildServer({
    session,
    keys: new ApiKeys(session.store, session.tenant),
    campaigns: await Campaigns.open(session.store, session.tenant),
    pendingConsents: await PendingConsents.open(session.store, session.tenant),
    outbox: options.outbox ?? new FileOutbox(apiFile(where, "outbox")),
    unsubscribeSecret: loadOrCreateUnsubscribeSecret(),
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(options.uploadLimit === undefined ? {} : { uploadLimit: options.uploadLimit }),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
    ...(options.twilioAuthToken === undefined ? {} : { twilioAuthToken: options.twilioAuthToken }),
    ...(options.vonage === undefined ? {} : { vonage: options.vonage }),
    ...(options.brevoToken === undefined ? {} : { brevoToken: options.brevoToken }),
    publicRateLimit: options.publicRateLimit ?? { burst: 1000, perSecond: 1000 },
    ...(options.optInLimits === undefined ? {} : { optInLimits: options.optInLimits }),
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url,
    app,
    outboxPath: apiFile(where, "outbox"),
    dir,
    session,
    key,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const k = opts.key === undefined ? key.admin : opts.key;
      if (k !== null) headers.authorization = `Bearer ${k}`;
      let body: string | Uint8Array | undefined;
      if (opts.raw !== undefined || opts.body !== undefined) {
        headers["content-type"] ??= "application/json";
        body = opts.raw ?? JSON.stringify(opts.body);
      }
      const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, json, text };
    },
    async close() {
      await app.close();
      await session.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
