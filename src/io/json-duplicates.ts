// A JSON body that names a field twice ({"point": A, "point": B}) is valid JSON whose meaning
// depends on the reader: JSON.parse keeps the last, other parsers the first or both (RFC 8259
// §4: names SHOULD be unique). A gate that decides on the last while a proxy, a log or the
// sender's own code read the first would check another point than the one called, so a user's
// JSON is refused when one of its objects repeats a name: API bodies (src/web/shared-rules.ts),
// JSON Lines rows, campaign files and --map-values-file.

/** What is said of a name given twice, after its path. */
export const NAME_TWICE = "given twice in one object: which one counts is not said";

/**
 * The JSON path of the first name an object of `text` repeats (`campaign.channel`, `points[2].x`),
 * or null. `text` is JSON that JSON.parse has accepted: the scan follows its strings and brackets
 * only, and would misread anything else.
 */
export function duplicateName(text: string): string | null {
  // One frame per open object or array: its names so far (objects), or its next index (arrays).
  const frames: { names: Set<string> | null; index: number; path: string }[] = [];
  let i = 0;
  const n = text.length;
  /** The path of the value about to be read in the innermost container. */
  let pending = "";
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      i++;
      let escaped = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) {
          escaped = true;
          i += 2;
          continue;
        }
        if (d === 0x22) break;
        i++;
      }
      i++;
      const frame = frames[frames.length - 1];
      // A string is a name when it is followed by a colon inside an object.
      let j = i;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (frame?.names != null && text.charCodeAt(j) === 0x3a /* : */) {
        const raw = text.slice(start + 1, i - 1);
        const name = escaped ? (JSON.parse(text.slice(start, i)) as string) : raw;
        const path = frame.path === "" ? name : `${frame.path}.${name}`;
        if (frame.names.has(name)) return path;
        frame.names.add(name);
        pending = path;
        i = j + 1;
      }
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const parent = frames[frames.length - 1];
      const path =
        parent === undefined ? "" : parent.names === null ? `${parent.path}[${parent.index}]` : pending;
      frames.push({ names: c === 0x7b ? new Set() : null, index: 0, path });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
    } else if (c === 0x2c /* , */) {
      const frame = frames[frames.length - 1];
      if (frame !== undefined && frame.names === null) frame.index++;
    }
    i++;
  }
  return null;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
