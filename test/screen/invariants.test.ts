// Invariants over whole lists and stores (fast-check): whatever the duplicates, the spellings, the
// row order, the batch sizes and the store backend, no row is allowed whose point or person has an
// objection binding the controller, an erasure, or no valid consent (an SMS campaign needs one);
// rows of one point get one verdict; the index changes no byte of the outputs.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import type { NewEvent } from "../../src/evidence/events.ts";
import { allPointKeys, loadOrCreateKeyRing } from "../../src/normalize/keys.ts";
import { normalizePoint } from "../../src/normalize/point.ts";
import {
  consentEvent,
  erasureEvent,
  linkEvents,
  objectionEvent,
  sourceEvent,
  withdrawalEvent,
} from "../../src/services/record.ts";
import { loadCampaign } from "../../src/services/screen/campaign.ts";
import { columnNames } from "../../src/services/screen/columns.ts";
import { sessionEvidence } from "../../src/services/screen/evidence.ts";
import { EvidenceIndex } from "../../src/services/screen/evidence-index.ts";
import { screenList } from "../../src/services/screen/run.ts";
import type { ScreenSummary } from "../../src/services/screen/summary.ts";
import type { Session, Subject } from "../../src/services/session.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import type { Store } from "../../src/store/store.ts";
import { sourceData } from "../support/evidence.ts";
import { postgresReady, testSchema } from "../support/postgres.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-invariants-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const ring = loadOrCreateKeyRing(join(dir, "keyring.json"));
const campaignFile = join(dir, "campaign.json");
const AT = Date.parse("2026-12-01T10:00:00Z");
writeFileSync(
  campaignFile,
  JSON.stringify({ controller: "Agence Dupont", channel: "sms", at: "2026-12-01T11:00:00+01:00" }),
);
const campaign = loadCampaign(campaignFile);
const day = (d: number) => AT - d * 86_400_000;

/** A person: a mobile number, maybe an e-mail, and what the store holds on them. */
interface Person {
  readonly n: number;
  readonly email: boolean;
  readonly linked: boolean;
  readonly consent: boolean;
  readonly withdrawn: boolean;
  readonly objection: null | {
    readonly on: "phone" | "email";
    readonly controller: "" | "agence dupont" | "autre";
  };
  readonly erased: null | "phone" | "email";
}

const phoneOf = (n: number) => `+3361234${String(5600 + n).padStart(4, "0")}`;
const emailOf = (n: number) => `personne${n}@example.fr`;
/** Ways lists write one French mobile number. */
const SPELLINGS = [
  (e164: string) => e164,
  (e164: string) => `0${e164.slice(3)}`,
  (e164: string) => `00${e164.slice(1)}`,
  (e164: string) => `0${e164.slice(3)}`.replace(/(\d\d)(?=\d)/g, "$1 "),
  (e164: string) => `+33 (0)${e164.slice(3)}`,
];

const personArb = (n: number): fc.Arbitrary<Person> =>
  fc.record({
    n: fc.constant(n),
    email: fc.boolean(),
    linked: fc.boolean(),
    consent: fc.boolean(),
    withdrawn: fc.boolean(),
    objection: fc.oneof(
      { arbitrary: fc.constant(null), weight: 3 },
      {
        arbitrary: fc.record({
          on: fc.constantFrom("phone" as const, "email" as const),
          controller: fc.constantFrom("" as const, "agence dupont" as const, "autre" as const),
        }),
        weight: 1,
      },
    ),
    erased: fc.oneof(
      { arbitrary: fc.constant(null), weight: 5 },
      { arbitrary: fc.constantFrom("phone" as const, "email" as const), weight: 1 },
    ),
  });

const worldArb = fc.integer({ min: 1, max: 10 }).chain((count) =>
  fc.tuple(...Array.from({ length: count }, (_, n) => personArb(n))).chain((persons) =>
    fc.record({
      persons: fc.constant(persons),
      rows: fc.array(
        fc.record({
          person: fc.integer({ min: 0, max: count - 1 }),
          spelling: fc.integer({ min: 0, max: SPELLINGS.length - 1 }),
          // The row's e-mail: none, the person's, or (lists are messy) another person's.
          email: fc.constantFrom("none", "none", "own", "own", "other"),
          other: fc.integer({ min: 0, max: count - 1 }),
        }),
        { minLength: 1, maxLength: 30 },
      ),
      batchRows: fc.constantFrom(1, 2, 7, 1000),
    }),
  ),
);

