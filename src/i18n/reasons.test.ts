import assert from "node:assert/strict";
import { test } from "node:test";
import { REASON_CODES, type Reason, reasonTexts, renderReason } from "./reasons.ts";

const PLACEHOLDER = /\{(\w+)(?:\|[^|{}]*\|[^|{}]*)?\}/g;
const names = (template: string): string[] => [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
/** Arguments used as counts (`{count|one|other}`) must be numbers. */
const counted = (template: string): Set<string> =>
  new Set([...template.matchAll(/\{(\w+)\|/g)].map((m) => m[1] as string));

test("every code has a French and an English text, with the same arguments", () => {
  for (const code of REASON_CODES) {
    const { fr, en } = reasonTexts(code);
    assert.ok(fr.trim() !== "" && en.trim() !== "", code);
    assert.notEqual(fr, en, `${code}: the French text is the English one`);
    assert.deepEqual(new Set(names(fr)), new Set(names(en)), `${code}: arguments differ`);
    assert.deepEqual(counted(fr), counted(en), `${code}: counted arguments differ`);
  }
});

test("every code renders in both languages with no argument left unrendered", () => {
  for (const code of REASON_CODES) {
    const { en } = reasonTexts(code);
    const args: Record<string, string | number | Reason> = {};
    for (const name of names(en)) args[name] = counted(en).has(name) ? 2 : { code: "phone.too_short" };
    for (const lang of ["fr", "en"] as const) {
      const text = renderReason({ code, column: "phone", args }, lang);
      assert.doesNotMatch(text, /[{}]|undefined|\[object/, `${code} (${lang}): ${text}`);
      assert.match(text, lang === "fr" ? /^phone : / : /^phone: /, `${code} (${lang})`);
    }
  }
});

test("a missing argument, or a count that is no number, throws rather than half-saying a reason", () => {
  assert.throws(() => renderReason({ code: "phone.invalid" }, "fr"), /phone\.invalid: no argument detail/);
  const problem: Reason = { code: "phone.too_long" };
  assert.throws(
    () => renderReason({ code: "phone.digits_after_prefix", args: { problem, count: "10" } }, "en"),
    /count is not a number/,
  );
});

test("nested reasons and counts are rendered in the reason's language", () => {
  const short = (count: number): Reason => ({
    code: "phone.invalid",
    column: "phone",
    args: {
      detail: { code: "phone.digits_after_prefix", args: { problem: { code: "phone.too_short" }, count } },
    },
  });
  assert.equal(
    renderReason(short(6), "en"),
    "phone: not a valid phone number: too short: 6 digits after the national prefix",
  );
  assert.equal(
    renderReason(short(6), "fr"),
    "phone : numéro de téléphone invalide : trop court : 6 chiffres après le préfixe national",
  );
  assert.equal(
    renderReason(short(1), "en"),
    "phone: not a valid phone number: too short: 1 digit after the national prefix",
  );
  // French: 0 and 1 take the singular.
  assert.match(renderReason(short(0), "fr"), /: 0 chiffre après/);
  assert.match(renderReason(short(0), "en"), /: 0 digits after/);
});
