// The index of stored keys (src/services/screen/evidence-index.ts) changes how evidence is found,
// never what is found: on a store with every kind of evidence — sources, consents and withdrawals,
// objections, calls made, an erasure, Bloctel checks partial and complete (two of them the same
// day), keys under two keyring versions — each point's evidence is the store's own, and screening
// with the index writes the same bytes as screening without it.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { rotateKeyRing } from "../../src/normalize/keys.ts";
import { normalizePoint } from "../../src/normalize/point.ts";
import { NO_FILES } from "../../src/services/erasure-files.ts";
import { importFile } from "../../src/services/import/run.ts";
import { eraseSubject } from "../../src/services/rights.ts";
import { type EvidenceSource, openEvidence } from "../../src/services/screen/evidence.ts";
import { EvidenceIndex } from "../../src/services/screen/evidence-index.ts";
import { openSession, subjectOf } from "../../src/services/session.ts";
import { parseInstant } from "../../src/time/zoned.ts";
import { CALL_2025, screen, tempDir } from "./helpers.ts";

const dir = tempDir();
const keyring = join(dir, "keyring.json");
process.env.VIGIE_KEYRING = keyring;
const store = join(dir, "vigie.db");

let seed = 7;
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};

/** Valid mobile numbers, some written the way lists write them. */
const PHONES: string[] = [];
for (let i = 0; PHONES.length < 300; i++) {
  const digits = String(12_000_000 + i * 37).padStart(8, "0");
  if (normalizePoint("phone", `06${digits}`).ok) {
    PHONES.push(i % 3 === 0 ? `+33 6 ${digits.match(/../g)?.join(" ")}` : `06${digits}`);
  }
}
const pick = (share: number) => PHONES.filter(() => random() < share);
const day = (iso: string) => parseInstant(iso) as number;

