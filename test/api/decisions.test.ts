import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { decide } from "../../src/engine/decide.ts";
import { parseFacts } from "../../src/facts/parse.ts";
import { type Server, startServer } from "./helpers.ts";

const FACTS = JSON.parse(
  readFileSync(new URL("../../examples/facts/pige-2026.json", import.meta.url), "utf8"),
);
const PHONE = "06 12 34 56 78";
const call = {
  controller: "Agence Dupont",
  channel: "voice_live",
  sector: "other",
  callerId: "+33 1 44 00 00 00",
  dialer: "manual",
  habitualCaller: true,
};
const mail = {
  controller: "Agence Dupont",
  channel: "email",
  sector: "other",
  message: { senderIdentified: true, optOut: true },
};
const blocking = (d: { reasons: { effect: string; rule: string }[] }) =>
  d.reasons.filter((r) => r.effect === "block").map((r) => r.rule);

let s: Server;
before(async () => {
  s = await startServer();
});
after(() => s.close());

describe("POST /v1/decisions", () => {
  test("decides facts exactly as the engine does", async () => {
    const r = await s.call("POST", "/v1/decisions", { key: s.key.decide, body: FACTS });
    assert.equal(r.status, 200);
    const parsed = parseFacts(FACTS);
    assert.ok(parsed.ok);
    // Written by decisionJson, byte for byte what JSON.stringify writes, with the same media type.
    assert.equal(r.text, JSON.stringify(decide(parsed.facts)));
    assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8");
  });

  test("invalid facts: 400 naming the JSON path, every issue listed", async () => {
    const bad = structuredClone(FACTS);
    bad.contact.consents = [{ channel: "voice_live", controller: "Agence Dupont", givenAt: "yesterday" }];
    const r = await s.call("POST", "/v1/decisions", { key: s.key.decide, body: bad });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.path, "contact.consents[0].givenAt");
    assert.match(r.json.error.message, /not a date/);
    assert.ok(Array.isArray(r.json.error.issues));
  });

  test("an unknown field is named", async () => {
    const r = await s.call("POST", "/v1/decisions", { key: s.key.decide, body: { ...FACTS, colour: "red" } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.path, "colour");
    assert.equal(r.json.error.message, "unknown field");
  });

  test("malformed JSON: 400 in the same error shape", async () => {
    const r = await s.call("POST", "/v1/decisions", { key: s.key.decide, raw: "{" });
    assert.equal(r.status, 400);
    assert.equal(typeof r.json.error.message, "string");
  });
});

