import assert from "node:assert/strict";
import { test } from "node:test";
import { type RefusalReading, readRefusal, refusesCanvassing } from "./refusal.ts";

/** Every phrasing tested, with how it is read: real ads' words, in French and English. */
const TABLE: readonly [string, RefusalReading][] = [
  // Refusals
  ["Pas de démarchage d'agences merci", "refusal"],
  ["Agences s'abstenir", "refusal"],
  ["AGENCE S'ABSTENIR !", "refusal"],
  ["Agences s’abstenir", "refusal"],
  ["agences sabstenir", "refusal"],
  ["Démarcheurs s'abstenir", "refusal"],
  ["Agences et démarcheurs s'abstenir", "refusal"],
  ["Agences / curieux s'abstenir", "refusal"],
  ["Pros s'abstenir", "refusal"],
  ["pas d'agence", "refusal"],
  ["Pas d'agence SVP", "refusal"],
  ["Pas de démarchage", "refusal"],
  ["PAS DE DÉMARCHAGE", "refusal"],
  ["Pas de sollicitations", "refusal"],
  ["Pas de sollicitation commerciale", "refusal"],
  ["Pas de prospection", "refusal"],
  ["Pas d'intermédiaire", "refusal"],
  ["Ni agence ni démarcheur", "refusal"],
  ["Particulier à particulier, ni agences ni démarchage", "refusal"],
  ["Vente sans agence", "refusal"],
  ["Sans intermédiaire", "refusal"],
  ["Aucune agence", "refusal"],
  ["Merci de ne pas appeler", "refusal"],
  ["Merci de ne pas me solliciter", "refusal"],
  ["Merci de ne pas me contacter pour de la publicité", "refusal"],
  ["Merci de ne plus m'appeler", "refusal"],
  ["Ne pas démarcher", "refusal"],
  ["Ne m'appelez pas", "refusal"],
  ["N'appelez pas", "refusal"],
  ["Refus de démarchage", "refusal"],
  ["Je refuse tout démarchage", "refusal"],
  ["Démarchage interdit", "refusal"],
  ["Sollicitations inutiles", "refusal"],
  ["Interdit aux agences", "refusal"],
  ["Agences non merci", "refusal"],
  ["Non aux agences", "refusal"],
  ["Stop démarchage", "refusal"],
  ["STOP PUB", "refusal"],
  ["Opposé au démarchage", "refusal"],
  ["Inscrit sur Bloctel", "refusal"],
  ["Particulier uniquement", "refusal"],
  ["Particuliers seulement", "refusal"],
  ["Particulier à particulier", "refusal"],
  ["De particulier à particulier", "refusal"],
  ["Vente entre particuliers", "refusal"],
  ["Réservé aux particuliers", "refusal"],
  ["PAP uniquement", "refusal"],
  ["Démarchage : non", "refusal"],
  ["No agencies please", "refusal"],
  ["No agency", "refusal"],
  ["No solicitors", "refusal"],
  ["No cold calls", "refusal"],
  ["Do not call", "refusal"],
  ["Don't contact me for offers", "refusal"],
  ["Private sale only", "refusal"],
  ["Agents need not apply", "refusal"],
  ["oui", "refusal"],
  ["true", "refusal"],
  // No refusal
  ["Maison 5 pièces avec jardin", "no_refusal"],
  ["Démarchage bienvenu", "no_refusal"],
  ["Agences bienvenues", "no_refusal"],
  ["Curieux s'abstenir", "no_refusal"],
  ["Touristes s'abstenir", "no_refusal"],
  ["Pas sérieux s'abstenir", "no_refusal"],
  ["Commerces à proximité, curieux s'abstenir", "no_refusal"],
  ["Sans travaux, sans vis-à-vis", "no_refusal"],
  ["Pas de frais d'agence", "no_refusal"],
  ["Aucun frais d'agence", "no_refusal"],
  ["Appartement non meublé, non fumeur", "no_refusal"],
  ["À ne pas manquer !", "no_refusal"],
  ["non", "no_refusal"],
  ["false", "no_refusal"],
  // To review: a negation no pattern knows
  ["Pas de sollicitations téléphoniques svp", "refusal"],
  ["Merci de ne rien proposer", "needs_review"],
  ["Pas d'appels masqués", "needs_review"],
  ["Vente rapide, pas de négociation", "needs_review"],
  ["Maison sans garage", "needs_review"],
  ["Ne répond pas aux numéros inconnus", "needs_review"],
  ["Merci de vous abstenir", "needs_review"],
  ["Not interested in offers", "needs_review"],
];

test("ad wording: every phrasing of the table is read as its line says", () => {
  const wrong = TABLE.filter(([text, reading]) => readRefusal(text) !== reading).map(
    ([text, reading]) => `${text}: expected ${reading}, read ${readRefusal(text)}`,
  );
  assert.deepEqual(wrong, []);
});

test("refusesCanvassing: true for a refusal, false for an explicit no, null otherwise", () => {
  assert.equal(refusesCanvassing("Agences s'abstenir"), true);
  assert.equal(refusesCanvassing(""), null);
  assert.equal(refusesCanvassing("Maison 5 pièces avec jardin"), null);
  assert.equal(refusesCanvassing("Merci de ne rien proposer"), null);
  assert.equal(refusesCanvassing("non"), false);
  assert.equal(refusesCanvassing("false"), false);
});
