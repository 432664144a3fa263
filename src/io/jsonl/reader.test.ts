import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, test } from "node:test";
import { type JsonlEvent, type JsonlOptions, JsonlReader, readJsonl } from "./reader.ts";

function read(
  input: string | Buffer,
  options: JsonlOptions = {},
  cuts: readonly number[] = [],
): JsonlEvent[] {
  const bytes = typeof input === "string" ? Buffer.from(input) : input;
  const reader = new JsonlReader(options);
  const events: JsonlEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...reader.push(bytes.subarray(from, cut)));
    from = cut;
  }
  events.push(...reader.end());
  return events;
}

const brief = (events: readonly JsonlEvent[]): unknown[] =>
  events.map((e) => (e.kind === "value" ? [e.line, e.value] : `${e.line}: ${e.message.replace(/:.*/, "")}`));

describe("JsonlReader", () => {
  test("one value per line, 1-based line numbers, LF or CRLF, a last line without a line end", () => {
    assert.deepEqual(read('{"a":1}\r\n[2]\n"é"\r\n3'), [
      { kind: "value", line: 1, value: { a: 1 } },
      { kind: "value", line: 2, value: [2] },
      { kind: "value", line: 3, value: "é" },
      { kind: "value", line: 4, value: 3 },
    ]);
  });

  test("a UTF-8 BOM before the first line is skipped", () => {
    assert.deepEqual(brief(read("\ufeff{}\n{}\n")), [
      [1, {}],
      [2, {}],
    ]);
  });

  test("empty and blank lines are errors, not skipped; the final line end makes no empty line", () => {
    assert.deepEqual(brief(read("1\n\n2\r\n\r\n  \t\n3\n")), [
      [1, 1],
      "2: empty line",
      [3, 2],
      "4: empty line",
      "5: empty line",
      [6, 3],
    ]);
    assert.deepEqual(read(""), []);
  });

  test("invalid JSON is reported with its line and the next lines are read", () => {
    const events = read('{"a":1}\n{"a":}\n{"b":2}\nnot json\n');
    assert.deepEqual(brief(events), [[1, { a: 1 }], "2: invalid JSON", [3, { b: 2 }], "4: invalid JSON"]);
    assert.match((events[1] as { message: string }).message, /^invalid JSON: .+/);
  });

  test("a line naming a field twice in one object is an error naming it; the next lines are read", () => {
    const events = read(
      '{"phone":"06 12 34 56 78","phone":"07 11 22 33 44"}\n{"a":{"b":1,"b":1}}\n{"b":2}\n',
    );
    assert.deepEqual(brief(events), ["1: phone", "2: a.b", [3, { b: 2 }]]);
    assert.equal(
      (events[0] as { message: string }).message,
      "phone: given twice in one object: which one counts is not said",
    );
  });

  test("invalid UTF-8 is an error for its line", () => {
    const input = Buffer.concat([Buffer.from('"a"\n"'), Buffer.from([0xe9]), Buffer.from('"\n"b"\n')]);
    assert.deepEqual(brief(read(input)), [[1, "a"], "2: invalid UTF-8", [3, "b"]]);
  });

  test("a line over maxLineBytes is one error, without buffering it, however the chunks are cut", () => {
    const input = `"${"x".repeat(30)}"\n"${"y".repeat(8)}"\r\n"${"z".repeat(10)}"\n1`;
    const whole = read(input, { maxLineBytes: 10 });
    assert.deepEqual(brief(whole), [
      "1: line is longer than 10 bytes",
      [2, "y".repeat(8)], // 10 bytes, and a CR
      "3: line is longer than 10 bytes",
      [4, 1],
    ]);
    for (let cut = 1; cut < input.length; cut++) {
      assert.deepEqual(read(input, { maxLineBytes: 10 }, [cut]), whole, `cut at ${cut}`);
    }
    const bigger = read(input, { maxLineBytes: 32 });
    assert.deepEqual(brief(bigger), [
      [1, "x".repeat(30)],
      [2, "y".repeat(8)],
      [3, "z".repeat(10)],
      [4, 1],
    ]);
  });

  test("the same events for every split position and byte by byte", () => {
    const input = '\ufeff{"nom":"Zoé 😀"}\r\n\n[1,2]\nnope\n"fin"';
    const whole = read(input);
    assert.equal(whole.length, 5);
    const length = Buffer.byteLength(input);
    for (let cut = 1; cut < length; cut++) assert.deepEqual(read(input, {}, [cut]), whole, `cut at ${cut}`);
    const everyByte = Array.from({ length: length - 1 }, (_, i) => i + 1);
    assert.deepEqual(read(input, {}, everyByte), whole);
  });

  test("readJsonl yields one array per chunk and returns a summary", async () => {
    const source = Readable.from([Buffer.from('{"a":1}\n{"a"'), Buffer.from(":2}\n\n")]);
    const generator = readJsonl(source);
    const batches: number[] = [];
    let result = await generator.next();
    while (!result.done) {
      batches.push(result.value.length);
      result = await generator.next();
    }
    assert.deepEqual(batches, [1, 2]);
    assert.deepEqual(result.value, { lines: 3, values: 2, errors: 1, bytes: 17 });
  });
});
