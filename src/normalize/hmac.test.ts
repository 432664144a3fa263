// The HMAC-SHA-256 used to key contact points against node:crypto's, at every message length
// around the block boundaries, for ASCII and non-ASCII text and keys of several lengths.
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { test } from "node:test";
import fc from "fast-check";
import { HmacSha256 } from "./hmac.ts";

const reference = (secret: Uint8Array, message: string) =>
  createHmac("sha256", secret).update(message, "utf8").digest("base64url");

test("every length from 0 to 1 000 bytes (block edges 55, 56, 63, 64, 119, 120 among them), random keys (up to a block: keyring secrets are 32 bytes) and bytes, and long messages, as node:crypto", () => {
  for (const size of [32, 0, 1, 20, 63, 64]) {
    const secret = randomBytes(size);
    const h = new HmacSha256(secret);
    for (let n = 0; n <= 1000; n++) {
      // Printable ASCII, one byte a character: the message is n bytes long.
      const message = String.fromCharCode(...randomBytes(n).map((b) => 0x20 + (b % 95)));
      assert.equal(h.base64url(message), reference(secret, message), `key ${size} B, message ${n} B`);
    }
    for (const n of [1023, 1024, 1025, 5000]) {
      const message = "p".repeat(n);
      assert.equal(h.base64url(message), reference(secret, message), `message ${n} B`);
    }
  }
});

test("random points and text, ASCII or not, as node:crypto", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 0, maxLength: 64 }),
      fc.array(fc.oneof(fc.string({ unit: "grapheme", maxLength: 200 }), fc.string({ maxLength: 120 })), {
        maxLength: 8,
      }),
      (secret, messages) => {
        const h = new HmacSha256(secret);
        for (const m of [...messages, "phone:+33612345678", "email:jean@exämple.fr"]) {
          assert.equal(h.base64url(m), reference(secret, m));
        }
      },
    ),
    { numRuns: 300, seed: 4 },
  );
});
