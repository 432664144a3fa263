// Lists as French offices write them: column names, dates, numbers Excel stripped of their 0,
// their own words for origins — each interpretation counted and shown.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ruleById } from "../../src/engine/rulebook.ts";
import { columnNames, ListFileError, recognise } from "../../src/services/screen/columns.ts";
import { parseMapValues, parseSet } from "../../src/services/screen/list-values.ts";
import { CALL_2025, reconcile, screen } from "./helpers.ts";

/** Sellers' numbers from property ads, called on a weekday in 2025. */
const PIGE = { ...CALL_2025 };

describe("French column names", () => {
  test("each is recognised without accents, case, spaces or punctuation", () => {
    const cases: [string, string][] = [
      ["Téléphone", "phone"],
      ["Tél.", "phone"],
      ["TEL", "phone"],
      ["Portable", "phone"],
      ["Mobile", "phone"],
      ["N° de téléphone", "phone"],
      ["Courriel", "email"],
      ["E-mail", "email"],
      ["Mail", "email"],
      ["Email", "email"],
      ["Source", "origin"],
      ["Origine", "origin"],
      ["Date de collecte", "collected_at"],
      ["Collecté le", "collected_at"],
      ["Lien annonce", "source_url"],
      ["Département", "department"],
      ["Fuseau horaire", "time_zone"],
      ["Mention démarchage", "publisher_refused"],
      ["Texte de l'annonce", "publisher_refused"],
      ["Description", "publisher_refused"],
      ["Annonce", "publisher_refused"],
      ["Référence", "id"],
    ];
    for (const [header, column] of cases) {
      const names = recognise(["Nom", "Prénom", header], columnNames(undefined));
      assert.equal(names[column as "phone"], header, header);
    }
  });

  test("a column's own name wins; --map wins; two candidates are refused, not guessed", () => {
    assert.equal(recognise(["phone", "Téléphone"], columnNames(undefined)).phone, "phone");
    assert.equal(recognise(["Tél", "Portable"], columnNames("phone=Portable")).phone, "Portable");
    assert.throws(
      () => recognise(["Téléphone", "Portable"], columnNames(undefined)),
      (e) =>
        e instanceof ListFileError &&
        e.message ===
          'columns "Téléphone" and "Portable" may all be phone: say which with --map phone=COLUMN',
    );
  });

  test("a list with French headers is screened, and summary.json says which column was read", async () => {
    const o = await screen({
      list: "Nom;Prénom;Téléphone;Courriel;Source\nDupont;Marie;06 12 34 56 78;marie@example.fr;scraped_public\n",
    });
    assert.deepEqual(reconcile(o), { in: 1, allowed: 0, blocked: 1, rejected: 0 });
    assert.deepEqual(o.summary.columns, { phone: "Téléphone", email: "Courriel", origin: "Source" });
    assert.deepEqual(o.summary.byOrigin, { scraped_public: { allowed: 0, blocked: 1 } });
  });

  test("Excel's CSV (Macintosh), lines ended by a carriage return alone: every row read, lines counted", async () => {
    const o = await screen({
      list: Buffer.from(
        "Nom;Téléphone;Source\rDupont;06 12 34 56 78;scraped_public\rMartin;06 12;scraped_public\rDurand;06 12 34 56 79;scraped_public\r",
        "latin1",
      ),
    });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 0, blocked: 2, rejected: 1 });
    assert.match(o.read("rejected.csv"), /\n3;phone: /, "the malformed row named by its line");
  });

  test("a CRLF header over rows ended by a CR alone: each row rejected on its own line, none merged", async () => {
    const o = await screen({
      list: "Nom;Téléphone;Source\r\nDupont;06 12 34 56 78;scraped_public\rMartin;06 12 34 56 79;scraped_public\rDurand;06 12 34 56 80;scraped_public\r",
    });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 0, blocked: 0, rejected: 3 });
    assert.deepEqual(
      o.rows("rejected.csv").map((r) => `${r[0]} ${r[2]}`),
      [
        "2 Dupont;06 12 34 56 78;scraped_public",
        "3 Martin;06 12 34 56 79;scraped_public",
        "4 Durand;06 12 34 56 80;scraped_public",
      ],
    );
  });
});

