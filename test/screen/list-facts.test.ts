// What a contacts import carries, said on the list instead (issue #15): how the collection went
// (sender_named, opt_out_offered), the art. 14 notice (informed_at), the customer relationship's
// dates (customer_since, customer_until, last_inbound_at), a partner's data (obtained_at,
// transfers) and a free account (free_account_of_paid_model) — read with the import's checks, and
// weighed against the store as every door weighs them (src/evidence/facts-from-evidence.ts).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { importFile } from "../../src/services/import/run.ts";
import { columnNames, recognise } from "../../src/services/screen/columns.ts";
import { type EvidenceSource, openEvidence } from "../../src/services/screen/evidence.ts";
import { parseSet } from "../../src/services/screen/list-values.ts";
import { openSession } from "../../src/services/session.ts";
import { CALL_2025, EMAIL_2026, type Outputs, reconcile, screen, tempDir } from "./helpers.ts";

/** A shop's newsletter about goods like those its customers bought. */
const SHOP = { ...EMAIL_2026, analogousProducts: true };

/** Per decided row, its first cell and the rules that blocked it (none: allowed). */
function rules(o: Outputs): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const header =
    o
      .read("blocked.csv")
      .replace(/^\uFEFF/, "")
      .split(/\r?\n/)[0]
      ?.split(/[;,]/) ?? [];
  const rule = header.indexOf("rule");
  const others = header.indexOf("other_rules");
  for (const r of o.rows("allowed.csv")) out[r[0] as string] = [];
  for (const r of o.rows("blocked.csv")) {
    out[r[0] as string] = [r[rule] as string, ...(r[others] as string).split(" ").filter((x) => x !== "")];
  }
  return out;
}

/** The rejected rows: line and error. */
const rejected = (o: Outputs) => o.rows("rejected.csv").map((r) => [r[0], r[1]]);

