import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { vigie } from "./vigie.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-cli-evidence-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { VIGIE_KEYRING: join(dir, "keys", "keyring.json"), VIGIE_STORE: join(dir, "vigie.db") };
const run = (...args: string[]) => vigie(args, undefined, env);

describe("evidence from the command line", () => {
  test("a consent with its proof, an objection, then the export shows both", () => {
    const added = run(
      "consent",
      "add",
      "06 12 34 56 78",
      "--controller",
      "Agence Dupont",
      "--channel",
      "voice_live",
      "--method",
      "double_opt_in",
      "--at",
      "2026-09-01T10:00:00Z",
      "--ip",
      "203.0.113.5",
      "--wording-version",
      "v3",
      "--wording-sha256",
      "a".repeat(64),
      "--collection-point",
      "https://agence.example/rappel",
    );
    assert.equal(added.status, 0, added.stderr);
    assert.equal(added.stdout, "consent recorded\n");
    assert.equal(
      run(
        "consent",
        "add",
        "+33612345678",
        "--controller",
        "agence dupont",
        "--channel",
        "voice_live",
        "--method",
        "double_opt_in",
        "--at",
        "2026-09-01T10:00:00Z",
      ).stdout,
      "consent already recorded (no change)\n",
    );
    // --json says what was recorded as the API answers: the event's seq, or a duplicate.
    const objection = ["object", "0612345678", "--controller", "Agence Dupont", "--via", "during_call"];
    const first = run(...objection, "--at", "2026-10-01", "--json");
    assert.equal(first.status, 0, first.stderr);
    assert.ok(Number.isInteger(JSON.parse(first.stdout).seq));
    assert.deepEqual(JSON.parse(run(...objection, "--at", "2026-10-01", "--json").stdout), {
      seq: null,
      duplicate: true,
    });
    const x = JSON.parse(run("subject", "export", "0612345678", "--json").stdout);
    assert.equal(x.point.value, "+33612345678");
    assert.equal(x.evidence.consents[0].method, "double_opt_in");
    assert.equal(x.evidence.objections[0].via, "during_call");
    assert.equal(x.events.length, 2);
    assert.equal(x.events[0].proof.wordingVersion, "v3");
    assert.equal(x.events[0].pii.ip, "203.0.113.5");
  });

  test("an erasure is confirmed: the point typed again on a terminal, or --yes; else nothing is erased", () => {
    const refused = run("subject", "erase", "06 12 34 56 78");
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /cannot be undone: run it on a terminal .* or give --yes in a script/);
    if (!existsSync("/usr/bin/script")) return; // util-linux's script gives the command a terminal
    const onTerminal = (typed: string) =>
      spawnSync(
        "script",
        ["-qec", `${process.execPath} --import tsx src/cli/main.ts subject erase 0612345678`, "/dev/null"],
        { input: `${typed}\n`, encoding: "utf8", env: { ...process.env, ...env } },
      );
    const other = onTerminal("06 12 34 56 79");
    assert.equal(other.status, 2, other.stdout);
    assert.match(other.stdout, /Type the number again to confirm: .*not confirmed: nothing erased/s);
    assert.notEqual(
      JSON.parse(run("subject", "export", "0612345678", "--json").stdout).evidence.point.value,
      null,
    );
  });

  test("erasure removes personal data, keeps the suppression, refuses a new consent", () => {
    assert.match(
      run("subject", "erase", "06 12 34 56 78", "--yes").stdout,
      /^erased: personal data of phone deleted/,
    );
    const x = JSON.parse(run("subject", "export", "0612345678", "--json").stdout);
    assert.equal(x.evidence.point.value, null);
    assert.ok(x.evidence.point.erasedAt > 0);
    for (const e of x.events) assert.equal(e.pii, null);
    const again = run("consent", "add", "0612345678", "--controller", "Agence Dupont", "--channel", "sms");
    assert.equal(again.status, 2);
    assert.match(again.stderr, /was erased on \d{4}-\d\d-\d\dT.*: no new consent or double opt-in request/);
    assert.equal(
      run("object", "0612345678", "--channel", "sms", "--via", "stop_sms").status,
      0,
      "objections are still recorded",
    );
    // Erased again, --json: the API's answer, saying when it was first erased.
    const twice = JSON.parse(run("subject", "erase", "06 12 34 56 78", "--yes", "--json").stdout);
    assert.equal(twice.alreadyErasedAt, x.evidence.point.erasedAt);
    assert.equal(typeof twice.erasedAt, "number");
  });

  test("audit verify exits 0 on an intact log and 1 naming the altered event", () => {
    const ok = run("audit", "verify");
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    // Two evidence events, each import's and each export's activity.
    const events = /^audit: chain intact, state matches the log — (\d+) event\(s\) in 1 tenant\(s\)/.exec(
      ok.stdout,
    )?.[1];
    assert.ok(events !== undefined && Number(events) >= 4, ok.stdout);
    const db = new Database(env.VIGIE_STORE);
    // The objection's row gone from the state: screening would allow the objector.
    const objection = db.prepare("SELECT * FROM objections").get() as Record<string, unknown>;
    db.prepare("DELETE FROM objections WHERE point_key = @point_key AND at = @at").run(objection);
    const state = run("audit", "verify");
    assert.equal(state.status, 1);
    assert.match(
      state.stdout,
      /BROKEN at tenant default, event (\d+): objections lacks the row \(point_key .*\) that event \1 records/,
    );
    const quick = run("audit", "verify", "--quick");
    assert.equal(quick.status, 0, quick.stdout + quick.stderr);
    assert.match(
      quick.stdout,
      new RegExp(`^audit: chain intact \\(--quick: state not compared\\) — ${events} event\\(s\\)`),
    );
    db.prepare(
      "INSERT INTO objections (tenant, point_key, controller, channel, at, via) VALUES (@tenant, @point_key, @controller, @channel, @at, @via)",
    ).run(objection);
    db.prepare("UPDATE events SET controller = 'someone else' WHERE seq = 2").run();
    db.close();
    const broken = run("audit", "verify");
    assert.equal(broken.status, 1);
    assert.match(
      broken.stdout,
      /BROKEN at tenant default, event 2: event 2 \(objection\.recorded\) was altered/,
    );
  });

  test("bad input is refused with a clear message and exit 2", () => {
    const bad = run("consent", "add", "06 12", "--controller", "A", "--channel", "sms");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /06 12: not a valid phone number/);
    const channel = run("object", "0612345678", "--channel", "pigeon");
    assert.equal(channel.status, 2);
    assert.match(channel.stderr, /--channel pigeon: expected one of voice_live/);
    const newline = run("consent", "add", "0698765432", "--controller", "Agence\nDupont", "--channel", "sms");
    assert.equal(newline.status, 2);
    assert.match(newline.stderr, /--controller: must not contain control characters/);
    const nul = run("object", "0698765432", "--controller", "A\u0085B");
    assert.equal(nul.status, 2);
    const naming = run(
      "consent",
      "add",
      "0698765432",
      "--controller",
      "A",
      "--channel",
      "sms",
      "--named-how",
      "named",
    );
    assert.equal(naming.status, 2);
    assert.match(naming.stderr, /--named-how: only for a consent collected by a partner or broker/);
    const reach = run("consent", "add", "lea@example.fr", "--controller", "A", "--channel", "sms");
    assert.equal(reach.status, 2);
    assert.match(reach.stderr, /--channel sms reaches a phone point, not email/);
    // A name of spaces or invisible characters alone: its key is every controller's.
    for (const args of [
      ["consent", "add", "0698765432", "--controller", "   ", "--channel", "sms"],
      ["consent", "withdraw", "0698765432", "--controller", "\u200b", "--channel", "sms"],
      ["object", "0698765432", "--controller", " \u200b "],
      ["suppression", "export", "--channel", "sms", "--controller", "  "],
    ]) {
      const blank = run(...args);
      assert.equal(blank.status, 2, args.join(" "));
      assert.match(
        blank.stderr,
        /--controller: no name: only spaces or invisible characters \("[ \\u200b]+"\)/,
      );
    }
    assert.match(
      run("consent", "add", "0698765432", "--controller", "", "--channel", "sms").stderr,
      /--controller: empty/,
    );
    assert.equal(
      JSON.parse(run("subject", "export", "0698765432", "--json").stdout).evidence.consents.length,
      0,
    );
  });

  test("a partner's consent says who collected it and how its form named the sender", () => {
    const added = run(
      "consent",
      "add",
      "0611223344",
      "--controller",
      "Agence Dupont",
      "--channel",
      "sms",
      "--collected-by",
      "partner",
      "--named-how",
      "not_named",
    );
    assert.equal(added.status, 0, added.stderr);
    const x = JSON.parse(run("subject", "export", "0611223344", "--json").stdout);
    assert.deepEqual(
      [x.events[0].data.consent.collectedBy, x.events[0].data.consent.namedHow],
      ["partner", "not_named"],
    );
  });
});
