// The rules both faces of the server (the API and the dashboard) follow, written once and applied
// to the root instance before either mounts: framing checks before a body is read, the headers
// every response carries, one error shape for what goes wrong, and one access-log line per request.
import { isUtf8 } from "node:buffer";
import type { FastifyInstance, FastifyReply } from "fastify";
import { duplicateName, NAME_TWICE } from "../io/json-duplicates.ts";
import { malformedMultipart, requestProblem } from "./request-checks.ts";

export interface SharedRules {
  /** Bytes of a body outside the upload routes (which set their own limit). */
  readonly bodyLimit: number;
  /** The body of an error answer: the message, and the field or header at fault ("" for none). */
  readonly errorBody: (message: string, path?: string) => unknown;
}

/**
 * Set on every answer unless a route set its own: no MIME sniffing, no framing but the routes
 * that allow it, and no Referer — links to /u/… and /c/… carry tokens.
 */
const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
} as const;

/** A JSON body whose object names a field twice (json-duplicates.ts): 400 naming the field. */
class DuplicateName extends Error {
  readonly statusCode = 400;
  readonly path: string;
  constructor(path: string) {
    super(NAME_TWICE);
    this.path = path;
  }
}

/** A JSON body whose bytes are not UTF-8 (RFC 8259 §8.1): 400. */
class NotUtf8 extends Error {
  readonly statusCode = 400;
  constructor() {
    super("body is not valid UTF-8: send JSON in UTF-8 (RFC 8259)");
  }
}

export function applySharedRules(app: FastifyInstance, rules: SharedRules): void {
  const { errorBody, bodyLimit } = rules;
  // Bytes that are not UTF-8 refused (decoded, each would become U+FFFD: an address in a legacy
  // encoding would be stored altered), then Fastify's own JSON parser (secure-json-parse: __proto__
  // and constructor.prototype refused), then a check that no object names a field twice.
  const json = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (req, bytes, done) => {
    if (!isUtf8(bytes as Buffer)) return done(new NotUtf8(), undefined);
    const body = (bytes as Buffer).toString("utf8");
    void json(req, body, (err, value) => {
      if (err) return done(err, undefined);
      const twice = duplicateName(body);
      return twice === null ? done(null, value) : done(new DuplicateName(twice), undefined);
    });
  });
  app.addHook("onRequest", async (req, reply) => {
    const problem = requestProblem(req);
    if (problem !== null) {
      // The body is not read: close the connection rather than drain it.
      return reply
        .code(problem.status)
        .header("connection", "close")
        .send(errorBody(problem.message, problem.header));
    }
  });

  app.addHook("onSend", async (_req, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      if (!reply.hasHeader(name)) void reply.header(name, value);
    }
    return payload;
  });

  app.addHook("onResponse", async (req, reply) => {
    req.log.info({
      method: req.method,
      route: req.routeOptions.url ?? "(none)",
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const malformed = malformedMultipart(err);
    if (malformed !== null) return reply.code(400).send(errorBody(malformed));
    if (err instanceof DuplicateName) return reply.code(400).send(errorBody(err.message, err.path));
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      // The message and stack only: never the request, whose body holds personal data.
      req.log.error({ error: err.message, stack: err.stack });
      return reply.code(500).send(errorBody("internal error"));
    }
    const message =
      err.code === "FST_ERR_CTP_BODY_TOO_LARGE"
        ? `body larger than ${req.routeOptions.bodyLimit ?? bodyLimit} bytes`
        : err.code === "FST_ERR_CTP_INVALID_JSON_BODY"
          ? // Fastify's parser drops the cause, and its words ("not valid JSON") would mislead whoever
            // sent well-formed JSON naming a prototype key.
            "body is not valid JSON, or names __proto__ or constructor.prototype (refused)"
          : err.message;
    return reply.code(status).send(errorBody(message));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(errorBody("no such route")));
}

/** What an error may quote of a value a request sent: its first characters. */
export function excerpt(text: string, length = 64): string {
  const chars = [...text];
  return chars.length <= length ? text : `${chars.slice(0, length).join("")}…`;
}

/**
 * The path parameter a too-long segment of `url` fills, by the routes' patterns
 * (`/v1/subjects/:point/export`): its name and its text.
 */
function longParameter(
  url: string,
  patterns: readonly string[],
  max: number,
): { name: string; value: string } | undefined {
  const segments = (url.split("?")[0] as string).split("/");
  for (const pattern of patterns) {
    const parts = pattern.split("/");
    if (parts.length !== segments.length) continue;
    let long: { name: string; value: string } | undefined;
    const fits = parts.every((part, i) => {
      const segment = segments[i] as string;
      if (!part.startsWith(":")) return part === segment;
      if (segment.length > max) long ??= { name: part.slice(1), value: segment };
      return true;
    });
    if (fits && long !== undefined) return long;
  }
  return undefined;
}

/**
 * Fastify's own answer to a path it cannot route, in the shared error shape: the `frameworkErrors`
 * option. A %-escape that is not UTF-8 is said without the URL, which may hold a contact point; a
 * path parameter past the router's `maxParamLength` is named, quoting its first 64 characters —
 * Fastify's message quoted the whole URL, twice the parameter's size sent back.
 */
export const frameworkErrors =
  (
    errorBody: SharedRules["errorBody"],
    router: { readonly patterns: readonly string[]; readonly maxParamLength: number },
  ) =>
  (err: { code?: string; message: string }, req: { readonly url?: string }, reply: FastifyReply) => {
    if (err.code === "FST_ERR_BAD_URL") {
      return reply.code(400).send(errorBody("the path is not valid UTF-8 once decoded", "url"));
    }
    if (err.code === "FST_ERR_MAX_PARAM_LENGTH") {
      const max = router.maxParamLength;
      const url = req.url ?? "";
      const long = longParameter(url, router.patterns, max);
      return reply
        .code(400)
        .send(
          long === undefined
            ? errorBody(`a path parameter is longer than ${max} characters: "${excerpt(url)}"`, "url")
            : errorBody(`longer than ${max} characters: "${excerpt(long.value)}"`, long.name),
        );
    }
    return reply.code(400).send(errorBody(excerpt(err.message, 200), "url"));
  };
