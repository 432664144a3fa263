// decide() throughput on one thread, over a varied generated corpus (issue #2 target: ≥ 1 M
// decisions/s for contacts without history). The reference measured in the same run is a
// hand-written three-check closure over the same facts — the floor any rule engine pays to read
// its input — so the ratio shows what the full rulebook costs on top.

import type { Facts } from "../src/facts/types.ts";
import { CHANNELS, type Channel, KINDS, ORIGIN_TYPES, SECTORS } from "../src/facts/vocabulary.ts";
import { compilePlan, decide, decideBatch, PlanCache, parseFacts } from "./built.ts";
import { median, rng } from "./machine.ts";

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

const START = Date.parse("2016-02-01T00:00:00Z");
const SPAN = Date.parse("2026-11-27T00:00:00Z") - START;
const CONTROLLERS = ["Agence Dupont", "Isolation Plus", "Assur Direct", "Le Quotidien"];

function pointTypeOf(channel: Channel): string {
  return channel === "email" || channel === "inbox_ad"
    ? "email"
    : channel === "postal"
      ? "postal"
      : channel === "social_dm"
        ? "social"
        : "phone";
}

/** A fact's campaign and contact, as the contract writes them; calls are the campaign controller's. */
function factInput(
  r: () => number,
  i: number,
  channel: Channel,
  at: string,
  withHistory: boolean,
  controller: string = pick(r, CONTROLLERS),
) {
  const pointType = pointTypeOf(channel);
  const history = withHistory
    ? Array.from({ length: 1 + Math.floor(r() * 5) }, () => ({
        at: new Date(Date.parse(at) - Math.floor(r() * 40) * 86_400_000 - 3_600_000).toISOString(),
        channel: "voice_live",
        controller,
        outcome: pick(r, ["no_answer", "answered", "refused_offer", "no_answer"]),
      }))
    : [];
  return {
    campaign: {
      controller,
      channel,
      sector: pick(r, SECTORS),
      relatedToProfession: r() < 0.3,
      analogousProducts: r() < 0.3,
      callerId: r() < 0.1 ? "masked" : "+33948000000",
      dialer: r() < 0.3 ? "automatic" : "manual",
      message: { senderIdentified: true, optOut: r() < 0.95 },
    },
    contact: {
      kind: pick(r, KINDS),
      point: { type: pointType, value: pointType === "email" ? `p${i}@example.fr` : "06 12 34 56 78" },
      location: r() < 0.5 ? { department: pick(r, ["75", "57", "971", "974", "13"]) } : null,
      origin: {
        type: pick(r, ORIGIN_TYPES),
        collectedAt: new Date(Date.parse(at) - Math.floor(r() * 1500) * 86_400_000)
          .toISOString()
          .slice(0, 10),
        optOutOfferedAtCollection: r() < 0.5,
        senderNamedAtCollection: r() < 0.5,
      },
      relationship: { status: pick(r, ["prospect", "active_contract", "past_customer", "account_only"]) },
      consents:
        r() < 0.4
          ? [{ channel, controller, givenAt: "2016-01-15", method: "double_opt_in", proof: r() < 0.9 }]
          : [],
      bloctel: r() < 0.2 ? { registeredAt: "2016-06-01" } : null,
      lastBloctelScrubAt:
        r() < 0.7 ? new Date(Date.parse(at) - Math.floor(r() * 45) * 86_400_000).toISOString() : null,
      history,
    },
  };
}

function parsed(input: unknown): Facts {
  const result = parseFacts(input);
  if (!result.ok) throw new Error(`bench corpus: ${JSON.stringify(result.errors)}`);
  return result.facts;
}

/**
 * `instants` distinct planned instants spread over 2016–2026, each fact with a campaign of its
 * own: a list screened for a campaign is decided at one instant, so 200 instants for 100 000
 * facts is the batch case; one instant per fact is the worst case (every decision in a new hour
 * of the calendar).
 */
export function corpus(n: number, withHistory: boolean, seed: number, instants: number): Facts[] {
  const r = rng(seed);
  const campaignInstants = Array.from({ length: instants }, () =>
    new Date(START + Math.floor(r() * SPAN)).toISOString(),
  );
  return Array.from({ length: n }, (_, i) => {
    const channel = pick(r, CHANNELS);
    const at = pick(r, campaignInstants);
    return parsed({ at, ...factInput(r, i, channel, at, withHistory) });
  });
}

/**
 * `campaigns` campaigns, each at its instant, their facts holding the same campaign and policy
 * objects (as a caller that read each campaign once does), in random order: decisions for many
 * campaigns at once. With one campaign at a chosen instant, a list screened.
 */
