// Every redirect vigie answers (the API's and the dashboard's) goes through `seeOther`, so a
// `next=` or `back=` taken from a request can only lead to a path of this site. Browsers strip tabs
// and newlines from URLs and read `\` as `/`: `/\t/evil.example` is `//evil.example`, another host.
import type { FastifyReply } from "fastify";
import { hasControlCharacter } from "../normalize/control-characters.ts";

const MAX_LENGTH = 2048;

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

const sameSite = (path: string): boolean =>
  path.startsWith("/") && !path.startsWith("//") && !path.includes("\\") && !hasControlCharacter(path);

/**
 * `target` when it is an absolute path of this site — one leading `/`, not `//` nor `/\`, no
 * control character or backslash, as sent or once percent-decoded — else `/`.
 */
export function redirectTarget(target: string | undefined): string {
  if (target === undefined || target.length > MAX_LENGTH) return "/";
  const plain = decoded(target);
  return plain !== null && sameSite(target) && sameSite(plain) ? target : "/";
}

/** 303 to `target`, made safe: the only way vigie redirects. */
export const seeOther = (reply: FastifyReply, target: string | undefined) =>
  reply.redirect(redirectTarget(target), 303);
