// Writes docs/openapi.generated.json (the API's OpenAPI document, as the server serves it) and
// src/api/openapi.generated.ts (its TypeScript types, by openapi-typescript), for
// `import type { ApiPaths } from "vigie"` with openapi-fetch (docs/api.md). openapi-typescript
// needs TypeScript 5's compiler API, which this project's TypeScript 7 lacks: it runs through npx
// beside TypeScript 5 (network needed here only). test/api/client.test.ts checks both are current.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startServer } from "../test/api/helpers.ts";

const doc = fileURLToPath(new URL("../docs/openapi.generated.json", import.meta.url));
const types = fileURLToPath(new URL("../src/api/openapi.generated.ts", import.meta.url));

const s = await startServer();
try {
  const text = `${JSON.stringify(await (await fetch(`${s.url}/openapi.json`)).json(), null, 2)}\n`;
  writeFileSync(doc, text);
  execFileSync(
    "npx",
    [
      "-y",
      "-p",
      "typescript@5.9.3",
      "-p",
      "openapi-typescript@7.13.0",
      "openapi-typescript",
      doc,
      "-o",
      types,
    ],
    { stdio: "inherit" },
  );
  const sha = createHash("sha256").update(text).digest("hex");
  writeFileSync(
    types,
    `// From docs/openapi.generated.json, sha256 ${sha}: npm run gen:client\n${readFileSync(types, "utf8")}`,
  );
  console.log("wrote docs/openapi.generated.json and src/api/openapi.generated.ts");
} finally {
  await s.close();
}
