// Runs every *.test.ts under src/ and test/ with node:test. Node 20 neither expands globs nor
// finds .ts files by itself, and `node --test` with no files exits 0 having run nothing — so we
// list the files ourselves and fail when there are none.
//
// Two bounds keep a hang from eating CI's time unexplained: --test-timeout fails a test that
// waits too long (named in the report), and the whole run is killed — with its process group,
// so no test process is left holding the output open — after RUN_LIMIT_MS, saying so. The first
// cannot end a process deadlocked in native code (the main thread never runs the timer again);
// the second can. The whole suite takes about 10 minutes on the 2-core CI machine.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const TEST_TIMEOUT_MS = 5 * 60_000;
const RUN_LIMIT_MS = 40 * 60_000;

function walk(dir, out) {
  if (statSync(dir).isFile()) return [dir];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const roots = process.argv.length > 2 ? process.argv.slice(2) : ["src", "test"];
const files = roots.flatMap((root) => walk(root, [])).sort();
if (files.length === 0) {
  console.error("scripts/test.mjs: no *.test.ts file found under", roots.join(", "));
  process.exit(1);
}
const run = spawn(
  process.execPath,
  ["--import", "tsx", "--test", `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
  { stdio: "inherit", detached: true },
);
const limit = setTimeout(() => {
  console.error(
    `scripts/test.mjs: the test run passed ${RUN_LIMIT_MS / 60_000} minutes (it takes about 10): killed. The last file reported above is the one before the file that hung.`,
  );
  process.kill(-run.pid, "SIGKILL");
  process.exit(1);
}, RUN_LIMIT_MS);
// Ctrl-C on the terminal reaches our group only: pass it on to the run's.
process.on("SIGINT", () => process.kill(-run.pid, "SIGINT"));
run.on("exit", (code, signal) => {
  clearTimeout(limit);
  process.exit(code ?? (signal ? 1 : 0));
});
