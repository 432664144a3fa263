// A worker thread running a module that sits beside its caller: the built .js, or the .ts source
// when run from the sources (tests, benchmarks), where the worker needs tsx too — loaders
// registered in one thread do not reach another.
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/** `name` without extension, resolved beside `callerUrl` (the caller's import.meta.url). */
export function moduleWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  const source = extname(fileURLToPath(callerUrl)) === ".ts";
  const url = new URL(`./${name}${source ? ".ts" : ".js"}`, callerUrl);
  return source
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
           .then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`,
        { eval: true, workerData },
      )
    : new Worker(url, { workerData });
}
