// A rule's verdict under a rule version, as the reason a decision lists.
import type { Reason } from "./decision.ts";
import type { RuleVersion, Verdict } from "./rule.ts";
import type { CompiledRule } from "./rulebook.ts";

/**
 * Reasons built from the same verdict object under the same rule version are identical: rules
 * keep their fixed verdicts as frozen constants, so those reasons are built once and shared.
 */
const sharedReasons = new WeakMap<Verdict, Map<RuleVersion, Reason>>();

export function reasonOf(rule: CompiledRule, v: Verdict, version: RuleVersion): Reason {
  const frozen = Object.isFrozen(v);
  let byVersion: Map<RuleVersion, Reason> | undefined;
  if (frozen) {
    byVersion = sharedReasons.get(v);
    const shared = byVersion?.get(version);
    if (shared !== undefined) return shared;
  }
  const reason: Reason = {
    rule: rule.rule.id,
    effect: v.effect,
    article: version.article,
    message: v.message,
    contested: version.contested !== undefined || v.contested === true,
  };
  if (!frozen) return reason;
  if (byVersion === undefined) {
    byVersion = new Map();
    sharedReasons.set(v, byVersion);
  }
  byVersion.set(version, Object.freeze(reason));
  return reason;
}
