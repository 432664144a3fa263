// The catalogue of decision reasons (decisions.ts): every code has both languages with the same
// arguments, every code is one a rule gives (none left behind), every reason random facts get
// renders whole in both languages, and a reason without one of its arguments throws.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { factsArb } from "../../test/support/facts-arbitraries.ts";
import { decide } from "../engine/decide.ts";
import { CHANNELS } from "../facts/vocabulary.ts";
import { CHANNEL_NAME } from "../rules/fr/common.ts";
import { weekdaysText } from "../rules/fr/conso-d223-9/rules.ts";
import { type Coded, DECISION_CODES, decisionTexts, renderDecision } from "./decisions.ts";
import { argumentNames, countedNames } from "./template.ts";

test("every code has a French and an English text, with the same arguments", () => {
  for (const code of DECISION_CODES) {
    const { fr, en } = decisionTexts(code);
    assert.ok(fr.trim() !== "" && en.trim() !== "", code);
    assert.deepEqual(new Set(argumentNames(fr)), new Set(argumentNames(en)), `${code}: arguments differ`);
    assert.deepEqual(countedNames(fr), countedNames(en), `${code}: counted arguments differ`);
  }
});

/** The rule sources (not their tests), where every code is given. */
function ruleSources(dir = new URL("../rules/", import.meta.url)): string {
  let text = "";
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) text += ruleSources(new URL(`${entry.name}/`, dir));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
      text += readFileSync(new URL(entry.name, dir), "utf8");
  }
  return text;
}

test("every code of the catalogue is one a rule gives: none is left behind", () => {
  const sources = ruleSources();
  // Words named by a value (`channel.${channel}`, `weekday.${weekday}`) come from a template.
  const family = (code: string) => /^(channel|weekday)\./.exec(code)?.[1];
  const unused = DECISION_CODES.filter((code) => {
    const f = family(code);
    return !sources.includes(f === undefined ? `"${code}"` : `\`${f}.\${`);
  });
  assert.deepEqual(unused, []);
  // Those families render for every value they are named by.
  for (const channel of CHANNELS) assert.ok(CHANNEL_NAME[channel].fr !== "", channel);
  assert.deepEqual(weekdaysText([1, 3, 5, 6, 7]), {
    fr: "lundi, mercredi, vendredi, samedi, dimanche",
    en: "Monday, Wednesday, Friday, Saturday, Sunday",
  });
  assert.deepEqual(weekdaysText([2, 3, 4]), { fr: "mardi–jeudi", en: "Tuesday–Thursday" });
});

/** The article a rule id names (`conso-d223-9/hours` → `conso-d223-9`): its codes' first part. */
const articleOf = (rule: string) => rule.slice(0, rule.indexOf("/"));

test("the reasons of random facts render whole in both languages, under codes of their rule's article", () => {
  const seen = new Set<string>();
  const walk = (c: Coded) => {
    seen.add(c.code);
    for (const v of Object.values(c.args)) if (typeof v === "object" && "code" in v) walk(v);
  };
  for (const facts of fc.sample(factsArb, { seed: 20261202, numRuns: 3000 })) {
    for (const r of decide(facts).reasons) {
      walk(r);
      assert.ok(
        r.code.startsWith(`${articleOf(r.rule)}.`) || r.code.startsWith("exception."),
        `${r.rule} gave ${r.code}`,
      );
      for (const lang of ["fr", "en"] as const) {
        const text = renderDecision(r, lang);
        assert.equal(text, r.message[lang]);
        assert.doesNotMatch(text, /[{}]|undefined|\[object/, `${r.code} (${lang}): ${text}`);
      }
    }
  }
  // Not vacuous: most of the catalogue was met.
  assert.ok(seen.size >= DECISION_CODES.length * 0.8, `only ${seen.size} codes met`);
});

test("a missing argument throws rather than half-saying a reason", () => {
  const broken = { code: "conso-d223-9.refusal_pause", args: { refused: "2026-10-01", days: 90 } } as const;
  for (const lang of ["fr", "en"] as const) {
    assert.throws(() => renderDecision(broken, lang), /conso-d223-9\.refusal_pause: no argument until/);
  }
});

test("nested codes and words given in both languages are rendered in the reason's language", () => {
  const outside: Coded = {
    code: "conso-d223-9.closed_weekday",
    args: { when: "2026-10-03 11:00", weekday: { code: "weekday.6", args: {} } },
  };
  const reason: Coded = {
    code: "conso-d223-9.outside_hours",
    args: {
      outside,
      timeZone: "Europe/Paris",
      days: { fr: "lundi–vendredi", en: "Monday–Friday" },
      windows: "10:00–13:00",
    },
  };
  assert.equal(
    renderDecision(reason, "fr"),
    "2026-10-03 11:00, samedi (heure du consommateur, Europe/Paris) : appels permis lundi–vendredi 10:00–13:00, hors jours fériés.",
  );
  assert.equal(
    renderDecision(reason, "en"),
    "2026-10-03 11:00, Saturday (consumer's time, Europe/Paris): calls allowed Monday–Friday 10:00–13:00, public holidays excepted.",
  );
});
