// Migration 5 (who collected each consent) on a store made before it: the runner applies the
// versions a store lacks, whatever gap the list has (version 4 is another change's), consents
// recorded before read as "not recorded", and the audit still verifies.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { NewEvent } from "../../src/evidence/events.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import { MIGRATIONS } from "../../src/store/schema.ts";
import type { TestStore } from "./contract.ts";

const at = Date.parse("2025-03-01T09:00:00Z");
const given = (collection: object): NewEvent => ({
  tenant: "m5",
  pointKey: "k:m5",
  controller: "agence dupont",
  occurredAt: at,
  data: {
    type: "consent.given",
    consent: { channel: "email", method: null, scope: "standard", proof: true, ...collection },
  },
  proof: { recordedBy: "migration-test" },
  pii: null,
});

/**
 * `open` opens the store at one place; `versions` reads its applied migrations. The store is
 * first taken back to how migration 3 left it.
 */
export function migration5Contract(
  name: string,
  open: () => Promise<TestStore>,
  versions: (store: TestStore) => Promise<number[]>,
): void {
  test(`${name}: a store made before migration 5 gets it on opening, and its consents read as not recorded`, async () => {
    const before = await open();
    await before.append([given({})]);
    await before.unsafeExec("ALTER TABLE consents DROP COLUMN collected_by");
    await before.unsafeExec("ALTER TABLE consents DROP COLUMN named_how");
    await before.unsafeExec("DELETE FROM schema_migrations WHERE version = 5");
    await before.close();

    const store = await open();
    try {
      assert.deepEqual(
        await versions(store),
        MIGRATIONS.map((m) => m.version),
      );
      const read = async () =>
        (await store.evidence("m5", ["k:m5"])).consents.map((c) => [c.collectedBy, c.namedHow]);
      assert.deepEqual(await read(), [[null, null]]);
      assert.equal((await verifyAudit(store)).ok, true);
      await store.append([given({ collectedBy: "partner", namedHow: "not_named" })]);
      assert.deepEqual(await read(), [["partner", "not_named"]]);
      assert.equal((await verifyAudit(store)).ok, true);
    } finally {
      await store.close();
    }
  });
}
