// Screening decides a list's rows through one compiled plan (src/services/screen/row-decision.ts):
// on random lists — every channel, kind of person, zone and kind of evidence, with and without a
// window — each row's decision is the one decide() gives, which RowDecider falls back to for
// facts that are not its campaign's (here, a copy of the campaign object).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Facts } from "../../src/facts/types.ts";
import type { ScreenCampaign } from "../../src/services/screen/campaign.ts";
import { RowDecider } from "../../src/services/screen/row-decision.ts";
import { listArb } from "../support/facts-arbitraries.ts";

const HOUR = 3_600_000;

test("every row of a list gets the decision decide() gives it, through the plan, with and without a window", () => {
  let planned = 0;
  fc.assert(
    fc.property(listArb, fc.option(fc.integer({ min: 0, max: 96 * HOUR }), { nil: null }), (list, span) => {
      const { at, campaign, policy, contacts } = list;
      const screen: ScreenCampaign = {
        campaign,
        policy,
        at,
        window: span === null ? null : { from: at, to: at + span },
        when: { at: new Date(at).toISOString() },
        pointType: campaign.channel === "email" ? "email" : "phone",
      };
      const rows = new RowDecider(screen);
      for (const contact of contacts) {
        const facts: Facts = { at, campaign, contact, policy };
        const byDecide: Facts = { ...facts, campaign: { ...campaign } };
        assert.deepStrictEqual(rows.decide(facts), rows.decide(byDecide));
        planned++;
      }
    }),
    { numRuns: 150, seed: 20261202 },
  );
  assert.ok(planned > 1000, `only ${planned} rows`);
});
