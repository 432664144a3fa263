// docs/integrations.md stays true to the code: every route it names is in the API's description
// (the committed one, which test/api/client.test.ts holds to the served one), with the method it
// says; every environment variable it names is read by the code; every `vigie` command it runs
// exists. The integrations themselves are tested over HTTP in test/api/ and test/services/.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const ROOT = new URL("../../", import.meta.url);
const doc = readFileSync(new URL("docs/integrations.md", ROOT), "utf8");
const api = JSON.parse(readFileSync(new URL("docs/openapi.generated.json", ROOT), "utf8")) as {
  paths: Record<string, Record<string, unknown>>;
};

function sources(dir: string): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((path) =>
      statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? readFileSync(path, "utf8") : "",
    )
    .join("\n");
}

test("every route docs/integrations.md names exists, with the method it says", () => {
  const named = [...doc.matchAll(/(?:(GET|POST) )?(?:\$VIGIE)?(\/v1\/[a-z/_-]+[a-z])/g)];
  assert.ok(named.length > 10, "the doc names its routes");
  for (const [, method, path] of named) {
    const item = api.paths[path as string];
    assert.ok(item !== undefined, `${path}: not a route of the API`);
    if (method !== undefined)
      assert.ok(method.toLowerCase() in item, `${method} ${path}: not a method of it`);
  }
});

test("every environment variable it names is read by the code, every command it runs exists", () => {
  const code = sources(new URL("src", ROOT).pathname);
  for (const [name] of doc.matchAll(/VIGIE_[A-Z_]+/g))
    assert.ok(code.includes(name), `${name}: read nowhere`);
  const main = readFileSync(new URL("src/cli/main.ts", ROOT), "utf8");
  for (const [, command, sub] of doc.matchAll(/^vigie ([a-z]+)(?: ([a-z]+))?/gm)) {
    assert.ok(main.includes(`.command("${command}")`), `vigie ${command}: no such command`);
    if (sub !== undefined && !["serve"].includes(command as string)) {
      assert.ok(
        new RegExp(`\\.command\\("${sub}[ "]`).test(main),
        `vigie ${command} ${sub}: no such command`,
      );
    }
  }
});
