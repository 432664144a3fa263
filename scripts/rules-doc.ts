// docs/rules.md, generated from the rulebook itself so that it can never drift from the code:
// `npm run gen:docs` writes it; test/docs/rules-doc.test.ts fails when the committed file differs.
import type { Rule } from "../src/engine/rule.ts";
import { RULES } from "../src/engine/rulebook.ts";
import { COVERAGE_FROM, RULEBOOK_VERSION } from "../src/engine/rulebook-coverage.ts";
import { DEFAULT_POLICY } from "../src/facts/types.ts";
import { NOT_IMPLEMENTED } from "../src/rules/fr/not-implemented.ts";

const list = (xs: readonly string[] | "all") => (xs === "all" ? "all" : xs.join(", "));

function ruleSection(rule: Rule): string {
  const lines = [
    `### \`${rule.id}\` — ${rule.title.en}`,
    "",
    `*${rule.title.fr}* · [docs/law.md ${rule.law}](law.md#${rule.law.toLowerCase()}) · confidence [${rule.confidence}] · ${rule.role === "exception" ? "exception rule" : "rule"} · channels: ${list(rule.channels)} · people: ${list(rule.kinds)}`,
    "",
    "| from | to | article |",
    "|---|---|---|",
    ...rule.versions.map(
      (v) =>
        `| ${v.from} | ${v.to ?? "(in force)"} | ${v.article}${v.contested ? ` — **contested**: ${v.contested}` : ""} |`,
    ),
    "",
  ];
  const last = rule.versions[rule.versions.length - 1];
  if (last !== undefined) lines.push(`> ${last.text}`, "");
  if (rule.exceptions?.length) {
    const names = rule.exceptions.map((e) =>
      typeof e === "string"
        ? `\`${e}\``
        : `${e.name}${e.from || e.to ? ` (${e.from ?? "…"} → ${e.to ?? ""})` : ""}`,
    );
    lines.push(`Exceptions, tried in order when it blocks: ${names.join(", ")}.`, "");
  }
  if (rule.params?.length) lines.push(`Parameters: ${rule.params.map((p) => `\`${p.id}\``).join(", ")}.`, "");
  if (rule.remedy) lines.push(`What would lift a block: ${rule.remedy.en} *(${rule.remedy.fr})*`, "");
  if (rule.contested) lines.push(`**Contested** — ${rule.contested}`, "");
  if (rule.lifts)
    lines.push("A time rule: when it is the only kind of block, the decision gives `nextAllowedAt`.", "");
  return lines.join("\n");
}

export function rulesDoc(): string {
  return [
    "# The rulebook",
    "",
    `Generated from the code by \`npm run gen:docs\` — do not edit. Rulebook ${RULEBOOK_VERSION}; decisions from ${COVERAGE_FROM}.`,
    "Every rule of [docs/law.md](law.md) is below, or in *Not implemented* with the reason. `vigie explain RULE --at DATE`",
    "prints the same with the parameter values of a date; docs/readings.md explains the readings chosen.",
    "",
    "## Rules, in the order decisions list them",
    "",
    ...RULES.map(ruleSection),
    "## Not implemented",
    "",
    "| docs/law.md | statement | why |",
    "|---|---|---|",
    ...NOT_IMPLEMENTED.map(
      (n) => `| [${n.law}](law.md#${n.law.toLowerCase()}) | ${n.statement} | ${n.why} |`,
    ),
    "",
    "## Policy switches and their defaults",
    "",
    "Facts may carry a `policy` object; absent keys take these defaults (the conservative readings of docs/law.md, H1–H15).",
    "",
    "| key | default |",
    "|---|---|",
    ...Object.entries(DEFAULT_POLICY).map(([k, v]) => `| \`${k}\` | \`${JSON.stringify(v)}\` |`),
    "",
  ].join("\n");
}
