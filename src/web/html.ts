// The small public pages (unsubscribe, double opt-in): no script, no external resource, no cache.
import type { FastifyReply } from "fastify";

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `title` is escaped; `body` is HTML the caller built (escaping what it interpolates). */
export const page = (reply: FastifyReply, status: number, title: string, body: string) =>
  reply
    .code(status)
    .type("text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .send(
      `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"></head>` +
        `<body style="font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">` +
        `<h1>${escapeHtml(title)}</h1>${body}</body></html>\n`,
    );
