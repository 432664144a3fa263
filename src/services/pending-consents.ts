// Double opt-in requests waiting for the person to confirm: an e-mail link (7 days) or an SMS code
// (15 minutes; wrong codes are counted per point in opt-in-limits.ts). Kept in the store (schema
// 11), so that a link or a code sent by one server process is confirmed on any other. A request is
// found by the SHA-256 of its id — the id itself is only in the sealed link — and a code by the
// SHA-256 of that and the code, never the code; an erasure deletes the point's requests with its
// data (the store's erase). Expired requests are swept at every new one.
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { rmSync } from "node:fs";
import { z } from "zod";
import { CONSENT_SCOPES } from "../facts/vocabulary.ts";
import type { SharedRow } from "../store/shared-sql.ts";
import type { Store } from "../store/store.ts";
import { readJsonFile } from "./json-file.ts";

export const LINK_TTL_MS = 7 * 24 * 3600 * 1000;
export const CODE_TTL_MS = 15 * 60 * 1000;

const proof = z.strictObject({
  wordingVersion: z.string().optional(),
  wordingSha256: z.string().optional(),
  collectionPoint: z.string().optional(),
  proofRef: z.string().optional(),
});

/** What a request records once confirmed, besides its point (the `request` column). */
const requestFields = z.strictObject({
  controller: z.string(),
  scope: z.enum(CONSENT_SCOPES),
  proof,
  /** The API key that asked for the confirmation. */
  requestedBy: z.string(),
});

export interface PendingConsent extends z.infer<typeof requestFields> {
  readonly channel: "email" | "sms";
  /** The normalized contact point. */
  readonly point: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export type NewPending = Omit<PendingConsent, "createdAt" | "expiresAt"> & {
  /** The point's key (src/normalize/keys.ts): what an erasure deletes its requests by. */
  readonly pointKey: string;
};

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
const codeHash = (idSha256: string, code: string): Buffer =>
  createHash("sha256").update(`${idSha256}:${code}`).digest();

export type CodeCheck =
  | { readonly ok: true; readonly request: PendingConsent }
  | { readonly ok: false; readonly reason: "none" | "wrong" };

/** A request as the store holds it; a row that is not one fails loudly rather than confirm anything. */
function pendingOf(
  r: SharedRow,
): PendingConsent & { readonly idSha256: string; readonly codeSha256: string | null } {
  const fields = requestFields.parse(JSON.parse(String(r.request)));
  const channel = r.channel === "email" || r.channel === "sms" ? r.channel : null;
  if (channel === null) throw new Error(`pending_consents: channel ${String(r.channel)}`);
  return {
    ...fields,
    channel,
    point: String(r.point),
    idSha256: String(r.id_sha256),
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    codeSha256: r.code_sha256 === null ? null : String(r.code_sha256),
  };
}

/** An earlier version's file of pending requests (`<store>.pending-consents.json`). */
const legacyFile = z.strictObject({
  pending: z.array(
    z.object({
      id: z.string(),
      channel: z.enum(["email", "sms"]),
      point: z.string(),
      controller: z.string(),
      scope: z.enum(CONSENT_SCOPES),
      proof,
      requestedBy: z.string(),
      createdAt: z.number(),
      expiresAt: z.number(),
    }),
  ),
});

export class PendingConsents {
  private readonly store: Store;
  private readonly tenant: string;

  private constructor(store: Store, tenant: string) {
    this.store = store;
    this.tenant = tenant;
  }

