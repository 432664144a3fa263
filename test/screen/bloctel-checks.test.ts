// Bloctel checks as Bloctel returns them — the numbers to remove, usually without their dates —
// through `vigie import bloctel`, then `vigie screen` and `POST /v1/check`. A listed number is
// registered and in force on the check's day (conso-l223-1/bloctel, docs/readings.md "Bloctel").
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse } from "csv-parse/sync";
import { startServer } from "../api/helpers.ts";
import { CALL_2025, tempDir, vigie } from "./helpers.ts";

const BLOCTEL = "conso-l223-1/bloctel";
const CHECK_DAY = "2026-03-01";
/** One day before the check, the check's day (a Sunday: the hours block too), nine days after. */
const CALLS = {
  before: "2026-02-28T11:00:00+01:00",
  on: "2026-03-01T11:00:00+01:00",
  after: "2026-03-10T11:00:00+01:00",
} as const;

const { at: _, ...CAMPAIGN } = CALL_2025;

const CHECKS = {
  "numbers only, no header": "06 12 34 56 78\n0756102030\n",
  "numbers only, with a header": "phone\n06 12 34 56 78\n0756102030\n",
  "with dates after and before the check's day":
    "phone,registered_at,effective_at\n06 12 34 56 78,2026-02-20,\n0756102030,,2026-02-15\n",
} as const;

/** The rules that blocked each row of a screening, by its id. */
function blockedBy(dir: string, at: string): Map<string, string[]> {
  writeFileSync(join(dir, "campaign.json"), JSON.stringify({ ...CALL_2025, at }));
  const r = vigie(
    ["screen", "list.csv", "--campaign", "campaign.json", "--out", "out", "--store", "vigie.db"],
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  const [header, ...rows] = parse(readFileSync(join(dir, "out", "blocked.csv"), "utf8")) as string[][];
  const col = (name: string) => (header as string[]).indexOf(name);
  return new Map(
    rows.map((row) => [
      row[col("id")] as string,
      [row[col("rule")] as string, ...(row[col("other_rules")] as string).split(" ")],
    ]),
  );
}

describe("a Bloctel check without dates blocks from its day", () => {
  for (const [name, text] of Object.entries(CHECKS)) {
    test(`${name}: imported whole, then not blocked by ${BLOCTEL} the day before, blocked on the day and after`, () => {
      const dir = tempDir();
      writeFileSync(join(dir, "check.csv"), text);
      writeFileSync(join(dir, "list.csv"), "id,phone\n1,06 12 34 56 78\n2,07 56 10 20 30\n");
      const imported = vigie(
        [
          "import",
          "bloctel",
          "check.csv",
          "--date",
          CHECK_DAY,
          "--complete",
          "--store",
          "vigie.db",
          "--json",
        ],
        dir,
      );
      assert.equal(imported.status, 0, imported.stderr);
      const report = JSON.parse(imported.stdout);
      assert.deepEqual([report.rows, report.accepted, report.rejected], [2, 2, []]);

      const before = blockedBy(dir, CALLS.before);
      for (const id of ["1", "2"]) {
        assert.ok(!(before.get(id) ?? []).includes(BLOCTEL), `row ${id} the day before: ${before.get(id)}`);
      }
      for (const at of [CALLS.on, CALLS.after]) {
        const blocked = blockedBy(dir, at);
        for (const id of ["1", "2"]) assert.ok(blocked.get(id)?.includes(BLOCTEL), `row ${id} at ${at}`);
      }
    });
  }

  test("POST /v1/check after an upload of numbers alone", async () => {
    const s = await startServer({ now: () => Date.parse("2026-03-10T12:00:00Z") });
    try {
      const up = await s.call("POST", `/v1/imports/bloctel?date=${CHECK_DAY}&complete=true`, {
        key: s.key.admin,
        raw: CHECKS["numbers only, no header"],
        headers: { "content-type": "text/csv" },
      });
      assert.equal(up.status, 201, up.text);
      assert.equal(up.json.accepted, 2);
      const bloctel = async (at: string) => {
        const r = await s.call("POST", "/v1/check", {
          key: s.key.decide,
          body: { point: "0612345678", campaign: CAMPAIGN, at },
        });
        assert.equal(r.status, 200, r.text);
        return (r.json.reasons as { rule: string; effect: string; message: { en: string } }[]).find(
          (x) => x.rule === BLOCTEL,
        );
      };
      assert.equal(await bloctel(CALLS.before), undefined);
      const after = await bloctel(CALLS.after);
      assert.equal(after?.effect, "block");
      assert.match(after?.message.en ?? "", /effective since 2026-03-01/);
    } finally {
      await s.close();
    }
  });
});