function subject(type: "phone" | "email", raw: string): Subject {
  const n = normalizePoint(type, raw);
  if (!n.ok) throw new Error(raw);
  return { point: n.point, key: allPointKeys(ring, n.point)[0] as string, keys: allPointKeys(ring, n.point) };
}

function eventsOf(tenant: string, p: Person): NewEvent[] {
  const phone = subject("phone", phoneOf(p.n));
  const email = p.email ? subject("email", emailOf(p.n)) : null;
  const rec = (s: Subject, controller = "Agence Dupont") => ({
    tenant,
    subject: s,
    controller,
    proof: { recordedBy: "invariants" },
  });
  const out: NewEvent[] = [sourceEvent(rec(phone), sourceData({ collectedAt: day(30) }), null)];
  if (email !== null && p.linked)
    out.push(...linkEvents({ tenant, proof: { recordedBy: "invariants" } }, [phone, email], day(30)));
  if (p.consent) {
    out.push(
      consentEvent(rec(phone), {
        channel: "sms",
        givenAt: day(20),
        method: "double_opt_in",
        scope: "standard",
        proof: true,
      }),
    );
    if (p.withdrawn) out.push(withdrawalEvent(rec(phone), "sms", day(10)));
  }
  if (p.objection !== null) {
    const on = p.objection.on === "email" && email !== null ? email : phone;
    out.push(objectionEvent(rec(on, p.objection.controller), "all", "letter", day(5)));
  }
  if (p.erased !== null) {
    const s = p.erased === "email" && email !== null ? email : phone;
    out.push(
      erasureEvent(
        { tenant, proof: { recordedBy: "invariants" } },
        { key: s.key, pointType: s.point.type },
        "request",
        day(2),
      ),
    );
  }
  return out;
}

/** What binds a person's phone: its own evidence, and the e-mail's when the store links them. */
function mayBeAllowed(p: Person, rowEmail: Person | null): boolean {
  const binds = (x: Person, viaLink: boolean) => {
    const objection =
      x.objection !== null &&
      x.objection.controller !== "autre" &&
      (x.objection.on === "phone" || !x.email || viaLink);
    const erased = x.erased !== null && (x.erased === "phone" || !x.email || viaLink);
    return objection || erased;
  };
  if (!p.consent || p.withdrawn) return false;
  if (binds(p, p.email && p.linked)) return false;
  // The row's e-mail is the same person: what binds it (and its own linked phone) binds the row.
  if (rowEmail?.email) {
    const emailSide = {
      ...rowEmail,
      objection: rowEmail.objection?.on === "email" || rowEmail.linked ? rowEmail.objection : null,
      erased: rowEmail.erased === "email" || rowEmail.linked ? rowEmail.erased : null,
    };
    if (binds(emailSide, true)) return false;
  }
  return true;
}

/**
 * The outputs against the list's persons, found here from each row's points (the rows sharing a
 * point, transitively, whatever their order): every row's `duplicate_of` is its person's first
 * line, and summary.json counts what the CSV files hold — rows a second pass copied from the
 * first and rows it decided again alike.
 */
function agreesWithItsRows(out: string, points: readonly (readonly string[])[]): void {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    return p === x ? x : find(p);
  };
  for (const ps of points) for (const p of ps) parent.set(find(p), find(ps[0] as string));
  const firstLine = new Map<string, number>();
  points.forEach((ps, i) => {
    const root = find(ps[0] as string);
    if (!firstLine.has(root)) firstLine.set(root, i + 2);
  });
  const csv = (name: string) => (parse(readFileSync(join(out, name), "utf8")) as string[][]).slice(1);
  const allowed = csv("allowed.csv");
  const blocked = csv("blocked.csv");
  const duplicateOf = new Map<number, string>();
  // allowed.csv: id, phone, email, duplicate_of, interpreted; blocked.csv: …, rule, reason, article,
  // other_rules, duplicate_of, interpreted, needs_review.
  for (const r of allowed) duplicateOf.set(Number(r[0]), r[3] as string);
  for (const r of blocked) duplicateOf.set(Number(r[0]), r[7] as string);
  points.forEach((ps, i) => {
    const first = firstLine.get(find(ps[0] as string)) as number;
    const line = i + 2;
    assert.equal(duplicateOf.get(i + 1), first === line ? "" : String(first), `duplicate_of of line ${line}`);
  });
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as ScreenSummary;
  const byRule: Record<string, number> = {};
  for (const r of blocked) byRule[r[3] as string] = (byRule[r[3] as string] ?? 0) + 1;
  assert.deepEqual(
    {
      allowed: summary.allowed,
      blocked: summary.blocked,
      byRule: summary.byRule,
      duplicates: summary.duplicates,
    },
    {
      allowed: allowed.length,
      blocked: blocked.length,
      byRule,
      duplicates: {
        rows: [...duplicateOf.values()].filter((d) => d !== "").length,
        blockedWithTheirPerson: blocked.filter((r) => r[4]?.startsWith("Same person as line")).length,
      },
    },
  );
}

