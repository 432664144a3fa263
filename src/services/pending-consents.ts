// Double opt-in requests waiting for the person to confirm: an e-mail link (7 days) or an SMS code
// (15 minutes; wrong codes are counted per point in opt-in-limits.ts). Held in memory and written through to one JSON file beside the store
// (`<store>.pending-consents.json`, mode 0600: it holds contact points), like stored campaigns.
// Expired requests are dropped at every write; a confirmed, locked or erased one is removed.
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { CONSENT_SCOPES } from "../facts/vocabulary.ts";
import { readJsonFile, writeJsonFile } from "./json-file.ts";

export const LINK_TTL_MS = 7 * 24 * 3600 * 1000;
export const CODE_TTL_MS = 15 * 60 * 1000;
// Not strict: files written before wrong codes were counted per point carry an `attempts` field.
const pending = z.object({
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
});
export type PendingConsent = z.infer<typeof pending>;
export type NewPending = Omit<PendingConsent, "id" | "createdAt" | "expiresAt" | "codeSha256">;

const codeHash = (id: string, code: string) => createHash("sha256").update(`${id}:${code}`).digest();

export type CodeCheck =
  | { readonly ok: true; readonly request: PendingConsent }
  | { readonly ok: false; readonly reason: "none" | "wrong" };

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
      const request = { ...p, id, createdAt: now, expiresAt: now + LINK_TTL_MS };
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

  /** Checks a code in constant time; the right one removes the request. */
  checkCode(point: string, code: string, now: number): CodeCheck {
    const p = this.codeFor(point, now);
    if (p?.codeSha256 === undefined) return { ok: false, reason: "none" };
    if (!timingSafeEqual(codeHash(p.id, code), Buffer.from(p.codeSha256, "hex"))) {
      return { ok: false, reason: "wrong" };
    }
    this.remove(p.id, now);
    return { ok: true, request: p };
  }

  /** A point locked for wrong codes: its code can no longer be used. */
  dropCode(point: string, now: number): void {
    const p = this.codeFor(point, now);
    if (p !== undefined) this.remove(p.id, now);
  }

  private codeFor(point: string, now: number): PendingConsent | undefined {
    return [...this.byId.values()].find((q) => q.channel === "sms" && q.point === point && q.expiresAt > now);
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
