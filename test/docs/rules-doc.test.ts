import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { rulesDoc } from "../../scripts/rules-doc.ts";
import { RULE_IDS } from "../../src/engine/rule-ids.ts";
import { RULES } from "../../src/engine/rulebook.ts";

test("docs/rules.md is what the rulebook generates (run `npm run gen:docs` after changing a rule)", () => {
  const committed = readFileSync(new URL("../../docs/rules.md", import.meta.url), "utf8");
  assert.equal(committed, rulesDoc());
});

test("docs/rules.md documents every rule id of docs/contract.md", () => {
  const doc = rulesDoc();
  for (const id of RULE_IDS) assert.ok(doc.includes(`### \`${id}\``), id);
});

test("every rule but the exceptions says what would lift a block by it, in both languages", () => {
  for (const r of RULES) {
    if (r.role === "exception") continue;
    assert.ok(r.remedy !== undefined, `${r.id}: no remedy`);
    assert.ok(r.remedy.fr.length > 20 && r.remedy.en.length > 20, `${r.id}: remedy too short`);
    assert.notEqual(r.remedy.fr, r.remedy.en, `${r.id}: remedy not translated`);
  }
});
