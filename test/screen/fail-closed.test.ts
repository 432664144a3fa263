// Fail closed: no objector, erased person or withdrawn consent gets through a list, whatever the
// spellings, the duplicates, the person's other points or the order the evidence arrived in.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decide } from "../../src/engine/decide.ts";
import { parseCampaign } from "../../src/facts/parse.ts";
import { NO_FILES } from "../../src/services/erasure-files.ts";
import { factsFor } from "../../src/services/facts.ts";
import { importFile } from "../../src/services/import/run.ts";
import { consentEvent, withdrawalEvent } from "../../src/services/record.ts";
import { eraseSubject, exportSubject, exportText } from "../../src/services/rights.ts";
import { type EvidenceSource, openEvidence } from "../../src/services/screen/evidence.ts";
import { openSession, type Session, subjectOf } from "../../src/services/session.ts";
import { parseInstant } from "../../src/time/zoned.ts";
import { reconcile, screen, tempDir } from "./helpers.ts";

const dir = tempDir();
process.env.VIGIE_KEYRING = join(dir, "keyring.json");
const store = join(dir, "vigie.db");

/** A newsletter by SMS and e-mail from an estate agency, December 2026. */
const SMS = { controller: "Agence Dupont", channel: "sms", at: "2026-12-01T11:00:00+01:00" };
const EMAIL = {
  controller: "Agence Dupont",
  channel: "email",
  at: "2026-12-01T11:00:00+01:00",
  message: { senderIdentified: true, optOut: true },
};

let session: Session;
async function load(kind: "contacts" | "consents" | "objections", name: string, text: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const r = await importFile(session, {
    kind,
    file,
    ignoreUnknown: false,
    recordedBy: "test",
    now: Date.now(),
  });
  assert.equal(r.rejected.length, 0, JSON.stringify(r.rejected));
}

const CONSENT_COLUMNS = "phone,email,controller,channel,given_at,method,proof";
const consent = (phone: string, email: string, channel: string, at: string) =>
  `${phone},${email},Agence Dupont,${channel},${at},double_opt_in,true`;

let evidence: EvidenceSource;
before(async () => {
  session = await openSession({ store });
  // Consented by SMS and e-mail, each point on its own row (not linked): objector by phone.
  await load(
    "consents",
    "consents.csv",
    [
      CONSENT_COLUMNS,
      consent("0631415926", "", "sms", "2026-01-10"),
      consent("", "j.dupont@cabinet-dupont.fr", "email", "2026-01-10"),
      // One person: the phone and the e-mail on one row, each with its consent.
      consent("0611223344", "marie@example.fr", "sms", "2026-01-10"),
      consent("0611223344", "marie@example.fr", "email", "2026-01-10"),
      consent("0699887766", "", "sms", "2026-01-10"),
      consent("0655443322", "", "sms", "2026-01-10"),
    ].join("\n"),
  );
  await load(
    "objections",
    "objections.csv",
    [
      "phone,email,at,channel,via",
      "0631415926,,2026-06-01,all,letter",
      ",J.Dupont@Cabinet-Dupont.fr,2026-06-01,all,unsubscribe_link",
      // Marie objects by e-mail, to every channel: her phone is bound too.
      ",marie@example.fr,2026-06-01,all,unsubscribe_link",
    ].join("\n"),
  );
  // Erased at her request today, after the campaign's planned instant: her SMS consent of
  // January no longer counts, for any instant.
  const erased = subjectOf(session.ring, "0699887766");
  assert.ok(erased.ok);
  await eraseSubject(
    session,
    erased.subject,
    parseInstant("2026-12-02T09:00:00+01:00") as number,
    "test",
    NO_FILES,
  );
  await session.store.close();
  evidence = (await openEvidence({ store })) as EvidenceSource;
  session = await openSession({ store });
});
after(async () => {
  await evidence?.close();
  await session?.store.close();
});

