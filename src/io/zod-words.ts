// What is said of a value of the wrong type, in vigie's words rather than Zod's ("Invalid input:
// expected string, received number"): `required` when the field is absent, `must be …` otherwise,
// as the schemas that say it themselves do (src/api/schemas.ts `requiredText`); a schema's own
// message wins. Zod's configuration is global: it is set as this module loads, and every parse
// whose issues users read goes through `issuesOf` (the facts contract, the API's bodies and
// queries), which imports it.
import { z } from "zod";

/** A field at fault: its JSON path (`campaign.channel`, `points[2]`) and what is wrong with it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

const KINDS: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "a list (a JSON array)",
};

z.config({
  customError: (issue) => {
    if (issue.code === "invalid_type") {
      if (issue.input === undefined) return "required";
      return `must be ${KINDS[issue.expected] ?? issue.expected}`;
    }
    if (issue.code === "invalid_format" && issue.format === "url") return "must be a URL";
    if (issue.code === "too_small" || issue.code === "too_big") {
      const bound = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const most = issue.code === "too_small" ? "at least" : "at most";
      if (issue.origin === "string")
        return bound === 1 && issue.code === "too_small"
          ? "must not be empty"
          : `must have ${most} ${bound} characters`;
      if (issue.origin === "array") return `must have ${most} ${bound} item${bound === 1 ? "" : "s"}`;
      if (issue.origin === "number") return `must be ${most} ${bound}`;
    }
    return undefined;
  },
});

function pathOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** The input's value at a path, or undefined where a key is absent. */
function inputAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * A failed parse of `input`'s issues, each naming its field; an unknown field is named itself, an
 * absent one `required` — whatever a schema says of a value of the wrong type.
 */
export function issuesOf(error: z.ZodError, input: unknown): FieldIssue[] {
  // A field of the wrong type is said so once: checks of its length that Zod runs anyway on what
  // it was given (an array for a string) would only mislead.
  const mistyped = new Set<string>();
  return error.issues.flatMap((issue): FieldIssue[] => {
    const at = pathOf(issue.path);
    if (mistyped.has(at)) return [];
    if (issue.code === "invalid_type") mistyped.add(at);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: at === "" ? key : `${at}.${key}`, message: "unknown field" }));
    }
    if (issue.code === "invalid_type" && issue.path.length > 0 && inputAt(input, issue.path) === undefined) {
      return [{ path: at, message: "required" }];
    }
    return [{ path: at, message: issue.message }];
  });
}
