// Double opt-in requests waiting for the person to confirm: an e-mail link (7 days) or an SMS code
// (15 minutes, 5 attempts). Held in memory and written through to one JSON file beside the store
// (`<store>.pending-consents.json`, mode 0600: it holds contact points), like stored campaigns.
// Expired requests are dropped at every write; a confirmed, locked or erased one is removed.
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { CONSENT_SCOPES } from "../facts/vocabulary.ts";
import { readJsonFile, writeJsonFile } from "./json-file.ts";

export const LINK_TTL_MS = 7 * 24 * 3600 * 1000;
export const CODE_TTL_MS = 15 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;

const pending = z.strictObject({
  id: z.string(),
  channel: z.enum(["email", "sms"]),
  /** The normalized contact point. */
  point: z.string(),
  controller: z.string(),
  scope: z.enum(CONSENT_SCOPES),
  proof: z.strictObject({
    wordingVersion: z.string().optional(),
    wordingSha256: z.string().optional(),
    collectionPoint: z.string().optional(),
    proofRef: z.string().optional(),
  }),
  /** The API key that asked for the confirmation. */
  requestedBy: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  /** SMS: SHA-256 of `id:code`; the code itself is only in the message. */
  codeSha256: z.string().optional(),
  attempts: z.number(),
});
export type PendingConsent = z.infer<typeof pending>;
export type NewPending = Omit<PendingConsent, "id" | "createdAt" | "expiresAt" | "codeSha256" | "attempts">;

const codeHash = (id: string, code: string) => createHash("sha256").update(`${id}:${code}`).digest();

export type CodeCheck =
  | { readonly ok: true; readonly request: PendingConsent }
  | { readonly ok: false; readonly reason: "none" }
  | { readonly ok: false; readonly reason: "locked" }
  | { readonly ok: false; readonly reason: "wrong"; readonly attemptsLeft: number };

export class PendingConsents {
  private readonly byId: Map<string, PendingConsent>;

  private readonly path: string;

  constructor(path: string) {
    this.path = path;
    const raw = readJsonFile(path);
    const parsed = z.strictObject({ pending: z.array(pending) }).safeParse(raw ?? { pending: [] });
    if (!parsed.success) throw new Error(`${path}: not a vigie pending-consents file`);
    this.byId = new Map(parsed.data.pending.map((p) => [p.id, p]));
  }

  /** A new request; for SMS also its code, which replaces any code pending for the same number. */
  add(p: NewPending, now: number): { request: PendingConsent; code?: string } {
    const id = `pc_${randomBytes(12).toString("base64url")}`;
    if (p.channel === "email") {
      const request = { ...p, id, createdAt: now, expiresAt: now + LINK_TTL_MS, attempts: 0 };
      this.byId.set(id, request);
      this.save(now);
      return { request };
    }
    for (const [other, q] of this.byId)
      if (q.channel === "sms" && q.point === p.point) this.byId.delete(other);
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const request = {
      ...p,
      id,
      createdAt: now,
      expiresAt: now + CODE_TTL_MS,
      codeSha256: codeHash(id, code).toString("hex"),
      attempts: 0,
    };
    this.byId.set(id, request);
    this.save(now);
    return { request, code };
  }

  /** The e-mail request still pending under this id. */
  link(id: string, now: number): PendingConsent | undefined {
    const p = this.byId.get(id);
    return p !== undefined && p.channel === "email" && p.expiresAt > now ? p : undefined;
  }

  /** The same, removed: of two confirmations of one link, only the first gets it. */
  takeLink(id: string, now: number): PendingConsent | undefined {
    const p = this.link(id, now);
    if (p !== undefined) this.remove(id, now);
    return p;
  }

  /** Checks a code in constant time; the right one, or the last wrong one, removes the request. */
  checkCode(point: string, code: string, now: number): CodeCheck {
    const p = [...this.byId.values()].find(
      (q) => q.channel === "sms" && q.point === point && q.expiresAt > now,
    );
    if (p?.codeSha256 === undefined) return { ok: false, reason: "none" };
    const right = timingSafeEqual(codeHash(p.id, code), Buffer.from(p.codeSha256, "hex"));
    if (right) {
      this.remove(p.id, now);
      return { ok: true, request: p };
    }
    const attempts = p.attempts + 1;
    if (attempts >= MAX_CODE_ATTEMPTS) {
      this.byId.delete(p.id);
      this.save(now);
      return { ok: false, reason: "locked" };
    }
    this.byId.set(p.id, { ...p, attempts });
    this.save(now);
    return { ok: false, reason: "wrong", attemptsLeft: MAX_CODE_ATTEMPTS - attempts };
  }

  /** Removes a request once confirmed (or its point erased): it cannot be used again. */
  remove(id: string, now: number): void {
    if (this.byId.delete(id)) this.save(now);
  }

  /** Erasure: no request for the point survives it. */
  dropPoint(point: string, now: number): void {
    const before = this.byId.size;
    for (const [id, p] of this.byId) if (p.point === point) this.byId.delete(id);
    if (this.byId.size !== before) this.save(now);
  }

  private save(now: number): void {
    for (const [id, p] of this.byId) if (p.expiresAt <= now) this.byId.delete(id);
    writeJsonFile(this.path, { pending: [...this.byId.values()] });
  }
}
