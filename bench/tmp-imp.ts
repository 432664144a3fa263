import { benchImport } from "./import.ts";

await benchImport();
