// decide() throughput on one thread, over a varied generated corpus (issue #2 target: ≥ 1 M
// decisions/s for contacts without history). The reference measured in the same run is a
// hand-written three-check closure over the same facts — the floor any rule engine pays to read
// its input — so the ratio shows what the full rulebook costs on top.

import type { Facts } from "../src/facts/types.ts";
import { CHANNELS, KINDS, ORIGIN_TYPES, SECTORS } from "../src/facts/vocabulary.ts";
import { decide, parseFacts } from "./built.ts";
import { median, rng } from "./machine.ts";

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/**
 * `instants` distinct planned instants spread over 2016–2026: a list screened for a campaign is
 * decided at one instant, so 200 instants for 100 000 facts is the batch case; one instant per
 * fact is the worst case (every decision in a new hour of the calendar).
 */
export function corpus(n: number, withHistory: boolean, seed: number, instants: number): Facts[] {
  const r = rng(seed);
  const out: Facts[] = [];
  const start = Date.parse("2016-02-01T00:00:00Z");
  const span = Date.parse("2026-11-27T00:00:00Z") - start;
  const campaignInstants = Array.from({ length: instants }, () =>
    new Date(start + Math.floor(r() * span)).toISOString(),
  );
  for (let i = 0; i < n; i++) {
    const channel = pick(r, CHANNELS);
    const pointType =
      channel === "email" || channel === "inbox_ad"
        ? "email"
        : channel === "postal"
          ? "postal"
          : channel === "social_dm"
            ? "social"
            : "phone";
    const at = pick(r, campaignInstants);
    const controller = pick(r, ["Agence Dupont", "Isolation Plus", "Assur Direct", "Le Quotidien"]);
    const history = withHistory
      ? Array.from({ length: 1 + Math.floor(r() * 5) }, () => ({
          at: new Date(Date.parse(at) - Math.floor(r() * 40) * 86_400_000 - 3_600_000).toISOString(),
          channel: "voice_live",
          controller,
          outcome: pick(r, ["no_answer", "answered", "refused_offer", "no_answer"]),
        }))
      : [];
    const input = {
      at,
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
    const parsed = parseFacts(input);
    if (!parsed.ok) throw new Error(`bench corpus: ${JSON.stringify(parsed.errors)}`);
    out.push(parsed.facts);
  }
  return out;
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
  return results;
}
