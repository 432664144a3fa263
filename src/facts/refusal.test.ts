import assert from "node:assert/strict";
import { test } from "node:test";
import { refusesCanvassing } from "./refusal.ts";

test("mentions refusing canvassing are recognised, in French and English", () => {
  for (const text of [
    "Pas de démarchage d'agences merci",
    "Agences s'abstenir",
    "AGENCE S'ABSTENIR !",
    "Démarcheurs s'abstenir",
    "pas d'agence",
    "Particulier à particulier, ni agences ni démarchage",
    "No agencies please",
    "Do not call",
    "oui",
    "true",
  ]) {
    assert.equal(refusesCanvassing(text), true, text);
  }
});

test("other texts are not read as a refusal, and false/non say there is none", () => {
  assert.equal(refusesCanvassing(""), null);
  assert.equal(refusesCanvassing("Maison 5 pièces avec jardin"), null);
  assert.equal(refusesCanvassing("Démarchage bienvenu"), null);
  assert.equal(refusesCanvassing("non"), false);
  assert.equal(refusesCanvassing("false"), false);
});