describe("the columns of a contacts import, on a list", () => {
  test("informed_at lifts the art. 14 block on scraped data, and is said when read from a French date", async () => {
    const o = await screen({
      list: [
        "phone;origin;collected_at;Informé le",
        "06 12 34 56 78;scraped_public;10/12/2024;",
        "06 12 34 56 79;scraped_public;10/12/2024;15/12/2024",
      ].join("\n"),
      campaign: CALL_2025,
    });
    assert.deepEqual(reconcile(o), { in: 2, allowed: 0, blocked: 2, rejected: 0 });
    assert.deepEqual(o.summary.columns, { informed_at: "Informé le" });
    assert.deepEqual(rules(o), {
      "06 12 34 56 78": ["gdpr-14/information", "conso-l223-1/bloctel-scrub"],
      "06 12 34 56 79": ["conso-l223-1/bloctel-scrub"],
    });
    assert.equal(
      o.rows("blocked.csv")[1]?.at(-2),
      "collected_at: 10/12/2024 → 2024-12-10; informed_at: 15/12/2024 → 2024-12-15",
    );
    assert.equal(o.summary.interpretations.datesFrench, 3);
  });

  test("opt_out_offered and the relationship give the soft opt-in on e-mail; customer_until ends it", async () => {
    const o = await screen({
      list: [
        "email;origin;relationship;Opposition proposée;Client depuis;Fin de contrat",
        "a@example.fr;direct;active_contract;oui;;",
        "b@example.fr;direct;active_contract;;;",
        "c@example.fr;direct;past_customer;oui;01/03/2018;01/06/2020",
        "d@example.fr;direct;past_customer;true;01/03/2018;01/06/2025",
      ].join("\n"),
      campaign: SHOP,
    });
    assert.deepEqual(reconcile(o), { in: 4, allowed: 2, blocked: 2, rejected: 0 });
    assert.deepEqual(o.summary.columns, {
      opt_out_offered: "Opposition proposée",
      customer_since: "Client depuis",
      customer_until: "Fin de contrat",
    });
    assert.deepEqual(rules(o), {
      "a@example.fr": [],
      "b@example.fr": ["cpce-l34-5/consent"],
      "c@example.fr": ["cnil/retention", "cpce-l34-5/consent"],
      "d@example.fr": [],
    });
  });

  test("last_inbound_at restarts a former customer's retention; customer_since a free account's", async () => {
    const email = await screen({
      list: [
        "email;origin;relationship;opt_out_offered;customer_until;Dernier contact entrant",
        "c@example.fr;direct;past_customer;oui;2020-06-01;",
        "e@example.fr;direct;past_customer;oui;2020-06-01;01/10/2025",
      ].join("\n"),
      campaign: SHOP,
    });
    assert.deepEqual(reconcile(email), { in: 2, allowed: 0, blocked: 2, rejected: 0 });
    // The data may be kept again, but the soft opt-in still ended three years after the sale.
    assert.deepEqual(rules(email), {
      "c@example.fr": ["cnil/retention", "cpce-l34-5/consent"],
      "e@example.fr": ["cpce-l34-5/consent"],
    });
    const phone = await screen({
      list: [
        "phone;origin;relationship;collected_at;customer_since",
        "06 12 34 56 78;direct;account_only;01/01/2020;",
        "06 12 34 56 79;direct;account_only;01/01/2020;01/01/2024",
        // Dates without a status: a prospect, as the facts assembly reads an import's.
        "06 12 34 56 80;direct;;01/01/2020;01/01/2024",
      ].join("\n"),
      campaign: CALL_2025,
    });
    assert.deepEqual(reconcile(phone), { in: 3, allowed: 0, blocked: 3, rejected: 0 });
    assert.deepEqual(rules(phone), {
      "06 12 34 56 78": ["cnil/retention", "conso-l223-1/bloctel-scrub"],
      "06 12 34 56 79": ["conso-l223-1/bloctel-scrub"],
      "06 12 34 56 80": ["conso-l223-1/bloctel-scrub"],
    });
  });

  test("free_account_of_paid_model lets a free account into the soft opt-in where the policy does", async () => {
    const o = await screen({
      list: [
        "email;origin;relationship;opt_out_offered;free_account_of_paid_model",
        "a@example.fr;direct;account_only;oui;oui",
        "b@example.fr;direct;account_only;oui;non",
      ].join("\n"),
      campaign: { ...SHOP, policy: { softOptInForFreeAccounts: true } },
    });
    assert.deepEqual(reconcile(o), { in: 2, allowed: 1, blocked: 1, rejected: 0 });
    assert.deepEqual(rules(o), { "a@example.fr": [], "b@example.fr": ["cpce-l34-5/consent"] });
  });

  test("obtained_at starts a partner's art. 14 month when the data reached the controller", async () => {
    const o = await screen({
      list: [
        "phone;origin;collected_at;Date d'obtention;transfers",
        "06 12 34 56 78;partner;01/01/2024;;",
        "06 12 34 56 79;partner;01/01/2024;20/02/2025;1",
      ].join("\n"),
      campaign: CALL_2025,
    });
    assert.deepEqual(reconcile(o), { in: 2, allowed: 0, blocked: 2, rejected: 0 });
    assert.deepEqual(rules(o), {
      "06 12 34 56 78": ["gdpr-14/information", "gdpr-6/legal-basis", "conso-l223-1/bloctel-scrub"],
      "06 12 34 56 79": ["gdpr-6/legal-basis", "conso-l223-1/bloctel-scrub"],
    });
  });

  test("a bad value rejects its row, naming the line and the column, with the import's checks", async () => {
    const o = await screen({
      list: [
        "email;origin;collected_at;relationship;opt_out_offered;customer_until;obtained_at;transfers;free_account_of_paid_model;informed_at",
        "a@example.fr;direct;;past_customer;oui;31/02/2026;;;;",
        "b@example.fr;direct;;prospect;peut-être;;;;;",
        "c@example.fr;direct;;;;;;2;;",
        "d@example.fr;partner;;;;;;0;;",
        "e@example.fr;partner;01/01/2024;;;;01/12/2023;;;",
        "f@example.fr;partner;01/01/2024;;;;;;;",
        "g@example.fr;direct;;prospect;;;;;oui;",
        "h@example.fr;direct;;;;1850-01-01;;;;",
        "i@example.fr;;;;;;;;;01/01/2025",
        "j@example.fr;direct;;;;;;;;10/22/2025",
      ].join("\n"),
      campaign: SHOP,
    });
    assert.deepEqual(reconcile(o), { in: 10, allowed: 0, blocked: 1, rejected: 9 });
    assert.deepEqual(rejected(o), [
      ["2", 'customer_until: "31/02/2026": there is no 31 février 2026'],
      ["3", 'opt_out_offered: expected true/false/1/0/oui/non, got "peut-être"'],
      ["4", 'transfers: only for data from a partner or broker (origin "partner" or "broker")'],
      ["5", 'transfers: expected a whole number from 1 (straight from the collector) to 100, got "0"'],
      ["6", "obtained_at: before collected_at"],
      ["8", 'free_account_of_paid_model: only for an account without a sale (relationship "account_only")'],
      ["9", 'customer_until: "1850-01-01": before 1900-01-01: not a plausible date'],
      ["10", "origin: required when informed_at is given"],
      ["11", 'informed_at: "10/22/2025": no month 22 (dates are read day first: JJ/MM/AAAA)'],
    ]);
  });

  test("a date of what happened after the instant decided rejects its row instead of reading as unknown", async () => {
    // 2091 typed for 2019: read as of the campaign's instant the collection has not happened, the
    // retention rule would find no date and the expired prospect would pass with a condition.
    const professional = { ...EMAIL_2026, relatedToProfession: true };
    const o = await screen({
      list: [
        "email;kind;origin;collected_at;informed_at;relationship;customer_since;customer_until;last_inbound_at",
        "a@agence.fr;professional;scraped_public;10/02/2019;;;;;",
        "b@agence.fr;professional;scraped_public;10/02/2091;;;;;",
        "c@agence.fr;professional;scraped_public;2026-12-01;;;;;",
        "d@agence.fr;professional;scraped_public;2026-12-02;;;;;",
        "e@agence.fr;professional;scraped_public;2026-10-01;2026-12-20;;;;",
        "f@agence.fr;professional;direct;;;past_customer;2027-01-01;;",
        "g@agence.fr;professional;direct;;;active_contract;2024-01-01;2027-06-30;",
        "h@agence.fr;professional;direct;;;prospect;;;2026-12-24",
      ].join("\n"),
      campaign: professional,
    });
    assert.deepEqual(reconcile(o), { in: 8, allowed: 2, blocked: 1, rejected: 5 });
    const after = (n: string, column: string, value: string) => [
      n,
      `${column}: "${value}": after the instant decided (2026-12-01T10:00:00+01:00), when it had not happened: correct the date, or decide at a later instant`,
    ];
    assert.deepEqual(rejected(o), [
      after("3", "collected_at", "10/02/2091"),
      after("5", "collected_at", "2026-12-02"),
      after("6", "informed_at", "2026-12-20"),
      after("7", "customer_since", "2027-01-01"),
      after("9", "last_inbound_at", "2026-12-24"),
    ]);
    // The same day as the instant is before it; a relationship's planned end may follow it.
    assert.deepEqual(rules(o), {
      "a@agence.fr": ["cnil/retention", "gdpr-14/information"],
      "c@agence.fr": [],
      "g@agence.fr": [],
    });
  });

  test("a fact of the collection without an origin is refused rather than dropped", async () => {
    const o = await screen({
      list: "email;sender_named;informed_at;transfers\na@example.fr;non;;\nb@example.fr;;2025-01-01;\nc@example.fr;;;2\n",
      campaign: SHOP,
    });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 0, blocked: 0, rejected: 3 });
    assert.deepEqual(rejected(o), [
      ["2", "origin: required when sender_named is given"],
      ["3", "origin: required when informed_at is given"],
      ["4", "origin: required when transfers is given"],
    ]);
  });

  test("--set gives them list-wide, checked before the list is read", async () => {
    const o = await screen({
      list: "phone;origin;collected_at\n06 12 34 56 78;scraped_public;10/12/2024\n",
      campaign: CALL_2025,
      values: { set: parseSet(["informed_at=15/12/2024"]), maps: {} },
    });
    assert.deepEqual(reconcile(o), { in: 1, allowed: 0, blocked: 1, rejected: 0 });
    assert.deepEqual(rules(o), { "06 12 34 56 78": ["conso-l223-1/bloctel-scrub"] });
    assert.equal(
      o.rows("blocked.csv")[0]?.at(-2),
      "collected_at: 10/12/2024 → 2024-12-10; informed_at: 15/12/2024 (--set); informed_at: 15/12/2024 → 2024-12-15",
    );
    assert.throws(() => parseSet(["sender_named=peut-être"]), /sender_named=peut-être: expected true\/false/);
    assert.throws(() => parseSet(["transfers=0"]), /transfers=0: expected a whole number/);
    assert.throws(() => parseSet(["customer_until=31/02/2026"]), /there is no 31 février 2026/);
  });

  test("a JSON line may give the yes/no columns as booleans, and only those", async () => {
    const o = await screen({
      list: [
        { email: "a@example.fr", origin: "direct", relationship: "active_contract", opt_out_offered: true },
        { email: "b@example.fr", origin: "direct", relationship: "active_contract", opt_out_offered: false },
        { email: "c@example.fr", origin: "direct", relationship: true },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n"),
      listName: "list.jsonl",
      campaign: SHOP,
    });
    assert.deepEqual(reconcile(o), { in: 3, allowed: 1, blocked: 1, rejected: 1 });
    assert.deepEqual(rejected(o), [["3", "relationship: expected a string, found boolean"]]);
  });

  test("French names of the new columns", () => {
    const cases: [string, string][] = [
      ["Client depuis", "customer_since"],
      ["Fin de contrat", "customer_until"],
      ["Fin du contrat", "customer_until"],
      ["Dernier contact entrant", "last_inbound_at"],
      ["Informé le", "informed_at"],
      ["Date d'information", "informed_at"],
      ["Opposition proposée", "opt_out_offered"],
      ["Émetteur nommé", "sender_named"],
      ["Obtenu le", "obtained_at"],
      ["Nombre de transmissions", "transfers"],
      ["Compte gratuit d'offre payante", "free_account_of_paid_model"],
    ];
    for (const [header, column] of cases) {
      const names = recognise(["Nom", "phone", header], columnNames(undefined));
      assert.equal(names[column as "phone"], header, header);
    }
  });
});

