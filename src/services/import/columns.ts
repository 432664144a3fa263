// Reading one cell of an import file: booleans, dates, enumerations. Hand-written rather than a
// schema library: a file may hold millions of rows, and zod 4 checks under a million objects a
// second.
import { type DateKind, evidenceDateError } from "../../facts/evidence-dates.ts";
import { readListDate } from "../../facts/list-dates.ts";
import { blankNameError } from "../../facts/types.ts";
import { type Checked, checkOneOf, spelledWord, yesNoError } from "../../facts/values.ts";
import { yesNo } from "../../facts/yes-no.ts";
import { CONTROL_CHARACTER_MESSAGE, hasControlCharacter } from "../../normalize/control-characters.ts";

/** A cell that cannot be read: the import reports `line N: column: message`. */
export class CellError extends Error {
  readonly column: string;
  constructor(column: string, message: string) {
    super(`${column}: ${message}`);
    this.column = column;
  }
}

/**
 * What exports write in a cell for nothing (a CRM's "N/A", a database's NULL, Excel's #N/A, a
 * dash): read as the empty cell it stands for. Read as text, "N/A" in `collection_point` made a
 * consent count as proven, and a required cell holding it passed for filled.
 */
const NOTHING: ReadonlySet<string> = new Set([
  "-",
  "--",
  "–",
  "—",
  "n/a",
  "#n/a",
  "na",
  "null",
  "none",
  "néant",
  "neant",
  "aucun",
  "aucune",
  "non renseigné",
  "non renseigne",
]);

/** Reads the named cells of one row; absent columns, empty cells and NOTHING read as undefined. */
export class Row {
  private readonly fields: readonly string[];
  private readonly index: ReadonlyMap<string, number>;
  /** The import's "now", which evidence may not postdate. */
  private readonly now: number;
  /**
   * The columns whose date was read day first (JJ/MM/AAAA), and those whose word was read despite
   * its capitals or spaces ("SMS" for sms): made when the first is met, most rows having none.
   */
  #dayFirst: Set<string> | null = null;
  #spelled: Set<string> | null = null;
  constructor(fields: readonly string[], index: ReadonlyMap<string, number>, now: number) {
    this.fields = fields;
    this.index = index;
    this.now = now;
  }

  text(column: string): string | undefined {
    const v = this.prose(column);
    // As at every other door (src/normalize/control-characters.ts): a newline in a quoted source
    // URL would end up in the reason that quotes it, a tab in a controller's name in its key.
    if (v !== undefined && hasControlCharacter(v)) throw new CellError(column, CONTROL_CHARACTER_MESSAGE);
    return v;
  }

  /**
   * A controller's or advertiser's name; an empty cell is undefined (the kind says what that
   * means). A cell of invisible characters alone (a zero-width space) is no name: its key would be
   * every controller's.
   */
  name(column: string): string | undefined {
    const v = this.text(column);
    const error = v === undefined ? undefined : blankNameError(v);
    if (error !== undefined) throw new CellError(column, error);
    return v;
  }

  /** A cell of prose, read and never stored (an ad's text, its lines kept): control characters allowed. */
  prose(column: string): string | undefined {
    const i = this.index.get(column);
    const v = i === undefined ? undefined : this.fields[i]?.trim();
    return v === undefined || v === "" || NOTHING.has(v.toLowerCase()) ? undefined : v;
  }

  /** How many of its columns held a date read day first. */
  get datesReadDayFirst(): number {
    return this.#dayFirst?.size ?? 0;
  }

  /** How many of its columns held a word read despite its capitals or spaces. */
  get wordsSpelled(): number {
    return this.#spelled?.size ?? 0;
  }

  required(column: string): string {
    const v = this.text(column);
    if (v === undefined) throw new CellError(column, "required");
    return v;
  }

  bool(column: string): boolean | undefined {
    const v = this.text(column);
    if (v === undefined) return undefined;
    const b = yesNo(v);
    if (b !== null) return b;
    throw new CellError(column, yesNoError(v));
  }

  /**
   * A date within the bounds of its kind (facts/evidence-dates.ts), ISO or day first as French
   * spreadsheets write it (facts/list-dates.ts: 01/02/2026 is 1 February), noted in
   * `dayFirst` — the report says how many were read so.
   */
  date(column: string, kind: DateKind): number | undefined {
    const v = this.text(column);
    if (v === undefined) return undefined;
    const date = readListDate(v);
    if (!date.ok) throw new CellError(column, date.error);
    const error = evidenceDateError(date.ms, kind, this.now);
    if (error !== undefined) throw new CellError(column, `${JSON.stringify(v)}: ${error}`);
    if (date.french !== null) {
      this.#dayFirst ??= new Set();
      this.#dayFirst.add(column);
    }
    return date.ms;
  }

  /** A word of `values`, or one spelled otherwise (facts/values.ts `spelledWord`), noted in `spelled`. */
  oneOf<T extends string>(column: string, values: readonly T[]): T | undefined {
    const v = this.text(column);
    // The word as written: tried first, without a closure or a result object — every row of an
    // import reads a few such cells.
    if (v === undefined || (values as readonly string[]).includes(v)) return v as T | undefined;
    const word = spelledWord(values, v);
    if (word !== undefined) {
      // A set: a cell may be read twice (a consent's channel, for its points and its event).
      this.#spelled ??= new Set();
      this.#spelled.add(column);
      return word;
    }
    const r = checkOneOf(values, v);
    if (!r.ok) throw new CellError(column, r.error);
    return r.value;
  }

  /** The cell through one of the shared value checks (facts/values.ts). */
  checked<T>(column: string, check: (value: string) => Checked<T>): T | undefined {
    const v = this.text(column);
    if (v === undefined) return undefined;
    const r = check(v);
    if (!r.ok) throw new CellError(column, r.error);
    return r.value;
  }
}
