// Fuzz and abuse over every route /openapi.json lists (fast-check, through `inject`: loopback only,
// no socket): random and hostile bodies, headers, content types, path parameters and tokens, with
// and without a valid key. Whatever comes in, the server answers below 500, never crashes, and a
// 4xx says what is wrong — `error.message` (and `error.path`, the field, as a string) in JSON, or
// a page with a heading for the public pages a person opens. A few hundred runs, a few seconds.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { type Server, startServer } from "./helpers.ts";

interface Operation {
  readonly method: "GET" | "POST";
  readonly path: string;
}

const HOSTILE_STRINGS = [
  "",
  "../../etc/passwd",
  "%00",
  "\u0000",
  "\u202e",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "__proto__",
  "constructor",
  "x".repeat(5000),
  "06 12 34 56 78",
  "+33612345678",
  "a@b.fr",
  "\ud800",
  "😀",
];

const text = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: "binary", maxLength: 80 }));

/** A JSON value, hostile keys and deep nesting included. */
const json = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(
    fc.constantFrom("__proto__", "constructor", "point", "channel", "at", "controller", "facts"),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  fc.constant(JSON.parse(`${"[".repeat(2000)}${"]".repeat(2000)}`)),
);

const body = fc.oneof(
  json.map((v) => JSON.stringify(v)),
  text,
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.constantFrom(
    "{",
    '{"a":',
    "phone\n06 12 34 56 78\n",
    '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nphone\r\n--x--\r\n',
  ),
);

const contentType = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/json; charset=latin1",
    "text/csv",
    "multipart/form-data; boundary=x",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/xml",
  ),
  text,
);

const extraHeaders = fc.record(
  {
    "content-encoding": fc.constantFrom("gzip", "br", "identity", "x"),
    accept: fc.constantFrom("*/*", "text/html", "application/json", ""),
    "x-forwarded-for": fc.constantFrom("1.2.3.4", "::1", "garbage", ""),
  },
  { requiredKeys: [] },
);

/** A path segment; a lone surrogate, which has no UTF-8, goes as the bytes of one (invalid UTF-8). */
function segment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}

describe("fuzz: every route of /openapi.json", () => {
  let s: Server;
  let operations: Operation[];
  const crashes: unknown[] = [];
  const onCrash = (e: unknown) => crashes.push(e);

  before(async () => {
    s = await startServer();
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
    const doc = (await s.app.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => ({ method: m.toUpperCase() as Operation["method"], path })),
    );
    assert.ok(operations.length >= 20, `${operations.length} operations`);
  });
  after(async () => {
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
    await s.close();
  });

  /** Checks one answer: below 500, and a 4xx that says what is wrong. */
  const judge = (
    label: string,
    res: { statusCode: number; headers: Record<string, unknown>; body: string },
  ) => {
    assert.ok(res.statusCode < 500, `${label}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    if (res.statusCode < 400) return;
    const type = String(res.headers["content-type"] ?? "");
    if (type.startsWith("application/json")) {
      const error = (JSON.parse(res.body) as { error?: { message?: unknown; path?: unknown } }).error;
      assert.equal(typeof error?.message, "string", `${label}: ${res.body.slice(0, 300)}`);
      assert.ok(String(error?.message ?? "").length > 0, `${label}: an empty message`);
      assert.equal(typeof error?.path, "string", `${label}: no field`);
    } else {
      assert.match(type, /^text\/(html|plain)/, `${label}: ${type}`);
      assert.match(res.body, /<h1>[^<]+<\/h1>|\S/, `${label}: an empty page`);
    }
  };

  test("random requests, with and without a valid key: no 5xx, no crash, every 4xx explained", async () => {
    await fc
      .assert(
        fc.asyncProperty(
          fc.nat(),
          fc.constantFrom("admin", "decide", "none", "garbage", "bearer-only"),
          fc.array(text, { minLength: 1, maxLength: 3 }),
          fc.option(body, { nil: undefined }),
          contentType,
          extraHeaders,
          fc.option(fc.dictionary(fc.constantFrom("ignoreUnknown", "date", "complete", "x"), text), {
            nil: undefined,
          }),
          async (pick, who, params, payload, type, headers, query) => {
            const op = operations[pick % operations.length] as Operation;
            let n = 0;
            const url = op.path.replace(/\{\w+\}/g, () => segment(params[n++ % params.length] as string));
            const authorization =
              who === "admin" || who === "decide"
                ? `Bearer ${s.key[who]}`
                : who === "garbage"
                  ? `Bearer vk_${params[0]}`
                  : who === "bearer-only"
                    ? "Bearer"
                    : undefined;
            const res = await s.app.inject({
              method: op.method,
              url,
              ...(query === undefined ? {} : { query }),
              headers: {
                ...headers,
                ...(authorization === undefined ? {} : { authorization }),
                ...(payload === undefined ? {} : { "content-type": type }),
              },
              ...(payload === undefined || op.method === "GET" ? {} : { payload }),
            });
            judge(
              `${op.method} ${url} ${JSON.stringify({ type, headers, payload: String(payload).slice(0, 80) })}`,
              res,
            );
          },
        ),
        // FUZZ_RUNS and FUZZ_SEED: a longer run, or a failure replayed, locally.
        {
          numRuns: Number(process.env.FUZZ_RUNS ?? 300),
          ...(process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) }),
        },
      )
      .catch((e: Error) => {
        // node:test does not print a cause: the failed assertion goes into the message.
        throw new Error(`${e.message}\n${(e.cause as Error | undefined)?.message ?? ""}`);
      });
    assert.deepEqual(crashes, []);
  });

  test("every route, with a valid key and each hostile body: no 5xx, every 4xx explained", async () => {
    for (const op of operations.filter((o) => o.method === "POST")) {
      for (const payload of [
        "",
        "null",
        "[]",
        '"x"',
        "{",
        '{"__proto__":{"x":1}}',
        JSON.stringify({ a: "\u0000" }),
      ]) {
        const url = op.path.replace(/\{\w+\}/g, "x");
        const res = await s.app.inject({
          method: "POST",
          url,
          headers: { authorization: `Bearer ${s.key.admin}`, "content-type": "application/json" },
          payload,
        });
        judge(`POST ${url} ${payload}`, res);
      }
    }
    assert.deepEqual(crashes, []);
  });
});
