// Whether a text copied from an ad or a profile says its author refuses canvassing ("pas de
// démarchage", "agences s'abstenir"…). The CNIL's 2020 note reports data used "alors même que ces
// personnes ont indiqué s'opposer au démarchage commercial": such a mention is an objection
// (docs/law.md, D3), so a list column holding it must count.
//
// A text is read as one of three: a refusal (a known phrasing, or a word of canvassing with a
// negation); no refusal (no negation at all, or only phrasings known to say something else:
// "curieux s'abstenir", "sans travaux"); or to review — a negation in words no pattern knows
// ("merci de ne rien …"), which the screening reads as a refusal until a person has read it
// (docs/readings.md). The table of phrasings is in refusal.test.ts.
import { yesNo } from "./yes-no.ts";

export type RefusalReading = "refusal" | "no_refusal" | "needs_review";

/** Who "s'abstenir" sends away, in a refusal: agencies, canvassers, professionals. */
const WHO = String.raw`(agences?|agents?( immobiliers?)?|demarch\w*|sollicit\w*|intermediaires?|professionnels?|commerciaux|pros?|prospect\w*)`;

/** Phrasings that say the author refuses agencies, canvassers or calls. */
const REFUSALS: readonly RegExp[] = [
  new RegExp(String.raw`\b${WHO}(( (et|ou|ni))? (${WHO}|curieux))* s'? ?abstenir`),
  /\bpas d'(agences?|agents?|intermediaires?)\b/,
  /\bpas de (demarch|sollicit|prospect|agence|intermediaire|professionnel|commerciaux|telemarketing|pub\b)/,
  /\bni (agences?|agents?|demarch\w*|sollicit\w*|intermediaires?)\b/,
  /\bsans (agences?|intermediaires?|demarch\w*|sollicit\w*)\b/,
  /\baucune? (agences?|demarch\w*|sollicit\w*|intermediaires?|prospect\w*)\b/,
  /\bne (pas|plus|jamais) (me |nous |m'|l')?(appel|contact|sollicit|demarch|telephon|derang)/,
  /\b(ne |n')(me |nous |m')?(appel|contact|sollicit|demarch|telephon|derang)\w* (pas|plus|jamais)\b/,
  /\brefus\w* (de |du |des |le |les |la |tout |toute |tous )*(demarch|sollicit|prospect|agence|appel)/,
  /\b(demarch|sollicit|prospect)\w* (interdit|refuse|inutile|exclu|non merci)/,
  /\binterdit\w* aux (agences|agents|demarcheurs|professionnels|intermediaires)/,
  /\bagences? (interdite|exclue|refusee|non merci)/,
  /\bnon (merci )?aux (agences|demarcheurs|professionnels)/,
  /\bstop (demarch|sollicit|prospect|pub\b|agences?)/,
  /\b(opposition|oppose|opposee) (au |a la |a tout |a toute )?(demarch|prospect|sollicit)/,
  /\bbloctel\b/,
  // A sale "between private persons" says: no agency.
  /\bparticuliers? (a|aux) particuliers?\b/,
  /\bentre particuliers\b/,
  /\b(particuliers?|pap) (uniquement|seulement|exclusivement)\b/,
  /\b(uniquement|seulement|exclusivement|reserve) (aux |a des |entre )?particuliers\b/,
  /\bno (agenc|agent|realtor|broker|solicit|canvass|cold call|telemarketing|sales call)/,
  /\b(do not|don't|dont|never) (call|contact|solicit|canvass)/,
  /\bprivate (sale|seller)s? only\b/,
  /\b(agents?|agencies|realtors|brokers) need not apply\b/,
];

/** Phrasings with a negation that say nothing of canvassing; removed before the negations are sought. */
const NOT_REFUSALS: readonly RegExp[] = [
  /\b(curieux|touristes|reveurs|(pas |non )?serieux)( \w+){0,2} s'? ?abstenir/g,
  /\b(sans|pas de|aucuns?|aucune) (gros )?(travaux|vis a vis|ascenseur|charges|frais (d'agence|de notaire|d'agences)|commission( d'agence)?)\b/g,
  /\b(a ne pas manquer|ne manquez pas|ne tardez pas|non fumeurs?|non meublee?s?)\b/g,
];

/** Negations: a text holding one that no phrasing above explains is to be reviewed. */
const NEGATION =
  /\b(pas|ne|ni|sans|aucun|aucune|interdit\w*|jamais|stop|refus\w*|no|not|never|dont|don't)\b|\bn'|s'? ?abstenir/;

/** Words of canvassing: with a negation, a refusal whatever its phrasing. */
const CANVASSING = /demarch|sollicit|solicit|canvass|prospect|telemarketing/;

/** Lower case, without accents, one kind of apostrophe, words separated by single spaces. */
function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/[’‘ʼ`´′]/g, "'")
    .replace(/[^a-z0-9']+/g, " ")
    .trim();
}

/** What a non-empty text says of canvassing; true/false/oui/non are read as such. */
export function readRefusal(text: string): RefusalReading {
  const b = yesNo(text);
  if (b !== null) return b ? "refusal" : "no_refusal";
  const t = fold(text);
  if (REFUSALS.some((p) => p.test(t))) return "refusal";
  const rest = NOT_REFUSALS.reduce((s, p) => s.replace(p, " "), t);
  // "Non" counts only next to canvassing: "non meublé" says nothing of it.
  if (CANVASSING.test(rest) && (NEGATION.test(rest) || /\bnon\b/.test(rest))) return "refusal";
  return NEGATION.test(rest) ? "needs_review" : "no_refusal";
}

/**
 * true: refusal; false: explicitly none (false/non/0); null: an empty cell, or a text saying
 * neither — to-review wording included, which the callers that keep it must flag themselves.
 */
export function refusesCanvassing(text: string): boolean | null {
  const t = text.trim();
  if (t === "") return null;
  const b = yesNo(t);
  if (b !== null) return b;
  return readRefusal(t) === "refusal" ? true : null;
}
