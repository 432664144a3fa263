// A person's evidence pack checked offline (no store): its signature, every file, each event's
// hash and its inclusion proof in the signed head's Merkle tree — and every way of altering it.
import assert from "node:assert/strict";
import { createPublicKey, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { strFromU8, strToU8, unzipSync } from "fflate";
import { hashOf } from "../../src/evidence/events.ts";
import { type PersonPack, personPack } from "../../src/services/evidence-pack.ts";
import { verifyPack } from "../../src/services/pack-verify.ts";
import { MANIFEST, MANIFEST_SIG, manifestOf, zipEntries, zipPack } from "../../src/services/pack-zip.ts";
import { consentEvent, objectionEvent, sourceEvent } from "../../src/services/record.ts";
import { openSession, type Session, type Subject, subjectOf } from "../../src/services/session.ts";
import { newEd25519Key, type SigningKey } from "../../src/services/signing-key.ts";
import { vigie } from "../cli/vigie.ts";
import { sourceData } from "../support/evidence.ts";

const AT = Date.parse("2026-12-02T08:00:00Z");

function subject(session: Session, raw: string): Subject {
  const r = subjectOf(session.ring, raw);
  if (!r.ok) throw new Error(r.reason);
  return r.subject;
}

async function seed(session: Session, raw: string, day: number): Promise<void> {
  const r = {
    tenant: session.tenant,
    subject: subject(session, raw),
    controller: "Boutique SAS",
    proof: { recordedBy: "test" },
  };
  await session.store.append([
    sourceEvent(r, sourceData({ collectedAt: day }), null),
    consentEvent(r, {
      channel: "email",
      givenAt: day,
      method: "double_opt_in",
      scope: "standard",
      proof: true,
      ip: "203.0.113.7",
    }),
  ]);
}

/** The pack's files changed by `edit` and signed again with `signer`, as the maker would sign them. */
function resigned(zip: Uint8Array, signer: SigningKey, edit: (pack: PersonPack) => void): Uint8Array {
  const files = unzipSync(zip);
  const pack = JSON.parse(strFromU8(files["pack.json"] as Uint8Array)) as PersonPack;
  edit(pack);
  const entries: [string, Uint8Array][] = [
    ["pack.json", strToU8(`${JSON.stringify(pack, null, 2)}\n`)],
    ["pack.html", files["pack.html"] as Uint8Array],
  ];
  const manifest = strToU8(`${JSON.stringify(manifestOf(entries, signer), null, 2)}\n`);
  const sig = strToU8(`${sign(null, manifest, signer.privateKey).toString("base64")}\n`);
  return zipEntries([...entries, [MANIFEST, manifest], [MANIFEST_SIG, sig]], pack.madeAt);
}

describe("vigie pack verify", () => {
  let dir: string;
  let session: Session;
  let signer: SigningKey;
  let zip: Uint8Array;
  let pack: PersonPack;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "vigie-pack-verify-"));
    process.env.VIGIE_KEYRING = join(dir, "keyring.json");
    session = await openSession({ store: join(dir, "vigie.db"), tenant: "t" });
    signer = session.signer as SigningKey;
    // Alice's events among 60 other people's: her proofs climb a tree of some height.
    for (let i = 0; i < 30; i++)
      await seed(session, `p${i}@example.fr`, Date.parse("2026-01-01") + i * 86_400_000);
    await seed(session, "alice@example.fr", Date.parse("2026-02-01"));
    for (let i = 30; i < 60; i++)
      await seed(session, `p${i}@example.fr`, Date.parse("2026-01-01") + i * 86_400_000);
    const alice = subject(session, "alice@example.fr");
    await session.store.append([
      objectionEvent(
        { tenant: "t", subject: alice, controller: "Boutique SAS", proof: { recordedBy: "test" } },
        "sms",
        "letter",
        Date.parse("2026-03-01"),
      ),
    ]);
    pack = await personPack(session, alice, { by: "cli:dpo", at: AT });
    zip = zipPack(pack, signer);
  });
  after(async () => {
    await session.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a pack verifies offline: signed manifest, every file, each event in the signed tree", () => {
    const r = verifyPack(zip, signer.publicKey);
    assert.deepEqual(r.problems, []);
    assert.equal(r.ok, true);
    assert.equal(r.kind, "person");
    assert.equal(r.events, 3);
    assert.equal(r.proven, 3);
    assert.equal(r.head?.size, 123);
    assert.ok(
      pack.proofs.every((p) => p.path.length >= 5),
      "proofs climb a tree of 123 leaves",
    );
  });

  it("fails after any byte of the zip changes (a byte flipped at 400 places, headers included)", () => {
    const step = Math.max(1, Math.floor(zip.length / 400));
    const passed: number[] = [];
    for (let at = 0; at < zip.length; at += step) {
      const bent = Uint8Array.from(zip);
      bent[at] = (bent[at] as number) ^ 0x20;
      if (verifyPack(bent, signer.publicKey).ok) passed.push(at);
    }
    for (const at of [0, 1, 14, 26, 30, zip.length - 22, zip.length - 1]) {
      const bent = Uint8Array.from(zip);
      bent[at] = (bent[at] as number) ^ 1;
      if (verifyPack(bent, signer.publicKey).ok) passed.push(at);
    }
    assert.deepEqual(passed, [], "bytes whose change went unnoticed");
  });

  it("refuses a pack signed by another key, or not signed at all", () => {
    const other = createPublicKey(newEd25519Key());
    assert.match(verifyPack(zip, other).problems.join(), /not with the key trusted/);
    const unsigned = verifyPack(zipPack(pack, null), signer.publicKey);
    assert.equal(unsigned.ok, false);
    assert.match(unsigned.problems.join(), /not signed/);
  });

  it("signed again by the maker, an altered event still fails: by its hash, then by its proof", () => {
    const objection = pack.events.findIndex((e) => e.type === "objection.recorded");
    const altered = resigned(zip, signer, (p) => {
      (p.events as unknown as { data: unknown }[])[objection] = {
        ...p.events[objection],
        data: { type: "objection.recorded", channel: "email", via: "letter" },
      };
    });
    assert.match(verifyPack(altered, signer.publicKey).problems.join(), /fields do not give its hash/);
    const rehashed = resigned(zip, signer, (p) => {
      const e = p.events[objection] as PersonPack["events"][number];
      const data = { type: "objection.recorded" as const, channel: "email" as const, via: "letter" as const };
      const hash = hashOf({
        ...e,
        tenant: p.tenant,
        occurredAt: e.occurredAtMs,
        recordedAt: e.recordedAtMs,
        data,
      });
      (p.events as unknown[])[objection] = { ...e, data, hash };
    });
    assert.match(
      verifyPack(rehashed, signer.publicKey).problems.join(),
      /does not lead to the signed root of 123 events/,
    );
    const unproven = resigned(zip, signer, (p) => {
      (p as unknown as { proofs: unknown[] }).proofs = p.proofs.slice(1);
    });
    assert.match(verifyPack(unproven, signer.publicKey).problems.join(), /no inclusion proof/);
  });

  it("from the command line: the key `vigie audit key` published, exit 0 then 1", () => {
    const env = { VIGIE_KEYRING: join(dir, "keyring.json") };
    const key = vigie(
      ["audit", "key", "--json", "--store", join(dir, "vigie.db"), "--tenant", "t"],
      undefined,
      env,
    );
    assert.equal(key.status, 0, key.stderr);
    const keyFile = join(dir, "published-key.json");
    writeFileSync(keyFile, key.stdout);
    const file = join(dir, "alice.zip");
    writeFileSync(file, zip);
    const ok = vigie(["pack", "verify", file, "--key", keyFile], undefined, {
      VIGIE_KEYRING: join(dir, "none", "k.json"),
    });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(
      ok.stdout,
      /verified — person pack signed by key [0-9a-f]{16} against the head of 123 events .*; 3 of 3 event\(s\) proven/,
    );
    const bent = Uint8Array.from(readFileSync(file));
    bent[200] = (bent[200] as number) ^ 1;
    writeFileSync(file, bent);
    const failed = vigie(["pack", "verify", file, "--key", keyFile, "--json"], undefined, env);
    assert.equal(failed.status, 1, failed.stderr);
    assert.equal(JSON.parse(failed.stdout).ok, false);
  });
});
