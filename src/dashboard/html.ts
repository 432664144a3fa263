// HTML built from tagged templates: every interpolated value is escaped unless it is itself Html,
// so a page cannot forget to escape a contact point or a file's column name.
import { escapeHtml } from "../web/html.ts";

export class Html {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part instanceof Html) return part.text;
  if (part === null || part === undefined || part === false) return "";
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? "");
  return new Html(out);
}

/** Text the caller vouches for (a stylesheet, a report vigie rendered itself). */
export const raw = (text: string): Html => new Html(text);
