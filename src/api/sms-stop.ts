// Reading an SMS reply: is it a STOP? French operators and the FFTélécoms code of conduct use
// "STOP" (often "STOP SMS" / "STOP au 36xxx"); people also write ARRET, ARRÊT, DESABONNER,
// UNSUBSCRIBE, "ne plus recevoir", "ne me contactez plus"… An SMS STOP objects to messages by SMS from the sender (docs/law.md,
// A3: the free opt-out of every message); it does not, by itself, say anything about calls or
// e-mails.
//
// Replies are compared after NFKC (full-width ＳＴＯＰ is STOP), lower case, accents stripped and
// every character that is not a letter or a digit turned into a space. Reading chosen (industry
// practice, and the CNIL's: a person who writes STOP must not have to write it again): in a short
// reply (up to SHORT_REPLY words) a STOP word or phrase anywhere counts — "Non merci, STOP", "stop
// and go ?" too, since a false STOP only costs a message not sent; in a longer reply, only one
// that starts or ends it, so "stop" in the middle of a sentence about something else does not.
// A few words mean STOP only when they are the whole reply (END, CANCEL, QUIT: CTIA keywords that
// are common words in a sentence).

const SHORT_REPLY = 8;

/** Words and phrases (folded) that ask to stop wherever they stand in a short reply. */
const PHRASES = [
  "stop",
  "stopsms",
  "stoppub",
  "arret",
  "arrete",
  "arreter",
  "arretez",
  "desabonner",
  "desabonnement",
  "desabonnez moi",
  "desinscrire",
  "desinscription",
  "desinscrivez moi",
  "unsubscribe",
  "opt out",
  "optout",
  "plus recevoir",
  "ne m envoyez plus",
  "plus m envoyer",
  "plus m ecrire",
  "plus de sms",
  // Asking to be left alone altogether: a STOP for this channel at least.
  "me contactez plus",
  "plus me contacter",
  "me sollicitez plus",
  "plus me solliciter",
  "me derangez plus",
  "plus me deranger",
  "retirez moi",
  "supprimez moi",
].map((p) => p.split(" "));

/** Words that ask to stop only as the whole reply. */
const WHOLE_REPLY = ["end", "cancel", "quit", "stopall", "halt"];

/** The words of a reply, normalized as above. */
export function foldedWords(text: string): string[] {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter((w) => w !== "");
}

const startsAt = (words: readonly string[], phrase: readonly string[], i: number) =>
  phrase.every((w, j) => words[i + j] === w);

export function isStopMessage(text: string): boolean {
  const words = foldedWords(text);
  if (words.length === 0) return false;
  const joined = words.join("");
  // "S T O P", "S.T.O.P": the whole reply spelled out.
  if (WHOLE_REPLY.includes(joined) || PHRASES.some((p) => p.join("") === joined)) return true;
  if (words.length <= SHORT_REPLY) {
    return PHRASES.some((p) => words.some((_, i) => startsAt(words, p, i)));
  }
  return PHRASES.some((p) => startsAt(words, p, 0) || startsAt(words, p, words.length - p.length));
}
