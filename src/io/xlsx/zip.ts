// The entries of a zip file (an .xlsx is one), read through its central directory: each entry is
// streamed from its offset and inflated as it is read (fflate), so a sheet of a million rows is
// never held whole. Zip64 archives (4 GiB and more) are refused: no spreadsheet reaches them.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Inflate } from "fflate";

export class ZipError extends Error {}

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localHeader: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

async function readAt(file: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The entries of the central directory, by name. */
export async function zipEntries(file: string, size: number): Promise<Map<string, ZipEntry>> {
  const tail = await readAt(file, Math.max(0, size - 65_557), Math.min(size, 65_557));
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipError("not a zip file (no central directory)");
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError("a zip64 archive, which is not read");
  const cd = await readAt(file, cdOffset, cdSize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL)
      throw new ZipError("a damaged central directory");
    const nameLength = cd.readUInt16LE(p + 28);
    const name = cd.toString("utf8", p + 46, p + 46 + nameLength);
    entries.set(name, {
      name,
      method: cd.readUInt16LE(p + 10),
      compressedSize: cd.readUInt32LE(p + 20),
      localHeader: cd.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
  }
  return entries;
}

const mib = (bytes: number): string => `${Math.round(bytes / 1024 / 1024).toLocaleString("fr-FR")} MiB`;

/**
 * An entry's content, inflated a chunk at a time, refused past `maxBytes` once inflated: a few
 * megabytes of deflate can hold gigabytes (a zip bomb), so the bound is on what comes out.
 */
export async function* zipEntry(
  file: string,
  e: ZipEntry,
  maxBytes = Number.POSITIVE_INFINITY,
): AsyncGenerator<Uint8Array> {
  let inflated = 0;
  const bounded = (chunk: Uint8Array): Uint8Array => {
    inflated += chunk.length;
    if (inflated > maxBytes)
      throw new ZipError(`${e.name}: more than ${mib(maxBytes)} once inflated: refused`);
    return chunk;
  };
  const header = await readAt(file, e.localHeader, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL)
    throw new ZipError(`${e.name}: a damaged entry`);
  const start = e.localHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (e.compressedSize === 0) return;
  const raw = createReadStream(file, { start, end: start + e.compressedSize - 1 }) as AsyncIterable<Buffer>;
  if (e.method === 0) {
    for await (const chunk of raw) yield bounded(chunk);
    return;
  }
  if (e.method !== 8) throw new ZipError(`${e.name}: compression method ${e.method}, which is not read`);
  let out: Uint8Array[] = [];
  const inflate = new Inflate((data) => {
    out.push(bounded(data));
  });
  let read = 0;
  for await (const chunk of raw) {
    read += chunk.length;
    try {
      inflate.push(chunk, read >= e.compressedSize);
    } catch (error) {
      throw new ZipError(`${e.name}: ${(error as Error).message}`);
    }
    yield* out;
    out = [];
  }
}
