// Code de la consommation, art. D.223-9 (décret n° 2022-1313, from 1 March 2023): the days,
// hours and frequency of telephone canvassing (docs/law.md, B5). These are the "time rules": their
// blocks lift at a computable instant, which `nextAllowedAt` reports.
import type { Context } from "../../../engine/context.ts";
import { msg, type Rule, type RuleVersion, type Verdict, verdict } from "../../../engine/rule.ts";
import { REFUSALS } from "../../../facts/vocabulary.ts";
import { type Coded, coded, renderDecision, type Words } from "../../../i18n/decisions.ts";
import { holidayOn } from "../../../params/fr/holidays.ts";
import {
  CALLING_HOURS,
  type CallingHours,
  MAX_ATTEMPTS,
  REFUSAL_PAUSE_DAYS,
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

/** An ISO weekday (1 = Monday) as reasons name it (`weekday.*` of src/i18n/decisions.ts). */
const weekdayWord = (weekday: number): Coded => coded(`weekday.${weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7}`, {});

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

const weekdayTexts = new WeakMap<readonly number[], Words>();

/**
 * The calling days of `weekdays` (ISO, 1 = Monday): "lundi–vendredi", or listed when not a run;
 * the days' names from the catalogue, composed once per dated row.
 */
export function weekdaysText(weekdays: readonly number[]): Words {
  let text = weekdayTexts.get(weekdays);
  if (text !== undefined) return text;
  const days = [...weekdays].sort((a, b) => a - b);
  const first = days[0];
  const last = days[days.length - 1];
  const run = first !== undefined && last !== undefined && last - first === days.length - 1;
  const say = (lang: "fr" | "en") => {
    const name = (d: number) => renderDecision(weekdayWord(d), lang);
    return run && days.length > 2 ? `${name(first)}–${name(last)}` : days.map(name).join(", ");
  };
  text = Object.freeze({ fr: say("fr"), en: say("en") });
  weekdayTexts.set(weekdays, text);
  return text;
}

/** Why calls are closed on local day `dayNumber`, or null on an ordinary calling day. */
function closedDay(ctx: Context, hours: CallingHours, dayNumber: number, weekday: number) {
  if (!hours.weekdays.includes(weekday)) return { holiday: null, local: false };
  const holiday = holidayOn(ctx.zone.region, dayNumber);
  if (holiday === undefined) return null;
  if (holiday.basis === "local" && !ctx.policy.localHolidaysBlockCalls) return null;
  return { holiday: holiday.name, local: holiday.basis === "local" };
}

/** Whether the decided instant is within the calling days and hours, and why not. */
function outsideHours(ctx: Context, hours: CallingHours): { outside: Coded; contested: boolean } | null {
  const local = ctx.local;
  const closed = closedDay(ctx, hours, local.dayNumber, local.weekday);
  const when = `${isoDateOf(local.dayNumber)} ${hhmm(local.minuteOfDay)}`;
  if (closed !== null) {
    const outside =
      closed.holiday === null
        ? coded("conso-d223-9.closed_weekday", { when, weekday: weekdayWord(local.weekday) })
        : coded("conso-d223-9.closed_holiday", { when, holiday: closed.holiday });
    return { outside, contested: closed.local };
  }
  const m = local.minuteOfDay;
  if (hours.windows.some(([a, b]) => a <= m && m < b)) return null;
  return { outside: coded("conso-d223-9.outside_windows", { when }), contested: false };
}

/** The next opening of a calling window at or after the decided instant, on the person's clock. */
function nextWindow(ctx: Context): number | null {
  const hours = ctx.param(CALLING_HOURS);
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
    v = verdict("info", "conso-d223-9.within_hours", {
      days: weekdaysText(hours.weekdays),
      windows: windowsText(hours),
    });
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
    const hours = ctx.param(CALLING_HOURS);
    if (hours === undefined || ctx.campaign.sector === "non_commercial") return null;
    // "Sollicitation téléphonique" does not tell a live agent from a machine: automated calls are
    // held to the same days and hours unless the policy reads otherwise (contested).
    const automated = ctx.campaign.channel === "voice_automated";
    if (automated && !ctx.policy.hoursForAutomatedCalls) return null;
    const found = outsideHours(ctx, hours);
    if (found === null) return withinHours(hours);
    const { outside } = found;
    const consent = ctx.consent(ctx.campaign.channel, "out_of_hours");
    if (consent.status === "valid" && consent.consent !== null) {
      return verdict("allow", "conso-d223-9.outside_hours_consented", {
        outside,
        given: day(consent.consent.givenAt),
      });
    }
    return verdict(
      "block",
      "conso-d223-9.outside_hours",
      {
        outside,
        timeZone: ctx.zone.timeZone,
        days: weekdaysText(hours.weekdays),
        windows: windowsText(hours),
      },
      found.contested || automated,
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
  title: msg("Nombre d'appels sur une période glissante", "Calls in a rolling period"),
  confidence: "V",
  channels: ["voice_live"],
  kinds: CONSUMERS,
  params: [MAX_ATTEMPTS],
  versions: [VERSION],
  lifts(ctx) {
    const cap = ctx.param(MAX_ATTEMPTS);
    if (cap === undefined) return null;
    const days = callDaysInWindow(ctx, cap.days);
    const oldestCounted = days[cap.calls - 1];
    // The window stops counting that call `cap.days` days after it.
    return oldestCounted === undefined ? null : instantOf(oldestCounted + cap.days, 0, ctx.zone.timeZone);
  },
  evaluate(ctx) {
    const cap = ctx.param(MAX_ATTEMPTS);
    if (cap === undefined || ctx.campaign.sector === "non_commercial") return null;
    const days = callDaysInWindow(ctx, cap.days);
    if (days.length === 0) return null;
    const counted = { count: days.length, calls: cap.calls, days: cap.days };
    if (days.length < cap.calls) return verdict("info", "conso-d223-9.calls_counted", counted);
    const since = isoDateOf(days[days.length - 1] as number);
    return verdict("block", "conso-d223-9.too_many_calls", { ...counted, since });
  },
};

/**
 * End of the pause after the consumer's last refusal during a call made for the professional —
 * refusing the offer, declining to go on, no interest — the pause's full days after its day.
 */
function pauseEnd(ctx: Context): { refusedAt: number; until: number; days: number } | null {
  const pause = ctx.param(REFUSAL_PAUSE_DAYS);
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
  return verdict("block", "conso-d223-9.refusal_pause", {
    refused: day(pause.refusedAt),
    until: day(pause.until),
    days: pause.days,
  });
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
