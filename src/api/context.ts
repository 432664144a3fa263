// What the routes share: the evidence session and the stored campaigns.
import type { Session } from "../services/session.ts";
import type { CampaignFile } from "./campaigns.ts";

export interface ApiContext {
  readonly session: Session;
  readonly campaigns: CampaignFile;
}
