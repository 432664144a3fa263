// What DIR holds around a screening: partial directories of killed runs are cleared by the next
// run (not those of runs still going), and column names stay unambiguous — the columns screening
// adds are renamed when the list already uses their names; a recognised column named twice is
// refused.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ListFileError } from "../../src/services/screen/columns.ts";
import { CALL_2025, reconcile, screen, tempDir } from "./helpers.ts";

test("partial directories of dead runs are removed; those of live runs are left", async () => {
  const dir = tempDir();
  const out = join(dir, "out");
  // A process that has exited: its pid is free (reuse by another process would keep its directory).
  const child = spawn(process.execPath, ["-e", ""]);
  const dead = child.pid as number;
  await new Promise((resolve) => child.on("exit", resolve));
  for (const pid of [dead, process.ppid]) {
    mkdirSync(join(out, `.partial-${pid}`), { recursive: true });
    writeFileSync(join(out, `.partial-${pid}`, "allowed.csv"), "id,phone\n");
  }
  mkdirSync(join(out, ".partial-notes")); // not ours: left alone
  await screen({ list: "id,phone\n1,06 12 34 56 78\n", dir });
  assert.deepEqual(
    readdirSync(out).sort(),
    [
      ".partial-notes",
      `.partial-${process.ppid}`,
      "allowed.csv",
      "blocked.csv",
      "rejected.csv",
      "report.html",
      "summary.json",
    ].sort(),
  );
});

test("the columns screening adds are renamed when the list has columns of their names", async () => {
  // A blocked.csv of an earlier screening, screened again over a window.
  const list = [
    "id,phone,kind,rule,reason,article,other_rules,vigie_rule,next_slot",
    "1,06 12 34 56 78,professional,x,y,z,,w,2025-01-01",
    "2,06 12 34 56 79,consumer,x,y,z,,w,2025-01-01",
  ].join("\n");
  const campaign = {
    ...CALL_2025,
    at: undefined,
    from: "2025-03-04T08:00:00+01:00",
    to: "2025-03-04T12:00:00+01:00",
  };
  const dir = tempDir();
  const o = await screen({ list, campaign, dir, out: "a" });
  assert.deepEqual(reconcile(o), { in: 2, allowed: 1, blocked: 1, rejected: 0 });
  assert.equal(
    o.read("blocked.csv").split("\n")[0],
    "id,phone,kind,rule,reason,article,other_rules,vigie_rule,next_slot,vigie_rule_2,vigie_reason,vigie_article,vigie_other_rules,duplicate_of,interpreted,needs_review",
  );
  assert.equal(
    o.read("allowed.csv").split("\n")[0],
    "id,phone,kind,rule,reason,article,other_rules,vigie_rule,next_slot,vigie_next_slot,duplicate_of,interpreted",
  );
  const again = await screen({ list, campaign, dir, out: "b" });
  assert.equal(again.read("blocked.csv"), o.read("blocked.csv"));
});

test("a list naming a recognised column twice is refused; other repeated columns pass through", async () => {
  const dir = tempDir();
  await assert.rejects(
    screen({ list: "id,phone,note,phone\n1,06 12 34 56 78,a,06 12 34 56 79\n", dir, out: "twice" }),
    (e: unknown) =>
      e instanceof ListFileError &&
      e.message === 'the list has two columns named "phone" (columns 2 and 4): rename or remove one',
  );
  assert.deepEqual(readdirSync(join(dir, "twice")), [], "nothing written");
  await assert.rejects(
    screen({
      list: "id,tel,kind,Kind,kind\n1,06 12 34 56 78,consumer,x,consumer\n",
      dir,
      out: "mapped",
      map: "phone=tel",
    }),
    /two columns named "kind"/,
  );
  await assert.rejects(
    screen({ list: "id;phone;PHONE;kind\n1;0611111115;0612345678;professional\n", dir, out: "capitals" }),
    (e: unknown) =>
      e instanceof ListFileError &&
      e.message ===
        'the list has two columns named "phone" (also written "PHONE"): rename or remove one, or say which with --map phone=COLUMN',
  );
  const o = await screen({
    list: "id,phone,kind,note,note\n1,06 12 34 56 78,professional,a,b\n",
    dir,
    out: "notes",
  });
  assert.equal(
    o.read("allowed.csv"),
    "id,phone,kind,note,note,duplicate_of,interpreted\n1,06 12 34 56 78,professional,a,b,,\n",
  );
});
