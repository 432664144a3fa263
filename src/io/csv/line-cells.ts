// A line read as a header would be, to say where a file's header is when its first line is not
// one (a title above the table): a hint in an error message, never used to read rows.

/** Lines read below a header a file cannot be read with, to say where its header is. */
export const LOOK_BELOW = 10;

/**
 * A line's cells as a header would have them, cut by whichever delimiter gives the most: the one
 * sniffed from a title line above the table may not be the table's. For a hint only (quotes are
 * stripped, not parsed).
 */
export function cellsOfLine(raw: Buffer | undefined): string[] {
  const text = raw?.toString("utf8") ?? "";
  let best = [text];
  for (const d of [";", ",", "\t", "|"]) {
    const cells = text.split(d);
    if (cells.length > best.length) best = cells;
  }
  return best.map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
}

export interface LineCells {
  readonly line: number;
  readonly cells: readonly string[];
}

/**
 * What the error says of the first of `rows` whose trimmed cells `fits` would read as a header:
 * its line and first names; null when none does.
 */
export function headerHint(rows: readonly LineCells[], fits: (header: string[]) => boolean): string | null {
  for (const { line, cells } of rows) {
    const header = cells.map((c) => c.trim());
    if (!fits(header)) continue;
    const shown = header.filter((c) => c !== "").slice(0, 4);
    const more = header.length > shown.length ? ", …" : "";
    return `line ${line} looks like the header (${shown.map((c) => JSON.stringify(c)).join(", ")}${more}): remove the line(s) above it, which are not part of the table`;
  }
  return null;
}

/** Whether `check` passes, or throws an error of `refusal` (anything else is thrown on). */
export function passes(check: () => unknown, refusal: abstract new (...args: never[]) => Error): boolean {
  try {
    check();
    return true;
  } catch (e) {
    if (e instanceof refusal) return false;
    throw e;
  }
}
