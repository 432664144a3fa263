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

/** What the error says of a line that looks like the header: its first names. */
export function looksLikeHeader(line: number, cells: readonly string[]): string {
  const shown = cells.filter((c) => c !== "").slice(0, 4);
  const more = cells.length > shown.length ? ", …" : "";
  return `line ${line} looks like the header (${shown.map((c) => JSON.stringify(c)).join(", ")}${more}): remove the line(s) above it, which are not part of the table`;
}
