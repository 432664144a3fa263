import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  detectEncoding,
  EncodingError,
  jsonAsUtf8,
  jsonEncoding,
  jsonTextOf,
  type TextEncoding,
  toUtf8,
} from "./encoding.ts";

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function decoded(bytes: Buffer, encoding: TextEncoding, size = 3): Promise<string> {
  const out: Buffer[] = [];
  for await (const b of toUtf8(chunked(bytes, size), encoding)) out.push(b);
  return Buffer.concat(out).toString("utf8");
}

const cp1252 = (text: string): Buffer => {
  const high: Record<string, number> = { "€": 0x80, "’": 0x92, œ: 0x9c, "…": 0x85, Œ: 0x8c };
  return Buffer.from([...text].map((c) => high[c] ?? (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 0x3f)));
};

describe("detectEncoding", () => {
  const detect = (bytes: Buffer, size = 4) => detectEncoding(chunked(bytes, size));

  test("a byte-order mark decides", async () => {
    assert.deepEqual(await detect(Buffer.from("\uFEFFid;tél\n")), { encoding: "utf8", source: "bom" });
    assert.deepEqual(await detect(Buffer.from("\uFEFFid", "utf16le")), {
      encoding: "utf16le",
      source: "bom",
    });
    const be = Buffer.from("\uFEFFid", "utf16le").swap16();
    assert.deepEqual(await detect(be), { encoding: "utf16be", source: "bom" });
  });

  test("valid UTF-8 is UTF-8, invalid is Windows-1252, ASCII alone is UTF-8", async () => {
    assert.deepEqual(await detect(Buffer.from("id;ville\n1;Orléans\n")), {
      encoding: "utf8",
      source: "content",
    });
    assert.deepEqual(await detect(cp1252("id;ville\n1;Orléans\n")), {
      encoding: "windows-1252",
      source: "content",
    });
    assert.deepEqual(await detect(Buffer.from("id;ville\n1;Lyon\n")), {
      encoding: "utf8",
      source: "content",
    });
    // The first accent far into the file still decides.
    const late = Buffer.concat([Buffer.from(`id;v\n${"1;Lyon\n".repeat(10_000)}`), cp1252("2;Nîmes\n")]);
    assert.equal((await detect(late, 65_536)).encoding, "windows-1252");
  });

  test("the first accent as the last byte of a chunk: the next chunk decides, not the chunk's end", async () => {
    const text = cp1252("id;ville\n1;Orléans\n");
    const at = text.indexOf(0xe9) + 1; // the chunk ends just after the Windows-1252 é
    const cut = async function* () {
      yield text.subarray(0, at);
      yield text.subarray(at);
    };
    assert.equal((await detectEncoding(cut())).encoding, "windows-1252");
    assert.equal(
      (await detectEncoding(chunked(cp1252("é"), 1))).encoding,
      "windows-1252",
      "ending mid-character",
    );
    const utf8 = Buffer.from("id;ville\n1;Orléans\n");
    for (let size = 1; size < utf8.length; size++) assert.equal((await detect(utf8, size)).encoding, "utf8");
  });

  test("UTF-16 without its mark is refused, not read as Windows-1252", async () => {
    await assert.rejects(detect(Buffer.from("id;tel\n", "utf16le")), /UTF-16 without its byte-order mark/);
  });
});

describe("toUtf8", () => {
  test("Windows-1252, its 0x80–0x9F included, whatever the chunk size", async () => {
    const text = "nom;prix\nCœur d’Alène;1 200 €…\nŒuvre;3\n";
    for (const size of [1, 2, 5, 1000]) assert.equal(await decoded(cp1252(text), "windows-1252", size), text);
  });

  test("an unassigned Windows-1252 byte refuses the file, naming its line", async () => {
    const bytes = Buffer.concat([Buffer.from("a\nb\nc"), Buffer.from([0x81]), Buffer.from("\n")]);
    await assert.rejects(
      decoded(bytes, "windows-1252"),
      (e) => e instanceof EncodingError && e.message === "line 3: byte 0x81 is no character in Windows-1252",
    );
  });

  test("UTF-16 LE and BE, the mark dropped, surrogate pairs cut by chunks", async () => {
    const text = "id;nom\n1;Zoé 😀\n";
    const le = Buffer.from(`\uFEFF${text}`, "utf16le");
    const be = Buffer.from(le).swap16();
    for (const size of [1, 3, 4, 7, 1000]) {
      assert.equal(await decoded(le, "utf16le", size), text);
      assert.equal(await decoded(be, "utf16be", size), text);
    }
  });

  test("a lone surrogate or an odd last byte refuses the file, naming its line", async () => {
    const lone = Buffer.concat([Buffer.from("a\nb\n", "utf16le"), Buffer.from([0x00, 0xdc])]);
    await assert.rejects(decoded(lone, "utf16le"), /^Error: line 3: a lone UTF-16 surrogate/);
    await assert.rejects(
      decoded(Buffer.from([0x61, 0x00, 0x62]), "utf16le"),
      /ends inside a UTF-16 character/,
    );
  });

  test("UTF-8 passes through as it is", async () => {
    assert.equal(await decoded(Buffer.from("é\n"), "utf8"), "é\n");
  });
});

describe("JSON text", () => {
  const text = '{"ville":"Orléans"}\n{"ville":"Nîmes 😀"}\n';
  const le = Buffer.from(`\uFEFF${text}`, "utf16le");
  const be = Buffer.from(le).swap16();

  test("a byte-order mark decides; without one, UTF-8; NUL bytes without one are refused", () => {
    assert.deepEqual(jsonEncoding(le), { encoding: "utf16le", source: "bom" });
    assert.deepEqual(jsonEncoding(be), { encoding: "utf16be", source: "bom" });
    assert.deepEqual(jsonEncoding(Buffer.from(`\uFEFF${text}`)), { encoding: "utf8", source: "bom" });
    assert.deepEqual(jsonEncoding(Buffer.from(text, "latin1")), { encoding: "utf8", source: "content" });
    assert.throws(
      () => jsonEncoding(Buffer.from(text, "utf16le")),
      (e) => e instanceof EncodingError && e.line === 1 && /^line 1: NUL bytes: /.test(e.message),
    );
  });

  test("read whole or as a stream cut anywhere, UTF-16 gives the UTF-8 text", async () => {
    for (const bytes of [le, be, Buffer.from(`\uFEFF${text}`), Buffer.from(text)]) {
      assert.equal(jsonTextOf(bytes), text);
      for (const size of [1, 3, 4, 7]) {
        const out: Buffer[] = [];
        for await (const b of jsonAsUtf8(chunked(bytes, size))) out.push(b);
        assert.equal(
          Buffer.concat(out)
            .toString("utf8")
            .replace(/^\uFEFF/, ""),
          text,
          `chunks of ${size}`,
        );
      }
    }
    assert.throws(
      () => jsonTextOf(Buffer.from('{"a":1}\n{"ville":"Orléans"}\n', "latin1")),
      (e) => e instanceof EncodingError && e.message === "line 2: not valid UTF-8",
    );
  });
});
