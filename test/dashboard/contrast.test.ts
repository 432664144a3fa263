// WCAG 2.2 contrast of the dashboard's colours (src/dashboard/style.ts): text colours against the
// backgrounds they are drawn on must reach 4.5:1 (AA for body text).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COLORS } from "../../src/dashboard/style.ts";

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe("dashboard colours", () => {
  it("computes contrast as WCAG does (black on white is 21:1, white on white 1:1)", () => {
    assert.equal(Math.round(contrast("#000000", "#ffffff") * 10) / 10, 21);
    assert.equal(contrast("#ffffff", "#ffffff"), 1);
  });

  for (const fg of ["text", "muted", "accent", "allow", "block", "warn"] as const) {
    for (const bg of ["background", "panel"] as const) {
      it(`${fg} on ${bg} reaches 4.5:1`, () => {
        const ratio = contrast(COLORS[fg], COLORS[bg]);
        assert.ok(ratio >= 4.5, `${COLORS[fg]} on ${COLORS[bg]}: ${ratio.toFixed(2)}:1`);
      });
    }
  }

  it("white button text on the accent and danger colours reaches 4.5:1", () => {
    assert.ok(contrast("#ffffff", COLORS.accent) >= 4.5);
    assert.ok(contrast("#ffffff", COLORS.block) >= 4.5);
  });
});
