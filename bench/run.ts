// `npm run bench`: every benchmark, with the machine line. Figures, not pass/fail. Sizes can be
// reduced with BENCH_N (engine), BENCH_AUDIT_EVENTS, BENCH_IMPORT_ROWS, BENCH_LAYOUT_ROWS, BENCH_SCREEN_ROWS, VIGIE_BENCH_EVENTS,
// BENCH_WRITERS_SECONDS, BENCH_API_POINTS, BENCH_SIGNIN_SECONDS, BENCH_SIGNIN_RATE.
import { benchApi } from "./api.ts";
import { benchAudit } from "./audit.ts";
import { benchEngine } from "./engine.ts";
import { benchImport } from "./import.ts";
import { benchLayouts } from "./layouts.ts";
import { machineLine } from "./machine.ts";
import { benchScreen } from "./screen.ts";
import { benchSignInFlood } from "./sign-in-flood.ts";
import { benchWriters } from "./writers.ts";

console.log(`vigie benchmarks — ${machineLine()}`);
console.log("\n## decide()");
benchEngine();
console.log("\n## contact-point normalization");
await import("./normalize.ts");
console.log("\n## CSV scanning");
await import("./csv.ts");
console.log("\n## evidence store: appends");
await import("./store.ts");
console.log("\n## evidence store: writers of one tenant");
await benchWriters();
console.log("\n## vigie audit verify");
await benchAudit();
console.log("\n## vigie import");
await benchImport();
console.log("\n## evidence store: floors of candidate layouts");
benchLayouts();
console.log("\n## vigie screen");
await benchScreen();
console.log("\n## HTTP API");
await benchApi();
console.log("\n## Sign-in flood");
await benchSignInFlood();
