// What decides is what is verified: the audit rebuilds the state decisions read from the log, so
// a state row deleted, altered or added, a head deleted, set back or forged past, and the last
// events deleted with the head are each found — on every adapter (sqlite.test.ts,
// postgres.test.ts). Each tampering is undone after, and the audit is clean again.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { eventIdOf, hashOf, type NewEvent, type StoredEvent } from "../../src/evidence/events.ts";
import { registryDigest } from "../../src/evidence/registry-digest.ts";
import { appendLeaves, EMPTY_FRONTIER, frontierBytes, leafHash } from "../../src/log/merkle.ts";
import { verifyAudit } from "../../src/services/audit.ts";
import type { RegistryEntry } from "../../src/store/store.ts";
import { sourceData } from "../support/evidence.ts";
import { insertEventSql, sqlLiteral } from "../support/sql.ts";
import { ev, type TestStore } from "./contract.ts";

const S = "audit-state";
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const iso = (d: string) => `${d}T00:00:00.000Z`;
const on = { tenant: S };
const source = sourceData({ collectedAt: day("2025-01-10"), department: "75" });
const email = (value: string) => ({ point: { type: "email" as const, value } });

export function auditStateContract(name: string, open: () => Promise<TestStore>): void {
  describe(`the audit compares the state with the log: ${name}`, () => {
    let store: TestStore;
    /** A literal of this dialect. */
    const lit = (v: unknown): string =>
      sqlLiteral(
        name === "postgres" ? "postgres" : "sqlite",
        v === null || typeof v === "number" || typeof v === "boolean" || v instanceof Uint8Array
          ? v
          : String(v),
      );
    const not = (column: string) => (name === "postgres" ? `NOT ${column}` : `1 - ${column}`);
    const insertEvent = (e: StoredEvent) => insertEventSql(name === "postgres" ? "postgres" : "sqlite", e);
    const eventsOf = async (): Promise<StoredEvent[]> => {
      const events: StoredEvent[] = [];
      for await (const e of store.events(S)) events.push(e);
      return events;
    };
    const lastEvent = async (): Promise<StoredEvent> => {
      let last: StoredEvent | undefined;
      for await (const e of store.events(S)) last = e;
      return last as StoredEvent;
    };
    /** `chain`: the chain is at fault, so the quick audit fails too; otherwise only the full one. */
    const tamper = async (
      sql: string,
      expected: RegExp,
      undo: string,
      o: { tenant?: string; chain?: true } = {},
    ) => {
      await store.unsafeExec(sql);
      const r = await verifyAudit(store);
      assert.equal(r.ok, false, sql);
      assert.equal(r.broken?.tenant, o.tenant ?? S, sql);
      assert.match(r.broken?.problem ?? "", expected);
      assert.equal((await verifyAudit(store, { quick: true })).ok, o.chain !== true, `quick: ${sql}`);
      await store.unsafeExec(undo);
      assert.equal((await verifyAudit(store)).ok, true, `undo: ${undo}`);
    };

    before(async () => {
      store = await open();
      await store.append([
        ev("k:obj", { type: "source.recorded", source }, day("2025-01-10"), {
          ...on,
          pii: email("o@example.fr"),
        }),
        ev("k:obj", { type: "objection.recorded", channel: "all", via: "letter" }, day("2025-01-12"), {
          ...on,
          controller: "",
        }),
        ev(
          "k:cons",
          {
            type: "consent.given",
            consent: { channel: "email", method: "double_opt_in", scope: "standard", proof: true },
          },
          day("2025-01-11"),
          { ...on, pii: email("c@example.fr") },
        ),
        ev("k:cons", { type: "consent.withdrawn", channel: "email" }, day("2025-01-20"), on),
        ev("k:cons", { type: "subject.linked", with: "k:obj" }, day("2025-01-11"), on),
        ev(
          "k:obj",
          { type: "contact.made", channel: "voice_live", outcome: "answered" },
          day("2025-01-13"),
          on,
        ),
        ev("k:obj", { type: "notice.sent" }, day("2025-01-14"), on),
        ev("k:gone", { type: "source.recorded", source }, day("2025-01-15"), {
          ...on,
          pii: email("g@example.fr"),
        }),
        ev(
          "k:gone",
          {
            type: "consent.given",
            consent: { channel: "sms", method: null, scope: "standard", proof: false },
          },
          day("2025-01-15"),
          on,
        ),
      ]);
      await store.append([
        ev("k:gone", { type: "subject.erased", pointType: "email", reason: "request" }, day("2025-02-01"), {
          ...on,
          controller: "",
        }),
      ]);
      const entries: RegistryEntry[] = [
        { pointKey: "k:tel", registered: true, registeredAt: null, effectiveAt: null },
      ];
      const snapshot = ev(
        "",
        {
          type: "registry.snapshot",
          registry: "bloctel",
          complete: false,
          fileSha256: "b".repeat(64),
          rows: 1,
          entriesDigest: await registryDigest(entries),
        },
        day("2025-02-10"),
        { ...on, controller: "" },
      );
      await store.bulk(async (w) => {
        const seq = (await w.append([snapshot])).seqs[0] as number;
        await w.registry(S, seq, snapshot.occurredAt, entries);
      });
      // The last event: it alone gives its row, which outlives it if it is deleted with the head.
      await store.append([
        ev("k:late", { type: "objection.recorded", channel: "sms", via: null }, day("2025-03-01"), on),
      ]);
      assert.equal((await verifyAudit(store)).ok, true);
    });
    after(async () => {
      await store.close();
    });

    test("a state row deleted, altered or added is named, with the event it came from", async () => {
      const where = `WHERE tenant = '${S}'`;
      await tamper(
        `DELETE FROM objections ${where} AND point_key = 'k:obj'`,
        new RegExp(
          `objections lacks the row \\(point_key "k:obj", controller "", channel "all", at ${iso("2025-01-12")}\\) that event 2 records`,
        ),
        `INSERT INTO objections (tenant, point_key, controller, channel, at, via) VALUES ('${S}', 'k:obj', '', 'all', ${day("2025-01-12")}, 'letter')`,
      );
      await tamper(
        `UPDATE points SET erased_at = NULL ${where} AND point_key = 'k:gone'`,
        new RegExp(
          `points row \\(point_key "k:gone"\\): erased_at is null where the log \\(event 10\\) gives ${iso("2025-02-01")}`,
        ),
        `UPDATE points SET erased_at = ${day("2025-02-01")} ${where} AND point_key = 'k:gone'`,
      );
      await tamper(
        `UPDATE consents SET withdrawn_at = NULL ${where}`,
        new RegExp(
          `consents row \\(point_key "k:cons", .*\\): withdrawn_at is null where the log \\(event 4\\) gives ${iso("2025-01-20")}`,
        ),
        `UPDATE consents SET withdrawn_at = ${day("2025-01-20")} ${where}`,
      );
      // A consent put back for an erased person.
      await tamper(
        `INSERT INTO consents (tenant, point_key, controller, channel, given_at, method, scope, proof, withdrawn_at)
         VALUES ('${S}', 'k:gone', 'agence dupont', 'sms', ${day("2025-01-15")}, NULL, 'standard', ${lit(false)}, NULL)`,
        /consents holds a row \(point_key "k:gone", controller "agence dupont", channel "sms", .*\) that no event records/,
        `DELETE FROM consents ${where} AND point_key = 'k:gone'`,
      );
      await tamper(
        `DELETE FROM subject_links ${where} AND point_key = 'k:obj'`,
        /subject_links lacks the row \(point_key "k:obj", other_key "k:cons"\) that event 5 records/,
        `INSERT INTO subject_links (tenant, point_key, other_key) VALUES ('${S}', 'k:obj', 'k:cons')`,
      );
      await tamper(
        `UPDATE contacts_made SET outcome = 'no_answer' ${where}`,
        /contacts_made row .*: outcome is "no_answer" where the log \(event 6\) gives "answered"/,
        `UPDATE contacts_made SET outcome = 'answered' ${where}`,
      );
      await tamper(
        `DELETE FROM notices ${where}`,
        /notices lacks the row .* that event 7 records/,
        `INSERT INTO notices (tenant, point_key, controller, at) VALUES ('${S}', 'k:obj', 'agence dupont', ${day("2025-01-14")})`,
      );
      await tamper(
        `UPDATE sources SET department = '13' ${where}`,
        /sources row \(point_key "k:obj", controller "agence dupont", seq 1\): department is "13" where the log \(event 1\) gives "75"/,
        `UPDATE sources SET department = '75' ${where}`,
      );
      await tamper(
        `UPDATE registry_snapshots SET complete = ${not("complete")} ${where}`,
        /registry_snapshots row \(seq 11\): complete is true where the log \(event 11\) gives false/,
        `UPDATE registry_snapshots SET complete = ${not("complete")} ${where}`,
      );
      // The day of a Bloctel row is not in the check's digest: the state check covers it.
      await tamper(
        `UPDATE registry_entries SET checked_at = checked_at + 86400000 ${where}`,
        /registry_entries lacks the row \(snapshot_seq 11, checked_at 2025-02-10T00:00:00.000Z\) that event 11 records/,
        `UPDATE registry_entries SET checked_at = checked_at - 86400000 ${where}`,
      );
      await tamper(
        `DELETE FROM withdrawals ${where}`,
        /withdrawals lacks the row .* that event 4 records/,
        `INSERT INTO withdrawals (tenant, point_key, controller, channel, at) VALUES ('${S}', 'k:cons', 'agence dupont', 'email', ${day("2025-01-20")})`,
      );
    });

    test("a tenant with state but no log is listed and named", async () => {
      await tamper(
        `INSERT INTO objections (tenant, point_key, controller, channel, at, via) VALUES ('ghost', 'k:x', '', 'all', ${day("2025-01-01")}, NULL)`,
        /objections holds a row \(point_key "k:x", .*\) that no event records/,
        "DELETE FROM objections WHERE tenant = 'ghost'",
        { tenant: "ghost" },
      );
    });

    test("an event whose data or proof text was deleted is named, not taken for a deleted event", async () => {
      const second = (await eventsOf())[1] as StoredEvent;
      for (const part of ["data", "proof"] as const) {
        const text = JSON.stringify(second[part]);
        const digest = lit(createHash("sha256").update(text).digest());
        const [remove, restore] =
          name === "postgres"
            ? [
                `DELETE FROM event_texts WHERE tenant = '${S}' AND sha256 = ${digest}`,
                `INSERT INTO event_texts (tenant, sha256, text) VALUES ('${S}', ${digest}, ${lit(text)})`,
              ]
            : [
                `DELETE FROM event_texts WHERE sha256 = ${digest}`,
                `INSERT INTO event_texts (id, sha256, text) SELECT ${part}, ${digest}, ${lit(text)} FROM events WHERE tenant = '${S}' AND seq = 2`,
              ];
        // The proof is shared by every event of the batch: the first of them is named.
        await tamper(
          remove,
          new RegExp(
            `^event ${part === "data" ? 2 : 1} cannot be read: its ${part} text is missing from event_texts`,
          ),
          restore,
          { chain: true },
        );
      }
    });

    test("the head deleted, set back, or a forged event past it; the last event deleted with the head", async () => {
      const last = await lastEvent();
      const n = last.seq;
      /** The tree of the first `size` events, as a head records it. */
      const treeOf = async (size: number) =>
        lit(
          frontierBytes(
            appendLeaves(EMPTY_FRONTIER, (await store.eventHashes(S, 1, size)).map(leafHash)).frontier,
          ),
        );
      const tree = await treeOf(n);
      const head = `INSERT INTO chain_head (tenant, seq, hash, tree) VALUES ('${S}', ${n}, '${last.hash}', ${tree})`;
      await tamper(
        `DELETE FROM chain_head WHERE tenant = '${S}'`,
        new RegExp(`chain head missing: the log holds events 1 to ${n} but no head records them`),
        head,
        { chain: true },
      );
      const previous = (await store.eventsOf(S, ["k:gone", ""])).find((e) => e.seq === n - 1) as StoredEvent;
      await tamper(
        `UPDATE chain_head SET seq = ${n - 1}, hash = '${previous.hash}' WHERE tenant = '${S}'`,
        new RegExp(`events ${n} to ${n} lie beyond the chain head \\(event ${n - 1}\\)`),
        `UPDATE chain_head SET seq = ${n}, hash = '${last.hash}' WHERE tenant = '${S}'`,
        { chain: true },
      );
      // A well-formed event chained after the head, as anyone who can write to the store can make.
      const forged: NewEvent = ev("k:obj", { type: "notice.sent" }, day("2025-03-02"), on);
      const unhashed = {
        ...forged,
        seq: n + 1,
        eventId: eventIdOf(forged),
        recordedAt: Date.now(),
        piiHash: null,
        prevHash: last.hash,
      };
      await tamper(
        insertEvent({ ...unhashed, hash: hashOf(unhashed) }),
        new RegExp(`events ${n + 1} to ${n + 1} lie beyond the chain head \\(event ${n}\\)`),
        `DELETE FROM events WHERE tenant = '${S}' AND seq = ${n + 1}`,
        { chain: true },
      );
      // The head set back without its tree: the tree no longer matches the events.
      await store.unsafeExec(`DELETE FROM events WHERE tenant = '${S}' AND seq = ${n}`);
      await tamper(
        `UPDATE chain_head SET seq = ${n - 1}, hash = '${previous.hash}' WHERE tenant = '${S}'`,
        new RegExp(`the chain head's Merkle tree does not match events 1 to ${n - 1}`),
        `UPDATE chain_head SET seq = ${n}, hash = '${last.hash}' WHERE tenant = '${S}'; ${insertEvent(last)}`,
        { chain: true },
      );
      // With its tree too, the chain up to the head set back is whole; the row the deleted event
      // gave is not (and the tree keeps the nodes the deleted event completed, if any).
      await store.unsafeExec(`DELETE FROM events WHERE tenant = '${S}' AND seq = ${n}`);
      await tamper(
        `UPDATE chain_head SET seq = ${n - 1}, hash = '${previous.hash}', tree = ${await treeOf(n - 1)} WHERE tenant = '${S}'`,
        n % 16 === 0
          ? /Merkle tree nodes/
          : /objections holds a row \(point_key "k:late", controller "agence dupont", channel "sms", .*\) that no event records/,
        `UPDATE chain_head SET seq = ${n}, hash = '${last.hash}', tree = ${tree} WHERE tenant = '${S}'; ${insertEvent(last)}`,
        n % 16 === 0 ? { chain: true } : {},
      );
    });
  });
}
