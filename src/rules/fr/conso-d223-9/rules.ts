// Code de la consommation, art. D.223-9 (décret n° 2022-1313, from 1 March 2023): the days,
// hours and frequency of telephone canvassing (docs/law.md, B5). These are the "time rules": their
// blocks lift at a computable instant, which `nextAllowedAt` reports.
import type { Context } from "../../../engine/context.ts";
import { msg, type Rule, type RuleVersion, type Verdict, verdict } from "../../../engine/rule.ts";
import { REFUSALS } from "../../../facts/vocabulary.ts";
import { holidayOn } from "../../../params/fr/holidays.ts";
import {
  CALLING_HOURS,
  type CallingHours,
  MAX_ATTEMPTS,
  REFUSAL_PAUSE_DAYS,
  valueAt,
} from "../../../params/fr/params.ts";
import { instantOf, isoDateOf, localTime } from "../../../time/zoned.ts";
import { CONSUMERS, day } from "../common.ts";

const FROM = "2023-03-01";
const ARTICLE = "C. conso., art. D.223-9 (décret n° 2022-1313 du 13 octobre 2022)";
/** How many local days ahead to look for an open calling window (a long holiday weekend is 4). */
const WINDOW_SEARCH_DAYS = 14;

const VERSION: RuleVersion = {
  from: FROM,
  article: ARTICLE,
  text: "La sollicitation téléphonique d'un consommateur à des fins de prospection commerciale, y compris lorsqu'elle est mentionnée à l'article L. 223-5, n'est autorisée que du lundi au vendredi, à l'exclusion des jours fériés mentionnés à l'article L. 3133-1 du code du travail, de 10 heures à 13 heures et de 14 heures à 20 heures, heure du consommateur. Par dérogation, elle est possible en dehors de ces jours et horaires si le professionnel ou le tiers agissant pour son compte a préalablement recueilli le consentement exprès du consommateur et est en mesure d'en justifier. Un même professionnel ne peut solliciter, ou tenter de solliciter, un même consommateur plus de quatre fois au cours d'une période de trente jours calendaires. Lorsque le consommateur a refusé, au cours de la conversation, la sollicitation, le professionnel ne peut le solliciter, ou tenter de le solliciter, avant l'expiration d'un délai de soixante jours calendaires à compter du refus.",
};

const WEEKDAY = [
  ["", ""],
  ["lundi", "Monday"],
  ["mardi", "Tuesday"],
  ["mercredi", "Wednesday"],
  ["jeudi", "Thursday"],
  ["vendredi", "Friday"],
  ["samedi", "Saturday"],
  ["dimanche", "Sunday"],
] as const;

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

const windowTexts = new WeakMap<CallingHours, string>();

/**
 * "10:00–13:00, 14:00–20:00", built once per dated row: messages quote the parameters in force,
 * never a copy of them that a new decree would leave behind.
 */
function windowsText(hours: CallingHours): string {
  let text = windowTexts.get(hours);
  if (text === undefined) {
    text = hours.windows.map(([a, b]) => `${hhmm(a)}–${hhmm(b)}`).join(", ");
    windowTexts.set(hours, text);
  }
  return text;
}

/** The calling days of `weekdays` (ISO, 1 = Monday): "lundi–vendredi", or listed when not a run. */
export function weekdaysText(weekdays: readonly number[]): { readonly fr: string; readonly en: string } {
  const days = [...weekdays].sort((a, b) => a - b);
  const first = days[0];
  const last = days[days.length - 1];
  const run = first !== undefined && last !== undefined && last - first === days.length - 1;
  const name = (d: number, lang: 0 | 1) => WEEKDAY[d]?.[lang] ?? "";
  if (run && days.length > 2) {
    return { fr: `${name(first, 0)}–${name(last, 0)}`, en: `${name(first, 1)}–${name(last, 1)}` };
  }
  return { fr: days.map((d) => name(d, 0)).join(", "), en: days.map((d) => name(d, 1)).join(", ") };
}

/** Why calls are closed on local day `dayNumber`, or null on an ordinary calling day. */
function closedDay(ctx: Context, hours: CallingHours, dayNumber: number, weekday: number) {
  if (!hours.weekdays.includes(weekday))
    return { fr: WEEKDAY[weekday]?.[0], en: WEEKDAY[weekday]?.[1], local: false };
  const holiday = holidayOn(ctx.zone.region, dayNumber);
  if (holiday === undefined) return null;
  if (holiday.basis === "local" && !ctx.policy.localHolidaysBlockCalls) return null;
  return {
    fr: `férié (${holiday.name})`,
    en: `public holiday (${holiday.name})`,
    local: holiday.basis === "local",
  };
}