describe("POST /v1/check", () => {
  test("a point the campaign's channel does not reach is refused, naming it, as facts are", async () => {
    const sms = { ...mail, channel: "sms" };
    for (const [point, campaign, message] of [
      ["jean@example.fr", sms, "a sms campaign reaches a phone point, not email"],
      ["06 12 34 56 78", mail, "a email campaign reaches a email point, not phone"],
    ] as const) {
      const r = await s.call("POST", "/v1/check", {
        key: s.key.decide,
        body: { point, campaign, at: "2026-12-01T11:00:00+01:00" },
      });
      assert.equal(r.status, 400, JSON.stringify(r.json));
      assert.deepEqual([r.json.error.path, r.json.error.message], ["point", message]);
    }
    // A letter reaches an address the store does not key: the phone number names the person.
    const letter = await s.call("POST", "/v1/check", {
      key: s.key.decide,
      body: {
        point: "06 12 34 56 78",
        campaign: { ...mail, channel: "postal" },
        at: "2026-12-01T11:00:00+01:00",
      },
    });
    assert.equal(letter.status, 200, JSON.stringify(letter.json));
  });

  test("a consent, then an objection, change the verdict", async () => {
    const check = () =>
      s.call("POST", "/v1/check", {
        key: s.key.decide,
        body: { point: "jean@example.fr", campaign: mail, at: "2026-12-01T11:00:00+01:00" },
      });
    const before = await check();
    assert.equal(before.status, 200);
    assert.equal(before.json.verdict, "block");
    assert.deepEqual(blocking(before.json), ["cpce-l34-5/consent"]);

    const consent = await s.call("POST", "/v1/consents", {
      key: s.key["write-evidence"],
      body: {
        point: "Jean@Example.fr",
        controller: "Agence Dupont",
        channel: "email",
        givenAt: "2026-11-01T10:00:00Z",
        method: "double_opt_in",
        proofRef: "form-123",
      },
    });
    assert.equal(consent.status, 201);
    assert.equal((await check()).json.verdict, "allow");

    const objection = await s.call("POST", "/v1/objections", {
      key: s.key["write-evidence"],
      body: { point: "jean@example.fr", at: "2026-11-20", via: "email" },
    });
    assert.equal(objection.status, 201);
    const last = await check();
    assert.equal(last.json.verdict, "block");
    assert.deepEqual(blocking(last.json), ["gdpr-21/objection"]);
  });

  test("outside the calling hours: blocked, with the next lawful instant", async () => {
    await s.call("POST", "/v1/consents", {
      key: s.key["write-evidence"],
      body: {
        point: PHONE,
        controller: "Agence Dupont",
        channel: "voice_live",
        givenAt: "2026-11-01T10:00:00Z",
        method: "unticked_checkbox",
        proofRef: "rec-1",
      },
    });
    const night = await s.call("POST", "/v1/check", {
      key: s.key.decide,
      body: { point: PHONE, campaign: call, at: "2026-12-01T21:30:00+01:00" },
    });
    assert.equal(night.json.verdict, "block");
    assert.deepEqual(blocking(night.json), ["conso-d223-9/hours"]);
    assert.equal(night.json.nextAllowedAt, "2026-12-02T10:00:00+01:00");
    const day = await s.call("POST", "/v1/check", {
      key: s.key.decide,
      body: { point: PHONE, campaign: call, at: "2026-12-01T11:00:00+01:00" },
    });
    assert.equal(day.json.verdict, "allow");
    assert.equal(day.json.nextAllowedAt, null);
  });

  test("a callback the person asked for, recorded by a form: the call in its slot is theirs, not after", async () => {
    const point = "06 44 55 66 77";
    const asked = await s.call("POST", "/v1/callback-requests", {
      key: s.key["write-evidence"],
      body: {
        point,
        controller: "Agence Dupont",
        at: "2026-11-30T18:00:00+01:00",
        slot: { from: "2026-12-03T14:00:00+01:00", to: "2026-12-03T16:00:00+01:00" },
        subject: "other",
      },
    });
    assert.equal(asked.status, 201, JSON.stringify(asked.json));
    const check = (at: string) =>
      s.call("POST", "/v1/check", { key: s.key.decide, body: { point, campaign: call, at } });
    const inSlot = await check("2026-12-03T15:00:00+01:00");
    assert.equal(inSlot.json.verdict, "allow", JSON.stringify(inSlot.json.reasons));
    assert.ok(
      inSlot.json.reasons.some(
        (r: { rule: string; effect: string; contested: boolean }) =>
          r.rule === "conso-l223-1/phone-consent" && r.effect === "allow" && r.contested,
      ),
    );
    const after = await check("2026-12-03T16:30:00+01:00");
    assert.equal(after.json.verdict, "block");
    assert.deepEqual(blocking(after.json), ["conso-l223-1/phone-consent"]);
    const bad = await s.call("POST", "/v1/callback-requests", {
      key: s.key["write-evidence"],
      body: {
        point,
        controller: "Agence Dupont",
        slot: { from: "2026-12-03T16:00:00+01:00", to: "2026-12-03T14:00:00+01:00" },
      },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.path, "slot.to");
  });

  test("a stored campaign by id", async () => {
    const stored = await s.call("POST", "/v1/campaigns", { body: { campaign: call } });
    assert.equal(stored.status, 201);
    const r = await s.call("POST", "/v1/check", {
      key: s.key.decide,
      body: { point: PHONE, campaign: stored.json.id, at: "2026-12-01T11:00:00+01:00" },
    });
    assert.equal(r.status, 200);
    assert.equal(r.json.verdict, "allow");
  });

  test("bad bodies name the field", async () => {
    const cases: [unknown, number, string][] = [
      [{ point: PHONE, campaign: "c_nope" }, 404, "campaign"],
      [{ point: PHONE, campaign: { ...call, channel: "pigeon" } }, 400, "campaign.channel"],
      [{ point: "not a number", campaign: call }, 400, "point"],
      [{ point: PHONE, campaign: call, at: "tomorrow" }, 400, "at"],
      [{ point: PHONE, campaign: call, extra: 1 }, 400, "extra"],
      [{ campaign: call }, 400, "point"],
    ];
    for (const [body, status, path] of cases) {
      const r = await s.call("POST", "/v1/check", { key: s.key.decide, body });
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal(r.json.error.path, path, JSON.stringify(r.json));
    }
  });

  test("a point sent as a JSON number is not said to be missing", async () => {
    const given = await s.call("POST", "/v1/check", {
      key: s.key.decide,
      body: { point: 612345678, campaign: call },
    });
    assert.equal(given.status, 400);
    assert.deepEqual([given.json.error.path, given.json.error.message], ["point", "must be a string"]);
    const missing = await s.call("POST", "/v1/check", { key: s.key.decide, body: { campaign: call } });
    assert.deepEqual([missing.json.error.path, missing.json.error.message], ["point", "required"]);
  });

  test("a campaign, a policy or a detail of the wrong kind is said to be so, not 'Invalid input'", async () => {
    const said = async (url: string, body: unknown) => {
      const r = await s.call("POST", url, { key: s.key.decide, body });
      assert.equal(r.status, 400, JSON.stringify(r.json));
      return [r.json.error.path, r.json.error.message];
    };
    assert.deepEqual(await said("/v1/check", { point: "0612345678" }), ["campaign", "required"]);
    assert.deepEqual(await said("/v1/check", { point: "0612345678", campaign: 5 }), [
      "campaign",
      "must be a stored campaign's id (a string) or a campaign object",
    ]);
    assert.deepEqual(await said("/v1/check", { point: "0612345678", campaign: call, policy: [] }), [
      "policy",
      "must be an object",
    ]);
    assert.deepEqual(
      await said("/v1/check/batch", { points: ["0612345678"], campaign: call, detail: "all" }),
      ["detail", "must be one of: summary, full"],
    );
  });
});

describe("campaigns", () => {
  test("stored, read back one by one and listed", async () => {
    const body = { campaign: mail, policy: { callbackWindowHours: 24 } };
    const created = await s.call("POST", "/v1/campaigns", { body });
    assert.equal(created.status, 201);
    assert.match(created.json.id, /^c_/);
    const one = await s.call("GET", `/v1/campaigns/${created.json.id}`, { key: s.key.read });
    assert.equal(one.status, 200);
    assert.deepEqual(one.json.campaign, mail);
    assert.deepEqual(one.json.policy, { callbackWindowHours: 24 });
    const all = await s.call("GET", "/v1/campaigns", { key: s.key.read });
    assert.ok(all.json.campaigns.some((c: { id: string }) => c.id === created.json.id));
    assert.equal((await s.call("GET", "/v1/campaigns/c_missing", { key: s.key.read })).status, 404);
  });

  test("an invalid campaign is refused, naming the field", async () => {
    const r = await s.call("POST", "/v1/campaigns", { body: { campaign: { channel: "email" } } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.path, "campaign.controller");
  });
});

describe("POST /v1/check/batch", () => {
  const AT = "2026-12-01T11:00:00+01:00";
  const batch = (body: object) => s.call("POST", "/v1/check/batch", { key: s.key.decide, body });

  test("decides each point as POST /v1/check does, in order, from one read of the store", async () => {
    const points = ["marc@example.fr", "not an address", "MARC@example.fr", "lea@example.fr"];
    await s.call("POST", "/v1/consents", {
      key: s.key["write-evidence"],
      body: {
        point: "marc@example.fr",
        controller: "Agence Dupont",
        channel: "email",
        givenAt: "2026-11-01T10:00:00Z",
        method: "double_opt_in",
        proofRef: "form-7",
      },
    });
    const r = await batch({ points, campaign: mail, at: AT });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const results = r.json.results as {
      point: string;
      verdict?: string;
      rule?: string | null;
      error?: { message: string; path: string };
    }[];
    assert.deepEqual(
      results.map((x) => [x.point, x.verdict ?? "error", x.rule ?? null]),
      [
        ["marc@example.fr", "allow", null],
        ["not an address", "error", null],
        ["MARC@example.fr", "allow", null],
        ["lea@example.fr", "block", "cpce-l34-5/consent"],
      ],
    );
    assert.equal(results[1]?.error?.path, "points[1]");
    for (const [i, p] of points.entries()) {
      if (i === 1) continue;
      const one = await s.call("POST", "/v1/check", {
        key: s.key.decide,
        body: { point: p, campaign: mail, at: AT },
      });
      const full = await batch({ points: [p], campaign: mail, at: AT, detail: "full" });
      assert.deepEqual(full.json.results[0].decision, one.json, p);
    }
  });

  test("a point the campaign's channel does not reach is an error of its own; the others are decided", async () => {
    const r = await batch({ points: ["lea@example.fr", "06 12 34 56 78"], campaign: mail, at: AT });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const [decided, refused] = r.json.results;
    assert.deepEqual(decided, {
      point: "lea@example.fr",
      verdict: "block",
      rule: "cpce-l34-5/consent",
      nextAllowedAt: null,
    });
    assert.deepEqual(
      [refused.point, refused.error.path, refused.error.message],
      ["06 12 34 56 78", "points[1]", "a email campaign reaches a email point, not phone"],
    );
  });

  test("a long batch, decided through the campaign's plan past its first points, decides as the first", async () => {
    // The first points are decided by decide(), the later ones by the compiled plan
    // (src/engine/plan.ts): the same points, once in each part, get the same decisions.
    for (const point of ["p1@long.example", "p4@long.example"]) {
      const consent = await s.call("POST", "/v1/consents", {
        key: s.key["write-evidence"],
        body: {
          point,
          controller: "Agence Dupont",
          channel: "email",
          givenAt: "2026-10-01T10:00:00Z",
          method: "double_opt_in",
          proofRef: "form-9",
        },
      });
      assert.equal(consent.status, 201, JSON.stringify(consent.json));
    }
    const objection = await s.call("POST", "/v1/objections", {
      key: s.key["write-evidence"],
      body: { point: "p4@long.example", at: "2026-11-20", via: "email" },
    });
    assert.equal(objection.status, 201, JSON.stringify(objection.json));
    const part = Array.from({ length: 1500 }, (_, i) => `p${i % 10}@long.example`);
    const r = await batch({ points: [...part, ...part], campaign: mail, at: AT, detail: "full" });
    assert.equal(r.status, 200, JSON.stringify(r.json).slice(0, 300));
    const decisions = (r.json.results as { decision: { verdict: string } }[]).map((x) => x.decision);
    for (let i = 0; i < part.length; i++) {
      assert.deepEqual(decisions[part.length + i], decisions[i], `point ${part[i]}`);
    }
    assert.deepEqual(
      decisions.slice(0, 5).map((d) => d.verdict),
      ["block", "allow", "block", "block", "block"],
      "the consent allows, the objection and the absence of consent block",
    );
  });

  test("10 000 points fit; more, or none, are refused naming the field", async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `+3361${String(i).padStart(7, "0")}0`.slice(0, 12));
    const r = await batch({ points: many, campaign: call, at: "2025-03-04T11:00:00+01:00" });
    assert.equal(r.status, 200, JSON.stringify(r.json).slice(0, 300));
    assert.equal(r.json.results.length, 10_000);
    const over = await batch({ points: [...many, "0612345678"], campaign: call });
    assert.equal(over.status, 400);
    assert.match(JSON.stringify(over.json), /points/);
    const none = await batch({ points: [], campaign: call });
    assert.equal(none.status, 400);
  });
});
