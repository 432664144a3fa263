// The golden cases of docs/cases/*.json (format: docs/cases/README.md): each case's facts go
// through parseFacts and decide, and the decision must have the expected verdict and, for each
// expected rule, a reason of that rule with the expected effect. docs/cases/disputed/ holds cases
// where the engine and the law as read disagree: their facts must parse, and the engine must still
// disagree — once it agrees, the case belongs in docs/cases/.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { decide } from "../../src/engine/decide.ts";
import type { Effect, Reason } from "../../src/engine/decision.ts";
import { RULE_IDS } from "../../src/engine/rule-ids.ts";
import { parseFacts } from "../../src/facts/parse.ts";

/** `contested`, when given, must match the reason's flag (a reading docs/law.md leaves open). */
type ExpectedRule = string | { rule: string; effect: Effect; contested?: boolean };

/** Whether the decision has a reason matching the expected rule (the verdict's effect for a plain id). */
function hasReason(reasons: readonly Reason[], r: ExpectedRule, verdict: string): boolean {
  const rule = typeof r === "string" ? r : r.rule;
  const effect = typeof r === "string" ? verdict : r.effect;
  const contested = typeof r === "string" ? undefined : r.contested;
  return reasons.some(
    (x) => x.rule === rule && x.effect === effect && (contested === undefined || x.contested === contested),
  );
}

interface GoldenCase {
  name: string;
  source: string;
  facts: unknown;
  expected: { verdict: "allow" | "block"; rules: ExpectedRule[] };
  note?: string;
}

const dir = new URL("../../docs/cases/", import.meta.url);
const disputedDir = new URL("disputed/", dir);
const jsonFiles = (d: URL) =>
  existsSync(d)
    ? readdirSync(d)
        .filter((f) => f.endsWith(".json"))
        .sort()
    : [];
const files = jsonFiles(dir);
const EFFECTS: readonly string[] = ["block", "allow", "condition", "info"];

test("docs/cases holds case files", () => {
  assert.ok(files.length > 0, "no docs/cases/*.json");
});

function wellFormed(file: string, cases: GoldenCase[]) {
  test("is a list of well-formed cases with distinct names", () => {
    assert.ok(Array.isArray(cases) && cases.length > 0, `${file}: not a non-empty list`);
    const names = new Set<string>();
    for (const c of cases) {
      assert.ok(typeof c.name === "string" && c.name !== "", `${file}: a case has no name`);
      assert.ok(!names.has(c.name), `${file}: two cases named "${c.name}"`);
      names.add(c.name);
      assert.ok(typeof c.source === "string" && c.source !== "", `${file} "${c.name}": no source`);
      assert.ok(
        ["allow", "block"].includes(c.expected?.verdict),
        `${file} "${c.name}": bad expected.verdict`,
      );
      assert.ok(Array.isArray(c.expected.rules), `${file} "${c.name}": expected.rules is not a list`);
      for (const r of c.expected.rules) {
        const id = typeof r === "string" ? r : r.rule;
        assert.ok((RULE_IDS as readonly string[]).includes(id), `${file} "${c.name}": unknown rule id ${id}`);
        if (typeof r !== "string") {
          assert.ok(EFFECTS.includes(r.effect), `${file} "${c.name}": bad effect`);
          assert.ok(
            r.contested === undefined || typeof r.contested === "boolean",
            `${file} "${c.name}": contested is true or false`,
          );
        }
      }
    }
  });
}

function decision(file: string, c: GoldenCase) {
  const parsed = parseFacts(c.facts);
  if (!parsed.ok) assert.fail(`${file}, case "${c.name}": facts rejected: ${JSON.stringify(parsed.errors)}`);
  return decide(parsed.facts);
}

for (const file of files) {
  const cases = JSON.parse(readFileSync(new URL(file, dir), "utf8")) as GoldenCase[];
  describe(`docs/cases/${file}`, () => {
    wellFormed(file, cases);
    for (const c of cases) {
      test(c.name, () => {
        const where = `docs/cases/${file}, case "${c.name}"`;
        const d = decision(`docs/cases/${file}`, c);
        const seen = d.reasons.map((r) => `${r.rule}=${r.effect}`).join(", ");
        assert.equal(d.verdict, c.expected.verdict, `${where}: verdict ${d.verdict}; reasons: ${seen}`);
        for (const r of c.expected.rules) {
          assert.ok(
            hasReason(d.reasons, r, c.expected.verdict),
            `${where}: expected ${JSON.stringify(r)}; reasons: ${seen}`,
          );
        }
      });
    }
  });
}

for (const file of jsonFiles(disputedDir)) {
  const cases = JSON.parse(readFileSync(new URL(file, disputedDir), "utf8")) as GoldenCase[];
  describe(`docs/cases/disputed/${file}`, () => {
    wellFormed(`disputed/${file}`, cases);
    for (const c of cases) {
      test(`${c.name} (disputed: the engine still disagrees)`, () => {
        assert.ok(typeof c.note === "string" && c.note !== "", `disputed/${file} "${c.name}": no note`);
        const d = decision(`docs/cases/disputed/${file}`, c);
        const agrees =
          d.verdict === c.expected.verdict &&
          c.expected.rules.every((r) => hasReason(d.reasons, r, c.expected.verdict));
        assert.ok(
          !agrees,
          `docs/cases/disputed/${file}, case "${c.name}": the engine now agrees; move it to docs/cases/`,
        );
      });
    }
  });
}
