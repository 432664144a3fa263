import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { rulesDoc } from "../../scripts/rules-doc.ts";
import { RULE_IDS } from "../../src/engine/rule-ids.ts";

test("docs/rules.md is what the rulebook generates (run `npm run gen:docs` after changing a rule)", () => {
  const committed = readFileSync(new URL("../../docs/rules.md", import.meta.url), "utf8");
  assert.equal(committed, rulesDoc());
});

test("docs/rules.md documents every rule id of CONTRACT.md", () => {
  const doc = rulesDoc();
  for (const id of RULE_IDS) assert.ok(doc.includes(`### \`${id}\``), id);
});
