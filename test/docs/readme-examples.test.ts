// The README's command lines, run as written after the quick start: every `vigie …` line of its
// `sh` blocks that names no placeholder (FILE.csv, KEY.json, …, a choice a|b) runs, in order, in
// a directory holding the bundled examples, its optional flags ([--json]) given; each must exit
// 0. The answer the README shows for `vigie check` is the one given, field for field where it
// quotes one.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const ROOT = new URL("../../", import.meta.url);
const readme = readFileSync(new URL("README.md", ROOT), "utf8");

/** The README's command lines: continuations joined, comments and a `$ ` prompt dropped. */
function commandLines(): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, text]) => text as string);
  return blocks.flatMap((text) =>
    text
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .map((line) =>
        line
          .replace(/^\$ /, "")
          .replace(/\s+#.*$/, "")
          .trim(),
      )
      .filter((line) => line.startsWith("vigie ")),
  );
}

/** A line as run: optional flags given, or null when it names a placeholder or starts a server. */
function runnable(line: string): string | null {
  const given = line.replace(/\[([^\]]*)\]/g, (_, inner: string) => (/[…|]/.test(inner) ? "" : inner));
  const placeholder = /…|\s\|\s|\w\|\w|\b[A-Z][A-Z_]+\b/;
  // A server runs until stopped, and `users add` reads a password typed at a terminal.
  if (placeholder.test(given) || /^vigie (serve|users add)\b/.test(given)) return null;
  return given.replace(/\s+/g, " ").trim();
}

test("the README's vigie commands run as written after the quick start", () => {
  const lines = commandLines()
    .map(runnable)
    .filter((l): l is string => l !== null);
  assert.ok(lines.length >= 12, `the README's runnable commands: ${lines.join("; ")}`);
  const dir = mkdtempSync(join(tmpdir(), "vigie-readme-"));
  try {
    cpSync(new URL("examples", ROOT), join(dir, "examples"), { recursive: true });
    const main = new URL("src/cli/main.ts", ROOT).pathname;
    writeFileSync(
      join(dir, "vigie"),
      `#!/bin/sh\nexec "${process.execPath}" --import "${import.meta.resolve("tsx")}" "${main}" "$@"\n`,
    );
    chmodSync(join(dir, "vigie"), 0o755);
    // Each command's output after a marker line, so that each is checked on its own.
    const script = lines.map((l) => `echo "@@ ${l.replace(/["$`\\]/g, "")}"\n${l}`).join("\n");
    const r = spawnSync("bash", ["-e", "-o", "pipefail", "-c", script], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, VIGIE_KEYRING: join(dir, "keyring.json") },
    });
    assert.equal(r.status, 0, `${r.stdout.split("@@ ").at(-1)}\n${r.stderr}`);
    const check = r.stdout.split("@@ ").find((part) => part.startsWith("vigie check"));
    assert.ok(check !== undefined);
    const decision = JSON.parse(check.slice(check.indexOf("\n")));
    const shown = readme.match(/\$ vigie check[^\n]*\n([\s\S]*?)```/)?.[1] ?? "";
    assert.equal(decision.verdict, shown.match(/"verdict": "(\w+)"/)?.[1]);
    assert.equal(decision.rulebook, shown.match(/"rulebook": "([\d-]+)"/)?.[1]);
    const rule = shown.match(/"rule": "([^"]+)", "effect": "(\w+)",\s*"article": "([^"]+)"/);
    assert.ok(rule !== null, "the README quotes a reason");
    const reason = decision.reasons.find((x: { rule: string }) => x.rule === rule[1]);
    assert.deepEqual([reason?.effect, reason?.article], [rule[2], rule[3]]);
    for (const lang of ["fr", "en"] as const) {
      const quoted = shown.match(new RegExp(`"${lang}": "([^"…]+)`))?.[1] ?? "";
      assert.ok(quoted.length > 20 && reason.message[lang].startsWith(quoted), `${lang}: ${quoted}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
