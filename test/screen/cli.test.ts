// `vigie screen` as users run it: exit statuses, campaign errors naming the field, the store it
// picks, and an interrupted run that leaves nothing looking complete.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { CALL_2025, tempDir, vigie, vigieChild } from "./helpers.ts";

function setup(list: string, campaign: object = CALL_2025): string {
  const dir = tempDir();
  writeFileSync(join(dir, "list.csv"), list);
  writeFileSync(join(dir, "campaign.json"), JSON.stringify(campaign));
  return dir;
}

const screenArgs = ["screen", "list.csv", "--campaign", "campaign.json", "--out", "out"];

test("exit 0 when every row is decided, 2 when some are rejected; the outputs are written either way", () => {
  const dir = setup("id,phone,kind\n1,06 12 34 56 78,professional\n2,06 12 34 56 79,consumer\n");
  const ok = vigie(screenArgs, dir);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, "list.csv: 2 rows = 1 allowed + 1 blocked + 0 rejected → out\n");
  assert.match(ok.stderr, /no evidence store/);
  writeFileSync(join(dir, "list.csv"), "id,phone\n1,06 12\n");
  const rejected = vigie(screenArgs, dir);
  assert.equal(rejected.status, 2);
  assert.match(rejected.stderr, /1 rejected rows, with their lines: out\/rejected\.csv/);
  assert.equal(JSON.parse(readFileSync(join(dir, "out", "summary.json"), "utf8")).rejected, 1);
});

test("a campaign error names the field, exits 2 and writes nothing", () => {
  const dir = setup("id,phone\n1,06 12 34 56 78\n", { ...CALL_2025, channel: "pigeon", at: "tomorrow" });
  const r = vigie(screenArgs, dir);
  assert.equal(r.status, 2);
  assert.match(
    r.stderr,
    /^campaign\.json: channel: must be one of: voice_live, .*\ncampaign\.json: at: not a date/,
  );
  assert.equal(existsSync(join(dir, "out")), false);
});

test("a list without the column the campaign needs, or a --map to no column, exits 2 and writes nothing", () => {
  const dir = setup("id,numero\n1,06 12 34 56 78\n");
  const r = vigie(screenArgs, dir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no "phone" column: .*--map phone=COLUMN/);
  assert.deepEqual(readdirSync(join(dir, "out")), []);
  assert.equal(vigie([...screenArgs, "--map", "phone=numero"], dir).status, 0);
  const bad = vigie([...screenArgs, "--map", "telephone=numero"], dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--map telephone=numero: "telephone" is not one of id, phone/);
});

test("the store: ./vigie.db when it exists, --store when given (and it must exist), none otherwise", () => {
  const dir = setup("id,phone\n1,06 12 34 56 78\n");
  const missing = vigie([...screenArgs, "--store", "nowhere.db"], dir);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--store nowhere\.db: no such file/);
  assert.equal(existsSync(join(dir, "nowhere.db")), false, "screening never creates a store");

  writeFileSync(join(dir, "objections.csv"), "phone,at\n06 12 34 56 78,2024-06-01\n");
  assert.equal(vigie(["import", "objections", "objections.csv"], dir).status, 0);
  const r = vigie(screenArgs, dir);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(dir, "out", "summary.json"), "utf8"));
  assert.equal(summary.evidence, "sqlite:vigie.db");
  assert.deepEqual(summary.byRule, { "gdpr-21/objection": 1 });
  assert.doesNotMatch(r.stderr, /no evidence store/);
});

function bigList(rows: number): string {
  let text = "id,phone,kind,note\n";
  for (let i = 0; i < rows; i++) text += `${i},06${String(10_000_000 + i)},consumer,note ${i}\n`;
  return text;
}

/** Starts a screening of a large list and sends `signal` once its partial directory exists. */
async function interrupted(
  signal: NodeJS.Signals,
): Promise<{ dir: string; code: number | null; signal: string | null }> {
  const dir = setup(bigList(400_000));
  const child = vigieChild(screenArgs, dir);
  const out = join(dir, "out");
  await new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (readdirSync(dir).some((n) => n.startsWith(".out.partial-"))) {
        clearInterval(poll);
        setTimeout(() => {
          child.kill(signal);
          resolve();
        }, 300);
      } else if (Date.now() - started > 60_000) {
        clearInterval(poll);
        reject(new Error("the screening never started"));
      }
    }, 10);
  });
  const [code, by] = (await new Promise((resolve) => child.on("exit", (c, s) => resolve([c, s])))) as [
    number | null,
    string | null,
  ];
  return { dir: out, code, signal: by };
}

test("killed mid-run (SIGKILL): DIR holds no summary.json nor any other output", {
  timeout: 120_000,
}, async () => {
  const r = await interrupted("SIGKILL");
  assert.equal(r.signal, "SIGKILL", "the run had not finished when killed");
  assert.deepEqual(readdirSync(r.dir), []);
  // Its partial directory, beside DIR, is private: it holds the list's rows.
  const [partial] = readdirSync(join(r.dir, "..")).filter((n) => n.startsWith(".out.partial-"));
  assert.equal(statSync(join(r.dir, "..", partial as string)).mode & 0o777, 0o700);
  // The next run is not tripped by what the killed one left, and removes it.
  const again = vigie(screenArgs, join(r.dir, ".."));
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(
    readdirSync(join(r.dir, "..")).filter((n) => n.includes(".partial-")),
    [],
  );
  assert.deepEqual(readdirSync(r.dir).sort(), [
    "allowed.csv",
    "blocked.csv",
    "rejected.csv",
    "report.html",
    "summary.json",
  ]);
});

test("stopped mid-run (SIGTERM): exit 143, and DIR is left as it was", { timeout: 120_000 }, async () => {
  const r = await interrupted("SIGTERM");
  assert.equal(r.code, 143);
  assert.deepEqual(readdirSync(r.dir), []);
});
