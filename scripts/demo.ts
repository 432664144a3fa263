// `npm run demo`: the main job on the bundled sample data, with the embedded SQLite store.
// Imports the sample evidence (examples/evidence, a Bloctel check), screens a "pige" list scraped
// from classified ads for a call campaign in March 2025 (Bloctel era) and in December 2026 (prior
// consent required), and verifies the audit trail. Everything goes to out/demo/.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const OUT = "out/demo";
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
// The demo keeps its own store and keyring, beside its outputs, and touches nothing else.
const env = { ...process.env, VIGIE_KEYRING: join(OUT, "keyring.json"), VIGIE_STORE: join(OUT, "vigie.db") };

function vigie(args: string[], allowed: readonly number[] = [0]): void {
  console.log(`\n$ vigie ${args.join(" ")}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    env,
    stdio: "inherit",
  });
  if (!allowed.includes(r.status ?? -1)) {
    console.error(`demo: vigie ${args[0]} exited ${r.status}`);
    process.exit(1);
  }
}

for (const kind of ["contacts", "consents", "objections", "history"]) {
  vigie(["import", kind, `examples/evidence/${kind}.csv`]);
}
vigie(["import", "bloctel", "examples/evidence/bloctel-2026-08-03.csv", "--date", "2026-08-03"]);
vigie([
  "import",
  "bloctel",
  "examples/lists/pige-bloctel-2025-03-01.csv",
  "--date",
  "2025-03-01",
  "--complete",
]);
// The list has two malformed rows on purpose: screen reports them and exits 2.
vigie(
  [
    "screen",
    "examples/lists/pige.csv",
    "--campaign",
    "examples/campaigns/pige-call-2025.json",
    "--out",
    join(OUT, "pige-2025"),
  ],
  [0, 2],
);
vigie(
  [
    "screen",
    "examples/lists/pige.csv",
    "--campaign",
    "examples/campaigns/pige-call.json",
    "--out",
    join(OUT, "pige-2026"),
  ],
  [0, 2],
);
vigie(["audit", "verify"]);

for (const run of ["pige-2025", "pige-2026"]) {
  const s = JSON.parse(readFileSync(join(OUT, run, "summary.json"), "utf8"));
  console.log(
    `\n${run}: ${s.in} rows = ${s.allowed} allowed + ${s.blocked} blocked + ${s.rejected} rejected`,
  );
  console.log(`  blocks by rule: ${JSON.stringify(s.byRule)}`);
  console.log(`  report: ${join(OUT, run, "report.html")}`);
}
