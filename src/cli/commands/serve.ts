// `vigie serve`: the HTTP API over the store, until SIGINT or SIGTERM.

import { ApiKeys, importKeyFile } from "../../api/auth.ts";
import { FileOutbox, WebhookOutbox } from "../../api/outbox.ts";
import { apiFile } from "../../api/paths.ts";
import { type GatewaySecrets, VONAGE_METHODS, type VonageMethod } from "../../api/routes/sms-gateways.ts";
import { loadOrCreateUnsubscribeSecret } from "../../api/unsubscribe.ts";
import { Users } from "../../dashboard/users.ts";
import { buildServer } from "../../server/server.ts";
import { Campaigns } from "../../services/campaigns.ts";
import { headsFile, headsPublisher } from "../../services/heads-file.ts";
import { PendingConsents } from "../../services/pending-consents.ts";
import { openSession, type Session, storeName, subjectOf } from "../../services/session.ts";
import { noSigningKey } from "../../services/signing-key.ts";
import { clearTextProblem, deliverWebhooks } from "../../services/webhooks/deliver.ts";
import { publicBase } from "../../web/public-url.ts";
import { EXIT, UsageError } from "../exit.ts";
import type { StoreOptions } from "../store-options.ts";
import { hookOf } from "./heads.ts";
import { deliveryLine } from "./webhooks.ts";