function csv(name: string, header: string, rows: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${header}\n${rows.join("\n")}\n`);
  return path;
}

async function fill(): Promise<void> {
  const base = { ignoreUnknown: false, recordedBy: "test", now: Date.now() };
  const bloctel = (name: string, date: string, complete: boolean, rows: string[]) =>
    importFile(session, {
      ...base,
      kind: "bloctel",
      file: csv(name, "phone,registered,registered_at,effective_at", rows),
      date: day(date),
      complete,
    });
  const registered = (p: string) =>
    random() < 0.2
      ? `${p},false,,`
      : random() < 0.5
        ? `${p},true,,`
        : `${p},true,2021-0${1 + Math.floor(random() * 9)}-14,2021-0${1 + Math.floor(random() * 9)}-28`;
  let session = await openSession({ store });
  try {
    await importFile(session, {
      ...base,
      kind: "contacts",
      file: csv(
        "contacts.csv",
        "phone,kind,origin,controller,collected_at,relationship,department",
        pick(0.15).map(
          (p, i) =>
            `${p},${i % 4 === 0 ? "professional" : "consumer"},${i % 2 === 0 ? "direct" : "partner"},${i % 5 === 0 ? "" : "Agence Dupont"},2024-11-0${1 + (i % 9)},${i % 3 === 0 ? "active_contract" : "prospect"},69`,
        ),
      ),
    });
    await importFile(session, {
      ...base,
      kind: "consents",
      file: csv(
        "consents.csv",
        "phone,controller,channel,given_at,method,withdrawn_at",
        pick(0.15).map(
          (p, i) =>
            `${p},Agence Dupont,voice_live,2024-12-01,double_opt_in,${i % 4 === 0 ? "2025-02-15" : ""}`,
        ),
      ),
    });
    await importFile(session, {
      ...base,
      kind: "objections",
      file: csv(
        "objections.csv",
        "phone,at,controller,channel,via",
        pick(0.1).map(
          (p, i) =>
            `${p},2024-10-01,${i % 2 === 0 ? "" : "Agence Dupont"},${i % 3 === 0 ? "sms" : ""},letter`,
        ),
      ),
    });
    await importFile(session, {
      ...base,
      kind: "history",
      file: csv(
        "history.csv",
        "phone,controller,channel,at,outcome",
        pick(0.1).map(
          (p) =>
            `${p},Agence Dupont,voice_live,2025-02-2${Math.floor(random() * 8)}T10:00:00+01:00,no_answer`,
        ),
      ),
    });
    await bloctel("s1.csv", "2025-01-10", false, pick(0.35).map(registered));
    const complete = pick(0.3);
    await bloctel("s2.csv", "2025-02-01", true, complete.map(registered));
    // Another complete check the same day, differing for some numbers: the store decides which wins.
    await bloctel("s3.csv", "2025-02-01", true, complete.filter(() => random() < 0.8).map(registered));
    for (const p of PHONES.slice(0, 4)) {
      const s = subjectOf(session.ring, p, "phone");
      assert.ok(s.ok);
      await eraseSubject(session, s.subject, day("2025-01-20"), "test", NO_FILES);
    }
  } finally {
    await session.store.close();
  }
  // A rotation: later evidence is keyed under version 2, earlier under version 1.
  rotateKeyRing(keyring);
  session = await openSession({ store });
  try {
    await bloctel("s4.csv", "2025-02-20", false, pick(0.25).map(registered));
    await importFile(session, {
      ...base,
      kind: "consents",
      file: csv(
        "consents-v2.csv",
        "phone,controller,channel,given_at,method",
        pick(0.05).map((p) => `${p},Agence Dupont,voice_live,2025-02-21,double_opt_in`),
      ),
    });
  } finally {
    await session.store.close();
  }
}

const LIST = [
  "id,phone,kind,origin,department",
  ...PHONES.map(
    (p, i) => `${i},${p},${i % 7 === 0 ? "professional" : "consumer"},scraped_public,${i % 2 ? "69" : ""}`,
  ),
  "x1,not a number,consumer,,",
  "x2,06 12,consumer,,",
].join("\n");

let indexed: EvidenceSource;
let plain: EvidenceSource;
before(async () => {
  await fill();
  indexed = (await openEvidence({ store })) as EvidenceSource;
  plain = (await openEvidence({ store, index: false })) as EvidenceSource;
});
after(async () => {
  await indexed.close();
  await plain.close();
});

test("each point's evidence from the index is the store's own, and the index answers for most", async () => {
  const session = await openSession({ store });
  try {
    const index = await EvidenceIndex.load(session.store, session.tenant);
    assert.ok(index !== null);
    let answered = 0;
    let bloctelOnly = 0;
    for (const p of [...PHONES, "06 99 99 99 99"]) {
      const s = subjectOf(session.ring, p, "phone");
      assert.ok(s.ok);
      const stored = await session.store.evidence(session.tenant, s.subject.keys);
      const known = index.answer(s.subject.keys);
      if (known === null) continue;
      answered++;
      if (known !== index.absent) bloctelOnly++;
      assert.deepEqual(known, stored, p);
    }
    assert.ok(answered > 100, `answered ${answered}`);
    assert.ok(bloctelOnly > 30, `Bloctel only ${bloctelOnly}`);
    assert.ok(index.stats.registryKeys > 0 && index.stats.keys > 0);
  } finally {
    await session.store.close();
  }
});

test("screening with the index writes the same bytes as screening without it", async () => {
  const campaigns = [
    CALL_2025,
    { ...CALL_2025, at: "2025-02-01T11:00:00+01:00" }, // the day of the two complete checks
    { ...CALL_2025, at: "2025-02-25T11:00:00+01:00" },
    { ...CALL_2025, at: "2026-12-01T11:00:00+01:00" }, // prior consent required
    { ...CALL_2025, controller: "Autre SARL", at: "2025-03-04T11:00:00+01:00" },
  ];
  for (const [i, campaign] of campaigns.entries()) {
    const out = tempDir();
    const a = await screen({ list: LIST, campaign, evidence: indexed, dir: out, out: "indexed" });
    const b = await screen({ list: LIST, campaign, evidence: plain, dir: out, out: "plain" });
    assert.ok(a.summary.blocked > 0 && a.summary.allowed > 0, `campaign ${i}: both verdicts`);
    const names = readdirSync(a.dir).sort();
    assert.deepEqual(readdirSync(b.dir).sort(), names);
    for (const name of names) {
      assert.ok(
        readFileSync(join(a.dir, name)).equals(readFileSync(join(b.dir, name))),
        `campaign ${i}: ${name}`,
      );
    }
  }
});
