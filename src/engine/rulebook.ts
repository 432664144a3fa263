// The rulebook: every rule in the order decisions list them, with its periods compiled to
// instants once. Adding a rule = writing it in its source folder and listing it here.
import type { Channel, Kind } from "../facts/vocabulary.ts";
import { ARCEP_RULES } from "../rules/fr/arcep/rules.ts";
import { CNIL_RULES } from "../rules/fr/cnil/rules.ts";
import { CODE_ASSURANCES_RULES } from "../rules/fr/code-assurances/rules.ts";
import { CODE_TRAVAIL_RULES } from "../rules/fr/code-travail/rules.ts";
import { D223_9_RULES } from "../rules/fr/conso-d223-9/rules.ts";
import { CONSO_L221_RULES } from "../rules/fr/conso-l221/rules.ts";
import { CONSO_L223_RULES } from "../rules/fr/conso-l223/rules.ts";
import { CPCE_L34_5_RULES } from "../rules/fr/cpce-l34-5/rules.ts";
import { GDPR_RULES } from "../rules/fr/gdpr/rules.ts";
import { LOI_2025_594_RULES } from "../rules/fr/loi-2025-594/rules.ts";
import { dayAfter, dayStart } from "../time/dates.ts";
import type { InlineException, Rule, RuleVersion } from "./rule.ts";
import { RULE_IDS, type RuleId } from "./rule-ids.ts";

export { COVERAGE_FROM, COVERAGE_TO, RULEBOOK_VERSION } from "./rulebook-coverage.ts";

export interface Period {
  readonly from: number;
  /** Exclusive end; Infinity while in force. */
  readonly to: number;
}

export interface CompiledVersion extends Period {
  readonly version: RuleVersion;
}

export interface CompiledException extends Period {
  readonly rule: CompiledRule | null;
  readonly inline: InlineException | null;
}

export interface CompiledRule {
  readonly rule: Rule;
  readonly versions: readonly CompiledVersion[];
  readonly channels: ReadonlySet<Channel> | null;
  readonly kinds: ReadonlySet<Kind> | null;
  exceptions: readonly CompiledException[];
}

/**
 * The order decisions list reasons in (docs/rules.md lists rules in it): objections and data hygiene first, then the
 * sector bans, the channel's consent rules, the telephone regime, and the duties of the contact.
 * Exception rules appear where their base rule is.
 */
const ORDER: readonly RuleId[] = [
  "gdpr-17/erased",
  "gdpr-21/objection",
  "cnil/retention",
  "cnil/partner-consent",
  "gdpr-14/information",
  "gdpr-6/legal-basis",
  "conso-l223-1/energy-ban",
  "loi-2025-594/sector-ban",
  "travail-l6323-8-1/cpf-ban",
  "cpce-l34-5/inbox-ad",
  "cpce-l34-5/consent",
  "cpce-l34-5/legal-entity",
  "cnil/b2b",
  "cpce-l34-5/soft-opt-in",
  "cnil/non-commercial",
  "gdpr-7/consent-proof",
  "cpce-l34-5/message-content",
  "conso-l221-17/caller-id",
  "arcep/number-ranges",
  "conso-l223-1/phone-consent",
  "conso-l223-1/bloctel",
  "conso-l223-5/press",
  "conso-l223-1/bloctel-scrub",
  "conso-l223-3/file-sale",
  "conso-d223-9/hours",
  "conso-d223-9/frequency",
  "conso-d223-9/refusal-pause",
  "conso-l221-16/no-recontact",
  "assur-l112-2-2/insurance-call",
  "conso-l221-16/call-info",
  "cnil/postal",
];

function ordered(rules: readonly Rule[]): Rule[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const missing = RULE_IDS.filter((id) => !byId.has(id) || !ORDER.includes(id));
  if (missing.length > 0 || byId.size !== ORDER.length) {
    throw new Error(`rulebook: rules and ORDER disagree (${missing.join(", ")})`);
  }
  return ORDER.map((id) => byId.get(id) as Rule);
}

export const RULES: readonly Rule[] = ordered([
  ...GDPR_RULES,
  ...CNIL_RULES,
  ...CPCE_L34_5_RULES,
  ...CONSO_L223_RULES,
  ...D223_9_RULES,
  ...CONSO_L221_RULES,
  ...ARCEP_RULES,
  ...LOI_2025_594_RULES,
  ...CODE_TRAVAIL_RULES,
  ...CODE_ASSURANCES_RULES,
]);

function period(from: string, to: string | undefined): Period {
  return { from: dayStart(from), to: to === undefined ? Number.POSITIVE_INFINITY : dayAfter(to) };
}

function compile(rules: readonly Rule[]): Map<RuleId, CompiledRule> {
  const byId = new Map<RuleId, CompiledRule>();
  for (const rule of rules) {
    if (byId.has(rule.id)) throw new Error(`rulebook: rule ${rule.id} listed twice`);
    byId.set(rule.id, {
      rule,
      versions: rule.versions.map((version) => ({ ...period(version.from, version.to), version })),
      channels: rule.channels === "all" ? null : new Set(rule.channels),
      kinds: rule.kinds === "all" ? null : new Set(rule.kinds),
      exceptions: [],
    });
  }
  for (const compiled of byId.values()) {
    compiled.exceptions = (compiled.rule.exceptions ?? []).map((ex) => {
      if (typeof ex === "string") {
        const target = byId.get(ex);
        if (target?.rule.role !== "exception") {
          throw new Error(`rulebook: ${compiled.rule.id} names ${ex}, which is not an exception rule`);
        }
        return { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY, rule: target, inline: null };
      }
      const p = period(ex.from ?? "1970-01-01", ex.to);
      return { ...p, rule: null, inline: ex };
    });
  }
  return byId;
}

const COMPILED: ReadonlyMap<RuleId, CompiledRule> = compile(RULES);
/** Rules evaluated on their own, in order (exception rules run only through their base rule). */
export const MAIN_RULES: readonly CompiledRule[] = [...COMPILED.values()].filter(
  (c) => c.rule.role !== "exception",
);

export function versionAt(rule: CompiledRule, at: number): CompiledVersion | undefined {
  for (const v of rule.versions) if (v.from <= at && at < v.to) return v;
  return undefined;
}

export function ruleById(id: string): CompiledRule | undefined {
  return COMPILED.get(id as RuleId);
}
