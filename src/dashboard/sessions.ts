// Signed-in sessions: a random token in an HttpOnly, SameSite=Strict cookie, held in memory (a
// restart signs everyone out). Each session has its own CSRF token, which every form posts back.
// Each request checks the user file again: a removed user is signed out at once, and a changed
// role applies at once.

import { randomBytes } from "node:crypto";
import { sameText } from "../web/same-text.ts";
import type { Role, User } from "./users.ts";

export interface DashboardSession {
  readonly user: string;
  /** When the user was created: a user removed and added again under the same name is someone else. */
  readonly userCreatedAt: string;
  role: Role;
  readonly csrf: string;
  expiresAt: number;
}

type UserLookup = { get(name: string): Pick<User, "role" | "createdAt"> | undefined };

export const SESSION_COOKIE = "vigie_session";
/** Idle time after which a session ends. */
const IDLE_MS = 8 * 3600 * 1000;

export class Sessions {
  private readonly byToken = new Map<string, DashboardSession>();
  private readonly now: () => number;
  private readonly users: UserLookup;

  constructor(now: () => number, users: UserLookup) {
    this.now = now;
    this.users = users;
  }

  open(user: Pick<User, "name" | "role" | "createdAt">): { token: string; session: DashboardSession } {
    this.sweep();
    const token = randomBytes(32).toString("base64url");
    const session = {
      user: user.name,
      userCreatedAt: user.createdAt,
      role: user.role,
      csrf: randomBytes(24).toString("base64url"),
      expiresAt: this.now() + IDLE_MS,
    };
    this.byToken.set(token, session);
    return { token, session };
  }

  /** The live session of a token, its idle time restarted; null if none or expired. */
  get(token: string | undefined): DashboardSession | null {
    if (token === undefined) return null;
    const s = this.byToken.get(token);
    if (s === undefined) return null;
    const user = this.users.get(s.user);
    if (s.expiresAt <= this.now() || user === undefined || user.createdAt !== s.userCreatedAt) {
      this.byToken.delete(token);
      return null;
    }
    s.role = user.role;
    s.expiresAt = this.now() + IDLE_MS;
    return s;
  }

  close(token: string | undefined): void {
    if (token !== undefined) this.byToken.delete(token);
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, s] of this.byToken) if (s.expiresAt <= now) this.byToken.delete(token);
  }
}

export function csrfMatches(session: DashboardSession, sent: unknown): boolean {
  return typeof sent === "string" && sameText(session.csrf, sent);
}
