// No route decodes a compressed body: one sent with Content-Encoding (gzip, br, …) would be read
// as its compressed bytes — "invalid UTF-8" at best. It is refused first, with 415 (RFC 9110
// §15.5.16), before any of it is read, on every route of both faces.
import type { FastifyRequest } from "fastify";

/** Why the request's body cannot be read, or null: a body with a Content-Encoding but identity. */
export function unreadableEncoding(req: FastifyRequest): string | null {
  const header = req.headers["content-encoding"];
  if (header === undefined) return null;
  const codings = header
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== "" && c !== "identity");
  if (codings.length === 0) return null;
  const hasBody =
    req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (!hasBody) return null;
  return `Content-Encoding ${codings.join(", ").slice(0, 100)}: send the body uncompressed`;
}
