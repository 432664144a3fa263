// normalizePhone's French-plan fast path against libphonenumber-js/max (parse + isValid +
// getType) on 1M seeded numbers, half "+33 6 …" and half "0X …"; then
// pointKey. Figures, not pass/fail: `node --import tsx bench/normalize.ts`.
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { pointKey } from "../src/normalize/keys.ts";
import { normalizePhone } from "../src/normalize/phone.ts";
import { machineLine, median, rng } from "./machine.ts";

const N = 1_000_000;
const r = rng(2026);
const digit = (): string => String(Math.floor(r() * 10));
const numbers = Array.from({ length: N }, (_, i) => {
  const rest = Array.from({ length: 8 }, digit).join("");
  return i % 2 === 0 ? `+33 6 ${rest.match(/../g)?.join(" ")}` : `0${1 + Math.floor(r() * 9)}${rest}`;
});

function time(label: string, runs: number, body: () => number): number {
  body(); // warm-up, and loads libphonenumber-js/max if needed
  const ms: number[] = [];
  let valid = 0;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    valid = body();
    ms.push(performance.now() - start);
  }
  const perSecond = N / (median(ms) / 1000);
  console.log(
    `${label.padEnd(34)} ${median(ms).toFixed(0).padStart(6)} ms/1M  ${(perSecond / 1e6).toFixed(2).padStart(5)} M/s  valid ${valid}`,
  );
  return perSecond;
}

console.log(`normalize — ${machineLine()}`);
const fast = time("normalizePhone (fast path)", 5, () => {
  let valid = 0;
  for (const n of numbers) if (normalizePhone(n).ok) valid++;
  return valid;
});
const lib = time("libphonenumber-js/max", 1, () => {
  let valid = 0;
  for (const n of numbers) {
    const parsed = parsePhoneNumberFromString(n, "FR");
    if (parsed?.isValid() && parsed.getType() !== undefined) valid++;
  }
  return valid;
});
console.log(`fast path / libphonenumber-js/max: ${(fast / lib).toFixed(1)}×`);

const current = { version: 1, secret: Buffer.alloc(32, 1), createdAt: "2026-01-01T00:00:00.000Z" };
const ring = { current, versions: [current] };
const points = numbers.slice(0, 200_000).map((n) => ({ type: "phone" as const, value: n }));
time("pointKey (HMAC-SHA-256), 1M keys", 3, () => {
  let length = 0;
  for (let i = 0; i < N; i++)
    length += pointKey(ring, points[i % points.length] ?? { type: "phone", value: "" }).length;
  return length > 0 ? N : 0;
});
