// Reading an SMS reply: is it a STOP? French operators and the FFTélécoms code of conduct use
// "STOP" (often "STOP SMS" / "STOP au 36xxx"); people also write ARRET, ARRÊT, DESABONNER,
// UNSUBSCRIBE… An SMS STOP objects to messages by SMS from the sender (LAW.md A3: the free opt-out
// of every message); it does not, by itself, say anything about calls or e-mails.

const KEYWORDS = [
  "stop",
  "stopsms",
  "arret",
  "arreter",
  "desabonner",
  "desabonnement",
  "desinscrire",
  "unsubscribe",
  "stopall",
  "end",
  "cancel",
  "quit",
];

function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/** Whether a reply asks to stop: its first word (or the whole reply, spaces removed) is a keyword. */
export function isStopMessage(text: string): boolean {
  const words = fold(text)
    .replace(/[^a-z0-9 ]+/g, " ")
    .trim()
    .split(/\s+/);
  const first = words[0] ?? "";
  return KEYWORDS.includes(first) || KEYWORDS.includes(words.join(""));
}