  /**
   * The tenant's pending requests. An earlier version's file of them is read into the store, its
   * e-mail links kept (their sealed tokens still hold their ids); its SMS codes, hashed another
   * way and valid 15 minutes, are not. The file is then deleted: it holds contact points.
   */
  static async open(
    store: Store,
    tenant: string,
    legacy?: {
      readonly file: string;
      readonly keyOf: (point: string) => string | null;
      readonly now: number;
    },
  ): Promise<PendingConsents> {
    const pending = new PendingConsents(store, tenant);
    const raw = legacy === undefined ? undefined : readJsonFile(legacy.file);
    if (legacy !== undefined && raw !== undefined && raw !== null) {
      const parsed = legacyFile.safeParse(raw);
      if (!parsed.success) throw new Error(`${legacy.file}: not a vigie pending-consents file`);
      for (const p of parsed.data.pending) {
        const key = legacy.keyOf(p.point);
        if (p.channel !== "email" || p.expiresAt <= legacy.now || key === null) continue;
        await pending.insert(sha256(p.id), { ...p, pointKey: key }, p.createdAt, p.expiresAt, null);
      }
      rmSync(legacy.file, { force: true });
    }
    return pending;
  }

  /**
   * A new request, with the id its link seals; for SMS also its code, which replaces any code
   * pending for the same number.
   */
  async add(p: NewPending, now: number): Promise<{ id: string; request: PendingConsent; code?: string }> {
    await this.store.shared("pendingSweep", [this.tenant, now]);
    const id = `pc_${randomBytes(12).toString("base64url")}`;
    const idSha256 = sha256(id);
    const { pointKey, ...request } = p;
    if (p.channel === "email") {
      await this.insert(idSha256, p, now, now + LINK_TTL_MS, null);
      return { id, request: { ...request, createdAt: now, expiresAt: now + LINK_TTL_MS } };
    }
    await this.store.shared("pendingDropCodes", [this.tenant, pointKey]);
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    await this.insert(idSha256, p, now, now + CODE_TTL_MS, codeHash(idSha256, code).toString("hex"));
    return { id, request: { ...request, createdAt: now, expiresAt: now + CODE_TTL_MS }, code };
  }

  /** The e-mail request still pending under this id. */
  async link(id: string, now: number): Promise<PendingConsent | undefined> {
    const [row] = await this.store.shared("pendingLink", [this.tenant, sha256(id), now]);
    return row === undefined ? undefined : pendingOf(row);
  }

  /** The same, removed: of two confirmations of one link, only the first gets it. */
  async takeLink(id: string, now: number): Promise<PendingConsent | undefined> {
    const [row] = await this.store.shared("pendingTake", [this.tenant, sha256(id), now]);
    const p = row === undefined ? undefined : pendingOf(row);
    return p?.channel === "email" ? p : undefined;
  }

  /** Checks a code in constant time; the right one removes the request (once, of two at once). */
  async checkCode(pointKey: string, code: string, now: number): Promise<CodeCheck> {
    const [row] = await this.store.shared("pendingCode", [this.tenant, pointKey, now]);
    const p = row === undefined ? undefined : pendingOf(row);
    if (p?.codeSha256 === null || p === undefined) return { ok: false, reason: "none" };
    if (!timingSafeEqual(codeHash(p.idSha256, code), Buffer.from(p.codeSha256, "hex"))) {
      return { ok: false, reason: "wrong" };
    }
    const [taken] = await this.store.shared("pendingTake", [this.tenant, p.idSha256, now]);
    return taken === undefined ? { ok: false, reason: "none" } : { ok: true, request: p };
  }

  /** A point locked for wrong codes: its code can no longer be used. */
  async dropCode(pointKey: string): Promise<void> {
    await this.store.shared("pendingDropCodes", [this.tenant, pointKey]);
  }

  /** Removes a request whose message could not be sent: nothing is pending. */
  async remove(id: string): Promise<void> {
    await this.store.shared("pendingRemove", [this.tenant, sha256(id)]);
  }

  private async insert(
    idSha256: string,
    p: NewPending,
    createdAt: number,
    expiresAt: number,
    codeSha256: string | null,
  ): Promise<void> {
    const request = { controller: p.controller, scope: p.scope, proof: p.proof, requestedBy: p.requestedBy };
    await this.store.shared("pendingAdd", [
      this.tenant,
      idSha256,
      p.channel,
      p.pointKey,
      p.point,
      JSON.stringify(request),
      createdAt,
      expiresAt,
      codeSha256,
    ]);
  }
}
