// `vigie explain RULE`: a rule with its article's words, its periods, its exceptions and the
// values of its parameters at a date.
import { RULE_IDS } from "../../engine/rule-ids.ts";
import { ruleById, versionAt } from "../../engine/rulebook.ts";
import { rowAt } from "../../params/fr/params.ts";
import { isoDate } from "../../time/dates.ts";
import { atOption, langOption } from "../dates.ts";
import { UsageError } from "../exit.ts";

export function runExplain(ruleId: string, opts: { at?: string; lang: string }): number {
  const compiled = ruleById(ruleId);
  if (compiled === undefined) {
    throw new UsageError(`explain: unknown rule ${ruleId}; known rules: ${RULE_IDS.join(", ")}`);
  }
  const at = atOption(opts.at);
  const lang = langOption(opts.lang);
  const { rule } = compiled;
  const current = versionAt(compiled, at);
  const out: string[] = [
    `${rule.id} — ${rule.title[lang]}`,
    `docs/law.md ${rule.law} · confidence ${rule.confidence} · ${rule.role === "exception" ? "exception rule" : "rule"}`,
    `channels: ${rule.channels === "all" ? "all" : rule.channels.join(", ")} · people: ${rule.kinds === "all" ? "all" : rule.kinds.join(", ")}`,
    "",
    `On ${isoDate(at)}: ${current === undefined ? "not in force" : `in force under ${current.version.article}`}`,
    "",
    "Versions:",
  ];
  for (const v of compiled.versions) {
    const mark = v === current ? "▶" : " ";
    out.push(`${mark} ${v.version.from} → ${v.version.to ?? "(in force)"}  ${v.version.article}`);
    if (v.version.contested) out.push(`    contested: ${v.version.contested}`);
  }
  if (current !== undefined) out.push("", "Text implemented:", wrap(current.version.text, 96, "  "));
  if (rule.exceptions?.length) {
    out.push("", "Exceptions (tried in order when the rule blocks):");
    for (const ex of rule.exceptions) {
      if (typeof ex === "string") out.push(`  ${ex} (rule)`);
      else out.push(`  ${ex.name}${ex.from || ex.to ? ` (${ex.from ?? "…"} → ${ex.to ?? ""})` : ""}`);
    }
  }
  if (rule.contested) out.push("", "Open question and reading chosen:", wrap(rule.contested, 96, "  "));
  if (rule.params?.length) {
    out.push("", `Parameters on ${isoDate(at)}:`);
    for (const p of rule.params) {
      const row = rowAt(p, at);
      out.push(`  ${p.id}: ${row === undefined ? "(no value yet)" : JSON.stringify(row.value)}`);
      out.push(`    ${p.description}`);
      if (row !== undefined) out.push(`    since ${row.from} — ${row.reference}`);
    }
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + word.length + 1 > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(indent + line);
  return lines.join("\n");
}
