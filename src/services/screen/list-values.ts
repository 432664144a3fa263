// Values said once for a whole list: `--set origin=scraped_public` fills the cells a list leaves
// empty (a row's own value wins), `--map-values origin=LeBonCoin:scraped_public,…` (or a JSON
// file of the same) reads the list's own words as vigie's. No French source name has a built-in
// meaning: "LeBonCoin" may be a scraped ad (scraped_public) or a buyer who wrote in (direct), and
// the origin decides which rules apply — the user says which, or the row is rejected.
import { readFileSync } from "node:fs";
import { readListDate } from "../../facts/list-dates.ts";
import { checkDepartment, checkTimeZone, checkTransfers, yesNoError } from "../../facts/values.ts";
import { KINDS, ORIGIN_TYPES, RELATIONSHIP_STATUSES } from "../../facts/vocabulary.ts";
import { yesNo } from "../../facts/yes-no.ts";
import { duplicateName, NAME_TWICE } from "../../io/json-duplicates.ts";
import { fold, LIST_COLUMNS, type ListColumn, ListFileError } from "./columns.ts";
import type { Interpretation } from "./interpretations.ts";
import type { Cells } from "./row-facts.ts";

/** The vocabulary of the columns whose values `--map-values` can translate. */
export const ENUMERATED: Readonly<Partial<Record<ListColumn, readonly string[]>>> = {
  kind: KINDS,
  origin: ORIGIN_TYPES,
  relationship: RELATIONSHIP_STATUSES,
};

/** A point, a row's id or its ad's address is the row's own: never list-wide. */
const NOT_SETTABLE: readonly ListColumn[] = ["id", "phone", "email", "source_url"];

export interface ListValues {
  readonly set: Readonly<Partial<Record<ListColumn, string>>>;
  /** Per column, the list's word (folded, see `fold`) → vigie's value. */
  readonly maps: Readonly<Partial<Record<ListColumn, ReadonlyMap<string, string>>>>;
}

export const NO_VALUES: ListValues = { set: {}, maps: {} };

function column(name: string, option: string): ListColumn {
  if (!(LIST_COLUMNS as readonly string[]).includes(name)) {
    throw new ListFileError(`${option}: ${JSON.stringify(name)} is not one of ${LIST_COLUMNS.join(", ")}`);
  }
  return name as ListColumn;
}

/** Why `value` cannot be the list-wide value of `c`, or undefined. */
function valueError(c: ListColumn, value: string): string | undefined {
  const vocabulary = ENUMERATED[c];
  if (vocabulary !== undefined) {
    return vocabulary.includes(value)
      ? undefined
      : `${JSON.stringify(value)} is not one of ${vocabulary.join(", ")}`;
  }
  switch (c) {
    case "collected_at":
    case "informed_at":
    case "customer_since":
    case "customer_until":
    case "last_inbound_at":
    case "obtained_at": {
      const d = readListDate(value);
      return d.ok ? undefined : d.error;
    }
    case "sender_named":
    case "opt_out_offered":
    case "free_account_of_paid_model":
      return yesNo(value) === null ? yesNoError(value) : undefined;
    case "transfers": {
      const r = checkTransfers(value);
      return r.ok ? undefined : r.error;
    }
    case "department":
    case "time_zone": {
      const r = c === "department" ? checkDepartment(value) : checkTimeZone(value);
      return r.ok ? undefined : r.error;
    }
    case "publisher_refused":
      return yesNo(value) === null ? `${JSON.stringify(value)}: expected true or false` : undefined;
    default:
      return undefined;
  }
}

/** `--set COLUMN=VALUE`, each given once. */
export function parseSet(pairs: readonly string[]): ListValues["set"] {
  const set: Partial<Record<ListColumn, string>> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const c = column(eq < 0 ? pair.trim() : pair.slice(0, eq).trim(), `--set ${pair}`);
    const value = eq < 0 ? "" : pair.slice(eq + 1).trim();
    if (NOT_SETTABLE.includes(c)) throw new ListFileError(`--set ${pair}: ${c} is each row's own`);
    if (value === "") throw new ListFileError(`--set ${pair}: expected ${c}=VALUE`);
    if (set[c] !== undefined) throw new ListFileError(`--set: ${c} is set twice`);
    const error = valueError(c, value);
    if (error !== undefined) throw new ListFileError(`--set ${pair}: ${error}`);
    set[c] = value;
  }
  return set;
}

