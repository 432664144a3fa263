// The mapping form of "screen a list", read without a server: the request's fields → the options
// of a screening, or each field's errors (src/dashboard/screen/form.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type CampaignBody,
  formValues,
  guessColumn,
  parisInstant,
  parseMapForm,
} from "../../src/dashboard/screen/form.ts";
import { T } from "../../src/dashboard/screen/strings.ts";

/** The header of examples/lists/pige-excel.csv. */
const EXCEL = [
  "Référence",
  "Nom",
  "Prénom",
  "Téléphone",
  "Source",
  "Date de collecte",
  "Type de contact",
  "Dépt",
  "Mention",
  "Ville",
];

/** The form as the mapping page first shows it for pige-excel.csv, with a new campaign at one instant. */
function excelForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    "map.id": "Référence",
    "map.phone": "Téléphone",
    "map.origin": "Source",
    "map.collected_at": "Date de collecte",
    "map.kind": "Type de contact",
    "map.department": "Dépt",
    "map.publisher_refused": "Mention",
    campaign: "new",
    controller: "Agence Dupont",
    channel: "voice_live",
    habitualCaller: "true",
    when: "at",
    at: "2025-03-04T11:00",
    lang: "fr",
    ...overrides,
  };
}

const STORED: CampaignBody = { campaign: { controller: "Boutique SAS", channel: "email" } };
const stored = (id: string) => (id === "c1" ? STORED : undefined);

const parse = (values: Record<string, string>, header = EXCEL, lang: "fr" | "en" = "fr") =>
  parseMapForm(values, header, stored, T[lang]);

function errorsOf(values: Record<string, string>, header = EXCEL, lang: "fr" | "en" = "fr") {
  const r = parse(values, header, lang);
  assert.ok(!r.ok, "the form is refused");
  return r.errors;
}