export function campaignsCorpus(
  n: number,
  seed: number,
  campaigns: number,
  only?: { readonly channel: Channel; readonly at: string },
): Facts[] {
  const r = rng(seed);
  const shared = Array.from({ length: campaigns }, (_, i) => {
    const channel = only?.channel ?? pick(r, CHANNELS);
    const at = only?.at ?? new Date(START + Math.floor(r() * SPAN)).toISOString();
    return { at, facts: parsed({ at, ...factInput(r, i, channel, at, false) }) };
  });
  return Array.from({ length: n }, (_, i) => {
    const { at, facts } = pick(r, shared);
    const { campaign } = facts;
    const input = factInput(r, i, campaign.channel, at, r() < 0.2, campaign.controller);
    const { contact } = parsed({ at, ...input });
    return { at: facts.at, campaign, policy: facts.policy, contact };
  });
}

/** The reference: objection, consent and Bloctel checks written by hand, no citations. */
function reference(f: Facts): boolean {
  const c = f.contact;
  for (const o of c.objections) if (o.at <= f.at) return false;
  if (f.campaign.channel !== "voice_live" && f.campaign.channel !== "postal") {
    return c.consents.some((k) => k.channel === f.campaign.channel && k.proof && k.givenAt <= f.at);
  }
  return c.bloctel === null;
}

function time(
  facts: readonly Facts[],
  rounds: number,
  fn: (f: Facts) => unknown,
): { perSecond: number; check: number } {
  let check = 0;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const f of facts) if (fn(f)) check++;
  }
  const ns = Number(process.hrtime.bigint() - t0);
  return { perSecond: (facts.length * rounds) / (ns / 1e9), check };
}

export function benchEngine(): Record<string, unknown> {
  const n = Number(process.env.BENCH_N ?? 100_000);
  const results: Record<string, unknown> = {};
  for (const [label, withHistory, instants] of [
    ["without history, 200 campaign instants", false, 200],
    ["with 1–5 calls of history, 200 campaign instants", true, 200],
    ["without history, one instant per decision", false, n],
  ] as const) {
    const facts = corpus(n, withHistory, withHistory ? 2 : 1, instants);
    time(facts, 1, (f) => decide(f).verdict === "block"); // warm-up
    const runs: number[] = [];
    const refs: number[] = [];
    let blocked = 0;
    for (let i = 0; i < 5; i++) {
      const d = time(facts, 2, (f) => decide(f).verdict === "block");
      runs.push(d.perSecond);
      blocked = d.check / 2;
      refs.push(time(facts, 2, reference).perSecond);
    }
    const perSecond = median(runs);
    const ref = median(refs);
    console.log(
      `decide() ${label}: ${(perSecond / 1e6).toFixed(2)} M decisions/s (median of 5, ${(1e9 / perSecond).toFixed(0)} ns each; ${((100 * blocked) / n).toFixed(1)} % blocked) · reference 3-check closure ${(ref / 1e6).toFixed(1)} M/s · ratio ${(perSecond / ref).toFixed(3)}`,
    );
    results[label] = {
      decisionsPerSecond: Math.round(perSecond),
      referencePerSecond: Math.round(ref),
      blockedShare: blocked / n,
    };
  }
  Object.assign(results, benchPlans(n));
  return results;
}

/** Decisions per second of one run of `blocks` over `facts`, and how many it blocked. */
function timeRun(facts: readonly Facts[], blocks: (facts: readonly Facts[]) => number) {
  const t0 = process.hrtime.bigint();
  const blocked = blocks(facts);
  return { perSecond: facts.length / (Number(process.hrtime.bigint() - t0) / 1e9), blocked };
}

const byDecide = (facts: readonly Facts[]) => facts.filter((f) => decide(f).verdict === "block").length;
const byReference = (facts: readonly Facts[]) => facts.filter((f) => !reference(f)).length;

/** A list screened: the plan compiled, then decideBatch over the list 1 000 rows at a time. */
function byBatches(facts: readonly Facts[]): number {
  const plan = compilePlan(facts[0] as Facts);
  let blocked = 0;
  for (let i = 0; i < facts.length; i += 1000) {
    const rows = facts.slice(i, i + 1000).map((f) => f.contact);
    for (const d of decideBatch(plan, rows)) if (d.verdict === "block") blocked++;
  }
  return blocked;
}

/**
 * A rented file screened, the common screening row of issue #13: a number or address of its own and
 * a source, nothing else — the file's one collection date and Bloctel check, a kind, at times a
 * department. The plan resolves nearly every rule per zone: what is left is finding the zone.
 */