/**
 * `--map-values COLUMN=FROM:TO,FROM:TO` (repeatable) and `--map-values-file FILE`, a JSON object
 * `{"origin": {"LeBonCoin": "scraped_public"}}`. The same word mapped to two values is refused.
 */
export function parseMapValues(specs: readonly string[], file?: string): ListValues["maps"] {
  const maps: Partial<Record<ListColumn, Map<string, string>>> = {};
  const add = (where: string, name: string, from: string, to: string) => {
    const c = column(name, where);
    const vocabulary = ENUMERATED[c];
    if (vocabulary === undefined) {
      throw new ListFileError(
        `${where}: ${c} has no values to map (only ${Object.keys(ENUMERATED).join(", ")})`,
      );
    }
    if (fold(from) === "") throw new ListFileError(`${where}: expected ${c}=WORD:VALUE`);
    if (!vocabulary.includes(to)) {
      throw new ListFileError(`${where}: ${JSON.stringify(to)} is not one of ${vocabulary.join(", ")}`);
    }
    const map = maps[c] ?? new Map<string, string>();
    maps[c] = map;
    const earlier = map.get(fold(from));
    if (earlier !== undefined && earlier !== to) {
      throw new ListFileError(`${where}: ${JSON.stringify(from)} is mapped to both ${earlier} and ${to}`);
    }
    map.set(fold(from), to);
  };
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    if (eq < 0) throw new ListFileError(`--map-values ${spec}: expected COLUMN=WORD:VALUE,…`);
    for (const pair of spec.slice(eq + 1).split(",")) {
      const colon = pair.lastIndexOf(":");
      const where = `--map-values ${spec.slice(0, eq).trim()}=${pair.trim()}`;
      if (colon < 0) throw new ListFileError(`${where}: expected WORD:VALUE`);
      add(where, spec.slice(0, eq).trim(), pair.slice(0, colon).trim(), pair.slice(colon + 1).trim());
    }
  }
  if (file !== undefined) {
    let json: unknown;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
      json = JSON.parse(text);
    } catch (e) {
      throw new ListFileError(`--map-values-file ${file}: ${(e as Error).message}`);
    }
    const twice = duplicateName(text);
    if (twice !== null) throw new ListFileError(`--map-values-file ${file}: ${twice}: ${NAME_TWICE}`);
    const shape = `--map-values-file ${file}: expected {"COLUMN": {"WORD": "VALUE", …}, …}`;
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw new ListFileError(shape);
    for (const [name, words] of Object.entries(json)) {
      if (words === null || typeof words !== "object" || Array.isArray(words)) throw new ListFileError(shape);
      for (const [from, to] of Object.entries(words)) {
        if (typeof to !== "string") throw new ListFileError(shape);
        add(`--map-values-file ${file}: ${name}.${from}`, name, from, to);
      }
    }
  }
  return maps;
}

/**
 * A row's value for a column, through the list-wide values: its own cell, else `--set`'s; then
 * `--map-values`. Each step taken is noted in `notes`.
 */
export function listValue(
  cells: Cells,
  c: ListColumn,
  values: ListValues,
  notes: Interpretation[],
): string | undefined {
  let value = cells.cell(c);
  if (value === undefined) {
    value = values.set[c];
    if (value !== undefined)
      notes.push({ kind: "valuesSet", column: c, value, text: `${c}: ${value} (--set)` });
  }
  if (value === undefined) return undefined;
  const mapped = values.maps[c]?.get(fold(value));
  if (mapped !== undefined && mapped !== value) {
    notes.push({ kind: "valuesMapped", column: c, value, text: `${c}: ${value} → ${mapped} (--map-values)` });
    return mapped;
  }
  return value;
}
