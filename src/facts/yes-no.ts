// The words a spreadsheet cell uses for yes and no, in French and English: one list for every file
// vigie reads (imports, screened lists).
const YES = new Set(["true", "1", "oui", "yes"]);
const NO = new Set(["false", "0", "non", "no"]);

/** true, false, or null when the cell (trimmed, any case) is neither word. */
export function yesNo(cell: string): boolean | null {
  const word = cell.trim().toLowerCase();
  return YES.has(word) ? true : NO.has(word) ? false : null;
}