describe("French dates and numbers", () => {
  test("JJ/MM/AAAA dates and nine-digit numbers are read, each said in `interpreted` and counted", async () => {
    const o = await screen({
      list: [
        "Nom;Téléphone;Source;Date de collecte",
        "Dupont;612345678;scraped_public;10/02/2025",
        "Martin;06 12 34 56 79;scraped_public;2025-02-11",
        "Durand;612345680;scraped_public;",
      ].join("\n"),
      campaign: PIGE,
    });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 0, blocked: 3, rejected: 0 });
    const interpreted = o.rows("blocked.csv").map((r) => r.at(-2));
    assert.deepEqual(interpreted, [
      "phone: 612345678 → 0612345678; collected_at: 10/02/2025 → 2025-02-10",
      "",
      "phone: 612345680 → 0612345680",
    ]);
    assert.deepEqual(o.summary.interpretations, {
      numbersCompleted: 2,
      datesFrench: 1,
      wordsSpelled: 0,
      valuesMapped: 0,
      valuesSet: 0,
      needsReview: 0,
    });
    const html = o.read("report.html");
    assert.match(html, /2 numéros complétés par leur 0 initial/);
    assert.match(html, /2 numbers completed with their leading 0/);
    assert.match(html, /1 dates lues au format français/);
    // The campaign in words, its codes beside them.
    assert.match(
      html,
      /appel par un conseiller<\/span><span class="en" lang="en">call by an agent<\/span> \(<code>voice_live<\/code>\)/,
    );
    assert.match(html, /secteur :.*autre/);
    // For each blocking rule, what would lift it.
    assert.match(html, /Ce qui le lèverait/);
    for (const rule of Object.keys(o.summary.byRule)) {
      const remedy = ruleById(rule)?.rule.remedy;
      assert.ok(remedy !== undefined, rule);
      assert.ok(html.includes(remedy.en.replaceAll("'", "&#39;")), `${rule}: ${remedy.en}`);
    }
  });

  test("an impossible date rejects its row, naming the row and the column; other numbers stay refused", async () => {
    const o = await screen({
      list: "phone;origin;collected_at\n612345678;scraped_public;31/02/2025\n06 12;scraped_public;\n12345678;direct;\n",
    });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 0, blocked: 0, rejected: 3 });
    assert.deepEqual(
      o.rows("rejected.csv").map((r) => [r[0], r[1]]),
      [
        ["2", 'collected_at: "31/02/2025": there is no 31 février 2025'],
        ["3", "phone: not a valid phone number: too short: 3 digits after the national prefix"],
        ["4", "phone: not a valid phone number: missing the national prefix 0 or a +country code"],
      ],
    );
    assert.equal(o.summary.interpretations.numbersCompleted, 0, "rejected rows count no interpretation");
  });
});