export function rentedFile(n: number, channel: Channel, at: string): Facts[] {
  const r = rng(5);
  const { at: instant, campaign, policy } = parsed({ at, ...factInput(r, 0, channel, at, false) });
  const pointType = pointTypeOf(channel);
  return Array.from({ length: n }, (_, i) => {
    const value =
      pointType === "email"
        ? `p${i}@example.fr`
        : `06 ${String(i)
            .padStart(8, "0")
            .replace(/(..)(?=.)/g, "$1 ")}`;
    const { contact } = parsed({
      at,
      campaign: { controller: campaign.controller, channel },
      contact: {
        kind: r() < 0.9 ? "consumer" : "professional",
        point: { type: pointType, value },
        location: r() < 0.7 ? { department: pick(r, ["75", "57", "69", "13", "33", "974"]) } : null,
        origin: {
          type: "broker",
          collectedAt: "2025-01-06",
          optOutOfferedAtCollection: true,
          obtainedAt: "2025-02-20",
        },
        lastBloctelScrubAt: "2025-02-24",
      },
    });
    return { at: instant, campaign, policy, contact };
  });
}

/** Facts of many campaigns and instants, through a PlanCache made for the run. */
const byPlanCache =
  (planAfter?: number) =>
  (facts: readonly Facts[]): number => {
    const plans = new PlanCache(planAfter);
    return facts.filter((f) => plans.decide(f).verdict === "block").length;
  };

/**
 * The compiled plan (src/engine/plan.ts, issue #13) beside decide() and the reference, on the same
 * facts, runs interleaved so that a machine's load weighs on all three alike: one campaign at one
 * instant (a list screened: compilePlan, then decideBatch), and many campaigns and instants (a
 * plan compiled at the first fact of each campaign and instant, and PlanCache as it comes, which
 * compiles one only for a campaign and instant with 1 024 facts). Alone:
 * node --import tsx -e 'import("./bench/engine.ts").then((m) => m.benchPlans(100_000))'
 */
export function benchPlans(n: number): Record<string, unknown> {
  const results: Record<string, unknown> = {};
  const screening = (channel: Channel, at: string) => campaignsCorpus(n, 3, 1, { channel, at });
  // Each corpus is made when its turn comes: one is held at a time, not eight of 100 000 facts
  // (a heap, and collections, eight times larger in every timed run).
  for (const [label, make, planned] of [
    [
      "decideBatch(), one voice_live campaign, Tue 11:00 Paris",
      () => screening("voice_live", "2025-03-04T11:00:00+01:00"),
      byBatches,
    ],
    [
      "decideBatch(), one voice_live campaign, Sat 11:00 Paris",
      () => screening("voice_live", "2025-03-08T11:00:00+01:00"),
      byBatches,
    ],
    ["decideBatch(), one e-mail campaign", () => screening("email", "2025-03-04T11:00:00+01:00"), byBatches],
    [
      "decideBatch(), a rented file, voice_live, Tue 11:00 Paris",
      () => rentedFile(n, "voice_live", "2025-03-04T11:00:00+01:00"),
      byBatches,
    ],
    [
      "decideBatch(), a rented file, e-mail",
      () => rentedFile(n, "email", "2025-03-04T11:00:00+01:00"),
      byBatches,
    ],
    [
      "a plan per campaign and instant, 200 campaigns at their instants",
      () => campaignsCorpus(n, 4, 200),
      byPlanCache(1),
    ],
    ["PlanCache (plans from 1 024 facts), 200 campaigns", () => campaignsCorpus(n, 4, 200), byPlanCache()],
    [
      "PlanCache (plans from 1 024 facts), every fact its own campaign",
      () => corpus(n, false, 1, 200),
      byPlanCache(),
    ],
  ] as const) {
    const facts = make();
    const runs = { planned: [] as number[], decided: [] as number[], reference: [] as number[] };
    let blocked = 0;
    for (let i = -1; i < 5; i++) {
      const p = timeRun(facts, planned);
      const d = timeRun(facts, byDecide);
      const r = timeRun(facts, byReference);
      if (p.blocked !== d.blocked)
        throw new Error(`bench: ${label}: the plan blocked ${p.blocked}, decide() ${d.blocked}`);
      blocked = p.blocked;
      if (i < 0) continue; // warm-up
      runs.planned.push(p.perSecond);
      runs.decided.push(d.perSecond);
      runs.reference.push(r.perSecond);
    }
    const [plan, dec, ref] = [median(runs.planned), median(runs.decided), median(runs.reference)];
    console.log(
      `${label}: ${(plan / 1e6).toFixed(2)} M decisions/s (median of 5, ${(1e9 / plan).toFixed(0)} ns each; ${((100 * blocked) / n).toFixed(1)} % blocked) · decide() ${(dec / 1e6).toFixed(2)} M/s, ×${(plan / dec).toFixed(1)} · reference 3-check closure ${(ref / 1e6).toFixed(1)} M/s · ratio ${(plan / ref).toFixed(3)}`,
    );
    results[label] = {
      decisionsPerSecond: Math.round(plan),
      decidePerSecond: Math.round(dec),
      referencePerSecond: Math.round(ref),
    };
  }
  return results;
}
