import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { vigie } from "./vigie.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-cli-import-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { VIGIE_KEYRING: join(dir, "keys", "keyring.json"), VIGIE_STORE: join(dir, "vigie.db") };
const run = (...args: string[]) => vigie(args, undefined, env);
const example = (name: string) => new URL(`../../examples/evidence/${name}`, import.meta.url).pathname;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const report = (r: { stdout: string }) => JSON.parse(r.stdout);

describe("vigie import", () => {
  test("the bundled evidence imports; counts reconcile", () => {
    for (const [kind, name] of [
      ["contacts", "contacts.csv"],
      ["consents", "consents.csv"],
      ["objections", "objections.csv"],
      ["history", "history.csv"],
    ] as const) {
      const r = run("import", kind, example(name), "--json");
      assert.equal(r.status, 0, `${kind}: ${r.stderr}`);
      const x = report(r);
      assert.equal(x.rows, x.accepted + x.rejected.length, kind);
      assert.equal(x.rejected.length, 0, kind);
      assert.ok(x.events.appended > 0, kind);
    }
    const bloctel = run(
      "import",
      "bloctel",
      example("bloctel-2026-08-03.csv"),
      "--date",
      "2026-08-03",
      "--json",
    );
    assert.equal(bloctel.status, 0, bloctel.stderr);
    assert.equal(report(bloctel).accepted, 2);
    assert.equal(run("audit", "verify").status, 0);
  });

  test("importing the same file again changes nothing", () => {
    const again = run("import", "consents", example("consents.csv"));
    assert.equal(again.status, 0);
    assert.match(again.stdout, /already imported on \d{4}-\d\d-\d\d \(same SHA-256\): nothing to do/);
    // The same consent, with its proof, in another file (another hash): no new event.
    const copy = file(
      "consents-copy.csv",
      "phone,controller,channel,given_at,method,collection_point\n06 12 34 56 78,Agence Dupont,voice_live,2026-10-01T09:12:00+02:00,double_opt_in,https://agence.example/rappel\n",
    );
    const x = report(run("import", "consents", copy, "--json"));
    assert.equal(x.events.appended, 0, "the same consent in another file is not recorded twice");
    assert.equal(x.events.duplicates, 1);
  });

  test("bad rows are rejected with their line and column; the others are imported", () => {
    const bad = file(
      "bad-consents.csv",
      [
        "phone,email,controller,channel,given_at,method",
        "06 11 11 11 11,,A,sms,2026-01-01,double_opt_in",
        "06 12,,A,sms,2026-01-01,double_opt_in",
        ",not-an-email,A,email,2026-01-01,double_opt_in",
        "06 11 11 11 12,,A,pigeon,2026-01-01,double_opt_in",
        "06 11 11 11 13,,A,sms,yesterday,double_opt_in",
        "06 11 11 11 14,,A,sms,2026-01-01",
        // Day first, as French spreadsheets write dates: 1 February; a 13th month is no date.
        // Words in other capitals or with spaces are the vocabulary's ("SMS", "Double Opt-In").
        "06 11 11 11 16,,A,SMS,01/02/2026,Double Opt-In",
        "06 11 11 11 17,,A,sms,02/13/2026,double_opt_in",
        '"06 11 11 11 15,,A,sms,2026-01-01,double_opt_in',
      ].join("\n"),
    );
    const r = run("import", "consents", bad, "--json");
    assert.equal(r.status, 2);
    const x = report(r);
    assert.equal(x.rows, 9);
    assert.equal(x.accepted, 2);
    assert.deepEqual(x.interpretations, { datesFrench: 1, wordsSpelled: 2 });
    assert.equal(x.rejected.length, 7);
    const byLine = new Map(x.rejected.map((e: { line: number; message: string }) => [e.line, e.message]));
    assert.match(String(byLine.get(3)), /^phone: not a valid phone number/);
    assert.match(String(byLine.get(4)), /^email: not a valid e-mail address/);
    assert.match(String(byLine.get(5)), /^channel: "pigeon" is not one of/);
    assert.match(String(byLine.get(6)), /^given_at: not a date/);
    assert.ok(byLine.has(7), "a row with a missing column is rejected");
    assert.equal(byLine.get(9), 'given_at: "02/13/2026": no month 13 (dates are read day first: JJ/MM/AAAA)');
    assert.ok(byLine.has(10), "an unterminated quote is rejected");
    assert.match(r.stderr, /bad-consents\.csv: line 3: phone: not a valid phone number/);
  });

  test("a consent is recorded for the points its channel reaches; a row giving none of them is rejected", () => {
    const path = file(
      "consent-channels.csv",
      [
        "phone,email,controller,channel,given_at,method",
        "06 21 21 21 21,lea@example.fr,A,sms,2026-01-01,double_opt_in",
        "06 21 21 21 22,,A,email,2026-01-01,double_opt_in",
        ",marc@example.fr,A,voice_live,2026-01-01,double_opt_in",
        ",paul@example.fr,A,postal,2026-01-01,double_opt_in",
      ].join("\n"),
    );
    const r = run("import", "consents", path, "--json");
    assert.equal(r.status, 2);
    const x = report(r);
    assert.deepEqual([x.rows, x.accepted], [4, 2]);
    assert.deepEqual(
      x.rejected.map((e: { line: number; column: string; message: string }) => [e.line, e.column, e.message]),
      [
        [3, "channel", "channel: email reaches a email point, and the row gives none"],
        [4, "channel", "channel: voice_live reaches a phone point, and the row gives none"],
      ],
    );
    // Line 2: the SMS consent is the phone's, the e-mail linked to it as the same person; line 5:
    // a letter reaches an address the store does not key, the e-mail names the person.
    assert.equal(x.events.appended, 3);
  });

  test("a stray quote mid-file rejects its own line; the rows after it are imported and counted", () => {
    const stray = file(
      "stray-quote-objections.csv",
      [
        "phone,at,controller,channel,via",
        "06 21 11 11 11,2026-01-01,,all,stop_sms",
        '06 21 11 11 12,2026-01-02,"Agence Dupont,all,stop_sms',
        "06 21 11 11 13,2026-01-03,,all,stop_sms",
        '06 21 11 11 14,2026-01-04,"Agence, Martin",sms,stop_sms',
        "06 21 11 11 15,2026-01-05,,all,stop_sms",
      ].join("\n"),
    );
    const r = run("import", "objections", stray, "--json");
    const x = report(r);
    assert.deepEqual([x.rows, x.accepted, x.rejected.length], [5, 4, 1]);
    assert.equal(x.rejected[0].line, 3);
    assert.match(x.rejected[0].message, /quote opened on line 3 is not closed on that line/);
    assert.equal(x.events.appended, 4);
  });

  test("files joined one below the other: the second header is rejected as such, the rows after it imported", () => {
    const joined = file(
      "joined-objections.csv",
      [
        "phone,at,controller,channel,via",
        "06 21 11 11 21,2026-01-01,,all,stop_sms",
        "Phone,At,Controller,Channel,Via",
        "06 21 11 11 22,2026-01-02,,all,stop_sms",
      ].join("\n"),
    );
    const x = report(run("import", "objections", joined, "--json"));
    assert.deepEqual([x.rows, x.accepted, x.rejected.length, x.events.appended], [3, 2, 1, 2]);
    assert.deepEqual(
      [x.rejected[0].line, x.rejected[0].message],
      [3, "repeats the header line (two exports joined one below the other?): remove it"],
    );
  });

  test("the same file read another way is another import: a corrected --map or Bloctel --date is not 'nothing to do'", () => {
    const own = file(
      "own-names-objections.csv",
      ["Téléphone,Date,Responsable,Canal,Via", "06 21 11 11 31,2026-01-01,,all,stop_sms"].join("\n"),
    );
    const wrong = "phone=Téléphone,at=Responsable,controller=Date,channel=Canal,via=Via";
    const right = "phone=Téléphone,at=Date,controller=Responsable,channel=Canal,via=Via";
    const first = report(run("import", "objections", own, "--map", wrong, "--json"));
    assert.deepEqual([first.accepted, first.rejected.length], [0, 1]);
    const fixed = report(run("import", "objections", own, "--map", right, "--json"));
    assert.deepEqual([fixed.alreadyImportedAt, fixed.accepted, fixed.events.appended], [null, 1, 1]);
    const again = report(run("import", "objections", own, "--map", right, "--json"));
    assert.notEqual(again.alreadyImportedAt, null, "read the same way again: nothing to do");

    const check = file("bloctel-dated.csv", ["phone", "06 21 11 11 32"].join("\n"));
    const dated = (date: string) => report(run("import", "bloctel", check, "--date", date, "--json"));
    assert.equal(dated("2026-01-05").alreadyImportedAt, null);
    assert.equal(dated("2026-01-06").alreadyImportedAt, null, "another day's check of the same file");
    assert.notEqual(dated("2026-01-06").alreadyImportedAt, null);
  });

  test("a Bloctel check listing a number on several rows: one row, registered if any says so; the audit verifies", () => {
    const e = { ...env, VIGIE_STORE: join(dir, "bloctel-twice.db") };
    const twice = file(
      "bloctel-twice.csv",
      "phone;registered\n0622222221;true\n+33 6 22 22 22 21;false\n06 33 33 33 33;true\n0633333333;true\n0644444444;false\n",
    );
    const r = vigie(["import", "bloctel", twice, "--date", "2025-03-01", "--json"], undefined, e);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(report(r).accepted, 5);
    const db = new Database(e.VIGIE_STORE, { readonly: true });
    const kept = db.prepare("SELECT registered FROM registry_entries").pluck().all();
    db.close();
    assert.deepEqual(kept.sort(), [0, 1, 1], "the number listed registered then clean stays registered");
    const audit = vigie(["audit", "verify"], undefined, e);
    assert.equal(audit.status, 0, audit.stdout + audit.stderr);
  });

  test("a file whose lines end with a carriage return alone (Excel's CSV (Macintosh)) is read row by row", () => {
    const mac = file(
      "objections-mac.csv",
      "phone;at;controller;channel;via\r06 41 11 11 11;2026-03-01;;all;letter\r06 41 11 11 12;2026-03-02;;all;letter\r",
    );
    const x = report(run("import", "objections", mac, "--json"));
    assert.deepEqual([x.rows, x.accepted, x.rejected.length], [2, 2, 0]);
  });

  test("a header ending with a delimiter: the unnamed column is named by its place", () => {
    const trailing = file("objections-trailing.csv", "phone;at;channel;\n06 41 11 11 13;2026-03-01;all;\n");
    const r = run("import", "objections", trailing);
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /unknown column\(s\) column 4 \(no name: a delimiter ending the header line\?\) for objections/,
    );
  });

  test("a title above the table: the file is refused, naming the line that looks like the header", () => {
    const titled = file(
      "titled-objections.csv",
      "Oppositions reçues — export du 12/03/2026\n\nphone;at;controller;channel;via\n06 31 11 11 11;2026-03-01;;all;letter\n",
    );
    const r = run("import", "objections", titled);
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /line 3 looks like the header \("phone", "at", "controller", "channel", …\): remove the line\(s\) above it/,
    );
    const plain = file("no-header.csv", "a;b\n1;2\n");
    assert.doesNotMatch(run("import", "objections", plain).stderr, /looks like the header/);
  });

  test("consents say who collected them: collected_by and named_how are checked, naming the line and column", () => {
    const r = run(
      "import",
      "consents",
      file(
        "partner-consents.csv",
        [
          "email,controller,channel,given_at,method,proof_ref,collected_by,named_how",
          "a@example.fr,Agence Dupont,email,2026-01-01,unticked_checkbox,f1,partner,not_named",
          "b@example.fr,Agence Dupont,email,2026-01-01,unticked_checkbox,f1,broker,listed_with_link",
          "c@example.fr,Agence Dupont,email,2026-01-01,unticked_checkbox,f1,self,",
          "d@example.fr,Agence Dupont,email,2026-01-01,unticked_checkbox,f1,,",
          "e@example.fr,Agence Dupont,email,2026-01-01,unticked_checkbox,f1,cousin,",
          "f@example.fr,Agence Dupont,email,2026-01-01,unticked_checkbox,f1,self,named",
          "g@example.fr,Agence Dupont,email,2026-01-01,unticked_checkbox,f1,,not_named",
          "h@example.fr,Agence Dupont,email,2026-01-01,unticked_checkbox,f1,partner,perhaps",
        ].join("\n"),
      ),
      "--json",
    );
    assert.equal(r.status, 2);
    const x = report(r);
    assert.equal(x.accepted, 4);
    const byLine = new Map(x.rejected.map((e: { line: number; message: string }) => [e.line, e.message]));
    assert.match(String(byLine.get(6)), /^collected_by: "cousin" is not one of/);
    assert.match(String(byLine.get(7)), /^named_how: only for a consent collected by a partner or broker/);
    assert.match(String(byLine.get(8)), /^named_how: only for a consent collected by a partner or broker/);
    assert.match(String(byLine.get(9)), /^named_how: "perhaps" is not one of/);
    const a = JSON.parse(run("subject", "export", "a@example.fr", "--json").stdout);
    assert.deepEqual(
      a.evidence.consents.map((c: { collectedBy: string; namedHow: string }) => [c.collectedBy, c.namedHow]),
      [["partner", "not_named"]],
    );
    assert.equal(run("audit", "verify").status, 0);
  });

  test("calls say for whom a call centre called and in what sector; each cell is checked, naming the line and column", () => {
    const r = run(
      "import",
      "history",
      file(
        "centre-history.csv",
        [
          "phone,controller,channel,at,outcome,advertiser,sector",
          "0655000001,Centre Beta,voice_live,2026-03-02T11:00:00+01:00,no_interest,Agence Dupont,insurance",
          "0655000001,Centre Gamma,voice_live,2026-03-03T11:00:00+01:00,declined_to_continue,,",
          "0655000001,Centre Gamma,voice_live,2026-03-04T11:00:00+01:00,hung_up,,",
          "0655000001,Centre Gamma,voice_live,2026-03-05T11:00:00+01:00,answered,Agence Dupont,cars",
        ].join("\n"),
      ),
      "--json",
    );
    assert.equal(r.status, 2);
    const x = report(r);
    assert.equal(x.accepted, 2);
    const byLine = new Map(x.rejected.map((e: { line: number; message: string }) => [e.line, e.message]));
    assert.match(String(byLine.get(4)), /^outcome: "hung_up" is not one of/);
    assert.match(String(byLine.get(5)), /^sector: "cars" is not one of/);
    const exported = JSON.parse(run("subject", "export", "0655000001", "--json").stdout);
    assert.deepEqual(
      exported.evidence.contacts.map((c: Record<string, unknown>) => [
        c.controller,
        c.advertiser,
        c.sector,
        c.outcome,
      ]),
      [
        ["centre beta", "agence dupont", "insurance", "no_interest"],
        ["centre gamma", null, null, "declined_to_continue"],
      ],
    );
    assert.equal(run("audit", "verify").status, 0);
  });

  test("partner data say when the controller obtained them and through how many hands; a free account whether its model is paid", () => {
    const r = run(
      "import",
      "contacts",
      file(
        "obtained.csv",
        [
          "email,kind,origin,collected_at,obtained_at,transfers,relationship,free_account_of_paid_model",
          "p1@example.fr,consumer,partner,2026-01-05,2026-02-20,2,,",
          "p2@example.fr,consumer,direct,2026-01-05,2026-02-20,,,",
          "p3@example.fr,consumer,broker,2026-01-05,2026-01-04,,,",
          "p4@example.fr,consumer,broker,2026-01-05,,0,,",
          "p5@example.fr,consumer,direct,2026-01-05,,,account_only,oui",
          "p6@example.fr,consumer,direct,2026-01-05,,,prospect,non",
        ].join("\n"),
      ),
      "--json",
    );
    assert.equal(r.status, 2);
    const x = report(r);
    assert.equal(x.accepted, 2);
    const byLine = new Map(x.rejected.map((e: { line: number; message: string }) => [e.line, e.message]));
    assert.match(String(byLine.get(3)), /^obtained_at: only for data from a partner or broker/);
    assert.match(String(byLine.get(4)), /^obtained_at: before collected_at/);
    assert.match(String(byLine.get(5)), /^transfers: expected a whole number from 1/);
    assert.match(String(byLine.get(7)), /^free_account_of_paid_model: only for an account without a sale/);
    const p1 = JSON.parse(run("subject", "export", "p1@example.fr", "--json").stdout).evidence.sources[0];
    assert.equal(p1.transfers, 2);
    assert.equal(p1.obtainedAt, Date.parse("2026-02-19T23:00:00Z"));
    const p5 = JSON.parse(run("subject", "export", "p5@example.fr", "--json").stdout).evidence.sources[0];
    assert.equal(p5.freeAccountOfPaidModel, true);
    assert.equal(run("audit", "verify").status, 0);
  });

  test("the kind's column names in other capitals are read as its own; the same column twice so is refused", () => {
    const caps = file(
      "caps-objections.csv",
      ["Phone, AT ,Controller,CHANNEL,Via", "06 21 11 11 41,2026-01-01,,all,letter"].join("\n"),
    );
    const x = report(run("import", "objections", caps, "--json"));
    assert.deepEqual([x.accepted, x.events.appended], [1, 1]);
    const twice = file(
      "phone-Phone.csv",
      ["phone,Phone,at,controller,channel,via", "0612345678,0612345679,2026-01-01,,all,letter"].join("\n"),
    );
    assert.match(run("import", "objections", twice).stderr, /two columns named "phone" \(columns 1 and 2\)/);
  });

  test("control characters in a cell reject its row, naming the column; an ad's text keeps its lines", () => {
    const f = file(
      "control-contacts.csv",
      [
        "phone,kind,origin,controller,collected_at,source_url,publisher_refused",
        '06 21 11 11 51,consumer,scraped_public,"Agence\tDupont",2026-09-20,https://a.example/1,non',
        '06 21 11 11 52,consumer,scraped_public,Agence Dupont,2026-09-20,"https://a.example/\nBcc: x",non',
        '06 21 11 11 53,consumer,scraped_public,Agence Dupont,2026-09-20,https://a.example/3,"Bel appartement.\nPas de démarchage."',
      ].join("\n"),
    );
    const x = report(run("import", "contacts", f, "--json"));
    assert.deepEqual(
      x.rejected.map((r: { line: number; column: string }) => [r.line, r.column]),
      [
        [2, "controller"],
        [3, "source_url"],
      ],
    );
    assert.match(x.rejected[0].message, /must not contain control characters/);
    assert.equal(x.accepted, 1);
  });

  test("a controller or advertiser cell of invisible characters alone rejects its row, naming the column", () => {
    const consents = file(
      "blank-consents.csv",
      [
        "phone,controller,channel,given_at,method",
        "06 21 11 11 71,\u200b,sms,2026-02-01,double_opt_in",
        "06 21 11 11 72,\u200b\u00a0\u2060,sms,2026-02-01,double_opt_in",
        "06 21 11 11 73,Agence,sms,2026-02-01,double_opt_in",
      ].join("\n"),
    );
    const x = report(run("import", "consents", consents, "--json"));
    assert.deepEqual(
      x.rejected.map((r: { line: number; column: string }) => [r.line, r.column]),
      [
        [2, "controller"],
        [3, "controller"],
      ],
    );
    assert.match(
      x.rejected[0].message,
      /controller: no name: only spaces or invisible characters \("\\u200b"\)/,
    );
    assert.equal(x.accepted, 1);
    const history = file(
      "blank-history.csv",
      [
        "phone,controller,advertiser,channel,at,outcome",
        "06 21 11 11 74,Centre,\u200b,voice_live,2026-02-01,answered",
      ].join("\n"),
    );
    const h = report(run("import", "history", history, "--json"));
    assert.deepEqual([h.accepted, h.rejected[0]?.column], [0, "advertiser"]);
  });

  test("an IP address that is none rejects its consent row: a cell there counts as proof", () => {
    const f = file(
      "ip-consents.csv",
      [
        "phone,controller,channel,given_at,method,ip",
        "06 21 11 11 61,Agence,sms,2026-02-01,double_opt_in,999.1.1.1",
        "06 21 11 11 62,Agence,sms,2026-02-01,double_opt_in,2001:db8::7",
        "06 21 11 11 63,Agence,sms,2026-02-01,double_opt_in,203.0.113.7",
      ].join("\n"),
    );
    const x = report(run("import", "consents", f, "--json"));
    assert.deepEqual(
      x.rejected.map((r: { line: number; column: string; message: string }) => [r.line, r.message]),
      [[2, "ip: not an IP address (IPv4 or IPv6)"]],
    );
    assert.equal(x.accepted, 2);
  });

  test("a cell an export filled with N/A, NULL or a dash reads as empty: no proof, and a required cell is missing", () => {
    const store = join(dir, "nothing.db");
    const f = file(
      "nothing-consents.csv",
      [
        "phone,controller,channel,given_at,method,collection_point,user_agent",
        "06 21 11 11 71,Agence,sms,2026-02-01,double_opt_in,N/A,NULL",
        "06 21 11 11 72,Agence,sms,2026-02-01,double_opt_in,https://agence.example/form,-",
        "06 21 11 11 73,#N/A,sms,2026-02-01,double_opt_in,,",
      ].join("\n"),
    );
    const x = report(run("import", "consents", f, "--store", store, "--json"));
    assert.deepEqual(
      x.rejected.map((r: { line: number; message: string }) => [r.line, r.message]),
      [[4, "controller: required"]],
    );
    const db = new Database(store, { readonly: true });
    try {
      const proofs = db.prepare("SELECT proof FROM consents ORDER BY proof").pluck().all();
      assert.deepEqual(proofs, [0, 1], "N/A and NULL are no proof; a collection point is");
    } finally {
      db.close();
    }
  });

  test("a file with two columns of one name is refused whole: the second would be dropped unread", () => {
    const two = file(
      "two-phones.csv",
      ["phone,phone,at,controller,channel,via", "0612345678,0612345679,2026-01-01,,all,letter"].join("\n"),
    );
    const r = run("import", "objections", two);
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, /two columns named "phone" \(columns 1 and 2\): rename or remove one/);
  });

  test("a file with unknown or missing columns is refused whole", () => {
    const unknown = run(
      "import",
      "objections",
      file("o1.csv", "phone,at,colour\n0611111111,2026-01-01,blue\n"),
    );
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown column\(s\) colour for objections.*nothing imported/);
    const ignored = run(
      "import",
      "objections",
      file("o2.csv", "phone,at,colour\n0611111111,2026-01-01,blue\n"),
      "--ignore-unknown",
    );
    assert.equal(ignored.status, 0, ignored.stderr);
    const missing = run("import", "history", file("h.csv", "phone,controller,channel\n0611111111,A,sms\n"));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /missing required column\(s\) for history: at, outcome/);
    const empty = run("import", "contacts", file("empty.csv", ""));
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /empty input/);
  });

  test("erase, then re-import: the person stays suppressed", () => {
    assert.equal(run("subject", "erase", "06 12 34 56 78", "--yes").status, 0);
    const reimport = file(
      "reimport.csv",
      "phone,controller,channel,given_at,method\n06 12 34 56 78,Agence Dupont,sms,2026-11-01,double_opt_in\n",
    );
    const x = report(run("import", "consents", reimport, "--json"));
    assert.equal(x.events.suppressed, 1);
    assert.equal(x.events.appended, 0);
    const exported = JSON.parse(run("subject", "export", "0612345678", "--json").stdout);
    assert.equal(exported.evidence.point.value, null);
    assert.equal(
      exported.evidence.consents.some((c: { channel: string }) => c.channel === "sms"),
      false,
    );
  });

  test("a semicolon-separated file with a BOM and CRLF line ends imports", () => {
    const crlf = file("bom.csv", "\ufeffphone;at;via\r\n07 81 22 33 44;2026-02-01;letter\r\n");
    const r = run("import", "objections", crlf, "--json");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(report(r).accepted, 1);
  });

  test("a file Excel saved in Windows-1252 imports, read as such; a byte that is no character in it refuses the file", () => {
    const latin1 = (text: string) => Buffer.from(text, "latin1");
    const header = "phone;controller;channel;given_at;method\r\n";
    const saved = join(dir, "excel-1252.csv");
    writeFileSync(saved, latin1(`${header}06 55 44 33 21;Agence Dupré;sms;2026-02-01;double_opt_in\r\n`));
    const r = run("import", "consents", saved, "--json");
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(report(r).encoding, { encoding: "windows-1252", source: "content" });
    const db = new Database(env.VIGIE_STORE, { readonly: true });
    const controllers = db.prepare("SELECT DISTINCT controller FROM consents").pluck().all();
    db.close();
    assert.ok(controllers.includes("agence dupré"), JSON.stringify(controllers));
    // Read as UTF-8 when told so: each row is rejected for its bytes, nothing guessed.
    const other = join(dir, "excel-1252-b.csv");
    writeFileSync(other, latin1(`${header}06 55 44 33 23;Agence Dupré;sms;2026-02-01;double_opt_in\r\n`));
    const forced = run("import", "consents", other, "--encoding", "UTF-8", "--json");
    assert.equal(forced.status, 2);
    assert.match(report(forced).rejected[0].message, /invalid UTF-8/);
    const broken = join(dir, "broken-1252.csv");
    writeFileSync(
      broken,
      Buffer.concat([
        latin1(`${header}06 55 44 33 22;Agence Dupré;sms;2026-02-01;double_opt_in\r\n`),
        Buffer.from([0x81]),
      ]),
    );
    const refused = run("import", "consents", broken);
    assert.equal(refused.status, 2);
    assert.match(
      refused.stderr,
      /broken-1252\.csv: line 3: byte 0x81 is no character in Windows-1252 \(read as windows-1252\); nothing imported/,
    );
  });

  test("--map reads the kind's columns from the file's own, each checked", () => {
    const crm = file(
      "crm-export.csv",
      "Téléphone;Responsable;Canal;Date de consentement;Méthode\n06 55 44 33 31;Agence Dupont;sms;2026-02-01;double_opt_in\n",
    );
    const map =
      "phone=Téléphone,controller=Responsable,channel=Canal,given_at=Date de consentement,method=Méthode";
    const unknown = run("import", "consents", crm, "--map", "phone=Téléphone,given_at=Date");
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--map given_at=Date: the file has no column "Date"; nothing imported/);
    const r = run("import", "consents", crm, "--map", map, "--json");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(report(r).accepted, 1);
  });

  test("bloctel needs --date", () => {
    const r = run("import", "bloctel", example("bloctel-2026-08-03.csv"));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--date DAY \(of the check\) is required/);
  });
});
