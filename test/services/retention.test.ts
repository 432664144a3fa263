import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { SourceData } from "../../src/evidence/events.ts";
import { loadOrCreateKeyRing } from "../../src/normalize/keys.ts";
import { sourceEvent } from "../../src/services/record.ts";
import { sweepRetention } from "../../src/services/retention.ts";
import { subjectOf } from "../../src/services/session.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { dayStart } from "../../src/time/dates.ts";
import { sourceData } from "../support/evidence.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-retention-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const source = (over: Partial<SourceData>): SourceData => sourceData({ optOutOffered: true, ...over });

test("retention sweep: prospects 3 years after collection or last contact, customers 3 years after the end", async () => {
  const store = new SqliteStore(join(dir, "r.db"));
  const session = { store, ring: loadOrCreateKeyRing(join(dir, "keyring.json")), tenant: "t" };
  const record = async (phone: string, s: SourceData) => {
    const r = subjectOf(session.ring, phone);
    assert.ok(r.ok);
    await store.append([
      sourceEvent({ tenant: "t", subject: r.subject, proof: { recordedBy: "test" } }, s, null),
    ]);
    return r.subject;
  };
  const oldProspect = await record("0611111111", source({ collectedAt: dayStart("2022-01-10") }));
  await record(
    "0611111112",
    source({ collectedAt: dayStart("2022-01-10"), lastInboundAt: dayStart("2024-05-01") }),
  );
  const oldCustomer = await record(
    "0611111113",
    source({ relationship: "past_customer", customerUntil: dayStart("2022-06-30") }),
  );
  await record(
    "0611111114",
    source({ relationship: "active_contract", collectedAt: dayStart("2015-01-01") }),
  );
  await record("0611111115", source({}));
  const at = dayStart("2025-09-01");

  const dry = await sweepRetention(session, at, true);
  assert.deepEqual(dry, { checked: 5, expired: 2, kept: 1, activeContracts: 1, undated: 1, erased: 0 });
  assert.equal(
    (await store.evidence("t", [oldProspect.key])).point?.value,
    "+33611111111",
    "a dry run erases nothing",
  );

  const done = await sweepRetention(session, at, false);
  assert.equal(done.erased, 2);
  for (const s of [oldProspect, oldCustomer]) {
    const e = await store.evidence("t", s.keys);
    assert.equal(e.point?.value, null);
    assert.equal(e.point?.erasedAt, at);
  }
  const again = await sweepRetention(session, at, true);
  assert.equal(again.checked, 3, "erased points are no longer candidates");
  await store.close();
});
