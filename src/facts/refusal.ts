// Whether a text copied from an ad or a profile says its author refuses canvassing ("pas de
// démarchage", "agences s'abstenir"…). The CNIL's 2020 note reports data used "alors même que ces
// personnes ont indiqué s'opposer au démarchage commercial": such a mention is an objection
// (docs/law.md, D3), so a list column holding it must count.
import { yesNo } from "./yes-no.ts";

const NEGATION = /\b(pas|ni|sans|aucun|aucune|stop|refuse|refusons|interdit|non|no)\b|s.?abstenir/;
const PATTERNS: readonly RegExp[] = [
  /agences?\s+s.?abstenir/,
  /pas\s+d.?agences?/,
  /(demarch|solicit|prospect)\w*\s+s.?abstenir/,
  /\bno\s+(agenc|solicit|canvass|cold call)/,
  /\bdo\s+not\s+(call|contact|solicit)/,
];

function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/** true: refusal; false: explicitly none (false/non/0); null: an empty cell or text saying neither. */
export function refusesCanvassing(text: string): boolean | null {
  const t = fold(text.trim());
  if (t === "") return null;
  const b = yesNo(t);
  if (b !== null) return b;
  if (PATTERNS.some((p) => p.test(t))) return true;
  return /demarch|solicit|canvass|prospect/.test(t) && NEGATION.test(t) ? true : null;
}
