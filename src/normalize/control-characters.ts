// Control characters in text that reaches a message, a header, a file, a terminal or a URL: a
// newline in a controller's name would start a new e-mail header line, a NUL cuts a C string,
// U+2028/2029 break lines in JavaScript and some mail clients. Refused at every boundary (the API's
// bodies, the facts contract, the CLI's options, an import's cells), naming the field.
import type { z } from "zod";

/** C0 and C1 controls (DEL included, as \p{Cc}), and the Unicode line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

export const hasControlCharacter = (text: string): boolean => CONTROL.test(text);

export const CONTROL_CHARACTER_MESSAGE =
  "must not contain control characters (newlines, tabs, NUL, U+2028/2029…)";

/** The one refinement every schema of names and free text carries. */
export const withoutControlCharacters = <S extends z.ZodType<string>>(schema: S): S =>
  schema.refine((text) => !hasControlCharacter(text), { error: CONTROL_CHARACTER_MESSAGE }) as S;
