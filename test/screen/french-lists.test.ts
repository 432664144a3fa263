// Lists as French offices write them: column names, dates, numbers Excel stripped of their 0,
// their own words for origins — each interpretation counted and shown.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { columnNames, ListFileError, recognise } from "../../src/services/screen/columns.ts";
import { reconcile, screen } from "./helpers.ts";

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
});
