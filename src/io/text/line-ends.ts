// Line ends of classic Mac OS: Excel's "CSV (Macintosh)" ends its lines with a carriage return
// alone, which the CSV scanner refuses outside quotes. A stream whose first line end is a CR not
// followed by a LF has them: every CR becomes a LF — one byte for one, so offsets and line numbers
// are kept. Any other stream passes as it is (a lone CR in a CRLF or LF file rejects its row,
// which the CSV scanner ends there: which bytes were meant is for whoever exported it to say).

const CR = 0x0d;
const LF = 0x0a;

/** The stream with its CR line ends as LF, when its first line end is a CR alone. */
export async function* withLineFeeds(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let mac: boolean | undefined;
  /** A chunk ending in the first CR, held until the next byte says what the CR is. */
  let held: Buffer | undefined;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    if (mac === undefined) {
      if (held !== undefined) {
        mac = chunk[0] !== LF;
      } else {
        const cr = chunk.indexOf(CR);
        const lf = chunk.indexOf(LF);
        if (lf >= 0 && (cr < 0 || lf < cr)) mac = false;
        else if (cr >= 0 && cr < chunk.length - 1) mac = chunk[cr + 1] !== LF;
        else if (cr >= 0) {
          held = chunk;
          continue;
        }
      }
    }
    if (held !== undefined) {
      yield mac === true ? crToLf(held) : held;
      held = undefined;
    }
    yield mac === true ? crToLf(chunk) : chunk;
  }
  // The stream ended on its first CR: a line end, and no LF anywhere.
  if (held !== undefined) yield crToLf(held);
}

/** A copy with every CR as LF (chunks may be views of buffers others read). */
function crToLf(chunk: Buffer): Buffer {
  const copy = Buffer.from(chunk);
  for (let i = copy.indexOf(CR); i >= 0; i = copy.indexOf(CR, i + 1)) copy[i] = LF;
  return copy;
}
