// Signed-in sessions: a random token in an HttpOnly, SameSite=Strict cookie, kept in the store
// (schema 11) by its SHA-256 — so a user stays signed in whichever server process answers, and
// across restarts; whoever reads the store cannot sign in with what it holds. Each session has
// its own CSRF token, which every form posts back. Each request reads its user again: a
// removed user is signed out at once, and a changed role applies at once.

import { hash, randomBytes } from "node:crypto";
import type { Store } from "../store/store.ts";
import { sameText } from "../web/same-text.ts";
import type { Role, User } from "./users.ts";

export interface DashboardSession {
  readonly user: string;
  /** When the user was created: a user removed and added again under the same name is someone else. */
  readonly userCreatedAt: string;
  readonly role: Role;
  readonly csrf: string;
  readonly expiresAt: number;
}

type UserLookup = { get(name: string): Promise<Pick<User, "role" | "createdAt"> | undefined> };

export const SESSION_COOKIE = "vigie_session";
/** Idle time after which a session ends. */
const IDLE_MS = 8 * 3600 * 1000;

/** A session's idle time is pushed back at most this often: not one write per request. */
const TOUCH_EVERY_MS = 60 * 1000;

/** One-shot (a third of createHash()'s time): every dashboard request hashes its cookie. */
const sha256 = (token: string): string => hash("sha256", token, "hex");

export class Sessions {
  private readonly store: Store;
  private readonly tenant: string;
  private readonly now: () => number;
  private readonly users: UserLookup;

  constructor(store: Store, tenant: string, now: () => number, users: UserLookup) {
    this.store = store;
    this.tenant = tenant;
    this.now = now;
    this.users = users;
  }

  async open(
    user: Pick<User, "name" | "role" | "createdAt">,
  ): Promise<{ token: string; session: DashboardSession }> {
    const now = this.now();
    await this.store.shared("sessionSweep", [this.tenant, now]);
    const token = randomBytes(32).toString("base64url");
    const session = {
      user: user.name,
      userCreatedAt: user.createdAt,
      role: user.role,
      csrf: randomBytes(24).toString("base64url"),
      expiresAt: now + IDLE_MS,
    };
    await this.store.shared("sessionOpen", [
      this.tenant,
      sha256(token),
      session.user,
      session.userCreatedAt,
      session.csrf,
      session.expiresAt,
    ]);
    return { token, session };
  }

  /** The live session of a token, its idle time restarted; null if none or expired. */
  async get(token: string | undefined): Promise<DashboardSession | null> {
    if (token === undefined || token === "") return null;
    const now = this.now();
    const [row] = await this.store.shared("sessionGet", [this.tenant, sha256(token), now]);
    if (row === undefined) return null;
    const name = String(row.user_name);
    const user = await this.users.get(name);
    if (user === undefined || user.createdAt !== String(row.user_created_at)) {
      await this.close(token);
      return null;
    }
    let expiresAt = Number(row.expires_at);
    if (now + IDLE_MS - expiresAt >= TOUCH_EVERY_MS) {
      // Not awaited, and best effort: a write waits while an import holds the store (and may fail
      // on a SQLite file another process locks); the page must not. A touch lost leaves the older
      // expiry, pushed back at a later request.
      expiresAt = now + IDLE_MS;
      this.store.shared("sessionTouch", [expiresAt, this.tenant, sha256(token)]).catch(() => {});
    }
    return { user: name, userCreatedAt: user.createdAt, role: user.role, csrf: String(row.csrf), expiresAt };
  }

  async close(token: string | undefined): Promise<void> {
    if (token !== undefined) await this.store.shared("sessionClose", [this.tenant, sha256(token)]);
  }
}

export function csrfMatches(session: DashboardSession, sent: unknown): boolean {
  return typeof sent === "string" && sameText(session.csrf, sent);
}