/** Whether the decided instant is within the calling days and hours, and why not. */
function outsideHours(
  ctx: Context,
  hours: CallingHours,
): { fr: string; en: string; contested: boolean } | null {
  const local = ctx.local;
  const closed = closedDay(ctx, hours, local.dayNumber, local.weekday);
  const when = `${isoDateOf(local.dayNumber)} ${hhmm(local.minuteOfDay)}`;
  if (closed !== null) {
    return { fr: `${when}, ${closed.fr}`, en: `${when}, ${closed.en}`, contested: closed.local };
  }
  const m = local.minuteOfDay;
  if (hours.windows.some(([a, b]) => a <= m && m < b)) return null;
  return {
    fr: `${when}, hors des plages horaires`,
    en: `${when}, outside the calling windows`,
    contested: false,
  };
}

/** The next opening of a calling window at or after the decided instant, on the person's clock. */
function nextWindow(ctx: Context): number | null {
  const hours = valueAt(CALLING_HOURS, ctx.at);
  if (hours === undefined) return null;
  const local = ctx.local;
  for (let d = 0; d <= WINDOW_SEARCH_DAYS; d++) {
    const dayNumber = local.dayNumber + d;
    const weekday = ((local.weekday - 1 + d) % 7) + 1;
    if (closedDay(ctx, hours, dayNumber, weekday) !== null) continue;
    for (const [start, end] of hours.windows) {
      if (d === 0 && local.minuteOfDay >= end) continue;
      const minute = d === 0 ? Math.max(start, local.minuteOfDay) : start;
      if (minute === local.minuteOfDay && d === 0) return ctx.at;
      return instantOf(dayNumber, minute, ctx.zone.timeZone);
    }
  }
  return null;
}

const withinVerdicts = new WeakMap<CallingHours, Verdict>();

function withinHours(hours: CallingHours): Verdict {
  let v = withinVerdicts.get(hours);
  if (v === undefined) {
    const windows = windowsText(hours);
    const days = weekdaysText(hours.weekdays);
    v = verdict(
      "info",
      `Dans les jours et heures permis (${days.fr} ${windows}, heure du consommateur).`,
      `Within the allowed days and hours (${days.en} ${windows}, consumer's time).`,
    );
    withinVerdicts.set(hours, v);
  }
  return v;
}

const hoursRule: Rule = {
  id: "conso-d223-9/hours",
  law: "B5",
  remedy: msg(
    "Attendre le prochain créneau autorisé (next_slot, nextAllowedAt).",
    "Wait for the next allowed slot (next_slot, nextAllowedAt).",
  ),
  title: msg("Jours et heures du démarchage téléphonique", "Days and hours of telephone canvassing"),
  confidence: "V",
  channels: ["voice_live", "voice_automated"],
  kinds: CONSUMERS,
  contested:
    "H7: only a consent given specifically to calls outside the hours lifts them. H12: Alsace-Moselle and overseas holidays close calling days (policy localHolidaysBlockCalls). Automated calls are bound too (policy hoursForAutomatedCalls; DGCCRF, Merrios, 2 Oct 2025).",
  params: [CALLING_HOURS],
  versions: [VERSION],
  lifts: nextWindow,
  evaluate(ctx): Verdict | null {
    const hours = valueAt(CALLING_HOURS, ctx.at);
    if (hours === undefined || ctx.campaign.sector === "non_commercial") return null;
    // "Sollicitation téléphonique" does not tell a live agent from a machine: automated calls are
    // held to the same days and hours unless the policy reads otherwise (contested).
    const automated = ctx.campaign.channel === "voice_automated";
    if (automated && !ctx.policy.hoursForAutomatedCalls) return null;
    const outside = outsideHours(ctx, hours);
    const windows = windowsText(hours);
    if (outside === null) return withinHours(hours);
    const consent = ctx.consent(ctx.campaign.channel, "out_of_hours");
    if (consent.status === "valid" && consent.consent !== null) {
      return verdict(
        "allow",
        `${outside.fr} : permis par le consentement exprès aux appels hors horaires du ${day(consent.consent.givenAt)}.`,
        `${outside.en}: allowed by the express consent to out-of-hours calls of ${day(consent.consent.givenAt)}.`,
      );
    }
    const days = weekdaysText(hours.weekdays);
    return verdict(
      "block",
      `${outside.fr} (heure du consommateur, ${ctx.zone.timeZone}) : appels permis ${days.fr} ${windows}, hors jours fériés.`,
      `${outside.en} (consumer's time, ${ctx.zone.timeZone}): calls allowed ${days.en} ${windows}, public holidays excepted.`,
      outside.contested || automated,
    );
  },
};

/**
 * The professional's canvassing calls and attempts, through every call centre: a call recorded as
 * non-commercial (a survey) was no "sollicitation à des fins de prospection commerciale"; one whose
 * sector was not recorded counts.
 */
function canvassingCalls(ctx: Context) {
  return ctx.callsByAdvertiser().filter((h) => h.sector !== "non_commercial");
}

