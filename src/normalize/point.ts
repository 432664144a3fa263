// One entry point for both kinds of contact point, so callers (CSV import, API, suppression
// lists) normalize and later key them identically.

import type { Reason } from "../i18n/reasons.ts";
import { normalizeEmail } from "./email.ts";
import { type LineType, normalizePhone } from "./phone.ts";

export type PointType = "phone" | "email";

export type NormalizedPoint = {
  type: PointType;
  /** E.164 for a phone, the normalized address for an e-mail. */
  value: string;
};

export type PointResult =
  | { ok: true; point: NormalizedPoint; lineType?: LineType }
  | { ok: false; reason: string; problem: Reason };

export function normalizePoint(type: PointType, raw: string): PointResult {
  if (type === "email") {
    const result = normalizeEmail(raw);
    return result.ok ? { ok: true, point: { type, value: result.email } } : result;
  }
  const result = normalizePhone(raw);
  return result.ok
    ? { ok: true, point: { type, value: result.e164 }, lineType: result.lineType }
    : { ok: false, reason: result.reason, problem: result.problem };
}
