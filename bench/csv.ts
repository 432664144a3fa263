// CSV scanning throughput on 1 M rows × 8 columns: stream the file from disk (1 MiB reads) and
// decode 2 columns of every row (phone and company; half the companies are quoted, with `""`
// escapes and accents). Every parser must produce the same checksum. Figures, not pass/fail:
// `node --import tsx bench/csv.ts [rows]`. The file is generated once under bench/data/
// (git-ignored).

import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync } from "node:fs";
import { parse as csvParse } from "csv-parse";
import Papa from "papaparse";
import { CsvRecord, CsvScanner, scanCsv } from "../src/io/csv/scanner.ts";
import { machineLine, median, rng } from "./machine.ts";

const ROWS = Number(process.argv[2] ?? 1_000_000);
const RUNS = 3;
const PHONE = 2;
const COMPANY = 5;
const path = `bench/data/contacts-${ROWS}x8.csv`;
const HIGH_WATER_MARK = 1024 * 1024;

async function generate(): Promise<void> {
  mkdirSync("bench/data", { recursive: true });
  const r = rng(2026);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const firsts = ["Jean", "Marie", "Pierre", "Sophie", "Luc", "Camille", "Éloïse", "François", "Zoé", "Hugo"];
  const lasts = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy"];
  const plain = ["ACME SAS", "Boulangerie Lemaire", "Garage Moreau", "Cabinet Roux"];
  // Every quoted company has `""` escapes and accents.
  const quoted = [
    '"Le Petit" Château, SARL',
    'Société "Générale", Paris',
    'Café "Chez Zoé", Lyon',
    'Boulangerie "Élise" & Fils',
  ];
  const cities = ["Paris", "Lyon", "Évry", "Saint-Étienne", "Nîmes", "Brest"];
  const out = createWriteStream(path);
  out.write("id,email,phone,first_name,last_name,company,city,created_at\n");
  let text = "";
  for (let i = 1; i <= ROWS; i++) {
    const first = pick(firsts);
    const last = pick(lasts);
    const digits = String(Math.floor(r() * 1e8)).padStart(8, "0");
    const phone =
      r() < 0.5 ? `+33 6 ${digits.replace(/(\d\d)(?=\d)/g, "$1 ")}` : `0${1 + Math.floor(r() * 9)}${digits}`;
    // Half the rows carry a quoted company; the other half a plain one.
    const company = i % 2 === 0 ? `"${pick(quoted).replaceAll('"', '""')}"` : pick(plain);
    const day = String(1 + Math.floor(r() * 28)).padStart(2, "0");
    text += `${i},${first.toLowerCase()}.${last.toLowerCase()}${i}@example.fr,${phone},${first},${last},${company},${pick(cities)},2025-03-${day}\n`;
    if (text.length > HIGH_WATER_MARK) {
      if (!out.write(text)) await once(out, "drain");
      text = "";
    }
  }
  out.end(text);
  await once(out, "finish");
}

const read = () => createReadStream(path, { highWaterMark: HIGH_WATER_MARK });

type Run = () => Promise<number>;

const parsers: [string, Run][] = [
  [
    "raw read + count \\n (I/O floor)",
    async () => {
      let lines = 0;
      for await (const chunk of read() as AsyncIterable<Buffer>) {
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      }
      return lines - 1 - ROWS; // 0: not a checksum, but proves the whole file was read
    },
  ],
  [
    "vigie scanCsv (batch per chunk)",
    async () => {
      let sum = 0;
      for await (const events of scanCsv(read())) {
        for (const event of events) {
          if (event instanceof CsvRecord) sum += event.field(PHONE).length + event.field(COMPANY).length;
        }
      }
      return sum;
    },
  ],
  [
    "vigie CsvScanner, yield per record",
    async () => {
      async function* records(): AsyncGenerator<CsvRecord> {
        const scanner = new CsvScanner();
        for await (const chunk of read()) {
          for (const event of scanner.push(chunk)) if (event instanceof CsvRecord) yield event;
        }
        for (const event of scanner.end()) if (event instanceof CsvRecord) yield event;
      }
      let sum = 0;
      for await (const record of records()) sum += record.field(PHONE).length + record.field(COMPANY).length;
      return sum;
    },
  ],
  [
    "papaparse 5.7.1 (step)",
    () =>
      new Promise((resolve, reject) => {
        let sum = 0;
        let header = true;
        Papa.parse<string[]>(read().setEncoding("utf8"), {
          step: (row) => {
            if (header) header = false;
            else sum += (row.data[PHONE] as string).length + (row.data[COMPANY] as string).length;
          },
          complete: () => resolve(sum),
          error: reject,
        });
      }),
  ],
  [
    "csv-parse 7.0.3 ('data' events)",
    () =>
      new Promise((resolve, reject) => {
        let sum = 0;
        const parser = csvParse({ from_line: 2 });
        parser.on("data", (row: string[]) => {
          sum += (row[PHONE] as string).length + (row[COMPANY] as string).length;
        });
        parser.on("end", () => resolve(sum));
        parser.on("error", reject);
        read().pipe(parser);
      }),
  ],
];

if (!existsSync(path)) await generate();
const megabytes = statSync(path).size / 1e6;
console.log(`csv — ${machineLine()}`);
console.log(
  `${ROWS} rows × 8 columns, ${megabytes.toFixed(1)} MB; decode 2 columns per row; median of ${RUNS}`,
);

const times = new Map<string, number[]>(parsers.map(([name]) => [name, []]));
const sums = new Map<string, number>();
for (let run = 0; run < RUNS; run++) {
  for (const [name, body] of parsers) {
    const start = performance.now();
    const sum = await body();
    times.get(name)?.push(performance.now() - start);
    sums.set(name, sum);
  }
}

const ours = median(times.get(parsers[1]?.[0] ?? "") ?? []);
for (const [name, ms] of times) {
  const m = median(ms);
  const range = `${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)} ms`;
  console.log(
    `${name.padEnd(36)} ${m.toFixed(0).padStart(6)} ms  ${(ROWS / (m / 1000) / 1e6).toFixed(2).padStart(5)} M rows/s  ${(megabytes / (m / 1000)).toFixed(0).padStart(4)} MB/s  ×${(m / ours).toFixed(2)} vigie's time  (${range})  checksum ${sums.get(name)}`,
  );
}
const checksums = new Set([...sums].slice(1).map(([, sum]) => sum));
if (checksums.size !== 1) {
  console.error("checksums differ between parsers");
  process.exitCode = 1;
}
