// `vigie rules`: which rules were in force at a date, with their articles and periods.
import { RULES, ruleById, versionAt } from "../../engine/rulebook.ts";
import { isoDate } from "../../time/dates.ts";
import { atOption, langOption } from "../dates.ts";
import { EXIT } from "../exit.ts";

export function runRules(opts: { at?: string; json?: boolean; lang: string }): number {
  const at = atOption(opts.at);
  const lang = langOption(opts.lang);
  const rows = RULES.flatMap((rule) => {
    const compiled = ruleById(rule.id);
    const v = compiled === undefined ? undefined : versionAt(compiled, at);
    if (v === undefined) return [];
    return [
      {
        id: rule.id,
        law: rule.law,
        title: rule.title[lang],
        article: v.version.article,
        from: v.version.from,
        to: v.version.to ?? null,
        role: rule.role ?? "rule",
        confidence: rule.confidence,
        contested: v.version.contested !== undefined || rule.contested !== undefined,
        channels: rule.channels,
        kinds: rule.kinds,
      },
    ];
  });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ at: isoDate(at), rules: rows }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [`Rules in force on ${isoDate(at)} (${rows.length}):`, ""];
  for (const r of rows) {
    const period = `${r.from} → ${r.to ?? ""}`;
    const flags = [r.role === "exception" ? "exception" : "", r.contested ? "contested" : ""].filter(Boolean);
    lines.push(
      `${r.id.padEnd(32)} ${r.law.padEnd(4)} ${period.padEnd(25)} ${r.title}${flags.length ? `  [${flags.join(", ")}]` : ""}`,
    );
    lines.push(`${"".padEnd(38)}${r.article}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.ok;
}
