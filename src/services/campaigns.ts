// Stored campaigns: the input of `parseCampaign` ({ campaign, policy? }) under an id, kept in the
// store (schema 10), so that every server process of one database knows a campaign stored through
// any of them. A campaign never changes once stored: each process keeps the ones it has seen, reads
// the store again for one it has not (`find`) and before a page lists them (`refresh`).
// Campaigns stored by earlier versions in a file beside the store are read into it on opening
// (the file is left as it was; reading it again changes nothing).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Store, StoredCampaignRow } from "../store/store.ts";
import { readJsonFile } from "./json-file.ts";

export type StoredCampaign = StoredCampaignRow;

const stored = z.strictObject({ id: z.string(), createdAt: z.string(), body: z.unknown() });

export class Campaigns {
  private readonly byId = new Map<string, StoredCampaign>();
  private readonly store: Store;
  private readonly tenant: string;

  private constructor(store: Store, tenant: string) {
    this.store = store;
    this.tenant = tenant;
  }

  /** The tenant's campaigns, with those of `legacyFile` (FILE.campaigns.json) read into the store. */
  static async open(store: Store, tenant: string, legacyFile?: string): Promise<Campaigns> {
    const c = new Campaigns(store, tenant);
    if (legacyFile !== undefined) {
      const raw = readJsonFile(legacyFile);
      if (raw !== undefined && raw !== null) {
        const parsed = z.strictObject({ campaigns: z.array(stored) }).safeParse(raw);
        if (!parsed.success) throw new Error(`${legacyFile}: not a vigie campaign file`);
        for (const x of parsed.data.campaigns) await store.addCampaign(tenant, x);
      }
    }
    await c.refresh();
    return c;
  }

  /** `body` must already be valid for `parseCampaign`. */
  async add(body: unknown, now = new Date()): Promise<StoredCampaign> {
    const c = { id: `c_${randomBytes(9).toString("base64url")}`, createdAt: now.toISOString(), body };
    await this.store.addCampaign(this.tenant, c);
    this.byId.set(c.id, c);
    return c;
  }

  /** A campaign this process has seen (after `refresh`, every stored one). */
  get(id: string): StoredCampaign | undefined {
    return this.byId.get(id);
  }

  list(): StoredCampaign[] {
    return [...this.byId.values()];
  }

  /** A campaign by id, read from the store when another process stored it. */
  async find(id: string): Promise<StoredCampaign | undefined> {
    if (!this.byId.has(id)) await this.refresh();
    return this.byId.get(id);
  }

  /** Learns the campaigns other processes stored. */
  async refresh(): Promise<void> {
    for (const c of await this.store.campaigns(this.tenant)) if (!this.byId.has(c.id)) this.byId.set(c.id, c);
  }
}
