// What the routes share: the evidence session, the stored campaigns, the double opt-in requests
// waiting for confirmation, the outbox their messages go to, and the clock.
import type { Session } from "../services/session.ts";
import type { CampaignFile } from "./campaigns.ts";
import type { Outbox } from "./outbox.ts";
import type { PendingConsents } from "./pending-consents.ts";

export interface ApiContext {
  readonly session: Session;
  readonly campaigns: CampaignFile;
  readonly pendingConsents: PendingConsents;
  readonly outbox: Outbox;
  /** Epoch ms; `Date.now` except in tests of expiry. */
  readonly now: () => number;
}
