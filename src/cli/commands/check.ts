// `vigie check`: facts in, decisions out (docs/contract.md §1). A bad line gives an `{"error": …}`
// line in its place and the others are still decided; exit 2 if any line was bad.
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { decide } from "../../engine/decide.ts";
import { type FactsError, formatFactsError, parseFacts } from "../../facts/parse.ts";
import { duplicateName, NAME_TWICE } from "../../io/json-duplicates.ts";
import { EncodingError, jsonAsUtf8, jsonTextOf } from "../../io/text/encoding.ts";
import { EXIT, UsageError } from "../exit.ts";

interface CheckOptions {
  facts?: string;
  jsonl?: string | true;
}

type Outcome = { ok: true; json: string } | { ok: false; errors: FactsError[] };

function decideText(text: string): Outcome {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [{ path: "", message: `invalid JSON: ${(e as Error).message}` }] };
  }
  const twice = duplicateName(text);
  if (twice !== null) return { ok: false, errors: [{ path: twice, message: NAME_TWICE }] };
  const parsed = parseFacts(input);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  return { ok: true, json: JSON.stringify(decide(parsed.facts)) };
}

function errorJson(errors: FactsError[], line?: number): string {
  const [first] = errors;
  const head = {
    ...(line === undefined ? {} : { line }),
    path: first?.path ?? "",
    message: first?.message ?? "",
  };
  return JSON.stringify({ error: errors.length > 1 ? { ...head, issues: errors } : head });
}

export async function runCheck(opts: CheckOptions): Promise<number> {
  if ((opts.facts === undefined) === (opts.jsonl === undefined)) {
    throw new UsageError("check: give exactly one of --facts FILE|- and --jsonl [FILE]");
  }
  if (opts.facts !== undefined) return checkOne(opts.facts);
  return checkLines(opts.jsonl === true || opts.jsonl === "-" ? undefined : opts.jsonl);
}

/**
 * The facts file's text: UTF-8, or UTF-16 with its byte-order mark (src/io/text/encoding.ts,
 * `jsonEncoding`) — read as UTF-8 regardless, it was garbled into an error, and bytes that are no
 * UTF-8 became U+FFFD inside names silently.
 */
function readInput(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file === "-" ? 0 : file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return jsonTextOf(bytes);
  } catch (e) {
    if (e instanceof EncodingError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

function checkOne(file: string): number {
  const out = decideText(readInput(file));
  if (out.ok) {
    process.stdout.write(`${JSON.stringify(JSON.parse(out.json), null, 2)}\n`);
    return EXIT.ok;
  }
  process.stdout.write(`${errorJson(out.errors)}\n`);
  for (const e of out.errors) process.stderr.write(`${file}: ${formatFactsError(e)}\n`);
  return EXIT.invalid;
}

async function checkLines(file: string | undefined): Promise<number> {
  const input = file === undefined ? process.stdin : createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    if (file === undefined) resolve();
    input.once("open", () => resolve());
    input.once("error", (e: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot read ${file}: ${e.code ?? e.message}`)),
    );
  });
  await opened;
  let status: number = EXIT.ok;
  let line = 0;
  let buffer = "";
  // Decoded before lines are split: UTF-16 with its mark is read; NUL bytes without one, or bytes
  // that are no UTF-16, end the input, said once the lines before are decided.
  let unreadable: EncodingError | undefined;
  async function* decoded(): AsyncGenerator<Buffer> {
    try {
      yield* jsonAsUtf8(input as AsyncIterable<Buffer>);
    } catch (e) {
      if (!(e instanceof EncodingError)) throw e;
      unreadable = e;
    }
  }
  const lines = createInterface({ input: Readable.from(decoded()), crlfDelay: Number.POSITIVE_INFINITY });
  for await (let text of lines) {
    line++;
    if (line === 1) text = text.replace(/^\uFEFF/, "");
    const out: Outcome =
      text.trim() === "" ? { ok: false, errors: [{ path: "", message: "empty line" }] } : decideText(text);
    if (out.ok) buffer += `${out.json}\n`;
    else {
      status = EXIT.invalid;
      buffer += `${errorJson(out.errors, line)}\n`;
      for (const e of out.errors) process.stderr.write(`line ${line}: ${formatFactsError(e)}\n`);
    }
    if (buffer.length > 1 << 16) {
      if (!process.stdout.write(buffer)) await new Promise((r) => process.stdout.once("drain", r));
      buffer = "";
    }
  }
  process.stdout.write(buffer);
  if (unreadable !== undefined) throw new UsageError(`${file ?? "standard input"}: ${unreadable.message}`);
  return status;
}
