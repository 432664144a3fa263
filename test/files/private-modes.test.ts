// Everything that holds personal data is 0600 (files) and 0700 (folders) whatever the umask: the
// SQLite store with its -wal and -shm, screening outputs and their partial folders, the
// dashboard's uploads, the outbox and the JSON files beside the store. Partial folders of killed
// screenings go at the next screening writing into the same parent folder.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, describe, it } from "node:test";
import { FileOutbox } from "../../src/api/outbox.ts";
import { writeJsonFile } from "../../src/services/json-file.ts";
import { Screenings } from "../../src/services/screen/jobs.ts";
import { OutputDir } from "../../src/services/screen/outputs.ts";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { screen, tempDir } from "../screen/helpers.ts";
import { ev } from "../store/contract.ts";
import { sourceData } from "../support/evidence.ts";

const event = ev("k1", { type: "source.recorded", source: sourceData() }, Date.parse("2025-02-20"));
const mode = (path: string) => statSync(path).mode & 0o777;

/** Every file and folder under `dir`, with its mode. */
function modes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = mode(path);
  }
  return out;
}

/** The same paths, each as it should be: folders 0700, files 0600. */
const expected = (dir: string) =>
  Object.fromEntries(
    Object.keys(modes(dir)).map((name) => [name, statSync(join(dir, name)).isDirectory() ? 0o700 : 0o600]),
  );

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid as number;
}

const initial = process.umask();
after(() => process.umask(initial));

for (const umask of [0o022, 0o000]) {
  describe(`umask ${umask.toString(8).padStart(3, "0")}`, () => {
    it("the SQLite store, its -wal and its -shm are 0600", async () => {
      process.umask(umask);
      const dir = tempDir();
      const file = join(dir, "vigie.db");
      const store = new SqliteStore(file);
      await store.append([event]);
      for (const name of ["vigie.db", "vigie.db-wal", "vigie.db-shm"]) {
        assert.equal(existsSync(join(dir, name)), true, name);
        assert.equal(mode(join(dir, name)), 0o600, name);
      }
      await store.close();
    });

    it("a store left 0644 by an older version is narrowed, -wal and -shm with it", async () => {
      process.umask(umask);
      const dir = tempDir();
      const file = join(dir, "vigie.db");
      const store = new SqliteStore(file);
      await store.append([event]);
      for (const suffix of ["", "-wal", "-shm"]) chmodSync(`${file}${suffix}`, 0o644);
      // Opened again while the first connection keeps -wal and -shm in place.
      const again = new SqliteStore(file);
      for (const suffix of ["", "-wal", "-shm"]) assert.equal(mode(`${file}${suffix}`), 0o600, suffix);
      await again.close();
      await store.close();
    });

    it("screening outputs and their partial folder are 0600 and 0700", async () => {
      process.umask(umask);
      const dir = tempDir();
      const o = await screen({ list: "id,phone\n1,06 12 34 56 78\n", dir, out: "a/b" });
      assert.deepEqual(modes(join(dir, "a")), expected(join(dir, "a")));
      assert.equal(mode(join(dir, "a")), 0o700);
      assert.equal(Object.keys(modes(o.dir)).length, 5);
      const outputs = await OutputDir.create(join(dir, "c"));
      assert.equal(mode(outputs.partial), 0o700);
      await outputs.discard();
    });

    it("the dashboard's uploads, the outbox and the JSON files beside the store are private", async () => {
      process.umask(umask);
      const dir = tempDir();
      const screenings = new Screenings(join(dir, "vigie.db.screenings"), null as never, Date.now);
      const up = await screenings.upload(Readable.from(["id,phone\n1,0612345678\n"]), "list.csv", "admin");
      assert.equal(up.ok, true);
      await new FileOutbox(join(dir, "vigie.db.outbox.jsonl")).send({
        to: "a@b.fr",
        channel: "email",
        text: "x",
      });
      // Written over a file an older version left 0644.
      writeFileSync(join(dir, "vigie.db.keys.json"), "{}", { mode: 0o644 });
      chmodSync(join(dir, "vigie.db.keys.json"), 0o644);
      writeJsonFile(join(dir, "vigie.db.keys.json"), { keys: [] });
      writeJsonFile(join(dir, "new", "vigie.db.users.json"), { users: [] });
      assert.deepEqual(modes(dir), expected(dir));
      assert.equal(Object.keys(modes(dir)).length, 8);
    });
  });
}

describe("partial folders of killed screenings", () => {
  it("go at the next screening writing into the same parent, whatever its own folder", async () => {
    const dir = tempDir();
    const dead = await deadPid();
    const left = join(dir, `.a.partial-${dead}`);
    mkdirSync(left);
    writeFileSync(join(left, "allowed.csv"), "id,phone\n1,0612345678\n");
    // A run still going (our parent process stands for it) keeps its folder.
    const live = join(dir, `.c.partial-${process.ppid}`);
    mkdirSync(live);
    await screen({ list: "id,phone\n1,06 12 34 56 78\n", dir, out: "b" });
    assert.equal(existsSync(left), false);
    assert.equal(existsSync(live), true);
  });
});