describe("duplicates: every row gets the evidence of its point, wherever it stands", () => {
  test("one number in three spellings, its objection blocks each row", async () => {
    const o = await screen({
      list: ["id,phone", "1,0631415926", "2,+33 6 31 41 59 26", "3,0033631415926", "4,06 55 44 33 22"].join(
        "\n",
      ),
      campaign: SMS,
      evidence,
    });
    reconcile(o);
    const blocked = o.rows("blocked.csv");
    assert.deepEqual(
      blocked.map((r) => [r[0], r[2]]),
      [
        ["1", "gdpr-21/objection"],
        ["2", "gdpr-21/objection"],
        ["3", "gdpr-21/objection"],
      ],
    );
    assert.deepEqual(
      o.rows("allowed.csv").map((r) => r[0]),
      ["4"],
    );
  });

  test("one address in two cases, its objection blocks both rows", async () => {
    const o = await screen({
      list: ["id,email", "1,J.Dupont@Cabinet-Dupont.fr", "2,j.dupont@cabinet-dupont.fr"].join("\n"),
      campaign: EMAIL,
      evidence,
    });
    reconcile(o);
    assert.equal(o.summary.allowed, 0);
    assert.equal(o.summary.blocked, 2);
  });
});

describe("one person, several points", () => {
  test("an objection to every channel given by e-mail blocks the phone recorded with it", async () => {
    const o = await screen({ list: "id,phone\n1,0611223344\n", campaign: SMS, evidence });
    assert.equal(o.summary.blocked, 1);
    assert.equal(o.rows("blocked.csv")[0]?.[2], "gdpr-21/objection");

    const campaign = parseCampaign({ campaign: { controller: "Agence Dupont", channel: "sms" } });
    assert.ok(campaign.ok);
    const phone = subjectOf(session.ring, "06 11 22 33 44");
    assert.ok(phone.ok);
    const facts = await factsFor(session, phone.subject, campaign, parseInstant(SMS.at) as number);
    assert.equal(decide(facts).verdict, "block");
  });

  test("a list row's e-mail is the same person as its phone: the e-mail's objection blocks the call", async () => {
    // 0655443322 consented by SMS; this list says its e-mail is J.Dupont's, who objected. Alone,
    // row 3 would be allowed: it is the person of row 2, blocked, and the only row of 0611111111 is.
    const o = await screen({
      list: "id,phone,email\n1,0611111111,\n2,0655443322,j.dupont@cabinet-dupont.fr\n3,06 55 44 33 22,\n",
      campaign: SMS,
      evidence,
    });
    reconcile(o);
    // id, phone, email, rule, reason, article, other_rules, duplicate_of, interpreted, needs_review
    assert.deepEqual(
      o.rows("blocked.csv").map((r) => [r[0], r[3], r[7]]),
      [
        ["1", "cpce-l34-5/consent", ""],
        ["2", "gdpr-21/objection", ""],
        ["3", "gdpr-21/objection", "3"],
      ],
    );
    assert.match(o.rows("blocked.csv")[2]?.[4] ?? "", /^Same person as line 3/);
    assert.deepEqual(o.summary.duplicates, { rows: 1, blockedWithTheirPerson: 1 });
  });

  test("a row whose other point looks like one but cannot be read is rejected, not screened blind", async () => {
    const o = await screen({
      list: "id,phone,email\n1,0655443322,jean@@cabinet-dupont\n",
      campaign: SMS,
      evidence,
    });
    reconcile(o);
    assert.equal(o.summary.rejected, 1);
    assert.match(o.rows("rejected.csv")[0]?.[1] ?? "", /^email: not a valid e-mail address/);
  });
});

test("an erased person screens as blocked under gdpr-17/erased, whatever consent was held before", async () => {
  const o = await screen({ list: "id,phone\n1,06 99 88 77 66\n", campaign: SMS, evidence });
  assert.equal(o.summary.blocked, 1);
  assert.equal(o.rows("blocked.csv")[0]?.[2], "gdpr-17/erased");
});

