// Erasure means never again, and nowhere: after `eraseSubject`, no file the store owns — the
// SQLite file, its WAL and shared memory, the outbox, the dashboard's saved screenings — holds the
// person's phone or e-mail in any spelling, while everyone else's rows are kept.
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { importFile } from "../../src/services/import/run.ts";
import { eraseSubject } from "../../src/services/rights.ts";
import { openSession, type Session, subjectOf } from "../../src/services/session.ts";
import { tempDir } from "../screen/helpers.ts";

const dir = tempDir();
process.env.VIGIE_KEYRING = join(dir, "keyring.json");
const store = join(dir, "vigie.db");
const outbox = join(dir, "vigie.db.outbox.jsonl");
const screenings = join(dir, "vigie.db.screenings");
const saved = join(screenings, "0123456789abcdef0123456789abcdef");

/** Every way the person's points are written in the files below. */
const SPELLINGS = [
  "+33699887766",
  "0699887766",
  "06 99 88 77 66",
  "06.99.88.77.66",
  "0033699887766",
  "sophie.martin@example.fr",
  "Sophie.Martin@Example.fr",
];

let session: Session;
before(async () => {
  session = await openSession({ store });
  const file = join(dir, "contacts.csv");
  writeFileSync(
    file,
    [
      "phone,email,kind,origin,controller,collected_at,source_url",
      "06 99 88 77 66,Sophie.Martin@Example.fr,consumer,direct,Agence Dupont,2026-01-10,https://example.fr/form?email=sophie.martin@example.fr",
      "06 12 34 56 78,paul@example.fr,consumer,direct,Agence Dupont,2026-01-10,",
    ].join("\n"),
  );
  const r = await importFile(session, {
    kind: "contacts",
    file,
    ignoreUnknown: false,
    recordedBy: "test",
    now: Date.now(),
  });
  assert.equal(r.rejected.length, 0);
  writeFileSync(
    outbox,
    [
      JSON.stringify({ to: "+33699887766", channel: "sms", text: "Code 123456" }),
      JSON.stringify({ to: "paul@example.fr", channel: "email", text: "Confirm" }),
      "",
    ].join("\n"),
  );
  mkdirSync(join(saved, "out"), { recursive: true });
  writeFileSync(
    join(saved, "list.csv"),
    'id;phone;email;note\r\n1;06.99.88.77.66;;"multi\r\nline"\r\n2;06 12 34 56 78;paul@example.fr;x\r\n3;0033699887766;;y\r\n',
  );
  writeFileSync(join(saved, "out", "allowed.csv"), "id;phone\r\n2;06 12 34 56 78\r\n");
  writeFileSync(
    join(saved, "out", "rejected.csv"),
    'line,error,raw\n4,email: bad,"4;+33 6 99 88 77 66;Sophie.Martin@Example.fr"\n',
  );
  writeFileSync(
    join(saved, "out", "report.html"),
    '<tr><td class="n">4</td><td>email: bad</td><td class="mono">4;+33 6 99 88 77 66;sophie.martin@example.fr</td></tr>',
  );
});
after(async () => {
  await session?.store.close();
});

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test("after an erasure by phone, neither the phone nor the e-mail recorded with it is left in any file", async () => {
  const phone = subjectOf(session.ring, "06 99 88 77 66");
  assert.ok(phone.ok);
  const r = await eraseSubject(session, phone.subject, Date.now(), "test", {
    outbox: { file: outbox },
    screenings,
  });
  // The e-mail recorded on the same row is the same person: erased with the phone.
  assert.deepEqual(
    r.linked.map((l) => [l.type, l.value]),
    [["email", "sophie.martin@example.fr"]],
  );
  assert.deepEqual(r.files.notPurged, []);
  assert.deepEqual(r.store, []);
  const purged = Object.fromEntries(r.files.purged.map((f) => [f.file.slice(dir.length + 1), f.removed]));
  assert.deepEqual(purged, {
    "vigie.db.outbox.jsonl": 1,
    "vigie.db.screenings/0123456789abcdef0123456789abcdef/list.csv": 2,
    "vigie.db.screenings/0123456789abcdef0123456789abcdef/out/rejected.csv": 1,
    "vigie.db.screenings/0123456789abcdef0123456789abcdef/out/report.html": 2,
  });

  // The store stays open, as a server keeps it: its WAL must hold nothing either.
  const files = filesUnder(dir).filter((f) => !f.endsWith("contacts.csv") && !f.endsWith("keyring.json"));
  assert.ok(files.includes(store));
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const spelling of SPELLINGS) {
      for (const form of [spelling, spelling.toLowerCase()]) {
        assert.equal(bytes.indexOf(Buffer.from(form)), -1, `${file} still holds ${form}`);
      }
    }
  }
  // Everyone else is kept, byte for byte where the rows are.
  assert.equal(
    readFileSync(join(saved, "list.csv"), "utf8"),
    "id;phone;email;note\r\n2;06 12 34 56 78;paul@example.fr;x\r\n",
  );
  assert.match(readFileSync(outbox, "utf8"), /paul@example\.fr/);
  assert.equal(readFileSync(join(saved, "out", "allowed.csv"), "utf8"), "id;phone\r\n2;06 12 34 56 78\r\n");
  assert.equal(statSync(join(saved, "list.csv")).mode & 0o777, 0o600);
  const paul = subjectOf(session.ring, "paul@example.fr");
  assert.ok(paul.ok);
  assert.equal(
    (await session.store.evidence(session.tenant, paul.subject.keys)).point?.value,
    "paul@example.fr",
  );
});
