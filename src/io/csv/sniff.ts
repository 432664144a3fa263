// Delimiter sniffing. The rule, in full:
// 1. Read the first SNIFF_RECORDS non-empty records (header included) within the first SNIFF_BYTES
//    bytes, split on LF outside double quotes. A record cut off by the end of those bytes is left
//    out, unless it is the only one.
// 2. For each candidate `,` `;` `\t` `|`, count its occurrences outside quotes in every record.
// 3. A candidate is consistent when it occurs in the header and occurs the same number of times in
//    every data record read. The consistent candidate occurring most in the header wins; if none
//    is consistent, the candidate occurring most in the header wins.
// 4. Ties go to the earlier candidate in the order above; a sample with none of them (a
//    single-column file) gets `,`.
// Counting in the data records too is what reads `name;address` over `Dupont;12, rue X` as `;`.

export type Delimiter = "," | ";" | "\t" | "|";

export const DELIMITERS: readonly Delimiter[] = [",", ";", "\t", "|"];

/** Records read to sniff the delimiter, header included. */
const SNIFF_RECORDS = 10;
/** Bytes after which sniffing decides with the records it has. */
const SNIFF_BYTES = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const CANDIDATES = DELIMITERS.map((d) => d.charCodeAt(0));

/**
 * The delimiter of an input starting with `sample` (BOM removed), by the rule above; undefined
 * while the sample is too short to decide and more input may come (`complete` false).
 */
export function sniffDelimiter(sample: Uint8Array, complete: boolean): Delimiter | undefined {
  const counts: number[][] = [];
  let row = [0, 0, 0, 0];
  let quoted = false;
  let empty = true;
  const n = Math.min(sample.length, SNIFF_BYTES);
  for (let i = 0; i < n && counts.length < SNIFF_RECORDS; i++) {
    const byte = sample[i] as number;
    if (byte === QUOTE) quoted = !quoted;
    if (byte !== LF && byte !== CR) empty = false;
    if (quoted) continue;
    if (byte === LF) {
      if (!empty) counts.push(row);
      row = [0, 0, 0, 0];
      empty = true;
      continue;
    }
    const candidate = CANDIDATES.indexOf(byte);
    if (candidate >= 0) row[candidate] = (row[candidate] as number) + 1;
  }
  if (counts.length < SNIFF_RECORDS) {
    const whole = complete && sample.length <= SNIFF_BYTES;
    if (!whole && sample.length < SNIFF_BYTES) return undefined;
    if (!empty && (whole || counts.length === 0)) counts.push(row);
  }
  return choose(counts);
}

function choose(counts: readonly number[][]): Delimiter {
  const header = counts[0] ?? [0, 0, 0, 0];
  let best = 0;
  let bestConsistent = -1;
  for (let c = 0; c < CANDIDATES.length; c++) {
    const inHeader = header[c] as number;
    if (inHeader > (header[best] as number)) best = c;
    const consistent = inHeader > 0 && counts.every((r) => r[c] === inHeader);
    if (consistent && (bestConsistent < 0 || inHeader > (header[bestConsistent] as number))) {
      bestConsistent = c;
    }
  }
  return DELIMITERS[bestConsistent >= 0 ? bestConsistent : best] as Delimiter;
}
