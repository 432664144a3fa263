import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { normalizeAnyEmail, normalizeEmail, plainEmail } from "./email.ts";

const label = (n: number): string => "a".repeat(n);

describe("normalizeEmail accepts", () => {
  const cases: [input: string, email: string][] = [
    ["jean.dupont@example.fr", "jean.dupont@example.fr"],
    ["  Jean.Dupont@Example.FR \n", "jean.dupont@example.fr"],
    ["JEAN@EXAMPLE.FR", "jean@example.fr"],
    ["ÉLODIE@example.fr", "élodie@example.fr"],
    // IDN domains become punycode, whatever their case or width.
    ["jean@exämple.fr", "jean@xn--exmple-cua.fr"],
    ["jean@EXÄMPLE.FR", "jean@xn--exmple-cua.fr"],
    ["jean@xn--exmple-cua.fr", "jean@xn--exmple-cua.fr"],
    ["jean@école.fr", "jean@xn--cole-9oa.fr"],
    ["jean@straße.de", "jean@xn--strae-oqa.de"],
    ["jean@例え.テスト", "jean@xn--r8jz45g.xn--zckzah"],
    ["jean@ｅｘａｍｐｌｅ.fr", "jean@example.fr"],
    ["jean@example。fr", "jean@example.fr"],
    // Composed and decomposed accents are one address.
    ["jos\u00e9@example.fr", "jos\u00e9@example.fr"],
    ["jose\u0301@example.fr", "jos\u00e9@example.fr"],
    // Tags and dots are kept: merging them is a provider's rule, not ours.
    ["jean+promo@gmail.com", "jean+promo@gmail.com"],
    ["j.e.a.n@gmail.com", "j.e.a.n@gmail.com"],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ["x!#$%&'*+/=?^_`{|}~-@example.fr", "x!#$%&'*+/=?^_`{|}~-@example.fr"],
    ["a@b.co", "a@b.co"],
    ["jean@sub.domain-with-hyphen.example.fr", "jean@sub.domain-with-hyphen.example.fr"],
    [`${label(64)}@example.fr`, `${label(64)}@example.fr`],
    [`a@${label(63)}.fr`, `a@${label(63)}.fr`],
  ];
  for (const [input, email] of cases) {
    test(JSON.stringify(input), () => assert.deepEqual(normalizeEmail(input), { ok: true, email }));
  }
});

