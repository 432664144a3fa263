// Benchmarks measure the compiled JavaScript users run (`npm run build` → dist/), not the
// TypeScript loader: under tsx the same code runs markedly slower. Types come from src/.
import { existsSync } from "node:fs";

const dist = new URL("../dist/", import.meta.url);
if (!existsSync(new URL("engine/plan.js", dist))) {
  throw new Error(
    "bench: dist/ is missing or predates the sources — run `npm run build` first (npm run bench does)",
  );
}

export const { decide } = (await import(
  new URL("engine/decide.js", dist).href
)) as typeof import("../src/engine/decide.ts");
export const { compilePlan, decideBatch, PlanCache } = (await import(
  new URL("engine/plan.js", dist).href
)) as typeof import("../src/engine/plan.ts");
export const { parseFacts } = (await import(
  new URL("facts/parse.js", dist).href
)) as typeof import("../src/facts/parse.ts");
