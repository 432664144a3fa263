// What a DPO shows the CNIL: every import, screening and export made from the command line is in
// the audit trail with its file's name, the campaign and the counts — never the points themselves.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { StoredEvent } from "../../src/evidence/events.ts";
import { trailEntry } from "../../src/services/activity.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { vigie } from "./vigie.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-trail-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("imports, screenings and exports are in the trail, with file, campaign and counts", async () => {
  const env = { VIGIE_KEYRING: join(dir, "keyring.json") };
  const store = join(dir, "vigie.db");
  const run = (...args: string[]) => vigie([...args, "--store", store], undefined, env);
  assert.equal(run("import", "objections", "examples/evidence/objections.csv").status, 0);
  const screened = run(
    "screen",
    "examples/lists/pige.csv",
    "--campaign",
    "examples/campaigns/pige-call.json",
    "--out",
    join(dir, "out"),
  );
  assert.ok(screened.status === 0 || screened.status === 2, screened.stderr);
  assert.equal(run("subject", "export", "06 12 34 56 78").status, 0);
  const suppressionFile = join(dir, "suppression.csv");
  const suppressed = run("suppression", "export", "--channel", "phone", "--out", suppressionFile);
  assert.equal(suppressed.status, 0, suppressed.stderr);
  assert.match(suppressed.stderr, /^suppression \(phone, csv\): 1 point\(s\)\n$/);
  assert.match(readFileSync(suppressionFile, "utf8"), /^point,reason,since,key\r\n\+33\d{9},objection,/);
  assert.equal(statSync(suppressionFile).mode & 0o777, 0o600);

  const db = new SqliteStore(store);
  const activities: StoredEvent[] = [];
  for await (const e of db.events("default")) if (e.data.type === "activity.recorded") activities.push(e);
  await db.close();
  const [imported, list, exported] = activities;
  assert.deepEqual(
    activities.map((e) => (e.data.type === "activity.recorded" ? e.data.action : "")),
    ["evidence.imported", "list.screened", "subject.exported", "suppression.exported"],
  );
  assert.ok(imported?.data.type === "activity.recorded");
  assert.deepEqual(imported.data.detail, {
    file: "objections.csv",
    kind: "objections",
    counts: { rows: 1, accepted: 1, rejected: 0, appended: 1, duplicates: 0, suppressed: 0 },
  });
  assert.ok(list?.data.type === "activity.recorded");
  assert.match(list.data.target, /^[0-9a-f]{64}$/);
  assert.equal(list.data.detail?.file, "pige.csv");
  assert.equal(list.data.detail?.campaign, "pige-call.json");
  const c = list.data.detail?.counts ?? {};
  assert.equal(c.rows, (c.allowed ?? 0) + (c.blocked ?? 0) + (c.rejected ?? 0));
  assert.ok((c.rows ?? 0) > 0);
  assert.match(list.proof.recordedBy, /^cli:/);
  assert.ok(exported?.pointKey !== "", "the export names its person by key");
  assert.match(
    trailEntry(list).what,
    new RegExp(
      `^list\\.screened pige\\.csv \\(campaign pige-call\\.json\\): rows ${c.rows}, allowed ${c.allowed}, blocked ${c.blocked}, rejected ${c.rejected} \\[[0-9a-f]{12}\\]$`,
    ),
  );
  assert.doesNotMatch(JSON.stringify(activities), /33612345678|06 12 34 56 78/, "no point in the trail");
});
