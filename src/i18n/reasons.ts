// Why a value is refused, as a code and its arguments, rendered in French or English from one
// catalogue: a screened list's rejected rows are shown to a DPO in the report's language, while
// rejected.csv, the CLI and the API keep the English text they have always given (the `en`
// templates are those words, byte for byte). A reason may name the column it is about
// (`phone: …`) and may hold another reason as an argument (`not a valid phone number: too short`).
//
// Templates (template.ts, shared with the catalogue of decision reasons, decisions.ts): `{name}`
// is an argument; `{name|one|other}` is the word for an argument that is a number. A missing
// argument throws: a reason half-said is a bug, never a message.
import { compile, type Lang, render, type Template } from "./template.ts";

export type { Lang } from "./template.ts";

interface Texts {
  readonly fr: string;
  readonly en: string;
}

const TEXTS = {
  // A row's point.
  "phone.missing": {
    en: "empty: the campaign reaches phone numbers",
    fr: "vide : la campagne s'adresse à des numéros de téléphone",
  },
  "email.missing": {
    en: "empty: the campaign reaches e-mail addresses",
    fr: "vide : la campagne s'adresse à des adresses e-mail",
  },
  "phone.invalid": {
    en: "not a valid phone number: {detail}",
    fr: "numéro de téléphone invalide : {detail}",
  },
  "email.invalid": { en: "not a valid e-mail address: {detail}", fr: "adresse e-mail invalide : {detail}" },
  "point.other_unreadable": {
    en: "{detail} (the row's other point is read for the person's objections)",
    fr: "{detail} (l'autre coordonnée de la ligne est lue pour les oppositions de la personne)",
  },

  // What is wrong with a phone number (src/normalize/phone.ts).
  "phone.misplaced_plus": { en: "misplaced +", fr: "« + » mal placé" },
  "phone.letters": { en: "contains letters", fr: "contient des lettres" },
  "phone.invalid_character": {
    en: "contains an invalid character {character}",
    fr: "contient un caractère invalide {character}",
  },
  "phone.scientific_notation": {
    en: "written by a spreadsheet in scientific notation, its last digits lost: format the column as text and export the list again",
    fr: "écrit par un tableur en notation scientifique, ses derniers chiffres perdus : mettez la colonne au format texte et exportez de nouveau la liste",
  },
  "phone.decimal": {
    en: "written as a decimal number ({value}) by a spreadsheet or a program: format the column as text and export the list again",
    fr: "écrit comme un nombre décimal ({value}) par un tableur ou un programme : mettez la colonne au format texte et exportez de nouveau la liste",
  },
  "phone.formula": {
    en: 'written as a spreadsheet formula (="…", which keeps a leading zero): export the list again with the column formatted as text, or keep the number alone',
    fr: 'écrit comme une formule de tableur (="…", qui garde le zéro initial) : exportez de nouveau la liste avec la colonne au format texte, ou gardez le numéro seul',
  },
  "phone.text_marker": {
    en: "begins with an apostrophe (a spreadsheet's text marker, not part of the number): remove it",
    fr: "commence par une apostrophe (la marque de texte d'un tableur, pas une partie du numéro) : retirez-la",
  },
  "phone.no_digits": { en: "no digits", fr: "aucun chiffre" },
  "phone.too_short": { en: "too short", fr: "trop court" },
  "phone.too_long": { en: "too long", fr: "trop long" },
  "phone.invalid_length": { en: "invalid length", fr: "longueur invalide" },
  "phone.digits_after_code": {
    en: "{problem}: {count} {count|digit|digits} after +{code}",
    fr: "{problem} : {count} {count|chiffre|chiffres} après +{code}",
  },
  "phone.digits_after_prefix": {
    en: "{problem}: {count} {count|digit|digits} after the national prefix",
    fr: "{problem} : {count} {count|chiffre|chiffres} après le préfixe national",
  },
  "phone.unallocated": {
    en: "not an allocated number range",
    fr: "hors des tranches de numéros attribuées",
  },
  "phone.unknown_country_code": { en: "unknown country calling code", fr: "indicatif de pays inconnu" },
  "phone.not_a_number": { en: "not a phone number", fr: "pas un numéro de téléphone" },
  "phone.for_region": { en: "{problem} for {region}", fr: "{problem} pour {region}" },
  "phone.invalid_for_region": {
    en: "not a valid number for {region}",
    fr: "numéro invalide pour {region}",
  },
  "phone.no_prefix": {
    en: "missing the national prefix 0 or a +country code",
    fr: "il manque le préfixe national 0 ou un indicatif +pays",
  },
  "phone.overseas_as_33": {
    en: "an overseas number written after +33, which does not reach it: write {number} (or its national form 0…)",
    fr: "un numéro d'outre-mer écrit après +33, qui ne l'atteint pas : écrivez {number} (ou sa forme nationale 0…)",
  },
  "phone.no_plus": {
    en: "missing the national prefix 0 or a +country code: if it begins with its country code, write {number}",
    fr: "il manque le préfixe national 0 ou un indicatif +pays : s'il commence par son indicatif, écrivez {number}",
  },

  // What is wrong with an e-mail address (src/normalize/email.ts).
  "email.empty": { en: "empty", fr: "vide" },
  "email.mailto": {
    en: "a mailto: link: keep the address alone",
    fr: "un lien mailto: : gardez l'adresse seule",
  },
  "email.display_name": {
    en: "the address in <> (as a mail program writes it after a name): keep the address alone",
    fr: "l'adresse entre <> (comme l'écrit une messagerie après un nom) : gardez l'adresse seule",
  },
  "email.several": {
    en: "more than one address in the cell: one address a row",
    fr: "plus d'une adresse dans la cellule : une adresse par ligne",
  },
  "email.spaces": { en: "contains spaces", fr: "contient des espaces" },
  "email.control": {
    en: "contains control or invisible characters",
    fr: "contient des caractères de contrôle ou invisibles",
  },
  "email.no_at": { en: "missing @", fr: "il manque « @ »" },
  "email.several_at": { en: "several @", fr: "plusieurs « @ »" },
  "email.local_empty": { en: "empty local part", fr: "partie locale vide" },
  "email.local_dot_edge": {
    en: "local part starts or ends with a dot",
    fr: "la partie locale commence ou finit par un point",
  },
  "email.local_double_dot": {
    en: "consecutive dots in the local part",
    fr: "points consécutifs dans la partie locale",
  },
  "email.local_character": {
    en: "local part contains {character}",
    fr: "la partie locale contient {character}",
  },
  "email.local_too_long": {
    en: "local part longer than 64 octets ({octets})",
    fr: "partie locale de plus de 64 octets ({octets})",
  },
  "email.domain_empty": { en: "empty domain", fr: "domaine vide" },
  "email.domain_invalid": { en: "invalid domain {domain}", fr: "domaine invalide {domain}" },
  "email.domain_idn_invalid": {
    en: "invalid internationalized domain {domain}",
    fr: "domaine internationalisé invalide {domain}",
  },
  "email.domain_no_dot": { en: "domain without a dot", fr: "domaine sans point" },
  "email.domain_empty_label": { en: "empty label in the domain", fr: "label vide dans le domaine" },
  "email.domain_label_too_long": {
    en: "domain label longer than 63 characters",
    fr: "label de domaine de plus de 63 caractères",
  },
  "email.domain_label_invalid": {
    en: "invalid domain label {label}",
    fr: "label de domaine invalide {label}",
  },
  "email.domain_ip": { en: "domain is an IP address", fr: "le domaine est une adresse IP" },
  "email.domain_too_long": {
    en: "domain longer than 253 characters",
    fr: "domaine de plus de 253 caractères",
  },
  "email.too_long": {
    en: "address longer than 254 octets ({octets})",
    fr: "adresse de plus de 254 octets ({octets})",
  },

  // A cell's value (src/facts/values.ts, src/services/screen/row-facts.ts).
  "value.not_one_of": {
    en: "{value} is not one of {values}",
    fr: "{value} n'est pas l'une des valeurs {values}",
  },
  "value.unknown_word": {
    en: "{value} is not one of {values} (to read the list's own word, say --map-values {column}={word}:VALUE)",
    fr: "{value} n'est pas l'une des valeurs {values} (pour lire le mot de la liste, indiquez --map-values {column}={word}:VALEUR)",
  },
  "value.yes_no": {
    en: "expected true/false/1/0/oui/non, got {value}",
    fr: "attendu true/false/1/0/oui/non, reçu {value}",
  },
  "value.transfers": {
    en: "expected a whole number from 1 (straight from the collector) to 100, got {value}",
    fr: "attendu un nombre entier de 1 (reçu directement du collecteur) à 100, reçu {value}",
  },
  "value.department": {
    en: "{value} is not a French department code (01–95, 2A, 2B, 971–978)",
    fr: "{value} n'est pas un code de département français (01–95, 2A, 2B, 971–978)",
  },
  "value.time_zone": {
    en: "{value} is not an IANA time zone",
    fr: "{value} n'est pas un fuseau horaire IANA",
  },
  "origin.required": {
    en: "required when {given} is given",
    fr: "obligatoire quand {given} est renseigné",
  },
  "origin.third_party_only": {
    en: 'only for data from a partner or broker (origin "partner" or "broker")',
    fr: 'seulement pour des données venues d\'un partenaire ou d\'un courtier (origin "partner" ou "broker")',
  },
  "relationship.account_only": {
    en: 'only for an account without a sale (relationship "account_only")',
    fr: 'seulement pour un compte sans achat (relationship "account_only")',
  },

  // Dates (src/facts/list-dates.ts); the month is named in French in both languages.
  "date.not_a_date": {
    en: "not a date: {value} (JJ/MM/AAAA, YYYY-MM-DD or ISO 8601)",
    fr: "pas une date : {value} (JJ/MM/AAAA, AAAA-MM-JJ ou ISO 8601)",
  },
  "date.spreadsheet_number": {
    en: "{value}: a spreadsheet's day number, not a date (its origin differs between spreadsheets): format the column as a date (JJ/MM/AAAA) and export the list again",
    fr: "{value} : un numéro de jour de tableur, pas une date (son origine diffère d'un tableur à l'autre) : mettez la colonne au format date (JJ/MM/AAAA) et exportez de nouveau la liste",
  },
  "date.no_month": {
    en: "{value}: no month {month} (dates are read day first: JJ/MM/AAAA)",
    fr: "{value} : pas de mois {month} (les dates se lisent jour d'abord : JJ/MM/AAAA)",
  },
  "date.no_day": {
    en: "{value}: there is no {day} {month} {year}",
    fr: "{value} : le {day} {month} {year} n'existe pas",
  },
  "date.no_time": { en: "{value}: no such time", fr: "{value} : heure impossible" },
  "date.skipped_time": {
    en: "{value}: does not exist in Europe/Paris: clocks went forward from {from} to {to} that night",
    fr: "{value} : n'existe pas en Europe/Paris : les horloges ont avancé de {from} à {to} cette nuit-là",
  },
  "date.before_floor": {
    en: "{value}: before {floor}: not a plausible date",
    fr: "{value} : antérieure au {floor} : date invraisemblable",
  },
  "date.before_collected": { en: "before collected_at", fr: "antérieure à collected_at" },
  "date.after_decided": {
    en: "{value}: after the instant decided ({at}), when it had not happened: correct the date, or decide at a later instant",
    fr: "{value} : postérieure à l'instant décidé ({at}), où elle n'avait pas eu lieu : corriger la date, ou décider à un instant ultérieur",
  },

  // A row that could not be read as a record at all (src/io/csv/scanner.ts, src/io/jsonl/reader.ts,
  // src/services/screen/list.ts); the English words are the readers' own, byte for byte.
  "row.unreadable": { en: "{detail}", fr: "ligne illisible : {detail}" },
  "csv.after_quote": {
    en: "unexpected character after the closing quote of field {field}",
    fr: "caractère inattendu après le guillemet fermant du champ {field}",
  },
  "csv.field_too_long": {
    en: "field {field} is longer than {bytes} bytes",
    fr: "le champ {field} dépasse {bytes} octets",
  },
  "csv.record_too_long": {
    en: "record is longer than {bytes} bytes",
    fr: "la ligne dépasse {bytes} octets",
  },
  "csv.header_too_long": {
    en: "longer than the {bytes} bytes a header may have",
    fr: "plus longue que les {bytes} octets permis à une ligne d'en-tête",
  },
  "csv.bare_cr": {
    en: "carriage return outside quotes without a line feed after it",
    fr: "retour chariot hors guillemets sans saut de ligne après lui",
  },
  "csv.field_count": {
    en: "expected {expected} fields, as in the header, found {found}",
    fr: "{expected} champs attendus, comme dans l'en-tête, {found} trouvés",
  },
  "csv.field_count_first": {
    en: "expected {expected} fields, as in the first record, found {found}",
    fr: "{expected} champs attendus, comme dans la première ligne, {found} trouvés",
  },
  "csv.invalid_utf8": { en: "invalid UTF-8", fr: "UTF-8 invalide" },
  "csv.invalid_utf8_field": {
    en: "invalid UTF-8 in field {field}{named}",
    fr: "UTF-8 invalide dans le champ {field}{named}",
  },
  "csv.too_many_columns": {
    en: "{columns} columns, more than the {most} a file may have",
    fr: "{columns} colonnes, plus que les {most} permises dans un fichier",
  },
  "csv.unclosed_quote": {
    en: "field {field}: the quote opened on line {opened} is never closed, so the rest of the input is inside it",
    fr: "champ {field} : le guillemet ouvert ligne {opened} n'est jamais fermé, tout le reste du fichier est dedans",
  },
  "csv.quote_across_lines": {
    en: "field {field}: the quote opened on line {opened} is not closed on that line, and read on across the lines after it gives no valid row: the row is rejected up to the end of line {opened}, and the next line is read as a row of its own",
    fr: "champ {field} : le guillemet ouvert ligne {opened} n'est pas fermé sur cette ligne, et lu sur les lignes suivantes il ne donne pas de ligne valide : la ligne est rejetée jusqu'à la fin de la ligne {opened}, et la suivante est lue comme une ligne à part",
  },
  "list.header_repeated": {
    en: "repeats the header line (two exports joined one below the other?): remove it",
    fr: "répète la ligne d'en-tête (deux exports collés l'un sous l'autre ?) : supprimez-la",
  },
  "sheet.beyond_header": {
    en: "a value in column {column}, beyond the header's {width} columns",
    fr: "une valeur en colonne {column}, au-delà des {width} colonnes de l'en-tête",
  },
  "jsonl.line_too_long": { en: "line is longer than {bytes} bytes", fr: "la ligne dépasse {bytes} octets" },
  "json.name_twice": {
    // The English words are NAME_TWICE (src/io/json-duplicates.ts), as every door says them.
    en: "{path}: given twice in one object: which one counts is not said",
    fr: "{path} : donné deux fois dans un même objet : rien ne dit lequel compte",
  },
  "jsonl.invalid": { en: "invalid JSON: {detail}", fr: "JSON invalide : {detail}" },
  "jsonl.empty_line": {
    en: "empty line: every line must hold one JSON value",
    fr: "ligne vide : chaque ligne doit tenir une valeur JSON",
  },
  "jsonl.not_object": { en: "expected a JSON object", fr: "un objet JSON était attendu" },
  "jsonl.not_text": {
    en: "{name}: expected a string, found {found}",
    fr: "{name} : un texte était attendu, trouvé {found}",
  },
  "jsonl.an_array": { en: "an array", fr: "une liste" },
  "jsonl.an_object": { en: "object", fr: "un objet" },
  "jsonl.a_boolean": { en: "boolean", fr: "un booléen" },
} as const satisfies Readonly<Record<string, Texts>>;

