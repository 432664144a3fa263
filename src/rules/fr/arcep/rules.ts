// ARCEP numbering plan: automated calling and messaging systems must show numbers from
// dedicated ranges; mobile numbers are for person-to-person use (docs/law.md, B7b).
import { msg, type Rule, verdict } from "../../../engine/rule.ts";
import { AUTOMATED_CALLER_PREFIXES } from "../../../params/fr/params.ts";

/** A caller ID as a French national number ("09 48 …", "+33 (0)9 48 …" → "0948…"), else null. */
function nationalNumber(callerId: string): string | null {
  const digits = callerId.replace(/[\s.\-()]/g, "");
  if (/^\+33\d{9}$/.test(digits)) return `0${digits.slice(3)}`;
  if (/^0033\d{9}$/.test(digits)) return `0${digits.slice(4)}`;
  // "+33 (0)6 …", common in French print: the trunk 0 in brackets is left once brackets go.
  if (/^\+330\d{9}$/.test(digits)) return digits.slice(3);
  if (/^00330\d{9}$/.test(digits)) return digits.slice(4);
  if (/^0\d{9}$/.test(digits)) return digits;
  return null;
}

const numberRanges: Rule = {
  id: "arcep/number-ranges",
  law: "B7b",
  remedy: msg(
    "Émettre depuis un numéro des tranches que l'ARCEP réserve à ces systèmes d'appel.",
    "Call from a number of the ranges ARCEP reserves for these calling systems.",
  ),
  title: msg("Numéros des systèmes automatisés d'appel", "Numbers of automated calling systems"),
  confidence: "V",
  channels: ["voice_automated", "voice_live", "sms"],
  kinds: "all",
  contested: "H11: applied to live calls placed by automatic (predictive) dialers too.",
  params: [AUTOMATED_CALLER_PREFIXES],
  versions: [
    {
      from: "2023-01-01",
      article: "ARCEP, décision n° 2022-1583 du 1er septembre 2022 (modifiant la décision n° 2018-0881)",
      text: "Les numéros mobiles (06, 07) sont réservés aux communications interpersonnelles ; les systèmes automatisés d'appels ou d'envoi de messages utilisent, comme identifiant d'appelant, des numéros des tranches 0162, 0163, 0270, 0271, 0377, 0378, 0424, 0425, 0568, 0569, 0948, 0949 (métropole) et 09475 à 09479 (outre-mer).",
    },
  ],
  evaluate(ctx) {
    const { channel, dialer, callerId } = ctx.campaign;
    if (channel === "voice_live" && dialer !== "automatic") return null;
    const contested = channel === "voice_live";
    const prefixes = ctx.param(AUTOMATED_CALLER_PREFIXES) ?? [];
    if (callerId === null) {
      return verdict("condition", "arcep.show_reserved_number", { prefixes: prefixes.join(", ") }, contested);
    }
    const national = callerId === "masked" ? null : nationalNumber(callerId);
    // SMS short codes and alphanumeric sender names are not numbering-plan numbers.
    if (channel === "sms" && national === null && callerId !== "masked") return null;
    if (national !== null && prefixes.some((p) => national.startsWith(p))) return null;
    const mobile = national !== null && /^0[67]/.test(national);
    const code = mobile ? "arcep.outside_ranges_mobile" : "arcep.outside_ranges";
    return verdict("block", code, { callerId }, contested);
  },
};

export const ARCEP_RULES: readonly Rule[] = [numberRanges];
