// `--encoding NAME` of the commands that read a CSV file (screen, import): the text encodings
// src/io/text/encoding.ts reads, under the names people write them (UTF-8, cp1252).
import { TEXT_ENCODINGS, type TextEncoding } from "../io/text/encoding.ts";
import { UsageError } from "./exit.ts";

export function encodingOption(text: string | undefined): TextEncoding | undefined {
  if (text === undefined) return undefined;
  const name = text
    .toLowerCase()
    .replace(/^utf-/, "utf")
    .replace(/^cp1252$/, "windows-1252");
  if (!(TEXT_ENCODINGS as readonly string[]).includes(name)) {
    throw new UsageError(`--encoding ${text}: expected one of ${TEXT_ENCODINGS.join(", ")}`);
  }
  return name as TextEncoding;
}