describe("the mapping form", () => {
  it("guesses each column as screening will read it: its own name, its one French name, or none", () => {
    assert.deepEqual(guessColumn(["phone", "Source"], "phone"), { kind: "exact" });
    assert.deepEqual(guessColumn(EXCEL, "phone"), { kind: "alias", column: "Téléphone" });
    assert.deepEqual(guessColumn(EXCEL, "department"), { kind: "alias", column: "Dépt" });
    assert.equal(guessColumn(EXCEL, "email"), null);
    assert.deepEqual(guessColumn(["Téléphone", "Portable"], "phone"), { kind: "ambiguous" });
  });

  it("reads the French columns, the list-wide values and the list's words, the campaign and the instant", () => {
    const r = parse(
      excelForm({
        set: "collected_at=01/02/2025\r\n\r\n  kind=consumer  ",
        mapValues: "origin=LeBonCoin:scraped_public,Salon:direct\norigin=PAP:scraped_public",
      }),
    );
    assert.ok(r.ok, JSON.stringify(r.ok ? null : [...r.errors]));
    const o = r.options;
    assert.equal(o.names.phone, "Téléphone");
    assert.equal(o.names.origin, "Source");
    assert.equal(o.names.email, "email", "a column not in the list keeps vigie's name");
    assert.deepEqual(o.values.set, { collected_at: "01/02/2025", kind: "consumer" });
    assert.deepEqual(
      [...(o.values.maps.origin ?? [])],
      [
        ["leboncoin", "scraped_public"],
        ["salon", "direct"],
        ["pap", "scraped_public"],
      ],
    );
    assert.equal(o.campaignId, null);
    assert.deepEqual(o.body, {
      campaign: { controller: "Agence Dupont", channel: "voice_live", habitualCaller: true },
    });
    assert.equal(o.campaignFile.at, "2025-03-04T11:00:00+01:00");
    assert.equal(o.lang, "fr");
  });

  it("refuses what vigie screen's --set and --map-values refuse, beside their fields, in their words", () => {
    const errors = errorsOf(
      excelForm({ set: "collected_at=31/02/2025\nphone=0612345678", mapValues: "origin=LeBonCoin:internet" }),
    );
    assert.equal(errors.get("set"), 'collected_at=31/02/2025: "31/02/2025": there is no 31 février 2025');
    assert.equal(
      errorsOf(excelForm({ set: "phone=0612345678" })).get("set"),
      "phone=0612345678: phone is each row's own",
    );
    assert.match(
      errors.get("mapValues") ?? "",
      /^origin=LeBonCoin:internet: "internet" is not one of direct, /,
    );
    assert.match(
      errorsOf(excelForm({ set: "origin=direct\norigin=broker" })).get("set") ?? "",
      /^origin is set twice/,
    );
    assert.match(
      errorsOf(excelForm({ mapValues: "origin=LeBonCoin" })).get("mapValues") ?? "",
      /expected WORD:VALUE/,
    );
    assert.match(
      errorsOf(excelForm({ mapValues: "city=Lyon:direct" })).get("mapValues") ?? "",
      /"city" is not one of id, /,
    );
    assert.match(
      errorsOf(excelForm({ mapValues: "origin=LeBonCoin:direct,LeBonCoin:broker" })).get("mapValues") ?? "",
      /mapped to both direct and broker/,
    );
  });

  it("refuses to leave unread a column screening would read anyway, or to choose between two", () => {
    const errors = errorsOf(excelForm({ "map.origin": "" }), EXCEL, "en");
    assert.equal(
      errors.get("map-origin"),
      "vigie reads this item from the list's column “Source”: choose it, or rename it in the file to ignore it.",
    );
    const two = errorsOf(excelForm({ "map.phone": "" }), [...EXCEL, "Portable"]);
    assert.equal(two.get("map-phone"), T.fr.ambiguousColumn);
    const unknown = errorsOf(excelForm({ "map.phone": "Mobile" }));
    assert.equal(unknown.get("map-phone"), T.fr.unknownColumn);
    const none = errorsOf(excelForm({ "map.phone": "" }), ["Nom"]);
    assert.equal(none.get("map-phone"), T.fr.pointColumn, "a call campaign needs a phone column");
  });

  it("a stored campaign, a window in Paris time, and the engine's errors beside their fields", () => {
    const r = parse(
      excelForm({
        campaign: "c1",
        "map.phone": "",
        "map.email": "email",
        when: "window",
        from: "2026-12-01T10:00",
        to: "2026-12-01T12:00",
      }),
      [...EXCEL.filter((c) => c !== "Téléphone"), "email"],
    );
    assert.ok(r.ok, JSON.stringify(r.ok ? null : [...r.errors]));
    assert.equal(r.options.campaignId, "c1");
    assert.deepEqual(r.options.campaignFile, {
      controller: "Boutique SAS",
      channel: "email",
      from: "2026-12-01T10:00:00+01:00",
      to: "2026-12-01T12:00:00+01:00",
    });
    assert.equal(errorsOf(excelForm({ campaign: "c9" })).get("campaign"), T.fr.unknownCampaign);
    const bad = errorsOf(excelForm({ controller: "", startsAt: "2025-02-30", at: "" }));
    assert.equal(bad.get("controller"), "obligatoire");
    assert.match(bad.get("startsAt") ?? "", /not a date/);
    assert.equal(bad.get("at"), "obligatoire");
  });

  it("refuses an instant the spring-forward gap skipped, beside its field, rather than screen an hour later", () => {
    const skipped =
      '"2026-03-29T02:30": does not exist in Europe/Paris: clocks went forward from 02:00 to 03:00 that night';
    assert.deepEqual(parisInstant("2026-03-29T02:30"), { skipped });
    assert.equal(errorsOf(excelForm({ at: "2026-03-29T02:30" })).get("at"), skipped);
    const window = errorsOf(excelForm({ when: "window", from: "2026-03-29T02:00", to: "2026-03-29T12:00" }));
    assert.equal(window.get("from"), skipped.replace("T02:30", "T02:00"));
    assert.equal(window.get("to"), undefined);
    // An autumn overlap's time is its first pass, +02:00.
    assert.equal(parisInstant("2026-10-25T02:30"), "2026-10-25T02:30:00+02:00");
  });

  it("takes the body's text fields, trimmed, without the form token", () => {
    assert.deepEqual(formValues({ csrf: "x", controller: "  Agence Dupont ", n: 3 }), {
      controller: "Agence Dupont",
    });
    assert.deepEqual(formValues(undefined), {});
    assert.equal(parisInstant("2025-07-04T11:00"), "2025-07-04T11:00:00+02:00");
  });
});
