// Regenerates src/params/fr/holidays.generated.json from date-holidays plus our overrides.
// Run after upgrading date-holidays or editing holidays-source.ts; the drift test in
// src/params/fr/holidays.test.ts fails until the committed file matches.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GENERATED_JSON_URL, generateHolidays, serializeHolidays } from "../src/params/fr/holidays-source.ts";

writeFileSync(GENERATED_JSON_URL, serializeHolidays(generateHolidays()));
console.log(`wrote ${fileURLToPath(GENERATED_JSON_URL)}`);
