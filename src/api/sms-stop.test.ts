import assert from "node:assert/strict";
import { test } from "node:test";
import { isStopMessage } from "./sms-stop.ts";

// Replies as people send them. true: an objection to SMS is recorded.
const REPLIES: readonly (readonly [string, boolean])[] = [
  ["STOP", true],
  ["stop", true],
  ["Stop.", true],
  ["STOP SMS", true],
  ["STOP au 36180", true],
  ["Non merci, STOP", true],
  ["ＳＴＯＰ", true],
  ["S T O P", true],
  ["s.t.o.p", true],
  ["Stöp", true],
  ["🛑 STOP 🛑", true],
  ["stop pub", true],
  ["STOPPUB", true],
  ["ARRET", true],
  ["ARRÊT", true],
  ["Arrêtez svp", true],
  ["arrêtez de m'écrire", true],
  ["Désabonner", true],
  ["DESABONNEMENT", true],
  ["désabonnez-moi", true],
  ["Je veux me désinscrire", true],
  ["UNSUBSCRIBE", true],
  ["please unsubscribe me", true],
  ["Je ne veux plus recevoir vos messages", true],
  ["Ne plus recevoir", true],
  ["Ne m'envoyez plus rien", true],
  ["plus de SMS merci", true],
  ["Ne plus m'envoyer de sms", true],
  ["ne plus m’envoyer de SMS svp", true],
  ["Merci de ne plus m'envoyer de messages", true],
  ["Merci de ne plus m'écrire", true],
  ["END", true],
  ["cancel", true],
  ["Stop and go ?", true],
  ["Bonjour, je suis intéressée par la maison, pouvez-vous me rappeler demain matin ? Merci. STOP", true],
  ["STOP : je ne suis pas vendeur, mon annonce est retirée depuis longtemps, merci de ne plus appeler", true],
  ["", false],
  ["Oui", false],
  ["Pouvez-vous m'envoyer plus de photos ?", false],
  ["OK merci", false],
  ["STOPP", false],
  ["stopper", false],
  ["Bonjour, à quelle heure est le rendez-vous ?", false],
  ["I'll call you at the end of the day", false],
  ["Cancel my appointment of Tuesday please, I will call back", false],
  ["On a vu le film Stop and go hier soir avec les enfants, c'était vraiment très drôle", false],
  ["Le bus s'est arrêté, je serai en retard de dix minutes pour la visite de l'appartement", false],
];

test("STOP replies, as people write them (table: reply → is a STOP)", () => {
  for (const [reply, stop] of REPLIES) assert.equal(isStopMessage(reply), stop, JSON.stringify(reply));
});
