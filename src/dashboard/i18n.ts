// French and English. Each page keeps its own strings beside its markup (`Strings` below); the
// language is the `lang` cookie, set by the switch in the header, else the browser's preference.
import type { FastifyRequest } from "fastify";

export const LANGS = ["fr", "en"] as const;
export type Lang = (typeof LANGS)[number];

/** A page's strings in both languages: the English keys must be the French ones. */
export type Strings<K extends string> = Readonly<Record<Lang, Readonly<Record<K, string>>>>;

export const LANG_COOKIE = "vigie_lang";

export function langOf(req: FastifyRequest): Lang {
  const cookie = req.cookies[LANG_COOKIE];
  if (cookie === "fr" || cookie === "en") return cookie;
  const accepted = (req.headers["accept-language"] ?? "").toLowerCase();
  // The first language the browser names that we have; French when it names neither.
  for (const tag of accepted.split(",")) {
    const primary = tag.trim().slice(0, 2);
    if (primary === "fr" || primary === "en") return primary;
  }
  return "fr";
}

/** Dates and times as a French or English reader writes them, in Paris time. */
export function formatInstant(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Paris",
  }).format(ms);
}

export function formatDate(lang: Lang, ms: number): string {
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "medium",
    timeZone: "Europe/Paris",
  }).format(ms);
}

export function formatCount(lang: Lang, n: number): string {
  return new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB").format(n);
}
