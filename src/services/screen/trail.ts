// A screening as the audit trail records it: the list's SHA-256, its name, the campaign, the counts.
import { basename } from "node:path";
import type { Activity } from "../activity.ts";
import type { ScreenSummary } from "./summary.ts";

/** `names`: how the user knows the files, when they were saved under other names (uploads). */
export function screenedActivity(
  s: ScreenSummary,
  by: string,
  at: number,
  names: { readonly list?: string; readonly campaign?: string } = {},
): Activity {
  return {
    action: "list.screened",
    target: s.inputs.list.sha256,
    by,
    at,
    detail: {
      file: names.list ?? basename(s.inputs.list.file),
      campaign: names.campaign ?? basename(s.inputs.campaign.file),
      counts: { rows: s.in, allowed: s.allowed, blocked: s.blocked, rejected: s.rejected },
    },
  };
}
