#!/usr/bin/env node
// vigie's command line. Each command imports what it needs when it runs, so `vigie rules` never
// pays for what `vigie check` loads.
import { Command, CommanderError } from "commander";
import { EXIT, UsageError } from "./exit.ts";

const program = new Command()
  .name("vigie")
  .description("Lawful commercial prospecting by construction: decisions that cite the French law in force.")
  .version("0.1.0")
  .showHelpAfterError()
  .exitOverride();

program
  .command("check")
  .description("decide facts (docs/contract.md §1): one object with --facts, or one per line with --jsonl")
  .option("--facts <file>", "a JSON file holding one facts object ('-' = standard input)")
  .option("--jsonl [file]", "JSON Lines: one facts object per line (default: standard input)")
  .addHelpText(
    "after",
    "\nExit status: 0 when every input was decided, 2 when some input was invalid.\nExamples:\n  vigie check --facts examples/facts/pige-2026.json\n  vigie check --jsonl examples/facts.jsonl",
  )
  .action(async (opts: { facts?: string; jsonl?: string | true }) => {
    const { runCheck } = await import("./commands/check.ts");
    process.exitCode = await runCheck(opts);
  });

program
  .command("rules")
  .description("list the rules in force at a date, with their articles and periods")
  .option("--at <date>", "the date (YYYY-MM-DD or an ISO instant); default: today")
  .option("--json", "print JSON")
  .option("--lang <lang>", "fr or en", "en")
  .action(async (opts: { at?: string; json?: boolean; lang: string }) => {
    const { runRules } = await import("./commands/rules.ts");
    process.exitCode = runRules(opts);
  });

program
  .command("explain")
  .description("print a rule: its article and words, its periods, exceptions and parameter values")
  .argument("<rule>", "a rule id, e.g. conso-d223-9/hours")
  .option("--at <date>", "the date whose version and parameters to show; default: today")
  .option("--lang <lang>", "fr or en", "en")
  .action(async (ruleId: string, opts: { at?: string; lang: string }) => {
    const { runExplain } = await import("./commands/explain.ts");
    process.exitCode = runExplain(ruleId, opts);
  });

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every usage error is exit 2, as scripts expect.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.invalid;
  } else if (error instanceof UsageError) {
    process.stderr.write(`vigie: ${error.message}\n`);
    process.exitCode = EXIT.invalid;
  } else {
    throw error;
  }
}