export async function runServe(
  opts: StoreOptions & {
    port: string;
    host: string;
    outboxWebhook?: string;
    uploadLimit?: string;
    keepScreenings?: string;
    publicUrl?: string;
    headsEvery?: string;
    headsHook?: string;
    webhooksEvery?: string;
  },
): Promise<number> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port ${opts.port}: expected a port number`);
  }
  if (opts.outboxWebhook !== undefined && !/^https?:\/\/./.test(opts.outboxWebhook)) {
    throw new UsageError(`--outbox-webhook ${opts.outboxWebhook}: expected an http(s) URL`);
  }
  // The outbox's messages hold the address and the confirmation link: personal data, and a secret.
  const clear =
    opts.outboxWebhook !== undefined && URL.canParse(opts.outboxWebhook)
      ? clearTextProblem(new URL(opts.outboxWebhook), true)
      : null;
  if (clear !== null) throw new UsageError(`--outbox-webhook ${clear}`);
  const uploadMiB = Number(opts.uploadLimit ?? "256");
  if (!Number.isFinite(uploadMiB) || uploadMiB <= 0) {
    throw new UsageError(`--upload-limit ${opts.uploadLimit}: expected a positive number of MiB`);
  }
  const keepScreeningsDays = Number(opts.keepScreenings ?? "90");
  if (!Number.isInteger(keepScreeningsDays) || keepScreeningsDays < 0) {
    throw new UsageError(
      `--keep-screenings ${opts.keepScreenings}: expected a whole number of days (0: keep)`,
    );
  }
  const publicUrl = opts.publicUrl ?? (process.env.VIGIE_PUBLIC_URL || undefined);
  if (publicUrl !== undefined) {
    const base = publicBase(publicUrl);
    if (typeof base !== "string") throw new UsageError(`--public-url ${publicUrl}: ${base.error}`);
  }
  const headsEvery = Number(opts.headsEvery ?? "3600");
  if (!Number.isInteger(headsEvery) || headsEvery <= 0) {
    throw new UsageError(`--heads-every ${opts.headsEvery}: expected a whole number of seconds`);
  }
  const webhooksEvery = Number(opts.webhooksEvery ?? "2");
  if (!Number.isFinite(webhooksEvery) || webhooksEvery <= 0) {
    throw new UsageError(`--webhooks-every ${opts.webhooksEvery}: expected a number of seconds`);
  }
  const session = await openSession(opts, { serving: true });
  // Keys and users of an earlier version's files work as before, read into the store.
  await importKeyFile(session.store, session.tenant, apiFile(opts, "keys"));
  const users = new Users(session.store, session.tenant);
  await users.importFile(apiFile(opts, "users"));
  const app = buildServer({
    session,
    keys: new ApiKeys(session.store, session.tenant),
    campaigns: await Campaigns.open(session.store, session.tenant, apiFile(opts, "campaigns")),
    pendingConsents: await PendingConsents.open(session.store, session.tenant, {
      file: apiFile(opts, "pending-consents"),
      keyOf: (point) => {
        const s = subjectOf(session.ring, point);
        return s.ok ? s.subject.key : null;
      },
      now: Date.now(),
    }),
    outbox:
      opts.outboxWebhook === undefined
        ? new FileOutbox(apiFile(opts, "outbox"))
        : new WebhookOutbox(opts.outboxWebhook),
    unsubscribeSecret: loadOrCreateUnsubscribeSecret(),
    // A secret: from the environment, never the command line (ps shows it).
    twilioAuthToken: process.env.VIGIE_TWILIO_AUTH_TOKEN || undefined,
    vonage: vonageSecret(),
    brevoToken: process.env.VIGIE_BREVO_WEBHOOK_TOKEN || undefined,
    ...(publicUrl === undefined ? {} : { publicUrl }),
    log: process.stdout,
    uploadLimit: Math.round(uploadMiB * 1024 * 1024),
    dashboard: {
      users,
      screenings: apiFile(opts, "screenings"),
      keepScreeningsDays,
    },
  });
  try {
    // Before the first request, not during the first ones (store.ts `warm`).
    const started = performance.now();
    const keys = await session.store.warm(session.tenant);
    if (keys !== null) {
      const ms = Math.round(performance.now() - started);
      app.log.info({ keys, ms }, "evidence map ready: which tables hold rows about each point key");
    }
    await app.listen({ port, host: opts.host });
  } catch (e) {
    await app.close();
    await session.store.close();
    const why = LISTEN_ERRORS[(e as NodeJS.ErrnoException).code ?? ""];
    if (why === undefined) throw e;
    throw new UsageError(`serve: cannot listen on ${opts.host}:${port}: ${why}`);
  }
  const heads = signedHeads(session, opts);
  await heads.publish();
  const timer = setInterval(() => void heads.publish(), headsEvery * 1000);
  const hooks = webhookDeliveries(session);
  const hookTimer = setInterval(() => void hooks.pass(), webhooksEvery * 1000);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  clearInterval(timer);
  clearInterval(hookTimer);
  await hooks.idle();
  await app.close();
  await heads.publish();
  await session.store.close();
  return EXIT.ok;
}

/** Vonage's signature secret and method, from the environment (never the command line). */
function vonageSecret(): GatewaySecrets["vonage"] {
  const secret = process.env.VIGIE_VONAGE_SIGNATURE_SECRET || undefined;
  const method = process.env.VIGIE_VONAGE_SIGNATURE_METHOD || "sha256";
  if (!(VONAGE_METHODS as readonly string[]).includes(method)) {
    throw new UsageError(
      `VIGIE_VONAGE_SIGNATURE_METHOD=${method}: expected one of ${VONAGE_METHODS.join(", ")}`,
    );
  }
  return secret === undefined ? undefined : { secret, method: method as VonageMethod };
}

/** Why a server cannot listen, in words: a mistake in how it was started (exit 2), not a crash. */
const LISTEN_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: "the port is in use (another vigie serve, or another program): choose another with --port",
  EACCES: "permission denied (ports below 1024 need privileges): choose another with --port",
  EADDRNOTAVAIL: "this machine has no such address: check --host",
};

/** What publishes the heads the API moved: nothing, said once, for a store without a signing key. */
function signedHeads(
  session: Session,
  opts: StoreOptions & { headsHook?: string },
): { publish(): Promise<void> } {
  const warn = (message: string) => process.stderr.write(`vigie: ${message}\n`);
  if (session.signer === undefined || session.signer === null) {
    warn(noSigningKey(storeName(opts)).message);
    return { publish: async () => {} };
  }
  return headsPublisher(session.store, session.signer, { file: headsFile(opts), hook: hookOf(opts) }, warn);
}

/**
 * Delivers the webhooks due, one pass at a time (a pass still running is not started again).
 * Failures are said once each, as they change: the subscription keeps them (vigie webhooks status).
 */
function webhookDeliveries(session: Session): { pass(): Promise<void>; idle(): Promise<void> } {
  let running: Promise<void> | null = null;
  const said = new Map<string, string>();
  const pass = async () => {
    for (const r of await deliverWebhooks(session.store, session.tenant)) {
      const line = r.failed === null && r.deadLettered === 0 ? "" : deliveryLine(r);
      if (line !== "" && said.get(r.webhook) !== r.failed?.error)
        process.stderr.write(`vigie: webhook ${line}\n`);
      said.set(r.webhook, r.failed?.error ?? "");
    }
  };
  return {
    pass: async () => {
      if (running !== null) return;
      running = pass()
        .catch((e: Error) => {
          process.stderr.write(`vigie: webhooks: ${e.message}\n`);
        })
        .finally(() => {
          running = null;
        });
      await running;
    },
    idle: async () => {
      await running;
    },
  };
}
