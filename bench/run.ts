// `npm run bench`: every benchmark, with the machine line. Figures, not pass/fail.
import { benchEngine } from "./engine.ts";
import { machineLine } from "./machine.ts";

console.log(`vigie benchmarks — ${machineLine()}`);
console.log("");
benchEngine();
console.log("");
await import("./normalize.ts");
