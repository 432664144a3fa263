// What the routes share: the evidence session, the stored campaigns, the double opt-in requests
// waiting for confirmation, the outbox their messages go to, the clock, and the public address.
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
  /** The base of every link vigie writes (`vigie serve --public-url`), or null when not set. */
  readonly publicUrl: string | null;
}