function invariantsContract(
  name: string,
  openStore: () => Promise<Store>,
  cleanup: () => Promise<void>,
): void {
  describe(`screening invariants: ${name}`, () => {
    let store: Store;
    after(async () => {
      await store?.close();
      await cleanup();
    });
    test("no objector, erased person or unconsented row is allowed; one verdict per point; the index changes nothing", async () => {
      store = await openStore();
      let run = 0;
      let allowedSeen = 0;
      await fc.assert(
        fc.asyncProperty(worldArb, async ({ persons, rows, batchRows }) => {
          const tenant = `inv${run++}`;
          await store.append(persons.flatMap((p) => eventsOf(tenant, p)));
          const session: Session = { store, ring, tenant };
          const emailPerson = (r: (typeof rows)[number]): Person | null =>
            r.email === "none" ? null : (persons[r.email === "own" ? r.person : r.other] as Person);
          const list = [
            "id,phone,email",
            ...rows.map((r, i) => {
              const p = persons[r.person] as Person;
              const e = emailPerson(r);
              const spelled = (SPELLINGS[r.spelling] as (x: string) => string)(phoneOf(p.n));
              return `${i + 1},${spelled},${e?.email ? emailOf(e.n) : ""}`;
            }),
          ].join("\n");
          const listFile = join(dir, `${tenant}.csv`);
          writeFileSync(listFile, list);
          const outs: string[] = [];
          for (const index of [null, await EvidenceIndex.load(store, tenant)]) {
            const out = join(dir, `${tenant}-${index === null ? "plain" : "index"}`);
            outs.push(out);
            await screenList({
              list: listFile,
              campaignFile,
              campaign,
              out,
              names: columnNames(undefined),
              lang: "en",
              evidence: { ...sessionEvidence(session, store.dialect, null, index), close: async () => {} },
              batchRows,
            });
          }
          for (const file of ["allowed.csv", "blocked.csv", "rejected.csv", "summary.json"]) {
            assert.equal(
              readFileSync(join(outs[0] as string, file), "utf8"),
              readFileSync(join(outs[1] as string, file), "utf8"),
              `${file} with and without the index`,
            );
          }
          const allowed = new Set(
            (parse(readFileSync(join(outs[0] as string, "allowed.csv"), "utf8")) as string[][])
              .slice(1)
              .map((r) => r[0]),
          );
          const verdictOfPerson = new Map<number, boolean>();
          rows.forEach((r, i) => {
            const ok = allowed.has(String(i + 1));
            const p = persons[r.person] as Person;
            const e = emailPerson(r);
            if (ok) {
              allowedSeen++;
              assert.ok(mayBeAllowed(p, e), `row ${i + 1} allowed: ${JSON.stringify({ p, e })}`);
            }
            const before = verdictOfPerson.get(p.n);
            if (before !== undefined) assert.equal(ok, before, `rows of person ${p.n} disagree`);
            verdictOfPerson.set(p.n, ok);
          });
          agreesWithItsRows(
            outs[0] as string,
            rows.map((r) => {
              const e = emailPerson(r);
              return [`phone ${r.person}`, ...(e?.email ? [`email ${e.n}`] : [])];
            }),
          );
        }),
        { numRuns: 40 },
      );
      // The property is about allowed rows: it must have met some.
      assert.ok(allowedSeen > 10, `only ${allowedSeen} allowed rows in all runs`);
    });
  });
}

invariantsContract(
  "sqlite",
  async () => new SqliteStore(join(dir, "invariants.db")),
  async () => {},
);

if (await postgresReady("screening invariants: postgres", "test/screen/invariants.test.ts")) {
  const pgSchema = testSchema("vigie_inv");
  invariantsContract("postgres", pgSchema.open, pgSchema.drop);
}
