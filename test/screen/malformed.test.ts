// Every run reconciles — in = allowed + blocked + rejected, in summary.json and in the files —
// whatever is wrong with the list; each bad row is rejected with its line and the others decided.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { XlsxWriter } from "../../src/io/xlsx/writer.ts";
import { ListFileError } from "../../src/services/screen/columns.ts";
import { EMAIL_2026, reconcile, screen } from "./helpers.ts";

const rejectedLines = (o: Awaited<ReturnType<typeof screen>>) =>
  o.rows("rejected.csv").map((r) => Number(r[0]));

describe("screen reconciles on malformed lists", () => {
  test("broken quotes: a character after a closing quote rejects that row only", async () => {
    const o = await screen({
      list: 'id,phone,note\n1,06 12 34 56 78,ok\n2,06 12 34 56 79,"ab"c\n3,06 12 34 56 80,"fine, quoted"\n',
    });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 0, blocked: 2, rejected: 1 });
    assert.deepEqual(rejectedLines(o), [3]);
    assert.match(o.rows("rejected.csv")[0]?.[1] ?? "", /after the closing quote/);
  });

  test("a quote never closed: its line is rejected, the rows after it are decided", async () => {
    const o = await screen({
      list: 'id,phone,note\n1,06 12 34 56 78,ok\n2,06 12 34 56 79,"never closed\n3,06 12 34 56 80,x\n4,06 12 34 56 81,"a ""b"", c"\n',
    });
    assert.deepEqual(reconcile(o), { in: 4, allowed: 0, blocked: 3, rejected: 1 });
    assert.deepEqual(rejectedLines(o), [3]);
    assert.match(o.rows("rejected.csv")[0]?.[1] ?? "", /quote opened on line 3 is not closed on that line/);
  });

  test("wrong column counts", async () => {
    const o = await screen({
      list: "id,phone,note\n1,06 12 34 56 78,a\n2,06 12 34 56 79\n3,06 12 34 56 80,b,extra\n4,06 12 34 56 81,c\n",
    });
    assert.deepEqual(reconcile(o), { in: 4, allowed: 0, blocked: 2, rejected: 2 });
    assert.deepEqual(rejectedLines(o), [3, 4]);
    assert.match(o.rows("rejected.csv")[0]?.[1] ?? "", /expected 3 fields, as in the header, found 2/);
  });

  test("invalid phone numbers and other invalid cells", async () => {
    const o = await screen({
      list: [
        "id,phone,kind,origin,collected_at,department,time_zone,relationship",
        "1,06 12 34 56 78,consumer,,,,,",
        "2,12,consumer,,,,,",
        "3,06 12 34 56 7x,consumer,,,,,",
        "4,,consumer,,,,,",
        "5,06 12 34 56 79,robot,,,,,",
        "6,06 12 34 56 80,consumer,rumour,,,,",
        "7,06 12 34 56 81,consumer,scraped_public,2025-13-45,,,",
        "8,06 12 34 56 82,consumer,,2025-02-01,,,",
        "9,06 12 34 56 83,consumer,,,999,,",
        "10,06 12 34 56 84,consumer,,,,Mars/Olympus,",
        "11,06 12 34 56 85,consumer,,,,,friend",
        "12,06 12 34 56 86,professional,direct,2025-02-01,75,Europe/Paris,prospect",
      ].join("\n"),
    });
    assert.deepEqual(reconcile(o), { in: 12, allowed: 1, blocked: 1, rejected: 10 });
    const errors = o.rows("rejected.csv").map((r) => `${r[0]} ${r[1]}`);
    assert.deepEqual(
      errors.map((e) => e.split(":")[0]),
      [
        "3 phone",
        "4 phone",
        "5 phone",
        "6 kind",
        "7 origin",
        "8 collected_at",
        "9 origin",
        "10 department",
        "11 time_zone",
        "12 relationship",
      ],
    );
  });

  test("invalid e-mail addresses, for an e-mail campaign", async () => {
    const o = await screen({
      campaign: EMAIL_2026,
      list: "email,name\njean@,a\n@example.fr,b\njean dupont@example.fr,c\nclaire@example.fr,d\nCLAIRE@Example.FR,e\n",
    });
    assert.deepEqual(reconcile(o), { in: 5, allowed: 0, blocked: 2, rejected: 3 });
    assert.deepEqual(rejectedLines(o), [2, 3, 4]);
  });

  test("a file with a header only, and a 0-byte file", async () => {
    const headerOnly = await screen({ list: "id,phone\n" });
    assert.deepEqual(reconcile(headerOnly), { in: 0, allowed: 0, blocked: 0, rejected: 0 });
    assert.equal(headerOnly.read("allowed.csv"), "id,phone,duplicate_of,interpreted\n");
    const empty = await screen({ list: "" });
    assert.deepEqual(reconcile(empty), { in: 0, allowed: 0, blocked: 0, rejected: 0 });
    assert.equal(empty.read("allowed.csv"), "duplicate_of,interpreted\n");
    assert.equal(
      empty.read("blocked.csv"),
      "rule,reason,article,other_rules,duplicate_of,interpreted,needs_review\n",
    );
    assert.equal(empty.read("rejected.csv"), "line,error,raw\n");
  });

  test("read as UTF-8, non-UTF-8 rows are rejected naming the field; a non-UTF-8 header refuses the file", async () => {
    const latin1 = Buffer.concat([
      Buffer.from("id,phone,ville\n1,06 12 34 56 78,Lyon\n2,06 12 34 56 79,"),
      Buffer.from("Orléans", "latin1"),
      Buffer.from("\n3,06 12 34 56 80,Nice\n"),
    ]);
    const o = await screen({ list: latin1, input: { encoding: "utf8" } });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 0, blocked: 2, rejected: 1 });
    assert.match(o.rows("rejected.csv")[0]?.[1] ?? "", /invalid UTF-8 in field 3 \(ville\)/);
    await assert.rejects(
      screen({
        list: Buffer.concat([Buffer.from("id,phone,"), Buffer.from("t\xe9l\n", "latin1")]),
        input: { encoding: "utf8" },
      }),
      (e) => e instanceof ListFileError && /line 1: header: invalid UTF-8/.test(e.message),
    );
  });

  test("a title above the table: the list is refused, naming the line that looks like the header", async () => {
    for (const list of [
      "Export du 12/03/2025;;\nNom;Téléphone;Email\nDupont;06 12 34 56 78;a@example.fr\n",
      "Export CRM\n\nNom;Téléphone;Email\nDupont;06 12 34 56 78;a@example.fr\n",
    ]) {
      await assert.rejects(
        screen({ list }),
        (e) =>
          e instanceof ListFileError &&
          /no "phone" column/.test(e.message) &&
          /line \d looks like the header \("Nom", "Téléphone", "Email"\): remove the line\(s\) above it/.test(
            e.message,
          ),
        list,
      );
    }
    // With no such line below, the error is as it was.
    await assert.rejects(
      screen({ list: "a;b\n1;2\n" }),
      (e) => e instanceof ListFileError && !/looks like/.test(e.message),
    );
  });

  test("a workbook with a title row: the same", async () => {
    const w = new XlsxWriter("Feuil1");
    w.row(["Export du 12/03/2025"]);
    w.row(["Nom", "Téléphone"]);
    w.row(["Dupont", "06 12 34 56 78"]);
    w.end();
    await assert.rejects(
      screen({ list: w.take(), listName: "list.xlsx" }),
      (e) =>
        e instanceof ListFileError && /line 2 looks like the header \("Nom", "Téléphone"\)/.test(e.message),
    );
  });

  test("lists joined one below the other: the second header is rejected as such, its rows decided", async () => {
    const o = await screen({
      list: "Nom;Téléphone\r\nDupont;06 12 34 56 78\r\nnom;TÉLÉPHONE \r\nMartin;06 12 34 56 79\r\n",
    });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 0, blocked: 2, rejected: 1 });
    assert.deepEqual(o.rows("rejected.csv")[0]?.slice(0, 2), [
      "3",
      "repeats the header line (two exports joined one below the other?): remove it",
    ]);
    const w = new XlsxWriter("Feuil1");
    for (const row of [
      ["Nom", "Téléphone"],
      ["Dupont", "06 12 34 56 78"],
      ["Nom", "Téléphone"],
      ["Martin", "06 12 34 56 79"],
    ])
      w.row(row);
    w.end();
    const x = await screen({ list: w.take(), listName: "list.xlsx" });
    assert.deepEqual(reconcile(x), { in: 3, allowed: 0, blocked: 2, rejected: 1 });
    assert.match(x.rows("rejected.csv")[0]?.[1] ?? "", /^repeats the header line/);
  });

  test("a 50 MB field is rejected without being held, and the rows after it are decided", async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, "x");
    const list = Buffer.concat([
      Buffer.from("id,phone,note\n1,06 12 34 56 78,a\n2,06 12 34 56 79,"),
      big,
      Buffer.from("\n3,06 12 34 56 80,c\n"),
    ]);
    const o = await screen({ list });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 0, blocked: 2, rejected: 1 });
    const [line, error, raw] = o.rows("rejected.csv")[0] ?? [];
    assert.equal(line, "3");
    assert.match(error ?? "", /field 3 is longer than/);
    assert.equal(raw, "");
  });

  test("a 50 MB JSON line is rejected the same way", async () => {
    const list = Buffer.concat([
      Buffer.from('{"phone":"06 12 34 56 78"}\n{"phone":"06 12 34 56 79","note":"'),
      Buffer.alloc(50 * 1024 * 1024, "x"),
      Buffer.from('"}\n{"phone":"06 12 34 56 80"}\n'),
    ]);
    const o = await screen({ list, listName: "list.jsonl" });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 0, blocked: 2, rejected: 1 });
    assert.deepEqual(rejectedLines(o), [2]);
  });

  test("a French spreadsheet's CSV: BOM, semicolons, CRLF, line breaks inside quotes", async () => {
    const rows = [
      "id;phone;kind;note",
      '1;06 12 34 56 78;professional;"deux\r\nlignes; et un point-virgule"',
      '2;06 12 34 56 79;consumer;"dit ""bonjour"""',
      "3;06 12;consumer;court",
    ];
    const o = await screen({ list: `\uFEFF${rows.join("\r\n")}\r\n` });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 1, blocked: 1, rejected: 1 });
    // Rows pass through byte for byte, in the list's own dialect, with the columns screening adds.
    assert.equal(o.read("allowed.csv"), `\uFEFF${rows[0]};duplicate_of;interpreted\r\n${rows[1]};;\r\n`);
    assert.ok(
      o
        .read("blocked.csv")
        .startsWith(
          `\uFEFF${rows[0]};rule;reason;article;other_rules;duplicate_of;interpreted;needs_review\r\n${rows[2]};`,
        ),
    );
    assert.deepEqual(rejectedLines(o), [5]);
  });
});
