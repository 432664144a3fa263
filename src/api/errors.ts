// One error shape for every 4xx: `{ "error": { path, message, issues } }`, the first issue
// repeated at the top so a client can show one line, as `vigie check` prints it.
import type { FactsError } from "../facts/parse.ts";

export interface ApiError {
  readonly error: { readonly path: string; readonly message: string; readonly issues: readonly FactsError[] };
}

export function apiError(issues: readonly FactsError[]): ApiError {
  const [first] = issues;
  return { error: { path: first?.path ?? "", message: first?.message ?? "", issues } };
}

export function messageError(message: string, path = ""): ApiError {
  return apiError([{ path, message }]);
}
