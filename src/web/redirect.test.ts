import assert from "node:assert/strict";
import { test } from "node:test";
import { redirectTarget } from "./redirect.ts";

test("redirect targets: paths of this site pass, anything a browser could read as another host goes home", () => {
  for (const ok of ["/", "/law", "/people?point=06%2012%2034%2056%2078", "/screen/abc/map", "/a//b"]) {
    assert.equal(redirectTarget(ok), ok);
  }
  for (const bad of [
    undefined,
    "",
    "law",
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\nSet-Cookie: x=1",
    "/%09/evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/%0A",
    "/\u0000",
    "/\u0085",
    "/\u2028",
    "/%E0%A4%A",
    `/${"a".repeat(3000)}`,
  ]) {
    assert.equal(redirectTarget(bad), "/", JSON.stringify(bad));
  }
});
