// The dashboard's screenings read the server's store as `vigie screen` does: a large list through
// the index of the store's keys, a small one point by point — with the same outputs either way;
// and they are deleted once older than the server's retention.
import assert from "node:assert/strict";
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Fastify from "fastify";
import { expireScreenings, scheduleScreeningRetention } from "../../src/dashboard/screening-retention.ts";
import { consentEvent, objectionEvent } from "../../src/services/record.ts";
import { columnNames } from "../../src/services/screen/columns.ts";
import { Screenings } from "../../src/services/screen/jobs.ts";
import { NO_VALUES } from "../../src/services/screen/list-values.ts";
import { openSession, type Session, subjectOf } from "../../src/services/session.ts";

describe("dashboard screenings and the store's key index", () => {
  let dir: string;
  let session: Session;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigie-screenings-"));
    process.env.VIGIE_KEYRING = join(dir, "keyring.json");
    session = await openSession({ store: join(dir, "vigie.db"), tenant: "t" });
    const subject = (raw: string) => {
      const s = subjectOf(session.ring, raw);
      assert.ok(s.ok);
      return s.subject;
    };
    const by = { recordedBy: "test" };
    await session.store.append([
      objectionEvent(
        { tenant: "t", subject: subject("06 12 34 56 78"), proof: by },
        "all",
        "letter",
        Date.UTC(2025, 0, 5),
      ),
      consentEvent(
        { tenant: "t", subject: subject("06 45 67 89 01"), controller: "Agence Dupont", proof: by },
        {
          channel: "voice_live",
          givenAt: Date.UTC(2025, 0, 6),
          method: "double_opt_in",
          scope: "out_of_hours",
          proof: true,
        },
      ),
    ]);
  });
  after(async () => {
    await session.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function screen(indexFromBytes: number): Promise<{ allowed: string; blocked: string }> {
    const s = new Screenings(join(dir, `screenings-${indexFromBytes}`), session, Date.now, indexFromBytes);
    const up = await s.upload(createReadStream("examples/lists/pige.csv"), "pige.csv", "operator");
    assert.ok(up.ok);
    const campaign = JSON.parse(readFileSync("examples/campaigns/pige-call-2025.json", "utf8"));
    s.start(up.meta.id, {
      campaignFile: campaign,
      campaignId: null,
      names: columnNames(undefined),
      values: NO_VALUES,
      lang: "en",
      by: "operator",
    });
    for (let i = 0; i < 400 && s.get(up.meta.id)?.status === "running"; i++)
      await new Promise((r) => setTimeout(r, 25));
    assert.equal(s.get(up.meta.id)?.status, "done", JSON.stringify(s.get(up.meta.id)));
    const out = s.outDir(up.meta.id);
    return {
      allowed: readFileSync(join(out, "allowed.csv"), "utf8"),
      blocked: readFileSync(join(out, "blocked.csv"), "utf8"),
    };
  }

  it("gives the same rows with the index as without, the stored objection blocking its number", async () => {
    const withIndex = await screen(0);
    const without = await screen(Number.POSITIVE_INFINITY);
    assert.equal(withIndex.allowed, without.allowed);
    assert.equal(withIndex.blocked, without.blocked);
    assert.match(withIndex.blocked, /P-0001;06 12 34 56 78;.*gdpr-21\/objection/);
  });

  it("deletes the screenings older than the retention, and records each deletion", async () => {
    const root = join(dir, "retention");
    const s = new Screenings(root, session, Date.now);
    const old = await s.upload(createReadStream("examples/lists/pige.csv"), "old.csv", "operator");
    assert.ok(old.ok);
    const created = Date.parse(old.meta.createdAt);
    const day = 86_400_000;
    // 89 days later nothing goes; 91 days later the list, its campaign and outputs go.
    assert.equal(await expireScreenings(s, session, created + 89 * day, 90), 0);
    assert.ok(existsSync(join(root, old.meta.id, "list.csv")));
    assert.equal(await expireScreenings(s, session, created + 91 * day, 90), 1);
    assert.ok(!existsSync(join(root, old.meta.id)));
    assert.equal(s.get(old.meta.id), undefined);
    let last: { action?: string; by?: string } = {};
    for await (const e of session.store.events("t")) {
      if (e.data.type === "activity.recorded") last = { action: e.data.action, by: e.proof.recordedBy };
    }
    assert.deepEqual(last, { action: "screening.deleted", by: "retention" });
  });

  it("sweeps when the server starts, and not at all with a retention of 0 days", async () => {
    for (const keepDays of [0, 90]) {
      const root = join(dir, `at-start-${keepDays}`);
      const s = new Screenings(root, session, Date.now);
      const up = await s.upload(createReadStream("examples/lists/pige.csv"), "pige.csv", "operator");
      assert.ok(up.ok);
      const app = Fastify();
      scheduleScreeningRetention(
        app,
        s,
        session,
        () => Date.parse(up.meta.createdAt) + 400 * 86_400_000,
        keepDays,
      );
      await app.ready();
      assert.equal(existsSync(join(root, up.meta.id)), keepDays === 0, `keep ${keepDays} days`);
      await app.close();
    }
  });
});
