// Starts `vigie serve` with its dashboard on an ephemeral port, over a temporary SQLite store, with
// one user per role (password `PASSWORD`), and a small cookie-keeping client for HTTP-level tests
// (the browser tests in e2e.test.ts drive chromium instead).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiKeys } from "../../src/api/auth.ts";
import { FileOutbox } from "../../src/api/outbox.ts";
import { apiFile } from "../../src/api/paths.ts";
import { loadOrCreateUnsubscribeSecret } from "../../src/api/unsubscribe.ts";
import type { SignInLimits } from "../../src/dashboard/sign-in-gate.ts";
import { Users } from "../../src/dashboard/users.ts";
import { buildServer } from "../../src/server/server.ts";
import { Campaigns } from "../../src/services/campaigns.ts";
import { PendingConsents } from "../../src/services/pending-consents.ts";
import { openSession, type Session } from "../../src/services/session.ts";

export const PASSWORD = "correct horse battery";

export interface Dashboard {
  readonly url: string;
  readonly dir: string;
  readonly session: Session;
  readonly campaigns: Campaigns;
  readonly users: Users;
  /** A client signed in as `name` (viewer, operator or admin), or signed out with null. */
  client(name: string | null): Promise<Client>;
  close(): Promise<void>;
}

export interface Client {
  readonly csrf: string;
  get(path: string, headers?: Record<string, string>): Promise<Page>;
  /** A form post (urlencoded); the CSRF token is added unless `fields.csrf` is given. */
  post(path: string, fields: Record<string, string>): Promise<Page>;
  /**
   * A multipart form post of one file (field `list` unless named), the CSRF token first unless
   * `fields.csrf` is given, then `fields`, then the file.
   */
  upload(
    path: string,
    file: { name: string; content: Uint8Array | string; field?: string },
    fields?: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<Page>;
  fetch(path: string, init: RequestInit): Promise<Response>;
}

export interface Page {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Sign-in limits loose enough for suites that sign in many times from one address. */
const LOOSE_SIGN_IN = { perAddress: { burst: 1000, perSecond: 1000 } };

export async function startDashboard(
  options: {
    now?: () => number;
    uploadLimit?: number;
    signIn?: Partial<SignInLimits>;
    publicUrl?: string;
  } = {},
): Promise<Dashboard> {
  const dir = mkdtempSync(join(tmpdir(), "vigie-dash-"));
  process.env.VIGIE_KEYRING = join(dir, "keyring.json");
  const where = { store: join(dir, "vigie.db") };
  const session = await openSession({ ...where, tenant: "t" });
  const users = new Users(session.store, session.tenant);
  for (const role of ["viewer", "operator", "admin"] as const) await users.add(role, role, PASSWORD);
  const campaigns = await Campaigns.open(session.store, session.tenant);
  const app = buildServer({
    session,
    keys: new ApiKeys(session.store, session.tenant),
    campaigns,
    pendingConsents: await PendingConsents.open(session.store, session.tenant),
    outbox: new FileOutbox(apiFile(where, "outbox")),
    unsubscribeSecret: loadOrCreateUnsubscribeSecret(),
    dashboard: {
      users,
      screenings: apiFile(where, "screenings"),
      signIn: options.signIn ?? LOOSE_SIGN_IN,
      ...(options.uploadLimit === undefined ? {} : { uploadLimit: options.uploadLimit }),
    },
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });

  const client = async (name: string | null): Promise<Client> => {
    let cookie = "";
    const send = async (path: string, init: RequestInit): Promise<Response> => {
      const headers = new Headers(init.headers);
      if (cookie !== "") headers.set("cookie", cookie);
      const res = await fetch(`${url}${path}`, { ...init, headers, redirect: "manual" });
      for (const c of res.headers.getSetCookie()) {
        const pair = c.split(";")[0] as string;
        const [k] = pair.split("=");
        const rest = cookie.split("; ").filter((x) => x !== "" && !x.startsWith(`${k}=`));
        cookie = [...rest, ...(pair.endsWith("=") ? [] : [pair])].join("; ");
      }
      return res;
    };
    const read = async (res: Response): Promise<Page> => ({
      status: res.status,
      headers: res.headers,
      text: await res.text(),
    });
    let csrf = "";
    if (name !== null) {
      const res = await send("/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ user: name, password: PASSWORD }).toString(),
      });
      if (res.status !== 303) throw new Error(`sign-in as ${name}: ${res.status}`);
      const home = await read(await send("/", {}));
      csrf = /name="csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? "";
      if (csrf === "") throw new Error("no CSRF token on the home page");
    }
    return {
      csrf,
      get: async (path, headers = {}) => read(await send(path, { headers })),
      post: async (path, fields) =>
        read(
          await send(path, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ csrf, ...fields }).toString(),
          }),
        ),
      upload: async (path, file, fields = {}, headers = {}) => {
        const form = new FormData();
        for (const [k, v] of Object.entries({ csrf, ...fields })) form.append(k, v);
        form.append(file.field ?? "list", new Blob([file.content]), file.name);
        return read(await send(path, { method: "POST", body: form, headers }));
      },
      fetch: send,
    };
  };

  return {
    url,
    dir,
    session,
    campaigns,
    users,
    client,
    async close() {
      await app.close();
      await session.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
