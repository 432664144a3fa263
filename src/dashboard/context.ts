// What the dashboard's pages share: the evidence session, the stored campaigns, the users, the
// screenings' directory and the clock.
import type { CampaignFile } from "../api/campaigns.ts";
import type { Session } from "../services/session.ts";
import type { UserFile } from "./users.ts";

export interface DashboardContext {
  readonly session: Session;
  readonly campaigns: CampaignFile;
  readonly users: UserFile;
  /** Where uploaded lists and their screening outputs are kept (api/paths.ts, "screenings"). */
  readonly screenings: string;
  readonly now: () => number;
}
