// The library, for programs that embed vigie (`import { decide, parseFacts } from "vigie"`): the
// engine and the facts contract (docs/contract.md §1), and list screening (§2) as the CLI runs it.

// The HTTP API's paths and answers as types, for a client such as openapi-fetch (docs/api.md).
export type { paths as ApiPaths } from "./api/openapi.generated.ts";
export { decide } from "./engine/decide.ts";
export type { Decision, Reason } from "./engine/decision.ts";
export { RULE_IDS, type RuleId } from "./engine/rule-ids.ts";
export { type FactsError, formatFactsError, parseCampaign, parseFacts } from "./facts/parse.ts";
export type { Campaign, Contact, Facts, Policy } from "./facts/types.ts";
// What a reason's `code` and `args` are (docs/contract.md, "Reasons: codes and catalogue").
export type { DecisionArgs, DecisionCode } from "./i18n/decisions.ts";
export { loadCampaign } from "./services/screen/campaign.ts";
export { columnNames } from "./services/screen/columns.ts";
export { openEvidence } from "./services/screen/evidence.ts";
export { type ScreenRequest, screenList } from "./services/screen/run.ts";
export type { ScreenSummary } from "./services/screen/summary.ts";
