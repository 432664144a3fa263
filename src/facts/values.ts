// One set of value checks for every boundary that reads facts: the JSON contract (parse.ts, through
// zod), a screened list's rows (services/screen/row-facts.ts) and the import rows
// (services/import/). Each check gives the value or the words of what is wrong, so that one bad
// department reads the same whichever door it came through.
import { type NormalizedPoint, normalizePoint, type PointType } from "../normalize/point.ts";
import { isDepartment } from "../params/fr/regions.ts";
import { isValidTimeZone } from "../time/zoned.ts";

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = <T>(error: string): Checked<T> => ({ ok: false, error });

export function checkOneOf<T extends string>(values: readonly T[], value: string): Checked<T> {
  return (values as readonly string[]).includes(value)
    ? ok(value as T)
    : bad(`${JSON.stringify(value)} is not one of ${values.join(", ")}`);
}

export const DEPARTMENT_ERROR = "not a French department code (01–95, 2A, 2B, 971–978)";
export const TIME_ZONE_ERROR = "not an IANA time zone";

export function checkDepartment(value: string): Checked<string> {
  return isDepartment(value) ? ok(value) : bad(`${JSON.stringify(value)} is ${DEPARTMENT_ERROR}`);
}

export function checkTimeZone(value: string): Checked<string> {
  return isValidTimeZone(value) ? ok(value) : bad(`${JSON.stringify(value)} is ${TIME_ZONE_ERROR}`);
}

/** A phone number (E.164 with its line type) or an e-mail address (IDN-safe), normalized. */
export function checkPoint(type: "phone" | "email", raw: string): Checked<NormalizedPoint> {
  const n = normalizePoint(type, raw);
  return n.ok ? ok(n.point) : bad(`not a valid ${pointName(type)}: ${n.reason}`);
}

export const pointName = (type: PointType): string =>
  type === "phone" ? "phone number" : type === "email" ? "e-mail address" : type;

/** `obtained_at` and `transfers` describe how a partner's or broker's data reached the controller. */
export const THIRD_PARTY_ONLY = 'only for data from a partner or broker (origin "partner" or "broker")';

/** `free_account_of_paid_model` is asked only of an account without a sale (CJEU C-654/23). */
export const ACCOUNT_ONLY = 'only for an account without a sale (relationship "account_only")';

/** How many hands a partner's or broker's data passed through: 1 (straight from the collector) to 100. */
export function checkTransfers(value: string): Checked<number> {
  const n = Number(value);
  return /^[0-9]+$/.test(value) && n >= 1 && n <= 100
    ? ok(n)
    : bad(
        `expected a whole number from 1 (straight from the collector) to 100, got ${JSON.stringify(value)}`,
      );
}

/** The words of a yes/no cell that is neither (facts/yes-no.ts). */
export const yesNoError = (value: string): string =>
  `expected true/false/1/0/oui/non, got ${JSON.stringify(value)}`;
