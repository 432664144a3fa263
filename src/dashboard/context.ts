// What the dashboard's pages share: the evidence session, the stored campaigns, the users, the
// pending double opt-ins, the screenings' directory and the clock.
import type { Campaigns } from "../services/campaigns.ts";
import type { ErasureFiles } from "../services/erasure-files.ts";
import type { PendingConsents } from "../services/pending-consents.ts";
import type { Session } from "../services/session.ts";
import type { Users } from "./users.ts";

export interface DashboardContext {
  readonly session: Session;
  readonly campaigns: Campaigns;
  readonly users: Users;
  /** Double opt-in confirmations still pending: an erasure drops the person's, as the API's does. */
  readonly pendingConsents: PendingConsents;
  /** Files beside the store an erasure purges, as the API's erase does. */
  readonly erasureFiles: ErasureFiles;
  /** Where uploaded lists and their screening outputs are kept (api/paths.ts, "screenings"). */
  readonly screenings: string;
  /** Days a screening (its uploaded list above all) is kept; 0: for ever (screening-retention.ts). */
  readonly keepScreeningsDays: number;
  readonly now: () => number;
  /**
   * The server's public address (`--public-url`), checked, or null: an https one marks the session
   * cookie Secure though the request reached vigie in plain HTTP, behind a proxy ending TLS.
   */
  readonly publicUrl: string | null;
}
