import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { duplicateName } from "./json-duplicates.ts";

describe("a JSON body's repeated names", () => {
  test("the first name repeated in one object, by its path", () => {
    assert.equal(duplicateName('{"point":"0612345678","point":"a@b.fr"}'), "point");
    assert.equal(duplicateName('{"campaign":{"channel":"sms","x":1,"channel":"email"}}'), "campaign.channel");
    assert.equal(duplicateName('{"points":["a",{"k":1},{"k":1,"k":2}]}'), "points[2].k");
    assert.equal(duplicateName('[[1],[{"a":[{},{"b":1, "b" :2}]}]]'), "[1][0].a[1].b");
    // Escapes are read: these two names are one.
    assert.equal(duplicateName('{"point":1,"po\\u0069nt":2}'), "point");
  });

  test("the same name in different objects, or as a value, is no repeat", () => {
    for (const text of [
      '{"a":{"x":1},"b":{"x":1}}',
      '{"a":"a","b":"a:"}',
      '{"a":["a","a"],"b":[{"a":1},{"a":1}]}',
      '{"a\\"":1,"a":2}',
      '{"text":"say \\"point\\": twice","point":1}',
      '"point"',
      "[]",
    ]) {
      assert.equal(duplicateName(text), null, text);
    }
  });

  test("JSON.stringify of any value has none; a name copied into its object is found", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.equal(duplicateName(JSON.stringify(value)), null);
        assert.equal(duplicateName(JSON.stringify(value, null, 2)), null);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), fc.nat(), (object, n) => {
        const names = Object.keys(object);
        const name = names[n % names.length] as string;
        const text = JSON.stringify({ outer: object });
        // The repeated name, added after the object's others: `outer.<name>`.
        const twice = `${text.slice(0, -2)},${JSON.stringify(name)}:0}}`;
        assert.equal(duplicateName(twice), `outer.${name}`);
      }),
      { numRuns: 300 },
    );
  });
});
