// docs/law.md is the legal reference the code cites ("docs/law.md, B5"): every rule's law id, and
// every entry of not-implemented.ts, must have its anchor there, and every rule id its entry.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { RULE_IDS } from "../../src/engine/rule-ids.ts";
import { RULES } from "../../src/engine/rulebook.ts";
import { NOT_IMPLEMENTED } from "../../src/rules/fr/not-implemented.ts";

const law = readFileSync(new URL("../../docs/law.md", import.meta.url), "utf8");

test("docs/law.md has an anchor for the law id of every rule and of every rule not implemented", () => {
  const ids = [...RULES.map((r) => r.law), ...NOT_IMPLEMENTED.map((n) => n.law)];
  for (const id of ids) assert.ok(law.includes(`<a id="${id.toLowerCase()}"></a>`), id);
});

test("docs/law.md names every rule id", () => {
  for (const id of RULE_IDS) assert.ok(law.includes(`\`${id}\``), id);
});
