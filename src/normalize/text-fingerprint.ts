// A 64-bit fingerprint of a text (a point key), as two 32-bit words: for the in-memory sets of
// keys that only need to say "maybe held" cheaply — two texts sharing one cost a needless read,
// never a wrong answer (src/services/screen/evidence-index.ts, src/store/sqlite/held-parts.ts).

/** The last fingerprint: [high word, low word]. Written in place, so that a lookup allocates nothing. */
export const FINGERPRINT = new Uint32Array(2);

/** Fingerprints `text` into FINGERPRINT: FNV-1a and a Murmur-style hash, each finalized. */
export function fingerprintText(text: string): void {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  FINGERPRINT[0] = mix(a);
  FINGERPRINT[1] = mix(b ^ a);
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
