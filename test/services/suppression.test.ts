// Suppression lists for the tools that send: what each channel must not contact, in each layout.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Channel } from "../../src/facts/vocabulary.ts";
import {
  consentEvent,
  contactEvent,
  erasureEvent,
  linkEvents,
  objectionEvent,
  withdrawalEvent,
} from "../../src/services/record.ts";
import { openSession, type Session, type Subject, subjectOf } from "../../src/services/session.ts";
import { renderSuppression, suppressionList } from "../../src/services/suppression.ts";
import { type Server, startServer } from "../api/helpers.ts";

const day = (iso: string) => Date.parse(`${iso}T10:00:00Z`);
const NOW = day("2026-12-01");

describe("suppression lists", () => {
  let dir: string;
  let session: Session;
  const subject = (raw: string): Subject => {
    const r = subjectOf(session.ring, raw);
    if (!r.ok) throw new Error(r.reason);
    return r.subject;
  };
  const rec = (raw: string, controller = "Agence Dupont") => ({
    tenant: session.tenant,
    subject: subject(raw),
    controller,
    proof: { recordedBy: "test" },
  });
  const consent = (raw: string, channel: Channel, at: string) =>
    consentEvent(rec(raw), {
      channel,
      givenAt: day(at),
      method: "double_opt_in",
      scope: "standard",
      proof: true,
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigie-suppression-"));
    process.env.VIGIE_KEYRING = join(dir, "keyring.json");
    session = await openSession({ store: join(dir, "vigie.db"), tenant: "t" });
    await session.store.append([
      objectionEvent({ ...rec("objects@example.fr"), controller: "" }, "all", "letter", day("2026-03-01")),
      consent("withdrew@example.fr", "email", "2026-01-01"),
      withdrawalEvent(rec("withdrew@example.fr"), "email", day("2026-04-01")),
      consent("consents@example.fr", "email", "2026-01-01"),
      consent("erased@example.fr", "email", "2026-01-01"),
      erasureEvent(
        { tenant: "t", controller: "", proof: { recordedBy: "test" } },
        { key: subject("erased@example.fr").key, pointType: "email" },
        "request",
        day("2026-05-01"),
      ),
      objectionEvent(rec("06 12 34 56 78"), "sms", "stop_sms", day("2026-06-01")),
      objectionEvent(
        rec("martin@example.fr", "Agence Martin"),
        "email",
        "unsubscribe_link",
        day("2026-07-01"),
      ),
      // A phone recorded with an e-mail whose owner objected to everything: the same person.
      consent("06 98 76 54 32", "sms", "2026-01-01"),
      ...linkEvents(
        { tenant: "t", controller: "Agence Dupont", proof: { recordedBy: "test" } },
        [subject("06 98 76 54 32"), subject("linked@example.fr")],
        day("2026-01-01"),
      ),
      objectionEvent({ ...rec("linked@example.fr"), controller: "" }, "all", "letter", day("2026-08-01")),
      // STOP to the tenant's SMS number (every controller), then calls accepted by Agence Dupont.
      objectionEvent({ ...rec("06 11 11 11 11"), controller: "" }, "sms", "stop_sms", day("2026-06-01")),
      consent("06 11 11 11 11", "voice_live", "2026-06-10"),
      consent("06 11 11 11 11", "voice_automated", "2026-06-10"),
      // "Ne m'appelez plus", heard by a call centre calling for Agence Dupont.
      contactEvent(rec("06 55 55 55 55", "Centre Alpha"), "voice_live", "objected", day("2026-09-01"), {
        advertiser: "Agence Dupont",
      }),
    ]);
  });
  after(async () => {
    await session.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("e-mail: objections, withdrawn consents and erasures; not a standing consent", async () => {
    const list = await suppressionList(session, { channel: "email", at: NOW });
    assert.deepEqual(
      list.map((e) => [e.point, e.reason]),
      [
        ["objects@example.fr", "objection"],
        ["withdrew@example.fr", "withdrawn"],
        [null, "erased"],
        ["martin@example.fr", "objection"],
        ["linked@example.fr", "objection"],
      ],
    );
    assert.equal(list[2]?.key, subject("erased@example.fr").key, "an erased point by its key only");
  });

  test("a sender sees what binds it; --since keeps what is new", async () => {
    const dupont = await suppressionList(session, { channel: "email", controller: "Agence Dupont", at: NOW });
    assert.ok(!dupont.some((e) => e.point === "martin@example.fr"), "an objection to Agence Martin only");
    const recent = await suppressionList(session, { channel: "email", since: day("2026-06-15"), at: NOW });
    assert.deepEqual(
      recent.map((e) => e.point),
      ["martin@example.fr", "linked@example.fr"],
    );
  });

  test("SMS and calls: an objection limited to one binds the other, as decisions read it; a linked point's binds both", async () => {
    // GDPR art. 21, H17: a STOP to an SMS, or "ne m'appelez plus", objects to the prospecting —
    // every decision blocks the other channel too, so the other channel's list must hold it.
    const all = [
      ["+33611111111", "objection"],
      ["+33612345678", "objection"],
      ["+33698765432", "objection"],
      ["+33655555555", "objection"],
    ];
    for (const channel of ["sms", "phone"] as const) {
      const list = await suppressionList(session, { channel, at: NOW });
      assert.deepEqual(
        list.map((e) => [e.point, e.reason]),
        all,
        channel,
      );
    }
  });

  test("a sender's later valid consent on the list's channels lifts a limited objection from its own list only", async () => {
    const points = (channel: "sms" | "phone", controller?: string) =>
      suppressionList(session, { channel, controller, at: NOW }).then((l) => l.map((e) => e.point));
    // Agence Dupont was given calls (live and automated) after the STOP: decisions allow its calls.
    assert.ok(!(await points("phone", "Agence Dupont")).includes("+33611111111"));
    assert.ok((await points("sms", "Agence Dupont")).includes("+33611111111"), "its SMS stay refused");
    assert.ok((await points("phone", "Agence Martin")).includes("+33611111111"), "another sender's calls");
    assert.ok((await points("phone")).includes("+33611111111"), "the list for every sender");
    // Without such a consent, an SMS STOP stays on the sender's call list.
    assert.ok((await points("phone", "Agence Dupont")).includes("+33612345678"));
  });

  test("an objection heard during a call binds the call centre and the advertiser, on calls", async () => {
    const list = (controller: string) =>
      suppressionList(session, { channel: "phone", controller, at: NOW }).then((l) => l.map((e) => e.point));
    assert.ok((await list("Agence Dupont")).includes("+33655555555"), "the advertiser");
    assert.ok((await list("Centre Alpha")).includes("+33655555555"), "the centre that heard it");
    assert.ok(!(await list("Agence Martin")).includes("+33655555555"));
    const sms = await suppressionList(session, { channel: "sms", controller: "Agence Martin", at: NOW });
    assert.ok(!sms.some((e) => e.point === "+33655555555"), "not a refusal of another sender's SMS");
  });

  test("each layout: vigie's csv by key, Brevo, Mailchimp, hashed; erased points only in csv", async () => {
    const list = await suppressionList(session, { channel: "email", at: NOW });
    const csv = renderSuppression(list, "email", "csv");
    assert.equal(csv.rows, 5);
    assert.match(
      csv.text,
      /^point,reason,since,key\r\nobjects@example\.fr,objection,2026-03-01T10:00:00\.000Z,v\d+:/,
    );
    assert.match(csv.text, /\r\n,erased,2026-05-01T10:00:00\.000Z,v\d+:/);
    const brevo = renderSuppression(list, "email", "brevo");
    assert.deepEqual([brevo.text.split("\r\n")[0], brevo.rows, brevo.omitted], ["EMAIL", 4, 1]);
    assert.equal(renderSuppression(list, "email", "mailchimp").text.split("\r\n")[0], "Email Address");
    const hashed = renderSuppression(list, "email", "hashed-sha256");
    assert.equal(
      hashed.text.split("\r\n")[0],
      createHash("sha256").update("objects@example.fr").digest("hex"),
    );
    const sms = renderSuppression(
      await suppressionList(session, { channel: "sms", at: NOW }),
      "sms",
      "brevo",
    );
    assert.deepEqual(sms.text.split("\r\n").slice(0, 3), ["SMS", "33611111111", "33612345678"]);
  });
});

describe("GET /v1/suppression", () => {
  let s: Server;
  before(async () => {
    s = await startServer();
  });
  after(async () => {
    await s.close();
  });

  test("the list for a nightly pull, recorded in the trail; a bad parameter is a 400 naming it", async () => {
    await s.call("POST", "/v1/objections", {
      key: s.key["write-evidence"],
      body: { point: "stop@example.fr", channel: "email", at: "2026-05-03" },
    });
    const r = await s.call("GET", "/v1/suppression?channel=email&format=mailchimp", { key: s.key.read });
    assert.equal(r.status, 200);
    assert.equal(r.text, "Email Address\r\nstop@example.fr\r\n");
    const trail: string[] = [];
    for await (const e of s.session.store.events(s.session.tenant)) {
      if (e.data.type === "activity.recorded") trail.push(`${e.data.action} ${e.data.detail?.kind}`);
    }
    assert.deepEqual(trail, ["suppression.exported email mailchimp"]);
    const bad = await s.call("GET", "/v1/suppression?channel=fax", { key: s.key.read });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.path, "channel");
    const sms = await s.call("GET", "/v1/suppression?channel=sms&format=mailchimp", { key: s.key.read });
    assert.equal(sms.status, 400);
    assert.equal(sms.json.error.path, "format");
  });
});