describe("--set and --map-values", () => {
  test("the list's own words are mapped; an empty cell takes --set's value; a row's own value wins", async () => {
    const o = await screen({
      list: "Téléphone;Source\n06 12 34 56 78;LeBonCoin\n06 12 34 56 79;\n06 12 34 56 80;direct\n06 12 34 56 81;Se Loger\n",
      campaign: PIGE,
      values: {
        set: parseSet(["origin=scraped_public", "collected_at=01/02/2025"]),
        maps: parseMapValues(["origin=LeBonCoin:scraped_public,SeLoger:scraped_public"]),
      },
    });
    assert.deepEqual(reconcile(o), { in: 4, allowed: 0, blocked: 4, rejected: 0 });
    assert.deepEqual(o.summary.byOrigin, {
      direct: { allowed: 0, blocked: 1 },
      scraped_public: { allowed: 0, blocked: 3 },
    });
    assert.deepEqual(
      o.rows("blocked.csv")[0]?.at(-2),
      [
        "origin: LeBonCoin → scraped_public (--map-values)",
        "collected_at: 01/02/2025 (--set)",
        "collected_at: 01/02/2025 → 2025-02-01",
      ].join("; "),
    );
    assert.deepEqual(o.summary.interpretations, {
      numbersCompleted: 0,
      datesFrench: 4,
      wordsSpelled: 0,
      valuesMapped: 2,
      valuesSet: 5,
      needsReview: 0,
    });
    // What they rest on: the values said for the whole list, the words as compared.
    assert.deepEqual(o.summary.listValues, {
      set: { origin: "scraped_public", collected_at: "01/02/2025" },
      mapped: { origin: { leboncoin: "scraped_public", seloger: "scraped_public" } },
    });
  });

  test("a word of the vocabulary in other capitals or with spaces is read as that word, and said", async () => {
    const o = await screen({
      list: [
        "Téléphone;Source;kind;Date de collecte",
        "06 12 34 56 78;Scraped_Public;Consumer;01/02/2025",
        "06 12 34 56 79;scraped public;PROFESSIONAL;01/02/2025",
        "06 12 34 56 80;scraped-public;legal entity;01/02/2025",
        "06 12 34 56 81;scrapedpublic;consumer;01/02/2025",
        "",
      ].join("\n"),
      campaign: PIGE,
    });
    // A legal entity is allowed (no notice is owed to it: the GDPR protects natural persons); the
    // consumer and the professional, never told of the collection, are not.
    assert.deepEqual(reconcile(o), { in: 4, allowed: 1, blocked: 2, rejected: 1 });
    const interpreted = [
      ...o.rows("blocked.csv").map((r) => r.at(-2)),
      ...o.rows("allowed.csv").map((r) => r.at(-1)),
    ].map((cell) => cell?.split("; ").filter((t) => !t.startsWith("collected_at")));
    assert.deepEqual(interpreted, [
      ["kind: Consumer → consumer", "origin: Scraped_Public → scraped_public"],
      ["kind: PROFESSIONAL → professional", "origin: scraped public → scraped_public"],
      ["kind: legal entity → legal_entity", "origin: scraped-public → scraped_public"],
    ]);
    assert.equal(o.summary.interpretations.wordsSpelled, 6);
    // Letters missing or added are another word: refused, as an unknown word is.
    assert.match(o.rows("rejected.csv")[0]?.[1] ?? "", /^origin: "scrapedpublic" is not one of/);
  });

  test("an unknown value rejects the row, listing the accepted values and suggesting --map-values", async () => {
    const o = await screen({ list: "Téléphone;Source\n06 12 34 56 78;Boîtage\n" });
    assert.deepEqual(
      o.rows("rejected.csv")[0]?.[1],
      'origin: "Boîtage" is not one of direct, partner, broker, scraped_public, directory (to read the list\'s own word, say --map-values origin=Boîtage:VALUE)',
    );
  });

  test("words match without accents, case or spaces; bad options are refused before reading", () => {
    const maps = parseMapValues(["origin=Boîtage:direct"], undefined);
    assert.equal(maps.origin?.get("boitage"), "direct");
    assert.throws(
      () => parseSet(["origin=leboncoin"]),
      /--set origin=leboncoin: "leboncoin" is not one of direct/,
    );
    assert.throws(() => parseSet(["phone=0612345678"]), /phone is each row's own/);
    assert.throws(() => parseSet(["collected_at=31/02/2026"]), /there is no 31 février 2026/);
    assert.throws(() => parseMapValues(["origin=PAP:pap"]), /"pap" is not one of direct/);
    assert.throws(
      () => parseMapValues(["origin=PAP:direct", "origin=pap:scraped_public"]),
      /mapped to both direct and scraped_public/,
    );
    assert.throws(() => parseMapValues(["department=Rhône:69"]), /department has no values to map/);
    // A file naming a word twice: JSON keeps the last, so the first would be dropped unsaid.
    const dir = mkdtempSync(join(tmpdir(), "vigie-map-"));
    try {
      const file = join(dir, "map.json");
      writeFileSync(file, '{"origin": {"PAP": "direct", "PAP": "scraped_public"}}');
      assert.throws(
        () => parseMapValues([], file),
        (e: Error) =>
          e instanceof ListFileError &&
          e.message ===
            `--map-values-file ${file}: origin.PAP: given twice in one object: which one counts is not said`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ad wording", () => {
  test("a refusal blocks; wording not understood is blocked for review, said in its reason, column and count", async () => {
    const o = await screen({
      list: [
        "Téléphone;Source;Type de contact;Mention",
        "06 12 34 56 78;scraped_public;professional;Merci de ne pas appeler",
        "06 12 34 56 79;scraped_public;professional;Merci de ne rien proposer",
        "06 12 34 56 80;scraped_public;professional;Maison avec jardin",
      ].join("\n"),
      campaign: PIGE,
      lang: "fr",
    });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 1, blocked: 2, rejected: 0 });
    const blocked = o.rows("blocked.csv");
    const byLine = Object.fromEntries(blocked.map((r) => [r[0], r]));
    assert.equal(byLine["06 12 34 56 78"]?.[4], "gdpr-21/objection");
    assert.equal(byLine["06 12 34 56 78"]?.at(-1), "");
    const review = byLine["06 12 34 56 79"];
    assert.equal(review?.[4], "gdpr-21/objection");
    assert.match(
      review?.[5] ?? "",
      /^Mention de l'annonce non reconnue \("Merci de ne rien proposer"\) : lue comme un refus/,
    );
    assert.equal(review?.at(-1), "publisher_refused");
    assert.equal(o.summary.interpretations.needsReview, 1);
    assert.match(o.read("report.html"), /1 mentions d'annonce non reconnues/);
  });

  test("the ad's whole text, as pige exports give it, is read for a refusal inside it", async () => {
    const o = await screen({
      list: [
        "Téléphone;Source;Type de contact;Texte de l'annonce",
        "06 12 34 56 81;scraped_public;professional;T3 lumineux, proche écoles. Visites le samedi. Agences s'abstenir.",
        "06 12 34 56 82;scraped_public;professional;T2 refait à neuf, sans travaux, à ne pas manquer !",
      ].join("\n"),
      campaign: PIGE,
      lang: "fr",
    });
    assert.deepEqual(reconcile(o), { in: 2, allowed: 1, blocked: 1, rejected: 0 });
    assert.equal(o.summary.columns.publisher_refused, "Texte de l'annonce");
    assert.equal(o.rows("blocked.csv")[0]?.[0], "06 12 34 56 81");
    assert.equal(o.rows("blocked.csv")[0]?.[4], "gdpr-21/objection");
  });
});
