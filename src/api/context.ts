// What the routes share: the evidence session, the stored campaigns, the double opt-in requests
// waiting for confirmation, the outbox their messages go to, the clock, and the public address.

import type { Campaigns } from "../services/campaigns.ts";
import type { ErasureFiles } from "../services/erasure-files.ts";
import type { PendingConsents } from "../services/pending-consents.ts";
import type { ProcessShare } from "../services/process-share.ts";
import type { Session } from "../services/session.ts";
import type { TokenBuckets } from "../web/rate-limit.ts";
import type { Outbox } from "./outbox.ts";

export interface ApiContext {
  readonly session: Session;
  readonly campaigns: Campaigns;
  readonly pendingConsents: PendingConsents;
  readonly outbox: Outbox;
  /** Files beside the store an erasure purges (the file outbox, the dashboard's screenings). */
  readonly erasureFiles: ErasureFiles;
  /** Epoch ms; `Date.now` except in tests of expiry. */
  readonly now: () => number;
  /** This process's share of each API key's rate, the store's other server processes counted. */
  readonly processes: ProcessShare;
  /** Token buckets per client address, for the pages reached without a key (public-pages.ts). */
  readonly perAddress: TokenBuckets;
  /** The base of every link vigie writes (`vigie serve --public-url`), or null when not set. */
  readonly publicUrl: string | null;
}
