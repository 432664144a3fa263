import assert from "node:assert/strict";
import { test } from "node:test";
import { compileTrie, lookupTrie, trieHasPrefix } from "./pattern-trie.ts";

const identity = (labels: number): number => labels;

/** Every `length`-digit string, to compare the trie with the regex itself exhaustively. */
function* allNumbers(length: number): Generator<string> {
  for (let n = 0; n < 10 ** length; n++) yield String(n).padStart(length, "0");
}

test("the trie classifies exactly like the regular expressions", () => {
  const patterns = [
    { pattern: "[1-9]\\d{4}", label: 1 },
    { pattern: "(?:1[2-4]|2(?:0[05]|9\\d))\\d{2}|3\\d{4}", label: 2 },
    { pattern: "2\\d\\d{3}|29[0-36-9]\\d\\d", label: 4 },
  ];
  const trie = compileTrie(patterns, 5, identity);
  for (const number of allNumbers(5)) {
    let expected = 0;
    for (const { pattern, label } of patterns) {
      if (new RegExp(`^(?:${pattern})$`).test(number)) expected |= label;
    }
    assert.equal(lookupTrie(trie, number, 0, 5), expected, number);
  }
});

test("only sequences of the requested length are compiled", () => {
  const trie = compileTrie([{ pattern: "[2-9]\\d{5}|[78]\\d{8}", label: 1 }], 6, identity);
  assert.equal(lookupTrie(trie, "234567", 0, 6), 1);
  assert.equal(lookupTrie(trie, "x712345", 1, 6), 1);
  assert.equal(lookupTrie(trie, "123456", 0, 6), 0);
});

test("codeOf maps label sets to codes, 0 meaning no match", () => {
  const trie = compileTrie(
    [
      { pattern: "\\d{3}", label: 1 },
      { pattern: "5\\d\\d", label: 2 },
    ],
    3,
    (labels) => (labels === 3 ? 7 : 0),
  );
  assert.equal(lookupTrie(trie, "512", 0, 3), 7);
  assert.equal(lookupTrie(trie, "412", 0, 3), 0);
});

test("trieHasPrefix tells whether any number under a prefix has a code", () => {
  const trie = compileTrie([{ pattern: "69(?:0\\d|1[2-5])\\d{5}", label: 1 }], 9, identity);
  assert.equal(trieHasPrefix(trie, "690"), true);
  assert.equal(trieHasPrefix(trie, "691"), true);
  assert.equal(trieHasPrefix(trie, "6911"), false);
  assert.equal(trieHasPrefix(trie, "692"), false);
  assert.equal(trieHasPrefix(trie, "5"), false);
});

test("syntax outside libphonenumber's subset is refused, not misread", () => {
  for (const pattern of ["\\d+", "1?2", "[^1]", "(12)", "\\d{2,3}", "[a-z]", "1|(?:2", "12)"]) {
    assert.throws(() => compileTrie([{ pattern, label: 1 }], 3, identity), /phone pattern/, pattern);
  }
});
