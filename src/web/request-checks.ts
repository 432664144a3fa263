// Checks on a request's framing, made before any of its body is read, on every route of both
// faces: what no route could read is refused up front with a status that says why.
import type { FastifyRequest } from "fastify";

export interface RequestProblem {
  readonly status: 400 | 415;
  /** The header at fault. */
  readonly header: string;
  readonly message: string;
}

/** Why the request's body cannot be read, or null. */
export function requestProblem(req: FastifyRequest): RequestProblem | null {
  return unreadableEncoding(req) ?? badMultipart(req);
}

const hasBody = (req: FastifyRequest) =>
  req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;

/**
 * No route decodes a compressed body: one sent with Content-Encoding (gzip, br, …) would be read
 * as its compressed bytes — "invalid UTF-8" at best. 415 (RFC 9110 §15.5.16).
 */
function unreadableEncoding(req: FastifyRequest): RequestProblem | null {
  const codings = (req.headers["content-encoding"] ?? "")
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== "" && c !== "identity");
  if (codings.length === 0 || !hasBody(req)) return null;
  const message = `Content-Encoding ${codings.join(", ").slice(0, 100)}: send the body uncompressed`;
  return { status: 415, header: "content-encoding", message };
}

/**
 * A multipart body is cut at its boundary, 1 to 70 characters (RFC 2046 §5.1.1); the parser throws
 * a bare error without one, which would be a 500.
 */
function badMultipart(req: FastifyRequest): RequestProblem | null {
  const type = req.headers["content-type"] ?? "";
  if (!/^\s*multipart\//i.test(type)) return null;
  const boundary = /;\s*boundary=(?:"([^"]*)"|([^;\s]*))/i.exec(type);
  const value = boundary?.[1] ?? boundary?.[2] ?? "";
  if (value.length >= 1 && value.length <= 70) return null;
  const message = "multipart body without a boundary of 1 to 70 characters in its Content-Type";
  return { status: 400, header: "content-type", message };
}

// The multipart parser (busboy) fails a body it cannot cut into parts with a bare Error, which
// would be a 500: these are the client's to fix.
const MULTIPART_ERROR =
  /^(?:Unexpected end of multipart data|\w+ terminated early due to unexpected end of multipart data)$/;

/** The 400 message for an error the multipart parser threw on a malformed body, or null. */
export function malformedMultipart(err: Error & { statusCode?: number }): string | null {
  return err.statusCode === undefined && MULTIPART_ERROR.test(err.message)
    ? `multipart: ${err.message.toLowerCase()}`
    : null;
}
