// What a screening writes: rows passed through in input order, formula-proof cells, rejected rows
// with their lines, JSON Lines, --map, the report — and the same bytes on every run.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ListFileError } from "../../src/services/screen/columns.ts";
import { reconcile, screen, tempDir } from "./helpers.ts";

const LIST = [
  "id,phone,kind,origin,collected_at,source_url,department,note",
  "1,06 12 34 56 78,professional,scraped_public,2025-02-10,https://annonces.example/1,69,T3 Lyon",
  "2,+33 6 12 34 56 79,consumer,scraped_public,2025-02-11,https://annonces.example/2,57,Pas de démarchage",
  '3,0690 45 12 78,professional,directory,,,971,"Villa, vue mer"',
  "4,not a number,consumer,,,,,x",
  "5,06 12 34 56 80,professional,,,,,=cmd|' /C calc'!A0",
  '6,06 12 34 56 81,consumer,,,,,"=HYPERLINK(""https://evil.example"")"',
].join("\n");

test("the same list screened twice gives byte-identical outputs", async () => {
  const dir = tempDir();
  const first = await screen({ list: LIST, dir, out: "a" });
  const second = await screen({ list: LIST, dir, out: "b" });
  const names = readdirSync(first.dir).sort();
  assert.deepEqual(names, ["allowed.csv", "blocked.csv", "rejected.csv", "report.html", "summary.json"]);
  assert.deepEqual(readdirSync(second.dir).sort(), names);
  for (const name of names)
    assert.ok(readFileSync(join(first.dir, name)).equals(readFileSync(join(second.dir, name))), name);
});

test("rows keep the input's order and bytes; the engine's first blocking rule is given", async () => {
  const o = await screen({ list: LIST });
  assert.deepEqual(reconcile(o), { in: 6, allowed: 3, blocked: 2, rejected: 1 });
  assert.deepEqual(
    o.rows("allowed.csv").map((r) => r[0]),
    ["1", "3", "5"],
  );
  const blocked = o.rows("blocked.csv");
  assert.deepEqual(
    blocked.map((r) => [r[0], r[8]]),
    [
      ["2", "conso-l223-1/bloctel-scrub"],
      ["6", "conso-l223-1/bloctel-scrub"],
    ],
  );
  assert.match(blocked[0]?.[10] ?? "", /L\.223-1/); // the article
  assert.ok(
    o.read("allowed.csv").includes(`\n${LIST.split("\n")[1]},,\n`),
    "row 1 passes through as it was, with an empty duplicate_of and interpreted",
  );
});

test("cells a spreadsheet would run as formulas are exported as text; phone numbers are left alone", async () => {
  const o = await screen({ list: LIST });
  const allowed = o.read("allowed.csv");
  assert.ok(allowed.includes(",'=cmd|' /C calc'!A0,,\n"), allowed);
  assert.ok(o.read("blocked.csv").includes(`"'=HYPERLINK(""https://evil.example"")"`));
  assert.ok(o.read("blocked.csv").includes(",+33 6 12 34 56 79,"));
  const rejected = await screen({ list: "phone,note\n=1+2,x\n" });
  assert.deepEqual(rejected.rows("rejected.csv"), [
    ["2", 'phone: not a valid phone number: contains an invalid character "="', "'=1+2,x"],
  ]);
});

test("rejected rows carry the line they start on, line breaks inside quotes counted", async () => {
  const o = await screen({
    list: 'id,phone,note\n1,06 12 34 56 78,"two\nlines"\n2,06 12,x\n3,06 12 34 56 79,"three\nmore\nlines"\n4,,y\n',
  });
  assert.deepEqual(reconcile(o), { in: 4, allowed: 0, blocked: 2, rejected: 2 });
  assert.deepEqual(
    o.rows("rejected.csv").map((r) => [r[0], r[2]]),
    [
      ["4", "2,06 12,x"],
      ["8", "4,,y"],
    ],
  );
});

