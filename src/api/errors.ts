// One error shape for every 4xx: `{ "error": { path, message, issues } }`, the first issue
// repeated at the top so a client can show one line, as `vigie check` prints it.
import type { z } from "zod";
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

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === "number") return `${out}[${part}]`;
    return out === "" ? String(part) : `${out}.${String(part)}`;
  }, "");
}

/** Zod issues with the JSON path of the field at fault; an unknown field is named itself. */
export function zodIssues(error: z.ZodError): FactsError[] {
  return error.issues.flatMap((issue): FactsError[] => {
    const at = pathOf(issue.path);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: at === "" ? key : `${at}.${key}`, message: "unknown field" }));
    }
    return [{ path: at, message: issue.message }];
  });
}
