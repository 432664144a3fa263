// Runs the vigie command line as users do, through the TypeScript entry point.
import { spawnSync } from "node:child_process";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `timeout` (ms) ends a command that should have stopped by itself, e.g. a server that started. */
export function vigie(
  args: readonly string[],
  input?: string,
  env?: NodeJS.ProcessEnv,
  timeout?: number,
): Run {
  const r = spawnSync(process.execPath, ["--import", "tsx", MAIN, ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, ...env },
    ...(timeout === undefined ? {} : { timeout }),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
