// Lists saved by Excel: Windows-1252 or UTF-16 read as such, named in summary.json; outputs UTF-8.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { detectEncoding } from "../../src/io/text/encoding.ts";
import { ListFileError } from "../../src/services/screen/columns.ts";
import { reconcile, screen } from "./helpers.ts";

const LIST = "id;phone;ville\r\n1;06 12 34 56 78;Orléans\r\n2;06 12 34 56 79;Nîmes\r\n";

describe("the list's encoding", () => {
  test("Windows-1252 is detected, read, named in summary.json; outputs are UTF-8 with a BOM", async () => {
    const o = await screen({ list: Buffer.from(LIST, "latin1") });
    assert.deepEqual(reconcile(o), { in: 2, allowed: 0, blocked: 2, rejected: 0 });
    assert.equal(o.summary.inputs.list.encoding, "windows-1252");
    assert.equal(o.summary.inputs.list.encodingFrom, "content");
    const blocked = o.read("blocked.csv");
    assert.ok(blocked.startsWith("\uFEFFid;phone;ville;rule;"), blocked.slice(0, 40));
    assert.match(blocked, /\r\n1;06 12 34 56 78;Orléans;/);
    assert.match(o.read("report.html"), /windows-1252/);
  });

  test("UTF-16 with its mark, and UTF-8 as before", async () => {
    const utf16 = await screen({ list: Buffer.from(`\uFEFF${LIST}`, "utf16le") });
    assert.equal(utf16.summary.inputs.list.encoding, "utf16le");
    assert.equal(utf16.summary.inputs.list.encodingFrom, "bom");
    assert.match(utf16.read("blocked.csv"), /Nîmes/);
    const utf8 = await screen({ list: LIST });
    assert.equal(utf8.summary.inputs.list.encoding, "utf8");
    assert.equal(utf8.read("blocked.csv").startsWith("\uFEFF"), false, "a UTF-8 list without BOM keeps none");
  });

  test("JSON Lines in UTF-16 with its mark are read as the UTF-8 ones; without it, refused whole", async () => {
    const rows =
      '{"id":"1","phone":"06 12 34 56 78","ville":"Orléans"}\r\n{"id":"2","phone":"06 12 34 56 79","ville":"Nîmes"}\r\n';
    const utf8 = await screen({ list: rows, listName: "list.jsonl" });
    assert.deepEqual(reconcile(utf8), { in: 2, allowed: 0, blocked: 2, rejected: 0 });
    const le = Buffer.from(`\uFEFF${rows}`, "utf16le");
    for (const [bytes, encoding, listName] of [
      [le, "utf16le", "list.jsonl"],
      [Buffer.from(le).swap16(), "utf16be", "list.jsonl"],
      [le, "utf16le", "list"], // no extension: its first character, read as UTF-16, is a "{"
    ] as const) {
      const o = await screen({ list: bytes, listName });
      assert.deepEqual(
        reconcile(o),
        { in: 2, allowed: 0, blocked: 2, rejected: 0 },
        `${encoding} ${listName}`,
      );
      assert.deepEqual([o.summary.inputs.list.format, o.summary.inputs.list.encoding], ["jsonl", encoding]);
      assert.equal(o.read("blocked.csv"), utf8.read("blocked.csv"));
    }
    await assert.rejects(
      screen({ list: Buffer.from(rows, "utf16le"), listName: "list.jsonl" }),
      (e) =>
        e instanceof ListFileError &&
        /^line 1: NUL bytes: the file looks like UTF-16 without its byte-order mark/.test(e.message),
    );
  });

  test("--encoding forces the reading", async () => {
    const o = await screen({ list: Buffer.from(LIST, "latin1"), input: { encoding: "windows-1252" } });
    assert.equal(o.summary.inputs.list.encodingFrom, "forced");
    assert.match(o.read("blocked.csv"), /Orléans/);
  });

  test("bytes that are no text in the encoding refuse the file, naming the line; nothing is written", async () => {
    const bad = Buffer.concat([Buffer.from("id;phone\r\n1;06 12 34 56 78\r\n2;06 12 "), Buffer.from([0x81])]);
    await assert.rejects(
      screen({ list: bad, input: { encoding: "windows-1252" } }),
      (e) =>
        e instanceof ListFileError &&
        e.message === "line 3: byte 0x81 is no character in Windows-1252 (read as windows-1252 (--encoding))",
    );
  });

  test("the first chunk holding a byte above 0x7F decides, however much ASCII comes before", async () => {
    const ascii = Buffer.from("id;phone\n1;0612345678\n".repeat(100));
    const of = async (...chunks: Buffer[]) =>
      (
        await detectEncoding(
          (async function* () {
            yield* chunks;
          })(),
        )
      ).encoding;
    assert.equal(await of(ascii, ascii), "utf8", "ASCII alone is UTF-8");
    assert.equal(await of(ascii, ascii, Buffer.from("2;Orléans\n", "latin1"), ascii), "windows-1252");
    assert.equal(await of(ascii, Buffer.from("2;Orléans\n", "utf8")), "utf8");
    // A character cut between two chunks is read whole.
    const e = Buffer.from("é");
    assert.equal(
      await of(ascii, Buffer.concat([ascii, e.subarray(0, 1)]), Buffer.concat([e.subarray(1), ascii])),
      "utf8",
    );
    // Bytes after the chunk that decided are not read as UTF-8: a later 0xE9 does not turn it back.
    assert.equal(await of(Buffer.from("2;Orléans\n", "utf8"), Buffer.from("é", "latin1")), "utf8");
  });
});
