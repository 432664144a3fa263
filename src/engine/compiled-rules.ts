// The rules' compiled twins (plan-rule.ts), by rule id; a rule without one is probed and, where
// it reads the contact, evaluated on each contact's context.
import { CNIL_COMPILED } from "../rules/fr/cnil/compiled.ts";
import { CODE_ASSURANCES_COMPILED } from "../rules/fr/code-assurances/compiled.ts";
import { D223_9_COMPILED } from "../rules/fr/conso-d223-9/compiled.ts";
import { CONSO_L221_COMPILED } from "../rules/fr/conso-l221/compiled.ts";
import { CONSO_L223_COMPILED } from "../rules/fr/conso-l223/compiled.ts";
import { CPCE_L34_5_COMPILED } from "../rules/fr/cpce-l34-5/compiled.ts";
import { GDPR_COMPILED } from "../rules/fr/gdpr/compiled.ts";
import type { RuleCompilers } from "./plan-rule.ts";

export const COMPILED_RULES: RuleCompilers = {
  ...GDPR_COMPILED,
  ...CNIL_COMPILED,
  ...CPCE_L34_5_COMPILED,
  ...CONSO_L223_COMPILED,
  ...D223_9_COMPILED,
  ...CONSO_L221_COMPILED,
  ...CODE_ASSURANCES_COMPILED,
};
