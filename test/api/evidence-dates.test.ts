// Evidence dates fail closed (docs/evidence.md, "Dates"): every evidence route refuses a date in
// the future or before the floor with 400 naming the field, against the server's injected clock.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Server, startServer } from "./helpers.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");
let s: Server;
before(async () => {
  s = await startServer({ now: () => NOW });
});
after(() => s.close());

const write = (path: string, body: unknown) => s.call("POST", path, { key: s.key["write-evidence"], body });
const PHONE = "06 12 34 56 78";
const base = { point: PHONE, controller: "Agence Dupont" };

/** Each evidence route, with the body it takes and the name of its date field. */
const ROUTES: readonly [path: string, field: string, body: Record<string, unknown>][] = [
  ["/v1/consents", "givenAt", { ...base, channel: "voice_live", method: "double_opt_in" }],
  ["/v1/consents/withdraw", "at", { ...base, channel: "voice_live" }],
  ["/v1/objections", "at", { ...base, via: "letter" }],
  ["/v1/contacts-made", "at", { ...base, channel: "voice_live", outcome: "no_answer" }],
  ["/v1/notices", "at", base],
  ["/v1/sms/replies", "at", { from: PHONE, text: "STOP" }],
];

describe("evidence dates through the API", () => {
  for (const [path, field, body] of ROUTES) {
    test(`${path}: 2099, year 0000 and 2025-02-30 are 400 naming ${field}; within the clock skew is recorded`, async () => {
      for (const [date, message] of [
        ["2099-01-01", /^in the future \(now is 2026-03-10T12:00:00.000Z\)/],
        ["0000-01-01", /^before 1990-01-01/],
        ["9999-12-31T23:59:59Z", /^in the future/],
        ["2025-02-30", /^not a date/],
        ["2026-03-10T12:05:01Z", /^in the future/],
      ] as const) {
        const r = await write(path, { ...body, [field]: date });
        assert.equal(r.status, 400, `${path} ${date}: ${r.text}`);
        assert.equal(r.json.error.path, field);
        assert.match(r.json.error.message, message);
      }
      const ok = await write(path, { ...body, [field]: "2026-03-10T12:05:00Z" });
      assert.equal(ok.status, 201, ok.text);
      const old = await write(path, { ...body, [field]: "2014-05-01" });
      assert.equal(old.status, 201, `evidence from 2014 is real: ${old.text}`);
    });
  }

  test("an objection without a date is recorded at the server's now, and binds from then", async () => {
    const point = "07 56 10 20 30";
    const r = await write("/v1/objections", { point, channel: "all" });
    assert.equal(r.status, 201, r.text);
    const check = (at: string) =>
      s.call("POST", "/v1/check", {
        key: s.key.decide,
        body: { point, campaign: { controller: "Agence Dupont", channel: "postal" }, at },
      });
    const reasons = async (at: string) =>
      ((await check(at)).json.reasons as { rule: string; effect: string }[])
        .filter((x) => x.effect === "block")
        .map((x) => x.rule);
    assert.ok(!(await reasons("2026-03-10T11:59:00Z")).includes("gdpr-21/objection"));
    assert.ok((await reasons("2026-03-10T12:00:00Z")).includes("gdpr-21/objection"));
  });

  test("an objection stamped a few minutes ahead (a client's clock running fast) binds at once", async () => {
    const point = "07 56 10 20 31";
    const r = await write("/v1/objections", {
      point,
      channel: "all",
      via: "letter",
      at: "2026-03-10T12:04:00Z",
    });
    assert.equal(r.status, 201, r.text);
    const check = await s.call("POST", "/v1/check", {
      key: s.key.decide,
      body: {
        point,
        campaign: { controller: "Agence Dupont", channel: "postal" },
        at: "2026-03-10T12:00:00Z",
      },
    });
    const blocks = (check.json.reasons as { rule: string; effect: string }[]).filter(
      (x) => x.effect === "block",
    );
    assert.ok(
      blocks.some((x) => x.rule === "gdpr-21/objection"),
      "recorded at the server's now, not four minutes later",
    );
  });

  test("imports: a row dated in the future is rejected with its line and column; the others go in", async () => {
    const r = await s.call("POST", "/v1/imports/objections", {
      key: s.key["write-evidence"],
      raw: "phone,at\n0611223301,2026-03-01\n0611223302,2099-01-01\n0611223303,0000-01-01\n",
      headers: { "content-type": "text/csv" },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.accepted, 1);
    assert.deepEqual(
      r.json.rejected.map((x: { line: number; column: string }) => [x.line, x.column]),
      [
        [3, "at"],
        [4, "at"],
      ],
    );
    assert.match(r.json.rejected[0].message, /^at: "2099-01-01": in the future/);
  });

  test("a Bloctel check dated in the future, or unreadable, is 400 naming date; nothing imported", async () => {
    for (const date of ["2099-01-01", "2026-03-11", "0000-01-01", "2025-02-30"]) {
      const r = await s.call("POST", `/v1/imports/bloctel?date=${date}`, {
        key: s.key.admin,
        raw: "phone\n0611223344\n",
        headers: { "content-type": "text/csv" },
      });
      assert.equal(r.status, 400, `${date}: ${r.text}`);
      assert.equal(r.json.error.path, "date");
    }
  });

  test("facts: a year-0000 instant is 400 with its JSON path; a planned one is decided", async () => {
    const facts = (at: string) => ({
      at: "2026-03-10T11:00:00+01:00",
      campaign: { controller: "Agence Dupont", channel: "postal" },
      contact: { kind: "consumer", objections: [{ at }] },
    });
    const bad = await s.call("POST", "/v1/decisions", { key: s.key.decide, body: facts("0000-01-01") });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.path, "contact.objections[0].at");
    const planned = await s.call("POST", "/v1/decisions", { key: s.key.decide, body: facts("2099-01-01") });
    assert.equal(planned.status, 200, planned.text);
  });

  test("no date anywhere answers 500: /v1/check at the edges of the calendar", async () => {
    for (const at of ["0000-01-01", "9999-12-31T23:59:59Z", "2025-02-30", "2026-13-01"]) {
      const r = await s.call("POST", "/v1/check", {
        key: s.key.decide,
        body: { point: PHONE, campaign: { controller: "Agence Dupont", channel: "voice_live" }, at },
      });
      assert.equal(r.status, 400, `${at}: ${r.text}`);
      assert.equal(r.json.error.path, "at");
    }
  });
});
