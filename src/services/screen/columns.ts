// The columns of a contact list that screen reads (docs/contract.md §2); every other column passes
// through untouched. `--map phone=Téléphone,email=Courriel` reads a recognised column from a
// column of another name.

export const LIST_COLUMNS = [
  "id",
  "phone",
  "email",
  "kind",
  "origin",
  "collected_at",
  "source_url",
  "publisher_refused",
  "relationship",
  "department",
  "time_zone",
] as const;
export type ListColumn = (typeof LIST_COLUMNS)[number];

/** For each recognised column, the name of the list's column it is read from. */
export type ColumnNames = Readonly<Record<ListColumn, string>>;

/** A `--map` that cannot be used, or a list without the column a campaign needs: exit 2. */
export class ListFileError extends Error {}

/**
 * Parses `--map NAME=COLUMN,…`. A list column whose name holds a comma or an `=` cannot be
 * mapped: rename it in the file.
 */
export function columnNames(map: string | undefined): ColumnNames {
  const names = Object.fromEntries(LIST_COLUMNS.map((c) => [c, c])) as Record<ListColumn, string>;
  if (map === undefined || map.trim() === "") return names;
  const seen = new Set<string>();
  for (const pair of map.split(",")) {
    const eq = pair.indexOf("=");
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const column = eq < 0 ? "" : pair.slice(eq + 1).trim();
    if (!(LIST_COLUMNS as readonly string[]).includes(name)) {
      throw new ListFileError(
        `--map ${pair.trim()}: ${JSON.stringify(name)} is not one of ${LIST_COLUMNS.join(", ")}`,
      );
    }
    if (column === "") throw new ListFileError(`--map ${pair.trim()}: expected ${name}=COLUMN`);
    if (seen.has(name)) throw new ListFileError(`--map: ${name} is mapped twice`);
    seen.add(name);
    names[name as ListColumn] = column;
  }
  return names;
}

/** The recognised columns `--map` renamed, for the summary: `{phone: "Téléphone"}`. */
export function mappedColumns(names: ColumnNames): Record<string, string> {
  return Object.fromEntries(LIST_COLUMNS.filter((c) => names[c] !== c).map((c) => [c, names[c]]));
}

/**
 * Where each recognised column is in a list with these column names (-1: absent). Throws when a
 * mapped column is missing or appears twice, or when the list has no column for the point the
 * campaign reaches. Other columns may repeat: they pass through as they are.
 */
export function columnIndex(
  header: readonly string[],
  names: ColumnNames,
  point: "phone" | "email",
): Readonly<Record<ListColumn, number>> {
  const index = {} as Record<ListColumn, number>;
  for (const column of LIST_COLUMNS) {
    const i = header.indexOf(names[column]);
    const j = header.indexOf(names[column], i + 1);
    if (i >= 0 && j >= 0) {
      // Which of the two is the person's? Guessing could screen the wrong number.
      throw new ListFileError(
        `the list has two columns named ${JSON.stringify(names[column])} (columns ${i + 1} and ${j + 1}): rename or remove one`,
      );
    }
    if (i < 0 && names[column] !== column) {
      throw new ListFileError(
        `--map ${column}=${names[column]}: the list has no column ${JSON.stringify(names[column])}`,
      );
    }
    index[column] = i;
  }
  if (index[point] < 0) {
    throw new ListFileError(
      `no ${JSON.stringify(names[point])} column: the campaign reaches ${point === "phone" ? "phone numbers" : "e-mail addresses"} (name it with --map ${point}=COLUMN)`,
    );
  }
  return index;
}

/**
 * The names of the columns screening adds after the list's own (`rule`, `reason`, … in
 * blocked.csv, `next_slot` in allowed.csv), renamed where the list has a column of that name — a
 * list that is itself a blocked.csv, say: `vigie_rule`, then `vigie_rule_2`, … until unique.
 */
export function addedColumns(list: readonly string[], added: readonly string[]): string[] {
  const taken = new Set(list);
  return added.map((name) => {
    let unique = name;
    if (taken.has(unique)) unique = `vigie_${name}`;
    for (let n = 2; taken.has(unique); n++) unique = `vigie_${name}_${n}`;
    taken.add(unique);
    return unique;
  });
}
