// Stored campaigns: the input of `parseCampaign` ({ campaign, policy? }) under an id, held in
// memory and written through to one JSON file (see paths.ts). Writes are synchronous, so requests
// in the one server process cannot interleave them.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { readJsonFile, writeJsonFile } from "./json-file.ts";

const stored = z.strictObject({ id: z.string(), createdAt: z.string(), body: z.unknown() });
export type StoredCampaign = z.infer<typeof stored>;

export class CampaignFile {
  private readonly byId: Map<string, StoredCampaign>;

  private readonly path: string;

  constructor(path: string) {
    this.path = path;
    const raw = readJsonFile(path);
    const parsed = z.strictObject({ campaigns: z.array(stored) }).safeParse(raw ?? { campaigns: [] });
    if (!parsed.success) throw new Error(`${path}: not a vigie campaign file`);
    this.byId = new Map(parsed.data.campaigns.map((c) => [c.id, c]));
  }

  /** `body` must already be valid for `parseCampaign`. */
  add(body: unknown, now = new Date()): StoredCampaign {
    const c = { id: `c_${randomBytes(9).toString("base64url")}`, createdAt: now.toISOString(), body };
    this.byId.set(c.id, c);
    writeJsonFile(this.path, { campaigns: [...this.byId.values()] });
    return c;
  }

  get(id: string): StoredCampaign | undefined {
    return this.byId.get(id);
  }

  list(): StoredCampaign[] {
    return [...this.byId.values()];
  }
}