describe("normalizeEmail rejects, with a reason", () => {
  const cases: [input: string, reason: string][] = [
    ["", "empty"],
    ["   ", "empty"],
    ["jean.dupont.example.fr", "missing @"],
    ["jean@@example.fr", "several @"],
    ["jean@dupont@example.fr", "several @"],
    ["@example.fr", "empty local part"],
    ["jean@", "empty domain"],
    ["jean@localhost", "domain without a dot"],
    [".jean@example.fr", "local part starts or ends with a dot"],
    ["jean.@example.fr", "local part starts or ends with a dot"],
    ["jean..dupont@example.fr", "consecutive dots in the local part"],
    [`${label(65)}@example.fr`, "local part longer than 64 octets (65)"],
    [`${"é".repeat(33)}@example.fr`, "local part longer than 64 octets (66)"],
    [`${label(64)}@${`${label(60)}.`.repeat(3)}${label(5)}.fr`, "address longer than 254 octets (256)"],
    [`jean@${`${label(63)}.`.repeat(4)}fr`, "domain longer than 253 characters"],
    [`jean@${label(64)}.fr`, "domain label longer than 63 characters"],
    ["jean dupont@example.fr", "contains spaces"],
    ["jean@example .fr", "contains spaces"],
    ["jean\u00a0dupont@example.fr", "contains spaces"],
    ['"jean dupont"@example.fr', "contains spaces"],
    [
      "Jean Dupont <jean@example.fr>",
      "the address in <> (as a mail program writes it after a name): keep the address alone",
    ],
    [
      "<jean@example.fr>",
      "the address in <> (as a mail program writes it after a name): keep the address alone",
    ],
    ["mailto:jean@example.fr", "a mailto: link: keep the address alone"],
    ["MAILTO:jean@example.fr", "a mailto: link: keep the address alone"],
    ["jean@example.fr; paul@example.fr", "more than one address in the cell: one address a row"],
    ["jean@example.fr,paul@example.fr", "more than one address in the cell: one address a row"],
    ["jean@example.fr paul@example.fr", "more than one address in the cell: one address a row"],
    ["jean@example.fr\u200b", "contains control or invisible characters"],
    ["jean\u0000@example.fr", "contains control or invisible characters"],
    ["jean@exam\u00adple.fr", "contains control or invisible characters"],
    ['"jean"@example.fr', 'local part contains "\\""'],
    ["jean,dupont@example.fr", 'local part contains ","'],
    ["jean@x..fr", "empty label in the domain"],
    ["jean@example.fr.", "empty label in the domain"],
    ["jean@.example.fr", "empty label in the domain"],
    ["jean@-example.fr", 'invalid domain label "-example"'],
    ["jean@example-.fr", 'invalid domain label "example-"'],
    ["jean@exa_mple.fr", 'invalid domain "exa_mple.fr"'],
    ["jean@ex%41mple.fr", 'invalid domain "ex%41mple.fr"'],
    ["jean@ex/ample.fr", 'invalid domain "ex/ample.fr"'],
    ["jean@[192.0.2.1]", 'invalid domain "[192.0.2.1]"'],
    ["jean@192.0.2.1", "domain is an IP address"],
    ["jean@0x7f.1", "domain is an IP address"],
    ["jean@xn--zz.fr", 'invalid internationalized domain "xn--zz.fr"'],
  ];
  for (const [input, reason] of cases) {
    test(JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input), () => {
      const r = normalizeEmail(input);
      assert.deepEqual(r.ok ? r : { ok: r.ok, reason: r.reason }, { ok: false, reason });
    });
  }
});

test("normalization is idempotent", () => {
  for (const input of ["Jean.Dupont@Exämple.FR", "jose\u0301+x@例え.テスト", "A@B.CO"]) {
    const once = normalizeEmail(input);
    assert.ok(once.ok);
    if (once.ok) assert.deepEqual(normalizeEmail(once.email), once);
  }
});

test("the plain path gives what the whole way gives, on random ASCII addresses and near misses", () => {
  // Characters that make or break an address, uppercase, numbers and hex, punycode prefixes.
  const piece = fc.oneof(
    { arbitrary: fc.constantFrom("a", "Z", "0", "9", "x", "ff", "1"), weight: 12 },
    { arbitrary: fc.constantFrom(".", "..", "-", "_", "+", "'", "/", "xn--", "0x"), weight: 2 },
    { arbitrary: fc.constantFrom("@", " ", "é", "\t"), weight: 1 },
  );
  const word = fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => p.join(""));
  const address = fc
    .tuple(word, fc.array(word, { minLength: 1, maxLength: 4 }))
    .map(([local, labels]) => `${local}@${labels.join(".")}`);
  let plain = 0;
  fc.assert(
    fc.property(fc.oneof(address, fc.string({ maxLength: 40 })), (text) => {
      const fast = plainEmail(text);
      if (fast === null) return;
      plain++;
      assert.deepEqual(normalizeAnyEmail(text), { ok: true, email: fast }, text);
    }),
    { numRuns: 20_000 },
  );
  assert.ok(plain > 300, `the plain path was taken ${plain} times`);
  assert.equal(plainEmail("Jean.Dupont+pige@Agence-Dupont.FR"), "jean.dupont+pige@agence-dupont.fr");
  for (const notPlain of [
    "a@b.1",
    "a@b.0x1f",
    "a@xn--zz.fr",
    "a@é.fr",
    ".a@b.fr",
    "a.@b.fr",
    "a..b@c.fr",
    "a@-b.fr",
  ]) {
    assert.equal(plainEmail(notPlain), null, notPlain);
  }
});
