// The pages a person reaches from a message — one-click unsubscribe (/u/…) and double opt-in links
// (/c/…) — need no key, so each client address has its own token bucket there (429 with
// Retry-After past it). Their POSTs are read as a browser's form (urlencoded), as RFC 8058 §3.1
// says a mail client sends one-click (multipart/form-data: `curl -F List-Unsubscribe=One-Click`),
// or with no body at all.
import multipart from "@fastify/multipart";
import { page } from "../web/html.ts";
import type { TokenBuckets } from "../web/rate-limit.ts";
import type { Routes, TextMediaType } from "./route.ts";

/** The answers of these routes that are pages, 429 (this hook's) included; a bad body's 400 is JSON. */
export const PAGES: Readonly<Record<number, readonly TextMediaType[]>> = {
  200: ["text/html"],
  404: ["text/html"],
  429: ["text/html"],
};

/** Declares `declare`'s routes where multipart forms are read (fields only) and addresses limited. */
export function publicPages(
  routes: Routes,
  perAddress: TokenBuckets,
  declare: (routes: Routes) => void,
): void {
  routes.within(async (child, app) => {
    await app.register(multipart, {
      attachFieldsToBody: "keyValues",
      limits: { files: 0, fields: 8, fieldSize: 1024, parts: 8 },
    });
    app.addHook("onRequest", async (req, reply) => {
      const wait = perAddress.take(req.ip);
      if (wait === 0) return;
      void reply.header("retry-after", String(wait));
      return page(
        reply,
        429,
        "Trop de demandes / Too many requests",
        `<p>Réessayez dans ${wait} s. / Try again in ${wait} s.</p>`,
      );
    });
    declare(child);
  });
}

/** A form's fields, whichever of the accepted encodings it came in; {} for no body. */
export function formFields(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === "object" ? (body as Record<string, unknown>) : {};
}
