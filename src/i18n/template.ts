// The template language of vigie's catalogues — rejected values (reasons.ts) and decision reasons
// (decisions.ts): `{name}` is an argument; `{name|one|other}` is the word for an argument that is
// a number (French: 0 and 1 take the singular). A template is parsed once, when its catalogue is
// loaded; rendering it is a concatenation. A missing argument throws: a reason half-said is a bug,
// never a message.

export type Lang = "fr" | "en";

interface Slot {
  readonly name: string;
  /** The singular and plural words of a counted argument; absent for a plain one. */
  readonly one?: string;
  readonly other?: string;
}

/** Literal text and argument slots, alternating; starts and ends with text (maybe empty). */
export type Template = readonly (string | Slot)[];

const PLACEHOLDER = /\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g;

export function compile(text: string): Template {
  const parts: (string | Slot)[] = [];
  let from = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(from, m.index));
    const [, name, one, other] = m as unknown as [string, string, string | undefined, string | undefined];
    parts.push(one === undefined ? { name } : { name, one, other: other as string });
    from = m.index + m[0].length;
  }
  parts.push(text.slice(from));
  return parts;
}

/** The names of a template's arguments, in order, repeated as often as they appear. */
export function argumentNames(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/** The names of a template's counted arguments (`{name|one|other}`), which must be numbers. */
export function countedNames(text: string): Set<string> {
  return new Set(
    [...text.matchAll(PLACEHOLDER)].filter((m) => m[2] !== undefined).map((m) => m[1] as string),
  );
}

const singular = (lang: Lang, n: number): boolean => (lang === "fr" ? n < 2 : n === 1);

/**
 * `template` with its arguments in language `lang`: strings and numbers as they are, any other
 * value through `nested` (a reason inside a reason, words given in both languages). `what` names
 * the template in errors.
 */
export function render<V>(
  template: Template,
  lang: Lang,
  args: Readonly<Record<string, string | number | V | undefined>>,
  nested: (value: V, lang: Lang) => string,
  what: string,
): string {
  let text = "";
  for (const part of template) {
    if (typeof part === "string") {
      text += part;
      continue;
    }
    const value = args[part.name];
    if (value === undefined) throw new Error(`reason ${what}: no argument ${part.name}`);
    if (part.one !== undefined) {
      if (typeof value !== "number") throw new Error(`reason ${what}: ${part.name} is not a number`);
      text += singular(lang, value) ? part.one : part.other;
    } else if (typeof value === "string" || typeof value === "number") {
      text += value;
    } else {
      text += nested(value as V, lang);
    }
  }
  return text;
}
