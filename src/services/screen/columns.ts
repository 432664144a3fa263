// The columns of a contact list that screen reads (docs/contract.md §2); every other column passes
// through untouched. A column is found by its name, else by one of the names French offices give
// it ("Téléphone", "Tél.", "Courriel", "Date de collecte"…), read without accents, case, spaces or
// punctuation; `--map phone=Téléphone,email=Courriel` names it outright.

import { headerHint, type LineCells, passes } from "../../io/csv/line-cells.ts";

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
  // What a contacts import carries (docs/contract.md §3), said on the list instead.
  "sender_named",
  "opt_out_offered",
  "informed_at",
  "customer_since",
  "customer_until",
  "last_inbound_at",
  "obtained_at",
  "transfers",
  "free_account_of_paid_model",
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

/** Other names of each column, folded (see `fold`); no name is another column's. */
const ALIASES: Readonly<Record<ListColumn, readonly string[]>> = {
  id: ["identifiant", "ref", "reference"],
  phone: [
    "telephone",
    "tel",
    "portable",
    "mobile",
    "telmobile",
    "telportable",
    "telephoneportable",
    "telephonemobile",
    "numerodetelephone",
    "ndetelephone",
    "ntelephone",
    "ntel",
    "numtel",
    "gsm",
    "phonenumber",
    "mobilephone",
  ],
  email: ["email", "courriel", "mail", "adressemail", "adresseemail", "adressecourriel", "emailaddress"],
  kind: ["typedecontact", "typecontact"],
  origin: ["source", "origine", "provenance"],
  collected_at: ["collectedat", "datedecollecte", "datecollecte", "collectele", "datederecueil"],
  source_url: ["sourceurl", "url", "lien", "lienannonce", "liendelannonce", "urlannonce", "urldelannonce"],
  // The ad's mention, or its whole text: the refusal reader finds a refusal inside a description.
  publisher_refused: [
    "publisherrefused",
    "refusdemarchage",
    "mentiondemarchage",
    "mentionannonce",
    "mention",
    "annonce",
    "texte",
    "texteannonce",
    "textedelannonce",
    "description",
    "descriptif",
    "descriptionannonce",
    "descriptiondelannonce",
  ],
  relationship: ["relation", "relationclient", "statutclient"],
  department: ["departement", "dept", "dpt", "dep", "codedepartement"],
  time_zone: ["timezone", "fuseauhoraire", "fuseau"],
  sender_named: ["sendernamed", "emetteurnomme", "annonceurnomme", "responsablenomme"],
  opt_out_offered: [
    "optoutoffered",
    "oppositionproposee",
    "oppositionofferte",
    "droitdoppositionpropose",
    "desinscriptionproposee",
  ],
  informed_at: ["informedat", "informele", "dateinformation", "datedinformation", "informationenvoyeele"],
  customer_since: [
    "customersince",
    "clientdepuis",
    "debutdecontrat",
    "datedebutcontrat",
    "datedebutrelation",
  ],
  customer_until: [
    "customeruntil",
    "finducontrat",
    "findecontrat",
    "datefincontrat",
    "datefinrelation",
    "clientjusquau",
  ],
  last_inbound_at: [
    "lastinboundat",
    "derniercontactentrant",
    "derniercontactdelapersonne",
    "derniercontactduclient",
    "derniercontactduprospect",
  ],
  obtained_at: ["obtainedat", "obtenule", "datedobtention"],
  transfers: ["nombredetransmissions", "transmissions", "nombredecessions"],
  free_account_of_paid_model: [
    "freeaccountofpaidmodel",
    "comptegratuitdoffrepayante",
    "comptegratuitmodelepayant",
  ],
};

/** A column name without accents, case, spaces or punctuation: "Tél." → "tel", "E-mail" → "email". */
export function fold(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/**
 * The names to read each recognised column from in a list with this header: a column `--map` did
 * not name, and absent under its own name, is read from the one column bearing one of its other
 * names. Two such columns are refused: which of "Téléphone" and "Portable" is the person's is for
 * the user to say, not to guess.
 */
export function recognise(header: readonly string[], names: ColumnNames): ColumnNames {
  const found = { ...names } as Record<ListColumn, string>;
  for (const column of LIST_COLUMNS) {
    if (names[column] !== column) continue;
    if (header.includes(column)) {
      // "phone" and "PHONE": one name twice, as an import refuses it — not the first one silently.
      const again = header.find((h) => h !== column && fold(h) === fold(column));
      if (again !== undefined) {
        throw new ListFileError(
          `the list has two columns named ${JSON.stringify(column)} (also written ${JSON.stringify(again)}): rename or remove one, or say which with --map ${column}=COLUMN`,
        );
      }
      continue;
    }
    const aliases = new Set([fold(column), ...ALIASES[column]]);
    const matches = [...new Set(header.filter((h) => aliases.has(fold(h))))];
    if (matches.length > 1) {
      throw new ListFileError(
        `columns ${matches.map((m) => JSON.stringify(m)).join(" and ")} may all be ${column}: say which with --map ${column}=COLUMN`,
      );
    }
    if (matches.length === 1) found[column] = matches[0] as string;
  }
  return found;
}

/** The recognised columns read from columns of other names, for the summary: `{phone: "Téléphone"}`. */
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
 * Where the header of a list seems to be when its first line has no column for the point: the
 * first of the next lines (`rows`) that has one — a title or a date above the table, as exports
 * from office tools have. Said in the error, never acted on: which lines to skip is the user's call.
 */
export function headerBelow(
  rows: readonly LineCells[],
  names: ColumnNames,
  point: "phone" | "email",
): string | null {
  return headerHint(rows, (header) =>
    passes(() => columnIndex(header, recognise(header, names), point), ListFileError),
  );
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
