// The mapping form of "screen a list", read: the request's fields → the options of a screening
// (columns, list-wide values, campaign, instant, language) or the errors to show beside each field.
// Pure: the list's columns and the stored campaigns are given. The list-wide values are parsed by
// the command line's own parsers (list-values.ts), so a value `vigie screen --set` refuses is
// refused here too, in the same words.
import { readListDate } from "../../facts/list-dates.ts";
import { parseCampaign } from "../../facts/parse.ts";
import { parseScreenCampaign } from "../../services/screen/campaign.ts";
import {
  type ColumnNames,
  LIST_COLUMNS,
  type ListColumn,
  ListFileError,
  recognise,
} from "../../services/screen/columns.ts";
import { type ListValues, parseMapValues, parseSet } from "../../services/screen/list-values.ts";
import { dayNumberOf, formatInstant, PARIS, wallClockInstant } from "../../time/zoned.ts";
import type { Key } from "./strings.ts";

/** The form's fields, trimmed, without its token. */
export type FormValues = Readonly<Record<string, string>>;
/** Field id → what is wrong with it, in the user's language or the engine's words. */
export type FieldErrors = Map<string, string>;

/** A stored campaign's body, as the campaigns store keeps it. */
export interface CampaignBody {
  readonly campaign: Record<string, unknown>;
  readonly policy?: unknown;
}

export interface ScreeningOptions {
  readonly names: ColumnNames;
  readonly values: ListValues;
  /** The stored campaign chosen; null: a new one, `body`, to store. */
  readonly campaignId: string | null;
  readonly body: CampaignBody;
  /** The screen campaign file's content: the campaign, `at` or `from`/`to`, `policy?`. */
  readonly campaignFile: Record<string, unknown>;
  readonly lang: "fr" | "en";
}

export type MapFormResult =
  | { readonly ok: true; readonly options: ScreeningOptions }
  | { readonly ok: false; readonly errors: FieldErrors };

/** The fields of a form body (urlencoded), trimmed; the CSRF token is the routes' to check. */
export function formValues(body: unknown): FormValues {
  const values: Record<string, string> = {};
  if (body === null || typeof body !== "object") return values;
  for (const [k, x] of Object.entries(body)) if (k !== "csrf" && typeof x === "string") values[k] = x.trim();
  return values;
}

/**
 * Which of the list's columns screening would read as `column` when the form names none: its
 * own name, the one column bearing one of its French names (columns.ts), or several such columns,
 * between which it will not choose.
 */
export type ColumnGuess =
  | { readonly kind: "exact" }
  | { readonly kind: "alias"; readonly column: string }
  | { readonly kind: "ambiguous" }
  | null;

export function guessColumn(header: readonly string[], column: ListColumn): ColumnGuess {
  if (header.includes(column)) return { kind: "exact" };
  // `recognise` looks for every column not named otherwise: the others are named otherwise here
  // (with names no header holds) so that it looks for this one alone.
  const names = Object.fromEntries(LIST_COLUMNS.map((c) => [c, c === column ? c : `\0${c}`])) as Record<
    ListColumn,
    string
  >;
  try {
    const found = recognise(header, names)[column];
    return found === column ? null : { kind: "alias", column: found };
  } catch (e) {
    if (e instanceof ListFileError) return { kind: "ambiguous" };
    throw e;
  }
}

const LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A datetime-local value (Paris wall clock) as an instant with its offset; other text as typed.
 * A time the spring-forward gap skipped (2026-03-29T02:30) is `skipped`, the engine's words saying
 * so: read as 03:30 it would screen an hour off, silently.
 */
export function parisInstant(value: string): string | { readonly skipped: string } {
  const m = LOCAL.exec(value);
  if (m === null) return value;
  let day: number;
  try {
    day = dayNumberOf(m[1] as string);
  } catch {
    return value;
  }
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  if (hour > 23 || minute > 59 || Number(m[4] ?? 0) > 59) return value;
  const wall = wallClockInstant(day, hour * 60 + minute, PARIS);
  if (!wall.ok) {
    const date = readListDate(value); // the same refusal, in the same words, as a list's date
    return { skipped: date.ok ? value : date.error };
  }
  return formatInstant(wall.ms + Number(m[4] ?? 0) * 1000, PARIS);
}

/** The fields of a new campaign, each shown with its own errors. */
export const CAMPAIGN_FIELDS = [
  "controller",
  "channel",
  "sector",
  "callerId",
  "dialer",
  "habitualCaller",
  "startsAt",
  "senderIdentified",
  "optOut",
] as const;

/** Where an error of the engine's (a JSON path in the campaign file) is shown. */
function fieldOfPath(path: string, storedCampaign: boolean): string {
  if (path === "at" || path === "from" || path === "to") return path;
  if (storedCampaign) return "campaign";
  const last = path.split(".").pop() ?? "";
  return (CAMPAIGN_FIELDS as readonly string[]).includes(last) && !path.startsWith("policy")
    ? last
    : "campaign";
}

/** A textarea's lines that hold something. */
const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");

