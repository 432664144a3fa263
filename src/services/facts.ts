// factsFor(point, campaign, at): the facts of the contract, built from the store as of `at`.

import { factsFromEvidence } from "../evidence/facts-from-evidence.ts";
import type { Campaign, Facts, Policy } from "../facts/types.ts";
import type { Session, Subject } from "./session.ts";

export async function factsFor(
  session: Session,
  subject: Subject,
  campaign: { readonly campaign: Campaign; readonly policy: Policy },
  at: number,
): Promise<Facts> {
  const evidence = await session.store.evidence(session.tenant, subject.keys);
  return factsFromEvidence(evidence, {
    campaign: campaign.campaign,
    policy: campaign.policy,
    at,
    point: subject.point,
  });
}
