// A DPO reads the report in one language: rejected rows' reasons in it too, counted by code, while
// rejected.csv keeps the English words scripts read.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CALL_2025, type Outputs, reconcile, screen } from "./helpers.ts";

const COLUMNS = [
  "phone",
  "email",
  "kind",
  "origin",
  "collected_at",
  "sender_named",
  "obtained_at",
  "transfers",
  "relationship",
  "free_account_of_paid_model",
  "department",
  "time_zone",
] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

/** Each row is rejected for one reason: its English words, as rejected.csv gives them, and French. */
const CASES: readonly { row: Row; code: string; en: string; fr: string }[] = [
  {
    row: {},
    code: "phone.missing",
    en: "phone: empty: the campaign reaches phone numbers",
    fr: "phone : vide : la campagne s'adresse à des numéros de téléphone",
  },
  {
    row: { phone: "06 12 AB" },
    code: "phone.invalid",
    en: "phone: not a valid phone number: contains letters",
    fr: "phone : numéro de téléphone invalide : contient des lettres",
  },
  {
    row: { phone: "0612345" },
    code: "phone.invalid",
    en: "phone: not a valid phone number: too short: 6 digits after the national prefix",
    fr: "phone : numéro de téléphone invalide : trop court : 6 chiffres après le préfixe national",
  },
  {
    row: { phone: "0612345601", email: "jean@@example.fr" },
    code: "point.other_unreadable",
    en: "email: not a valid e-mail address: several @ (the row's other point is read for the person's objections)",
    fr: "email : adresse e-mail invalide : plusieurs « @ » (l'autre coordonnée de la ligne est lue pour les oppositions de la personne)",
  },
  {
    row: { phone: "0612345602", kind: "particulier" },
    code: "value.unknown_word",
    en: 'kind: "particulier" is not one of consumer, professional, legal_entity (to read the list\'s own word, say --map-values kind=particulier:VALUE)',
    fr: "kind : \"particulier\" n'est pas l'une des valeurs consumer, professional, legal_entity (pour lire le mot de la liste, indiquez --map-values kind=particulier:VALEUR)",
  },
  {
    row: { phone: "0612345603", origin: "LeBonCoin" },
    code: "value.unknown_word",
    en: 'origin: "LeBonCoin" is not one of direct, partner, broker, scraped_public, directory (to read the list\'s own word, say --map-values origin=LeBonCoin:VALUE)',
    fr: "origin : \"LeBonCoin\" n'est pas l'une des valeurs direct, partner, broker, scraped_public, directory (pour lire le mot de la liste, indiquez --map-values origin=LeBonCoin:VALEUR)",
  },
  {
    row: { phone: "0612345604", origin: "direct", collected_at: "31/02/2026" },
    code: "date.no_day",
    en: 'collected_at: "31/02/2026": there is no 31 février 2026',
    fr: 'collected_at : "31/02/2026" : le 31 février 2026 n\'existe pas',
  },
  {
    row: { phone: "0612345605", origin: "direct", collected_at: "10/22/2024" },
    code: "date.no_month",
    en: 'collected_at: "10/22/2024": no month 22 (dates are read day first: JJ/MM/AAAA)',
    fr: 'collected_at : "10/22/2024" : pas de mois 22 (les dates se lisent jour d\'abord : JJ/MM/AAAA)',
  },
  {
    row: { phone: "0612345606", origin: "direct", collected_at: "demain" },
    code: "date.not_a_date",
    en: 'collected_at: not a date: "demain" (JJ/MM/AAAA, YYYY-MM-DD or ISO 8601)',
    fr: 'collected_at : pas une date : "demain" (JJ/MM/AAAA, AAAA-MM-JJ ou ISO 8601)',
  },
  {
    row: { phone: "0612345607", origin: "direct", collected_at: "22/10/2024 25:00" },
    code: "date.no_time",
    en: 'collected_at: "22/10/2024 25:00": no such time',
    fr: 'collected_at : "22/10/2024 25:00" : heure impossible',
  },
  {
    row: { phone: "0612345627", origin: "direct", collected_at: "29/03/2026 02:30" },
    code: "date.skipped_time",
    en: 'collected_at: "29/03/2026 02:30": does not exist in Europe/Paris: clocks went forward from 02:00 to 03:00 that night',
    fr: 'collected_at : "29/03/2026 02:30" : n\'existe pas en Europe/Paris : les horloges ont avancé de 02:00 à 03:00 cette nuit-là',
  },
  {
    row: { phone: "0612345608", origin: "direct", collected_at: "1980-01-01" },
    code: "date.before_floor",
    en: 'collected_at: "1980-01-01": before 1990-01-01: not a plausible date',
    fr: 'collected_at : "1980-01-01" : antérieure au 1990-01-01 : date invraisemblable',
  },
  {
    row: { phone: "0612345609", origin: "direct", sender_named: "peut-être" },
    code: "value.yes_no",
    en: 'sender_named: expected true/false/1/0/oui/non, got "peut-être"',
    fr: 'sender_named : attendu true/false/1/0/oui/non, reçu "peut-être"',
  },
  {
    row: { phone: "0612345610", origin: "direct", obtained_at: "2024-05-01" },
    code: "origin.third_party_only",
    en: 'obtained_at: only for data from a partner or broker (origin "partner" or "broker")',
    fr: 'obtained_at : seulement pour des données venues d\'un partenaire ou d\'un courtier (origin "partner" ou "broker")',
  },
  {
    row: { phone: "0612345611", origin: "partner", collected_at: "2024-05-10", obtained_at: "2024-05-01" },
    code: "date.before_collected",
    en: "obtained_at: before collected_at",
    fr: "obtained_at : antérieure à collected_at",
  },
  {
    row: { phone: "0612345612", origin: "partner", transfers: "beaucoup" },
    code: "value.transfers",
    en: 'transfers: expected a whole number from 1 (straight from the collector) to 100, got "beaucoup"',
    fr: 'transfers : attendu un nombre entier de 1 (reçu directement du collecteur) à 100, reçu "beaucoup"',
  },
  {
    row: { phone: "0612345613", collected_at: "2024-05-10" },
    code: "origin.required",
    en: "origin: required when collected_at is given",
    fr: "origin : obligatoire quand collected_at est renseigné",
  },
  {
    row: { phone: "0612345614", relationship: "client fidèle" },
    code: "value.unknown_word",
    en: 'relationship: "client fidèle" is not one of active_contract, past_customer, account_only, prospect (to read the list\'s own word, say --map-values relationship=client fidèle:VALUE)',
    fr: "relationship : \"client fidèle\" n'est pas l'une des valeurs active_contract, past_customer, account_only, prospect (pour lire le mot de la liste, indiquez --map-values relationship=client fidèle:VALEUR)",
  },
  {
    row: { phone: "0612345615", relationship: "active_contract", free_account_of_paid_model: "oui" },
    code: "relationship.account_only",
    en: 'free_account_of_paid_model: only for an account without a sale (relationship "account_only")',
    fr: 'free_account_of_paid_model : seulement pour un compte sans achat (relationship "account_only")',
  },
  {
    row: { phone: "0612345616", department: "99" },
    code: "value.department",
    en: 'department: "99" is not a French department code (01–95, 2A, 2B, 971–978)',
    fr: 'department : "99" n\'est pas un code de département français (01–95, 2A, 2B, 971–978)',
  },
  {
    row: { phone: "0612345617", time_zone: "Mars/Olympus" },
    code: "value.time_zone",
    en: 'time_zone: "Mars/Olympus" is not an IANA time zone',
    fr: 'time_zone : "Mars/Olympus" n\'est pas un fuseau horaire IANA',
  },
];

