// Migrations that mend state rows merged by an earlier, weaker reading of two records that
// disagree. 20 (SQLite) and 21 (PostgreSQL): a consent merged with its method unknown — counted
// valid — takes the invalid method its events name. 22 and 23: a call merged as its caller's own
// leaves its advertiser unknown to all.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { EventData } from "../../src/evidence/events.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import type { Evidence, Store } from "../../src/store/store.ts";
import { ev } from "./contract.ts";

const T = "merge-migration";
const day = (iso: string) => Date.parse(`${iso}T10:00:00Z`);

/** A mending migration: the records of each key, how the old merge left them, what it gives back. */
interface Mend {
  readonly title: string;
  readonly records: Readonly<Record<string, readonly EventData[]>>;
  readonly controller?: string;
  /** The statement taking the tenant's rows back to how the old merge left them. */
  readonly before: string;
  readonly read: (e: Evidence) => unknown;
  readonly expected: readonly unknown[];
}

const consent = (method: string | null): EventData => ({
  type: "consent.given",
  consent: { channel: "sms", method: method as never, scope: "standard", proof: true },
});
const call = (advertiser?: string): EventData => ({
  type: "contact.made",
  channel: "voice_live",
  outcome: "objected",
  ...(advertiser === undefined ? {} : { advertiser }),
});

export const CONSENT_METHOD: Mend = {
  title: "gives a consent merged with its method unknown the invalid method its records name",
  records: {
    "k:pre": [consent("pre_ticked_checkbox"), consent("double_opt_in")],
    "k:valid": [consent("double_opt_in"), consent("unticked_checkbox")],
    "k:terms": [consent("terms_acceptance"), consent("terms_acceptance")],
    "k:none": [consent(null)],
  },
  before: `UPDATE consents SET method = NULL WHERE tenant = '${T}'`,
  read: (e) => e.consents.map((c) => c.method),
  expected: [["pre_ticked_checkbox"], [null], ["terms_acceptance"], [null]],
};

export const CALL_ADVERTISER: Mend = {
  title: "leaves a call whose records disagreed on the advertiser unknown to all",
  records: {
    "k:two": [call("agence dupont"), call("agence martin")],
    "k:one-unsaid": [call("agence dupont"), call()],
    "k:unsaid": [call()],
  },
  controller: "centre alpha",
  before: `UPDATE contacts_made SET advertiser = NULL WHERE tenant = '${T}'`,
  read: (e) => e.contacts.map((c) => c.advertiser),
  expected: [[""], [""], [null]],
};

/** `undo` runs statements on the store, closed: how an older version left it, its migration not applied. */
export function mergeMigrationContract(
  name: string,
  version: number,
  mend: Mend,
  open: () => Promise<Store>,
  undo: (statements: readonly string[]) => Promise<void>,
): void {
  test(`${name}: migration ${version} ${mend.title}; the audit verifies`, async () => {
    const on = { tenant: T, ...(mend.controller === undefined ? {} : { controller: mend.controller }) };
    const made = await open();
    await made.append(
      Object.entries(mend.records).flatMap(([key, data]) =>
        data.map((d) => ev(key, d, day("2026-09-01"), on)),
      ),
    );
    await made.close();
    await undo([mend.before, `DELETE FROM schema_migrations WHERE version = ${version}`]);
    const store = await open();
    try {
      const read = await Promise.all(
        Object.keys(mend.records).map(async (k) => mend.read(await store.evidence(T, [k]))),
      );
      assert.deepEqual(read, mend.expected);
      assert.equal((await verifyAudit(store)).ok, true);
    } finally {
      await store.close();
    }
  });
}
