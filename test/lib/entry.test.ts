// The package as a program embedding it sees it: `import … from "vigie"` resolves through
// package.json's exports to the built dist/index.js (npm ci builds it: the `prepare` script).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";

const FACTS = JSON.parse(
  readFileSync(new URL("../../examples/facts/pige-2026.json", import.meta.url), "utf8"),
);

test('import("vigie") gives the built library: parseFacts and decide decide as the CLI does', async () => {
  assert.ok(
    existsSync(new URL("../../dist/index.js", import.meta.url)),
    "dist/index.js is missing: `npm ci` (or `npm run build`) builds it",
  );
  // A name in a variable: the type checker does not need dist/ to exist.
  const name = "vigie";
  const vigie = (await import(name)) as typeof import("../../src/index.ts");
  for (const f of [
    "decide",
    "parseFacts",
    "parseCampaign",
    "screenList",
    "loadCampaign",
    "columnNames",
    "openEvidence",
  ]) {
    assert.equal(typeof (vigie as Record<string, unknown>)[f], "function", f);
  }
  const parsed = vigie.parseFacts(FACTS);
  assert.ok(parsed.ok);
  const d = vigie.decide(parsed.facts);
  assert.equal(d.verdict, "block");
  assert.ok(d.reasons.some((r) => r.rule === "conso-l223-1/phone-consent" && r.effect === "block"));
  assert.ok(vigie.RULE_IDS.includes("gdpr-17/erased"));
});