export type ReasonCode = keyof typeof TEXTS;
export const REASON_CODES = Object.keys(TEXTS) as readonly ReasonCode[];

export interface Reason {
  readonly code: ReasonCode;
  /** The column the reason is about: rendered first (`phone: …`), and as `{column}`. */
  readonly column?: string;
  readonly args?: Readonly<Record<string, string | number | Reason>>;
}

/** The templates of a code, for the catalogue's test. */
export const reasonTexts = (code: ReasonCode): Texts => TEXTS[code];

const TEMPLATES = new Map<ReasonCode, { readonly fr: Template; readonly en: Template }>(
  REASON_CODES.map((code) => [code, { fr: compile(TEXTS[code].fr), en: compile(TEXTS[code].en) }]),
);

export function renderReason(reason: Reason, lang: Lang): string {
  const args = { column: reason.column, ...reason.args };
  const templates = TEMPLATES.get(reason.code) as { readonly fr: Template; readonly en: Template };
  const text = render(templates[lang], lang, args, renderReason, reason.code);
  return reason.column === undefined ? text : `${reason.column}${lang === "fr" ? " : " : ": "}${text}`;
}

/** The English words and the reason, as every check returns them. */
export const refused = (
  reason: Reason,
): { readonly ok: false; readonly error: string; readonly reason: Reason } => ({
  ok: false,
  error: renderReason(reason, "en"),
  reason,
});