test("export covers the person: asked by phone, it shows the e-mail recorded with it", async () => {
  const phone = subjectOf(session.ring, "0611223344");
  assert.ok(phone.ok);
  const x = await exportSubject(session, phone.subject);
  assert.deepEqual(
    x.linked.map((l) => l.point),
    [{ type: "email", value: "marie@example.fr" }],
  );
  assert.equal(x.linked[0]?.evidence.objections.length, 1);
  assert.match(exportText(x), /The same person's email marie@example\.fr:/);
});

describe("order does not matter", () => {
  test("a withdrawal recorded before the consent it ends still ends it", async () => {
    const p = subjectOf(session.ring, "0677001122");
    assert.ok(p.ok);
    const r = {
      tenant: session.tenant,
      subject: p.subject,
      controller: "Agence Dupont",
      proof: { recordedBy: "test" },
    };
    const at = (iso: string) => parseInstant(iso) as number;
    await session.store.append([withdrawalEvent(r, "sms", at("2026-05-01"))]);
    await session.store.append([
      consentEvent(r, {
        channel: "sms",
        givenAt: at("2026-01-10"),
        method: "double_opt_in",
        scope: "standard",
        proof: true,
      }),
    ]);
    const campaign = parseCampaign({ campaign: { controller: "Agence Dupont", channel: "sms" } });
    assert.ok(campaign.ok);
    const facts = await factsFor(session, p.subject, campaign, at(SMS.at));
    assert.equal(facts.contact.consents[0]?.withdrawnAt, at("2026-05-01"));
    assert.equal(decide(facts).verdict, "block");
  });

  test("relationship dates imported without a status are kept (as a prospect's), not dropped", async () => {
    await load(
      "contacts",
      "inbound.csv",
      "phone,kind,origin,controller,collected_at,last_inbound_at\n0677001133,consumer,direct,Agence Dupont,2021-01-10,2026-06-01\n",
    );
    const p = subjectOf(session.ring, "0677001133");
    assert.ok(p.ok);
    const campaign = parseCampaign({ campaign: { controller: "Agence Dupont", channel: "sms" } });
    assert.ok(campaign.ok);
    const facts = await factsFor(session, p.subject, campaign, parseInstant(SMS.at) as number);
    assert.deepEqual(facts.contact.relationship, {
      status: "prospect",
      since: null,
      endedAt: null,
      lastInboundAt: parseInstant("2026-06-01"),
      freeAccountOfPaidModel: null,
    });
    // Collected in 2021, but the person came back in June 2026: retention runs from then.
    assert.equal(decide(facts).reasons.find((r) => r.rule === "cnil/retention")?.effect ?? "none", "none");
  });
});

test("a placeholder in the row's other column (no @, no digit) is no point: the row is screened on its own", async () => {
  const o = await screen({
    list: "id,phone,email\n1,0655443322,non renseigné\n2,0655443322,-\n",
    campaign: SMS,
    evidence,
  });
  reconcile(o);
  assert.deepEqual(o.summary, { ...o.summary, allowed: 2, rejected: 0 });
});

test("a cell a spreadsheet marked as text ('-) is no placeholder: in either point column, its row is rejected, naming it", async () => {
  const o = await screen({
    list: "id,phone,email\n1,0655443322,'-\n2,'-,a@example.fr\n3,0655443322,-\n",
    campaign: SMS,
    evidence,
  });
  reconcile(o);
  assert.deepEqual([o.summary.allowed, o.summary.rejected], [1, 2]);
  assert.deepEqual(
    o.rows("rejected.csv").map((r) => `${r[0]} ${(r[1] ?? "").split(":")[0]}`),
    ["2 email", "3 phone"],
  );
});

test("a --complete Bloctel check with a row it cannot read is refused whole: it would clear a number that may be registered", async () => {
  const file = join(dir, "bloctel-complete.csv");
  writeFileSync(file, "phone\n06 12 34 56 78\n06 12 34 56\n06 98 76 54 32\n");
  const base = { kind: "bloctel" as const, file, ignoreUnknown: false, recordedBy: "test", now: Date.now() };
  const date = parseInstant("2025-03-01") as number;
  const before = await session.store.registrySnapshots(session.tenant);
  await assert.rejects(
    importFile(session, { ...base, date, complete: true }),
    /--complete: 1 row\(s\) could not be read \(first: line 3/,
  );
  assert.deepEqual(await session.store.registrySnapshots(session.tenant), before, "nothing stored");
  // Without --complete, the readable rows are stored; unlisted numbers stay unscreened.
  const r = await importFile(session, { ...base, date, complete: false });
  assert.equal(r.accepted, 2);
  assert.equal(r.rejected.length, 1);
});
