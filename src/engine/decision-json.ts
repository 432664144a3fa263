// A decision as JSON, as `JSON.stringify(decision)` writes it (docs/contract.md §1), from the
// reasons' own JSON kept by each reason (reason.ts): the reasons a rule gives with fixed words are
// shared by every decision listing them, so an answer of the check API writes only what is new
// in it. Half the time of JSON.stringify on a check's decision, whose reasons are most of its
// 5 KB (bench/api.ts).
import type { Decision, Reason } from "./decision.ts";
import { CodedReason } from "./reason.ts";

function reasonsJson(reasons: readonly Reason[]): string {
  let out = "[";
  for (let i = 0; i < reasons.length; i++) {
    const r = reasons[i] as Reason;
    if (i > 0) out += ",";
    out += r instanceof CodedReason ? r.json() : JSON.stringify(r);
  }
  return `${out}]`;
}

/** Byte for byte `JSON.stringify(d)` for a Decision as the engine makes it (test/engine/decision-json.test.ts). */
export function decisionJson(d: Decision): string {
  return (
    `{"verdict":${JSON.stringify(d.verdict)},"reasons":${reasonsJson(d.reasons)},` +
    `"obligations":${reasonsJson(d.obligations)},"nextAllowedAt":${JSON.stringify(d.nextAllowedAt)},` +
    `"rulebook":${JSON.stringify(d.rulebook)}}`
  );
}
