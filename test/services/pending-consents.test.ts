// Pending double opt-ins live in the store: a link or code sent through one server process is
// confirmed through another on the same database, once; an erasure deletes the point's requests;
// an earlier version's file is read in (its links, not its codes) and deleted.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { LINK_TTL_MS, type NewPending, PendingConsents } from "../../src/services/pending-consents.ts";
import { erasureEvent } from "../../src/services/record.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { postgresReady, testSchema } from "../support/postgres.ts";

const NOW = Date.parse("2026-12-02T10:00:00Z");

const request = (channel: "email" | "sms", point: string, pointKey: string): NewPending => ({
  channel,
  point,
  pointKey,
  controller: "Agence Dupont",
  scope: "standard",
  proof: { wordingVersion: "v3" },
  requestedBy: "k_test",
});

function suite(name: string, open: () => Promise<[Store, Store]>): void {
  test(`${name}: sent through one process, confirmed through the other, once`, async () => {
    const [a, b] = await open();
    const dir = mkdtempSync(join(tmpdir(), "vigie-pending-file-"));
    try {
      const legacy = join(dir, "vigie.db.pending-consents.json");
      const old = {
        channel: "email",
        point: "old@example.fr",
        controller: "Agence Dupont",
        scope: "standard",
      };
      writeFileSync(
        legacy,
        JSON.stringify({
          pending: [
            {
              ...old,
              id: "pc_old",
              proof: {},
              requestedBy: "k_1",
              createdAt: NOW - 1000,
              expiresAt: NOW + 1000,
            },
            {
              ...old,
              id: "pc_gone",
              proof: {},
              requestedBy: "k_1",
              createdAt: NOW - 9000,
              expiresAt: NOW - 1,
            },
            {
              ...old,
              id: "pc_sms",
              channel: "sms",
              point: "+33612345678",
              proof: {},
              requestedBy: "k_1",
              createdAt: NOW - 1000,
              expiresAt: NOW + 1000,
              codeSha256: "00",
            },
          ],
        }),
      );
      const keyOf = (point: string) => `key:${point}`;
      const first = await PendingConsents.open(a, "t", { file: legacy, keyOf, now: NOW });
      const second = await PendingConsents.open(b, "t");
      assert.equal(existsSync(legacy), false, "the file of contact points is gone once read in");
      assert.equal((await second.link("pc_old", NOW))?.point, "old@example.fr");
      assert.equal(await second.link("pc_gone", NOW), undefined, "expired: not read in");
      assert.deepEqual(await second.checkCode("key:+33612345678", "000000", NOW), {
        ok: false,
        reason: "none",
      });

      // An e-mail link: read and taken on the other process, once.
      const mail = await first.add(request("email", "marie@example.fr", "k_marie"), NOW);
      assert.equal(mail.code, undefined);
      assert.equal((await second.link(mail.id, NOW))?.controller, "Agence Dupont");
      assert.equal(
        await (await PendingConsents.open(a, "other")).link(mail.id, NOW),
        undefined,
        "one tenant's",
      );
      const taken = await second.takeLink(mail.id, NOW);
      assert.deepEqual(
        [taken?.channel, taken?.point, taken?.scope, taken?.proof, taken?.requestedBy],
        ["email", "marie@example.fr", "standard", { wordingVersion: "v3" }, "k_test"],
      );
      assert.equal(await first.takeLink(mail.id, NOW), undefined, "a link works once");
      const late = await first.add(request("email", "late@example.fr", "k_late"), NOW);
      assert.equal(await second.link(late.id, NOW + LINK_TTL_MS), undefined, "expired after 7 days");

      // An SMS code: a new one replaces the one pending; wrong, right, then used.
      const replaced = await first.add(request("sms", "+33698765432", "k_sms"), NOW);
      const sms = await first.add(request("sms", "+33698765432", "k_sms"), NOW + 1);
      const wrong = sms.code === "000000" ? "000001" : "000000";
      assert.deepEqual(await second.checkCode("k_sms", wrong, NOW), { ok: false, reason: "wrong" });
      if (replaced.code !== sms.code)
        assert.equal((await second.checkCode("k_sms", replaced.code ?? "", NOW)).ok, false, "replaced");
      const right = await second.checkCode("k_sms", sms.code ?? "", NOW);
      assert.equal(right.ok && right.request.point, "+33698765432");
      assert.deepEqual(await first.checkCode("k_sms", sms.code ?? "", NOW), { ok: false, reason: "none" });

      // An erasure of the point, from any door, deletes its requests with its data.
      const erased = await first.add(request("email", "erase@example.fr", "k_erase"), NOW);
      await a.append([
        erasureEvent(
          { tenant: "t", proof: { recordedBy: "test" } },
          { key: "k_erase", pointType: "email" },
          "request",
          NOW,
        ),
      ]);
      assert.equal(await second.link(erased.id, NOW), undefined);
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

const dir = mkdtempSync(join(tmpdir(), "vigie-pending-"));
after(() => rmSync(dir, { recursive: true, force: true }));
suite("sqlite", async () => [new SqliteStore(join(dir, "s.db")), new SqliteStore(join(dir, "s.db"))]);

if (await postgresReady("pending double opt-ins: postgres", "test/services/pending-consents.test.ts")) {
  const s = testSchema("vigie_pending");
  after(() => s.drop());
  suite("postgres", async () => [await s.open(), await s.open()]);
}
