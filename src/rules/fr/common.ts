// Small vocabulary shared by the rule modules: how dates, channels and people are written in
// messages, and the audiences rules name.
import { CHANNELS, type Channel, type Kind, type Sector } from "../../facts/vocabulary.ts";
import { type Coded, coded, wordsOf } from "../../i18n/decisions.ts";
import { isoDate } from "../../time/dates.ts";

/** Last day of the Bloctel regime; the next, the first a consumer must have consented to calls (L.223-1, loi n° 2025-594, art. 13 III). */
export const BLOCTEL_TO = "2026-08-10";
export const PHONE_OPT_IN_FROM = "2026-08-11";

export const NATURAL_PERSONS: readonly Kind[] = ["consumer", "professional"];
export const CONSUMERS: readonly Kind[] = ["consumer"];

/** Channels of L.34-5 CPCE ("courrier électronique", automated calls, fax) and their kin (A7, E3). */
export const ELECTRONIC: readonly Channel[] = [
  "email",
  "sms",
  "fax",
  "voice_automated",
  "inbox_ad",
  "social_dm",
];

/** A channel as reasons name it (`channel.*` of src/i18n/decisions.ts). */
export const channelWord = (channel: Channel): Coded => coded(`channel.${channel}`, {});

/** The same words, for what shows a campaign's channel beside its reasons (the screening report). */
export const CHANNEL_NAME: Readonly<Record<Channel, { fr: string; en: string }>> = Object.fromEntries(
  CHANNELS.map((channel) => [channel, wordsOf(channelWord(channel))]),
) as Record<Channel, { fr: string; en: string }>;

export const SECTOR_NAME: Readonly<Record<Sector, { fr: string; en: string }>> = {
  energy_renovation: { fr: "rénovation énergétique", en: "energy renovation" },
  home_adaptation: { fr: "adaptation du logement", en: "home adaptation" },
  cpf_training: {
    fr: "formation (compte personnel de formation)",
    en: "training (personal training account)",
  },
  insurance: { fr: "assurance", en: "insurance" },
  press: { fr: "presse", en: "press" },
  non_commercial: { fr: "non commercial", en: "non-commercial" },
  other: { fr: "autre", en: "other" },
};

/** A date as messages show it: the Paris calendar day, YYYY-MM-DD. */
export function day(ms: number): string {
  return isoDate(ms);
}
