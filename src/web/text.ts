// Control characters in text that reaches a message, a header, a file or a URL: a newline in a
// controller's name would start a new e-mail header line, a NUL cuts a C string, U+2028/2029 break
// lines in JavaScript and some mail clients. Refused at the boundary, naming the field.

/** C0 and C1 controls (DEL included, as \p{Cc}), and the Unicode line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

export const hasControlCharacter = (text: string): boolean => CONTROL.test(text);

export const CONTROL_CHARACTER_MESSAGE =
  "must not contain control characters (newlines, tabs, NUL, U+2028/2029…)";