/** Local days of the professional's calls and attempts within the window ending on the decided day. */
function callDaysInWindow(ctx: Context, days: number): number[] {
  const today = ctx.local.dayNumber;
  const tz = ctx.zone.timeZone;
  return canvassingCalls(ctx)
    .map((h) => localTime(h.at, tz).dayNumber)
    .filter((d) => d > today - days)
    .sort((a, b) => b - a);
}

const frequency: Rule = {
  id: "conso-d223-9/frequency",
  law: "B5",
  remedy: msg(
    "Attendre que la période glissante libère un appel (next_slot, nextAllowedAt).",
    "Wait until the rolling period frees a call (next_slot, nextAllowedAt).",
  ),
  title: msg("Nombre d'appels sur 30 jours", "Calls per 30 days"),
  confidence: "V",
  channels: ["voice_live"],
  kinds: CONSUMERS,
  params: [MAX_ATTEMPTS],
  versions: [VERSION],
  lifts(ctx) {
    const cap = valueAt(MAX_ATTEMPTS, ctx.at);
    if (cap === undefined) return null;
    const days = callDaysInWindow(ctx, cap.days);
    const oldestCounted = days[cap.calls - 1];
    // The window stops counting that call `cap.days` days after it.
    return oldestCounted === undefined ? null : instantOf(oldestCounted + cap.days, 0, ctx.zone.timeZone);
  },
  evaluate(ctx) {
    const cap = valueAt(MAX_ATTEMPTS, ctx.at);
    if (cap === undefined || ctx.campaign.sector === "non_commercial") return null;
    const days = callDaysInWindow(ctx, cap.days);
    if (days.length === 0) return null;
    if (days.length < cap.calls) {
      return verdict(
        "info",
        `${days.length} appel(s) ou tentative(s) sur les ${cap.days} derniers jours (maximum ${cap.calls}).`,
        `${days.length} call(s) or attempt(s) in the last ${cap.days} days (at most ${cap.calls}).`,
      );
    }
    return verdict(
      "block",
      `Déjà ${days.length} appels ou tentatives depuis le ${isoDateOf(days[days.length - 1] as number)} : au plus ${cap.calls} par période de ${cap.days} jours calendaires.`,
      `Already ${days.length} calls or attempts since ${isoDateOf(days[days.length - 1] as number)}: at most ${cap.calls} in any ${cap.days} calendar days.`,
    );
  },
};

/**
 * End of the pause after the consumer's last refusal during a call made for the professional —
 * refusing the offer, declining to go on, no interest — the pause's full days after its day.
 */
function pauseEnd(ctx: Context): { refusedAt: number; until: number; days: number } | null {
  const pause = valueAt(REFUSAL_PAUSE_DAYS, ctx.at);
  if (pause === undefined) return null;
  let refusedAt: number | null = null;
  for (const h of canvassingCalls(ctx)) {
    if (REFUSALS.includes(h.outcome) && (refusedAt === null || h.at > refusedAt)) refusedAt = h.at;
  }
  if (refusedAt === null) return null;
  const tz = ctx.zone.timeZone;
  const refusalDay = localTime(refusedAt, tz).dayNumber;
  return { refusedAt, until: instantOf(refusalDay + pause + 1, 0, tz), days: pause };
}

/** The block of a pause: its length quoted from the parameter in force, as the date it ends. */
export function pauseVerdict(pause: { refusedAt: number; until: number; days: number }): Verdict {
  return verdict(
    "block",
    `Sollicitation refusée le ${day(pause.refusedAt)} : pas de nouvel appel avant le ${day(pause.until)} (${pause.days} jours calendaires pleins).`,
    `Canvassing refused on ${day(pause.refusedAt)}: no new call before ${day(pause.until)} (${pause.days} full calendar days).`,
  );
}

const refusalPause: Rule = {
  id: "conso-d223-9/refusal-pause",
  law: "B5",
  remedy: msg(
    "Attendre la fin de la pause qui suit le refus (next_slot, nextAllowedAt).",
    "Wait for the end of the pause after the refusal (next_slot, nextAllowedAt).",
  ),
  title: msg("Pause après un refus", "Pause after a refusal"),
  confidence: "V",
  channels: ["voice_live"],
  kinds: CONSUMERS,
  params: [REFUSAL_PAUSE_DAYS],
  versions: [VERSION],
  lifts: (ctx) => pauseEnd(ctx)?.until ?? null,
  evaluate(ctx) {
    if (ctx.campaign.sector === "non_commercial") return null;
    const pause = pauseEnd(ctx);
    if (pause === null || ctx.at >= pause.until) return null;
    return pauseVerdict(pause);
  },
};

export const D223_9_RULES: readonly Rule[] = [hoursRule, frequency, refusalPause];
