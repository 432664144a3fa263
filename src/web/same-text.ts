// Comparing a secret sent with the one expected without the time taken telling how much matched
// (a CSRF token, a gateway's signature).
import { timingSafeEqual } from "node:crypto";

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
