// Runs every *.test.ts under src/ and test/ with node:test. Node 20 neither expands globs nor
// finds .ts files by itself, and `node --test` with no files exits 0 having run nothing — so we
// list the files ourselves and fail when there are none.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

function walk(dir, out) {
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
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", ...files], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
