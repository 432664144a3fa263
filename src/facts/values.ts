// One set of value checks for every boundary that reads facts: the JSON contract (parse.ts, through
// zod), a screened list's rows (services/screen/row-facts.ts) and the import rows
// (services/import/). Each check gives the value or the words of what is wrong, so that one bad
// department reads the same whichever door it came through. The words are a reason's English
// (src/i18n/reasons.ts), the reason beside them for who renders it in French.
import { type Reason, refused, renderReason } from "../i18n/reasons.ts";
import { type NormalizedPoint, normalizePoint } from "../normalize/point.ts";
import { isDepartment } from "../params/fr/regions.ts";
import { isValidTimeZone } from "../time/zoned.ts";

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string; readonly reason: Reason };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });

export function checkOneOf<T extends string>(values: readonly T[], value: string): Checked<T> {
  return (values as readonly string[]).includes(value)
    ? ok(value as T)
    : refused({
        code: "value.not_one_of",
        args: { value: JSON.stringify(value), values: values.join(", ") },
      });
}

/**
 * The word of `values` a cell means when written in other capitals, or with spaces or hyphens
 * for its underscores ("SMS", "Double Opt-In", "legal entity"): one word only can be meant. The
 * doors that read files (a screened list, an import) take it, and say so; undefined: none.
 */
export function spelledWord<T extends string>(values: readonly T[], value: string): T | undefined {
  const spelled = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return values.find((w) => w === spelled);
}

export const DEPARTMENT_ERROR = "not a French department code (01–95, 2A, 2B, 971–978)";
export const TIME_ZONE_ERROR = "not an IANA time zone";

export function checkDepartment(value: string): Checked<string> {
  return isDepartment(value)
    ? ok(value)
    : refused({ code: "value.department", args: { value: JSON.stringify(value) } });
}

export function checkTimeZone(value: string): Checked<string> {
  return isValidTimeZone(value)
    ? ok(value)
    : refused({ code: "value.time_zone", args: { value: JSON.stringify(value) } });
}

/** A phone number (E.164 with its line type) or an e-mail address (IDN-safe), normalized. */
export function checkPoint(type: "phone" | "email", raw: string): Checked<NormalizedPoint> {
  const n = normalizePoint(type, raw);
  return n.ok
    ? ok(n.point)
    : refused({ code: type === "phone" ? "phone.invalid" : "email.invalid", args: { detail: n.problem } });
}

/** `obtained_at` and `transfers` describe how a partner's or broker's data reached the controller. */
export const THIRD_PARTY_ONLY = renderReason({ code: "origin.third_party_only" }, "en");

/** `free_account_of_paid_model` is asked only of an account without a sale (CJEU C-654/23). */
export const ACCOUNT_ONLY = renderReason({ code: "relationship.account_only" }, "en");

/** How many hands a partner's or broker's data passed through: 1 (straight from the collector) to 100. */
export function checkTransfers(value: string): Checked<number> {
  const n = Number(value);
  return /^[0-9]+$/.test(value) && n >= 1 && n <= 100
    ? ok(n)
    : refused({ code: "value.transfers", args: { value: JSON.stringify(value) } });
}

/** The words of a yes/no cell that is neither (facts/yes-no.ts). */
export const yesNoReason = (value: string): Reason => ({
  code: "value.yes_no",
  args: { value: JSON.stringify(value) },
});
export const yesNoError = (value: string): string => renderReason(yesNoReason(value), "en");
