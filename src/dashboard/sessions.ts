// Signed-in sessions: a random token in an HttpOnly, SameSite=Strict cookie, held in memory (a
// restart signs everyone out). Each session has its own CSRF token, which every form posts back.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Role } from "./users.ts";

export interface DashboardSession {
  readonly user: string;
  readonly role: Role;
  readonly csrf: string;
  expiresAt: number;
}

export const SESSION_COOKIE = "vigie_session";
/** Idle time after which a session ends. */
const IDLE_MS = 8 * 3600 * 1000;

export class Sessions {
  private readonly byToken = new Map<string, DashboardSession>();
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  open(user: string, role: Role): { token: string; session: DashboardSession } {
    this.sweep();
    const token = randomBytes(32).toString("base64url");
    const session = {
      user,
      role,
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
    if (s.expiresAt <= this.now()) {
      this.byToken.delete(token);
      return null;
    }
    s.expiresAt = this.now() + IDLE_MS;
    return s;
  }

  close(token: string | undefined): void {
    if (token !== undefined) this.byToken.delete(token);
  }

  /** Ends every session of a user (removed, or role changed). */
  closeUser(user: string): void {
    for (const [token, s] of this.byToken) if (s.user === user) this.byToken.delete(token);
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, s] of this.byToken) if (s.expiresAt <= now) this.byToken.delete(token);
  }
}

export function csrfMatches(session: DashboardSession, sent: unknown): boolean {
  if (typeof sent !== "string") return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}