/** One decided row, so the report has something besides rejections. */
const DECIDED: Row = { phone: "0612345699", origin: "direct", collected_at: "2024-05-10" };

const list = (): string =>
  [
    COLUMNS.join(";"),
    ...[...CASES.map((c) => c.row), DECIDED].map((r) => COLUMNS.map((c) => r[c] ?? "").join(";")),
  ]
    .map((line) => `${line}\n`)
    .join("");

const UNESCAPE: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

/** The report's text as shown in `lang`: the other language's spans removed, tags dropped. */
function shown(o: Outputs, lang: "fr" | "en"): string {
  const html = o.read("report.html");
  assert.match(html, new RegExp(`id="lang-${lang}" checked`), `the report shows ${lang} first`);
  const other = lang === "fr" ? "en" : "fr";
  return html
    .replace(new RegExp(`<(t?span) class="${other}"[^>]*>.*?</\\1>`, "gs"), "")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => UNESCAPE[e] as string);
}

describe("rejection reasons in the report's language", () => {
  const run = (lang: "fr" | "en") => screen({ list: list(), campaign: CALL_2025, lang });

  test("rejected.csv keeps the English words, whatever the report's language", async () => {
    for (const lang of ["fr", "en"] as const) {
      const o = await run(lang);
      assert.deepEqual(reconcile(o), {
        in: CASES.length + 1,
        allowed: 0,
        blocked: 1,
        rejected: CASES.length,
      });
      assert.deepEqual(
        o.rows("rejected.csv").map((r) => r[1]),
        CASES.map((c) => c.en),
      );
    }
  });

  test("the French report shows every reason in French, and no English reason", async () => {
    const text = shown(await run("fr"), "fr");
    for (const c of CASES) {
      assert.ok(text.includes(c.fr), `missing: ${c.fr}`);
      assert.ok(!text.includes(c.en), `English shown: ${c.en}`);
    }
  });

  test("the English report shows every reason in English, and no French reason", async () => {
    const text = shown(await run("en"), "en");
    for (const c of CASES) {
      assert.ok(text.includes(c.en), `missing: ${c.en}`);
      assert.ok(!text.includes(c.fr), `French shown: ${c.fr}`);
    }
  });

  test("rejections are counted by code, in summary.json and the report", async () => {
    const o = await run("fr");
    const expected: Record<string, number> = {};
    for (const c of CASES) expected[c.code] = (expected[c.code] ?? 0) + 1;
    assert.deepEqual(o.summary.byReason, expected);
    assert.deepEqual(JSON.parse(o.read("summary.json")).byReason, expected);
    // Most first, then by code: the two phone numbers under one code, with the first case's words.
    assert.deepEqual(Object.keys(o.summary.byReason).slice(0, 2), ["value.unknown_word", "phone.invalid"]);
    const html = o.read("report.html");
    for (const [code, n] of Object.entries(expected)) {
      assert.match(
        html,
        new RegExp(
          `<tr><td class="nowrap"><code>${code.replace(".", "\\.")}</code></td><td class="n">${n}</td>`,
        ),
      );
    }
  });

  test("a row the reader cannot read is said in French too; rejected.csv keeps the reader's English", async () => {
    const o = await screen({
      list: 'phone;origin\n"0612345601"x;direct\n0612345602;direct;extra\n',
      lang: "fr",
    });
    const rows = o.rows("rejected.csv");
    assert.deepEqual(
      rows.map((r) => r[1]),
      [
        "unexpected character after the closing quote of field 1",
        "expected 2 fields, as in the header, found 3",
      ],
    );
    assert.deepEqual(o.summary.byReason, { "row.unreadable": 2 });
    const fr = shown(o, "fr");
    assert.ok(fr.includes("ligne illisible : caractère inattendu après le guillemet fermant du champ 1"), fr);
    assert.ok(fr.includes("ligne illisible : 2 champs attendus, comme dans l'en-tête, 3 trouvés"), fr);
    assert.ok(!fr.includes("after the closing quote") && !fr.includes("as in the header"));
  });
});
