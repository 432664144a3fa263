// CAMPAIGN.json for `vigie screen` (docs/contract.md §2): the `campaign` object of the facts
// contract, plus the instant of the planned contacts (`at`) or a window (`from`/`to`), and an
// optional `policy`. Every error names its field, as `vigie check` does (`channel: must be one
// of …`), because a campaign file is written by hand.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { coverageError } from "../../engine/rulebook-coverage.ts";
import { type FactsError, formatFactsError, parseCampaign } from "../../facts/parse.ts";
import type { Campaign, Policy } from "../../facts/types.ts";
import { POINT_TYPE_OF_CHANNEL } from "../../facts/vocabulary.ts";
import { duplicateName, NAME_TWICE } from "../../io/json-duplicates.ts";
import { parseInstant } from "../../time/zoned.ts";

export interface ScreenWindow {
  readonly from: number;
  readonly to: number;
}

export interface ScreenCampaign {
  readonly campaign: Campaign;
  readonly policy: Policy;
  /** The instant every row is decided at: `at`, or the window's start. */
  readonly at: number;
  /** With a window, each allowed contact gets its first lawful instant in it (`next_slot`). */
  readonly window: ScreenWindow | null;
  /** The instants as the file writes them, for the summary and the report. */
  readonly when: { readonly at: string } | { readonly from: string; readonly to: string };
  /** The point every row must give: a phone number or an e-mail address. */
  readonly pointType: "phone" | "email";
}

export type ScreenCampaignResult =
  | { readonly ok: true; readonly value: ScreenCampaign }
  | { readonly ok: false; readonly errors: readonly FactsError[] };

/** An instant field: its value, or the error naming it. */
function instantField(name: string, value: unknown): number | FactsError {
  const ms = typeof value === "string" ? parseInstant(value) : undefined;
  if (ms === undefined) {
    return { path: name, message: "not a date (ISO 8601 with an offset or Z, or a bare YYYY-MM-DD)" };
  }
  const outside = coverageError(ms);
  return outside === undefined ? ms : { path: name, message: outside };
}

export function parseScreenCampaign(input: unknown): ScreenCampaignResult {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return {
      ok: false,
      errors: [{ path: "", message: "expected a JSON object (the campaign, with at or from/to)" }],
    };
  }
  const { at, from, to, policy, ...campaign } = input as Record<string, unknown>;
  const errors: FactsError[] = [];
  const parsed = parseCampaign(policy === undefined ? { campaign } : { campaign, policy });
  // The file is the campaign object itself: its fields are named without the `campaign.` prefix.
  if (!parsed.ok)
    errors.push(...parsed.errors.map((e) => ({ ...e, path: e.path.replace(/^campaign\.?/, "") })));

  let when: ScreenCampaign["when"] | undefined;
  let instant: number | undefined;
  let window: ScreenWindow | null = null;
  if (at !== undefined && (from !== undefined || to !== undefined)) {
    errors.push({ path: "at", message: "give either at, or a window from/to, not both" });
  } else if (at !== undefined) {
    const ms = instantField("at", at);
    if (typeof ms === "number") {
      instant = ms;
      when = { at: at as string };
    } else errors.push(ms);
  } else if (from === undefined && to === undefined) {
    errors.push({ path: "at", message: "required (or a window: from and to)" });
  } else {
    const start =
      from === undefined ? { path: "from", message: "required with to" } : instantField("from", from);
    const end = to === undefined ? { path: "to", message: "required with from" } : instantField("to", to);
    if (typeof start !== "number") errors.push(start);
    if (typeof end !== "number") errors.push(end);
    if (typeof start === "number" && typeof end === "number") {
      if (end <= start) errors.push({ path: "to", message: "must be after from" });
      else {
        instant = start;
        window = { from: start, to: end };
        when = { from: from as string, to: to as string };
      }
    }
  }

  if (parsed.ok) {
    const pointType = POINT_TYPE_OF_CHANNEL[parsed.campaign.channel];
    if (pointType !== "phone" && pointType !== "email") {
      errors.push({
        path: "channel",
        message: `a ${parsed.campaign.channel} campaign reaches ${pointType} points: screen takes lists of phone numbers or e-mail addresses`,
      });
    } else if (errors.length === 0 && instant !== undefined && when !== undefined) {
      return {
        ok: true,
        value: { campaign: parsed.campaign, policy: parsed.policy, at: instant, window, when, pointType },
      };
    }
  }
  return { ok: false, errors };
}

/** A campaign file that cannot be used: each line names the file and the field. */
export class CampaignFileError extends Error {}

export interface CampaignFile {
  readonly value: ScreenCampaign;
  readonly sha256: string;
  readonly bytes: number;
}

export function loadCampaign(file: string): CampaignFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new CampaignFileError(
      `${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let input: unknown;
  const text = bytes.toString("utf8");
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new CampaignFileError(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  const twice = duplicateName(text);
  if (twice !== null) throw new CampaignFileError(`${file}: ${twice}: ${NAME_TWICE}`);
  const parsed = parseScreenCampaign(input);
  if (!parsed.ok) {
    throw new CampaignFileError(parsed.errors.map((e) => `${file}: ${formatFactsError(e)}`).join("\n"));
  }
  return {
    value: parsed.value,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    bytes: bytes.length,
  };
}
