// A multipart body carries one file, the list or the import: a second one is refused by name
// rather than silently ignored (the sender would believe both were taken).
import type { Multipart, MultipartFile } from "@fastify/multipart";

export interface SoleFile<T> {
  /** What `receive` made of the file; undefined when the body had no file. */
  readonly value: T | undefined;
  /** Why the body is refused — a second file, named — or null. */
  readonly extra: string | null;
}

/**
 * Reads the rest of a multipart body: the first file goes to `receive` (which must consume its
 * stream); fields are skipped; a second file ends the reading with `extra` naming it.
 */
export async function soleFile<T>(
  parts: AsyncIterator<Multipart>,
  receive: (file: MultipartFile) => Promise<T>,
): Promise<SoleFile<T>> {
  let value: T | undefined;
  let seen = false;
  for (let next = await parts.next(); next.done !== true; next = await parts.next()) {
    const part = next.value;
    if (part.type !== "file") continue;
    if (seen) {
      part.file.resume();
      const name = part.filename === "" ? "" : ` (${JSON.stringify(part.filename.slice(0, 200))})`;
      return {
        value,
        extra: `multipart: a second file, field ${JSON.stringify(part.fieldname)}${name}: send one file`,
      };
    }
    seen = true;
    value = await receive(part);
  }
  return { value, extra: null };
}
