// Migrations that mend state rows merged by an earlier, weaker reading of two records that
// disagree. 20 (SQLite) and 21 (PostgreSQL): a consent merged with its method unknown — counted
// valid — takes the invalid method its events name. 22 and 23: a call merged as its caller's own
// leaves its advertiser unknown to all.
import assert from "node:assert/strict";
import { test } from "node:test";
import { verifyAudit } from "../../src/services/audit.ts";
import type { Store } from "../../src/store/store.ts";
import { ev } from "./contract.ts";

const T = "method-migration";
const day = (iso: string) => Date.parse(`${iso}T10:00:00Z`);
const given = (method: string | null) => ({
  type: "consent.given" as const,
  consent: { channel: "sms" as const, method: method as never, scope: "standard" as const, proof: true },
});

/**
 * `undo` takes the store back to how the merge before left it — every consent's method of the
 * tenant unknown, the migration not applied — by running these statements on it.
 */
export function consentMethodMigrationContract(
  name: string,
  version: number,
  open: () => Promise<Store>,
  undo: (statements: readonly string[]) => Promise<void>,
): void {
  test(`${name}: migration ${version} gives a consent merged with its method unknown the invalid method its records name; the audit verifies`, async () => {
    const records: Record<string, (string | null)[]> = {
      "k:pre": ["pre_ticked_checkbox", "double_opt_in"],
      "k:valid": ["double_opt_in", "unticked_checkbox"],
      "k:terms": ["terms_acceptance", "terms_acceptance"],
      "k:none": [null],
    };
    const made = await open();
    await made.append(
      Object.entries(records).flatMap(([key, methods]) =>
        methods.map((m) => ev(key, given(m), day("2026-09-01"), { tenant: T })),
      ),
    );
    await made.close();
    await undo([
      `UPDATE consents SET method = NULL WHERE tenant = '${T}'`,
      `DELETE FROM schema_migrations WHERE version = ${version}`,
    ]);
    const store = await open();
    try {
      const methods = await Promise.all(
        Object.keys(records).map(async (k) => (await store.evidence(T, [k])).consents.map((c) => c.method)),
      );
      assert.deepEqual(methods, [["pre_ticked_checkbox"], [null], ["terms_acceptance"], [null]]);
      assert.equal((await verifyAudit(store)).ok, true);
    } finally {
      await store.close();
    }
  });
}

const call = (advertiser?: string) => ({
  type: "contact.made" as const,
  channel: "voice_live" as const,
  outcome: "objected" as const,
  ...(advertiser === undefined ? {} : { advertiser }),
});

/** Migrations 22 (SQLite) and 23 (PostgreSQL): a call whose records disagreed on the advertiser. */
export function callAdvertiserMigrationContract(
  name: string,
  version: number,
  open: () => Promise<Store>,
  undo: (statements: readonly string[]) => Promise<void>,
): void {
  test(`${name}: migration ${version} leaves a call whose records disagreed on the advertiser unknown to all; the audit verifies`, async () => {
    const records: Record<string, (string | undefined)[]> = {
      "k:two": ["agence dupont", "agence martin"],
      "k:one-unsaid": ["agence dupont", undefined],
      "k:unsaid": [undefined],
    };
    const made = await open();
    await made.append(
      Object.entries(records).flatMap(([key, advertisers]) =>
        advertisers.map((a) =>
          ev(key, call(a), day("2026-11-02"), { tenant: T, controller: "centre alpha" }),
        ),
      ),
    );
    await made.close();
    await undo([
      `UPDATE contacts_made SET advertiser = NULL WHERE tenant = '${T}'`,
      `DELETE FROM schema_migrations WHERE version = ${version}`,
    ]);
    const store = await open();
    try {
      const advertisers = await Promise.all(
        Object.keys(records).map(async (k) =>
          (await store.evidence(T, [k])).contacts.map((c) => c.advertiser),
        ),
      );
      assert.deepEqual(advertisers, [[""], [""], [null]]);
      assert.equal((await verifyAudit(store)).ok, true);
    } finally {
      await store.close();
    }
  });
}