export function parseMapForm(
  values: FormValues,
  header: readonly string[],
  storedCampaign: (id: string) => CampaignBody | undefined,
  t: Readonly<Record<Key, string>>,
): MapFormResult {
  const errors: FieldErrors = new Map();
  const add = (id: string, message: string) => {
    const before = errors.get(id);
    errors.set(id, before === undefined ? message : `${before} ${message}`);
  };
  const v = (name: string) => values[name] ?? "";
  /** The engine's errors already shown, `path: message`, not to be shown twice. */
  const shown = new Set<string>();

  // Columns: "" (none) leaves vigie's own name, which must then not be read from the list anyway.
  const names = Object.fromEntries(LIST_COLUMNS.map((c) => [c, c])) as Record<ListColumn, string>;
  for (const c of LIST_COLUMNS) {
    const chosen = v(`map.${c}`);
    if (chosen === "") {
      const guess = guessColumn(header, c);
      if (guess?.kind === "exact") add(`map-${c}`, t.exactColumn);
      else if (guess?.kind === "alias") add(`map-${c}`, t.aliasColumn.replace("{column}", guess.column));
      else if (guess?.kind === "ambiguous") add(`map-${c}`, t.ambiguousColumn);
    } else if (!header.includes(chosen)) add(`map-${c}`, t.unknownColumn);
    else names[c] = chosen;
    // Which of two columns of one name is the person's? screenList refuses to guess; so do we.
    if (header.filter((x) => x === names[c]).length > 1) add(`map-${c}`, t.twiceColumn);
  }

  // Values for the whole list, as `--set` and `--map-values` take them, one a line.
  let listValues: ListValues = { set: {}, maps: {} };
  const said = (id: string, option: string, parse: () => void) => {
    try {
      parse();
    } catch (e) {
      if (!(e instanceof ListFileError)) throw e;
      add(id, e.message.replace(new RegExp(`^${option}:? `), ""));
    }
  };
  said("set", "--set", () => {
    listValues = { ...listValues, set: parseSet(lines(v("set"))) };
  });
  said("mapValues", "--map-values", () => {
    listValues = { ...listValues, maps: parseMapValues(lines(v("mapValues"))) };
  });

  // The campaign: a stored one, or the fields of a new one.
  const choice = v("campaign") || "new";
  let campaignId: string | null = null;
  let body: CampaignBody;
  if (choice !== "new") {
    const stored = storedCampaign(choice);
    if (stored === undefined) {
      add("campaign", t.unknownCampaign);
      body = { campaign: {} };
    } else {
      campaignId = choice;
      body = stored;
    }
  } else {
    const campaign: Record<string, unknown> = {};
    const flag = (name: string) => (v(name) === "true" ? true : v(name) === "false" ? false : undefined);
    if (v("controller") === "") add("controller", t.required);
    campaign.controller = v("controller");
    campaign.channel = v("channel");
    for (const name of ["sector", "callerId", "dialer", "startsAt"])
      if (v(name) !== "") campaign[name] = v(name);
    const habitual = flag("habitualCaller");
    if (habitual !== undefined) campaign.habitualCaller = habitual;
    for (const name of ["relatedToProfession", "relatedToContract", "analogousProducts"]) {
      if (v(name) === "true") campaign[name] = true;
    }
    const message = { senderIdentified: flag("senderIdentified"), optOut: flag("optOut") };
    if (message.senderIdentified !== undefined || message.optOut !== undefined) {
      campaign.message = Object.fromEntries(Object.entries(message).filter(([, x]) => x !== undefined));
    }
    body = { campaign };
    const parsed = parseCampaign(body);
    if (!parsed.ok) {
      for (const e of parsed.errors) {
        const path = e.path.replace(/^campaign\.?/, "");
        // "required" for an empty controller is said once, in the user's language.
        shown.add(`${path}: ${e.message}`);
        if (!(path === "controller" && v("controller") === "")) add(fieldOfPath(path, false), e.message);
      }
    }
  }

  // The instant, or the window.
  const when: Record<string, string> = {};
  const instant = (name: "at" | "from" | "to"): string => {
    const read = parisInstant(v(name));
    if (typeof read === "string") return read;
    add(name, read.skipped);
    return v(name);
  };
  if (v("when") === "window") {
    if (v("from") === "") add("from", t.required);
    if (v("to") === "") add("to", t.required);
    when.from = instant("from");
    when.to = instant("to");
  } else {
    if (v("at") === "") add("at", t.required);
    when.at = instant("at");
  }
  const campaignFile: Record<string, unknown> = {
    ...body.campaign,
    ...when,
    ...(body.policy === undefined || body.policy === null ? {} : { policy: body.policy }),
  };
  const parsed = parseScreenCampaign(campaignFile);
  if (!parsed.ok) {
    for (const e of parsed.errors) {
      const id = fieldOfPath(e.path, choice !== "new");
      // A new campaign's fields were checked above; an empty instant is "required" already; an
      // unknown stored campaign has no fields to be wrong.
      if (
        shown.has(`${e.path}: ${e.message}`) ||
        (errors.has(id) && (id === "at" || id === "from" || id === "to" || id === "campaign"))
      )
        continue;
      add(id, e.message);
    }
  } else {
    // The list must have a column for the campaign's contact points (said once per field).
    const point = parsed.value.pointType;
    if (!header.includes(names[point]) && !errors.has(`map-${point}`)) add(`map-${point}`, t.pointColumn);
  }
  if (errors.size > 0) return { ok: false, errors };
  return {
    ok: true,
    options: {
      names,
      values: listValues,
      campaignId,
      body,
      campaignFile,
      lang: v("lang") === "en" ? "en" : "fr",
    },
  };
}
