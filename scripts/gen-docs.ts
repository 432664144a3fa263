// Writes docs/rules.md from the rulebook (see scripts/rules-doc.ts).
import { writeFileSync } from "node:fs";
import { rulesDoc } from "./rules-doc.ts";

writeFileSync(new URL("../docs/rules.md", import.meta.url), rulesDoc());
console.log("wrote docs/rules.md");