describe("the list's facts and the store's", () => {
  const dir = tempDir();
  const store = join(dir, "vigie.db");
  let evidence: EvidenceSource;
  let keyring: string | undefined;

  before(async () => {
    keyring = process.env.VIGIE_KEYRING;
    process.env.VIGIE_KEYRING = join(dir, "keyring.json");
    const session = await openSession({ store });
    const file = join(dir, "contacts.csv");
    // a: the store knows the relationship is running until 2026; b: the store says nothing of its end.
    writeFileSync(
      file,
      [
        "email,kind,origin,controller,collected_at,opt_out_offered,relationship,customer_since,customer_until",
        "a@example.fr,consumer,direct,Boutique SAS,2018-03-01,true,past_customer,2018-03-01,2025-06-01",
        "b@example.fr,consumer,direct,Boutique SAS,2018-03-01,true,past_customer,2018-03-01,",
      ].join("\n"),
    );
    try {
      await importFile(session, {
        ignoreUnknown: false,
        recordedBy: "test",
        now: Date.now(),
        kind: "contacts",
        file,
      });
    } finally {
      await session.store.close();
    }
    const opened = await openEvidence({ store });
    assert.ok(opened !== null);
    evidence = opened;
  });
  after(async () => {
    await evidence.close();
    if (keyring === undefined) delete process.env.VIGIE_KEYRING;
    else process.env.VIGIE_KEYRING = keyring;
  });

  test("the store's customer_until wins where it says something; the list's counts where it does not", async () => {
    const o = await screen({
      list: [
        "email;origin;relationship;customer_until",
        "a@example.fr;direct;past_customer;01/06/2020",
        "b@example.fr;direct;past_customer;01/06/2020",
      ].join("\n"),
      campaign: SHOP,
      evidence,
    });
    assert.deepEqual(reconcile(o), { in: 2, allowed: 1, blocked: 1, rejected: 0 });
    assert.deepEqual(rules(o), {
      "a@example.fr": [],
      "b@example.fr": ["cnil/retention", "cpce-l34-5/consent"],
    });
  });
});
