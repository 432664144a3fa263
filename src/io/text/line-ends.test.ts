// Classic Mac line ends (CR alone) read as LF; other streams untouched, however they are chunked.
import assert from "node:assert/strict";
import { test } from "node:test";
import { withLineFeeds } from "./line-ends.ts";

async function read(text: string, size: number): Promise<string> {
  const bytes = Buffer.from(text);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: Buffer[] = [];
  for await (const b of withLineFeeds(chunks())) out.push(b);
  return Buffer.concat(out).toString();
}

test("CR line ends become LF, a byte for a byte; CRLF, LF and a lone CR in a LF file pass as they are, in any chunking", async () => {
  const mac = 'id;phone\r1;06 12 34 56 78\r2;"a\rb"\r';
  const cases: [string, string][] = [
    [mac, 'id;phone\n1;06 12 34 56 78\n2;"a\nb"\n'],
    ["id;phone\r", "id;phone\n"],
    ["id;phone\r\n1;2\r\n", "id;phone\r\n1;2\r\n"],
    ["id;phone\n1;2\r3\n", "id;phone\n1;2\r3\n"],
    ["id;phone", "id;phone"],
  ];
  for (const [input, expected] of cases)
    for (const size of [1, 2, 3, 9, 1000])
      assert.equal(await read(input, size), expected, `${JSON.stringify(input)} by ${size}`);
});