test("JSON Lines: every key becomes a column, bad lines are rejected with their numbers", async () => {
  const o = await screen({
    listName: "list.jsonl",
    list: [
      '{"id": 1, "phone": "06 12 34 56 78", "kind": "professional", "department": 69}',
      '{"id": 2, "phone": "06 12 34 56 79", "tags": ["pige", "lyon"], "note": null}',
      "[1, 2]",
      "{not json",
      '{"id": 5, "phone": {"number": "06 12 34 56 80"}}',
      "",
      '{"id": 7, "phone": "06 12 34 56 81", "kind": "legal_entity", "note": "=1+1"}',
    ].join("\n"),
  });
  assert.deepEqual(reconcile(o), { in: 7, allowed: 2, blocked: 1, rejected: 4 });
  assert.equal(
    o.read("allowed.csv").split("\n")[0],
    "id,phone,kind,department,tags,note,duplicate_of,interpreted",
  );
  assert.deepEqual(o.rows("allowed.csv"), [
    ["1", "06 12 34 56 78", "professional", "69", "", "", "", ""],
    ["7", "06 12 34 56 81", "legal_entity", "", "", "'=1+1", "", ""],
  ]);
  assert.deepEqual(o.rows("blocked.csv")[0]?.slice(0, 6), [
    "2",
    "06 12 34 56 79",
    "",
    "",
    '["pige","lyon"]',
    "",
  ]);
  assert.deepEqual(
    o.rows("rejected.csv").map((r) => [r[0], r[1]?.slice(0, 24)]),
    [
      ["3", "expected a JSON object"],
      ["4", "invalid JSON: Expected p"],
      ["5", "phone: expected a string"],
      ["6", "empty line: every line m"],
    ],
  );
  assert.equal(o.summary.inputs.list.format, "jsonl");
});

test("--map reads recognised columns from columns of other names", async () => {
  const list = "Nom;Téléphone;Catégorie;phone\nDupont;06 12 34 56 78;professional;autre chose\n";
  const o = await screen({ list, map: "phone=Téléphone, kind=Catégorie" });
  assert.deepEqual(reconcile(o), { in: 1, allowed: 1, blocked: 0, rejected: 0 });
  assert.deepEqual(o.summary.columns, { phone: "Téléphone", kind: "Catégorie" });
  await assert.rejects(
    screen({ list, map: "phone=Tel" }),
    (e) => e instanceof ListFileError && /no column "Tel"/.test(e.message),
  );
  await assert.rejects(
    screen({ list: "Nom;Numéro\nDupont;06 12 34 56 78\n" }),
    (e) => e instanceof ListFileError && /no "phone" column/.test(e.message),
  );
});

test("the report: both languages, the inputs' hashes, the rejected rows, nothing loaded from outside", async () => {
  const o = await screen({ list: LIST, lang: "fr" });
  const html = o.read("report.html");
  const s = o.summary;
  assert.match(html, /<html lang="fr">/);
  assert.match(html, /<span class="fr" lang="fr">Rapport de filtrage/);
  assert.match(html, /<span class="en" lang="en">Contact list screening report/);
  assert.ok(html.includes(s.inputs.list.sha256) && html.includes(s.inputs.campaign.sha256));
  assert.ok(html.includes("2026-11-27"), "the rulebook version");
  assert.ok(html.includes("not a number"), "the rejected row");
  assert.ok(html.includes("L.223-1"), "the article of the top reason");
  assert.match(html, /<svg[^>]*>.*<rect/s);
  assert.match(html, /Aucune preuve stockée/);
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|src=|href=|url\(|@import/i);
  assert.doesNotMatch(html, /="https?:|='https?:/i, "no attribute points outside");
  assert.doesNotMatch(html, /<td[^>]*>=HYPERLINK/, "data is escaped text");
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test("summary.json: counts by rule, origin and channel, the inputs, and no stored evidence", async () => {
  const o = await screen({ list: LIST });
  const s = JSON.parse(o.read("summary.json"));
  assert.deepEqual(
    { in: s.in, allowed: s.allowed, blocked: s.blocked, rejected: s.rejected },
    { in: 6, allowed: 3, blocked: 2, rejected: 1 },
  );
  assert.deepEqual(s.byRule, { "conso-l223-1/bloctel-scrub": 2 });
  assert.deepEqual(s.byOrigin, {
    scraped_public: { allowed: 1, blocked: 1 },
    directory: { allowed: 1, blocked: 0 },
    unknown: { allowed: 1, blocked: 1 },
  });
  assert.deepEqual(s.byChannel, { voice_live: { allowed: 3, blocked: 2 } });
  assert.equal(s.evidence, "none");
  assert.equal(s.rulebook, "2026-11-27");
  assert.equal(s.inputs.list.file, "list.csv");
  assert.match(s.inputs.list.sha256, /^[0-9a-f]{64}$/);
  assert.equal(s.inputs.list.bytes, Buffer.byteLength(LIST));
});

test("the pige example: after 2026-08-11 phone canvassing of consumers needs their consent", async () => {
  const campaign = JSON.parse(readFileSync("examples/campaigns/pige-call.json", "utf8"));
  const o = await screen({ list: readFileSync("examples/lists/pige.csv"), campaign });
  assert.deepEqual(reconcile(o), { in: 32, allowed: 0, blocked: 30, rejected: 2 });
  const consumers = o.rows("blocked.csv").filter((r) => r[5] !== "professional");
  assert.ok(consumers.length > 20);
  // other_rules, before duplicate_of, interpreted and needs_review
  for (const r of consumers) assert.match(r.at(-4) ?? "", /conso-l223-1\/phone-consent/);
});
