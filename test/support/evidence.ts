// Evidence fixtures: a source as an import of a direct collection records it, with every detail
// unknown unless a test says otherwise.
import type { SourceData } from "../../src/evidence/events.ts";

export function sourceData(over: Partial<SourceData> = {}): SourceData {
  return {
    kind: "consumer",
    originType: "direct",
    collectedAt: null,
    senderNamed: null,
    optOutOffered: null,
    publisherRefused: null,
    informedAt: null,
    relationship: "prospect",
    customerSince: null,
    customerUntil: null,
    lastInboundAt: null,
    department: null,
    timeZone: null,
    ...over,
  };
}
