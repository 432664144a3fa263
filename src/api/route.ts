// Routes are declared once, with their scope and their body's Zod schema: the same declaration
// registers the Fastify route, validates the body (400 naming the field) and feeds /openapi.json.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { issuesOf } from "../io/zod-words.ts";
import type { ApiKey, Scope } from "./auth.ts";
import { apiError, messageError } from "./errors.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The caller's key, set by the auth hook on every route that needs one. */
    apiKey: ApiKey | null;
  }
}

/** The media type of an answer that is not JSON: its body is text. */
export type TextMediaType = `text/${string}`;

export interface RouteDoc {
  readonly method: "GET" | "POST";
  /** Fastify style: `/v1/campaigns/:id`. */
  readonly url: string;
  readonly summary: string;
  readonly description?: string;
  /** null: public. */
  readonly scope: Scope | null;
  /** JSON Schema of the body, when there is one. */
  readonly body?: object;
  /** A body that is not JSON: its media types, each with its schema (an upload). */
  readonly content?: Readonly<Record<string, object>>;
  /** Query-string parameters: name → description (all optional strings). */
  readonly query?: Readonly<Record<string, string>>;
  readonly responses: Readonly<Record<number, string>>;
  /** The JSON Schema of a success answer's body, by status (answers.ts), when it is JSON. */
  readonly answers?: Readonly<Record<number, object>>;
  /**
   * Answers that are not JSON, by status: their media types (`text/csv`, `text/html` for a page,
   * `text/xml` for Twilio's TwiML), each a string body. An error status named here is answered in
   * them rather than as the JSON error (a public page's 404).
   */
  readonly textAnswers?: Readonly<Record<number, readonly TextMediaType[]>>;
  /** Bytes this route's body may have, when not the server's limit. */
  readonly bodyLimit?: number;
}

type Guard = (scope: Scope) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
type Handler<B> = (body: B, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export class Routes {
  readonly docs: RouteDoc[];

  private readonly app: FastifyInstance;
  /** The onRequest hook that checks the key, its scope and its rate, before the body is read. */
  private readonly guard: Guard;

  constructor(app: FastifyInstance, guard: Guard, docs?: RouteDoc[]) {
    this.app = app;
    this.guard = guard;
    this.docs = docs ?? [];
  }

  /**
   * Declares routes inside an encapsulated Fastify context (a plugin), for routes that need body
   * parsers of their own (uploads); they are documented with the others.
   */
  within(declare: (routes: Routes, app: FastifyInstance) => Promise<void>): void {
    void this.app.register(async (child) => declare(new Routes(child, this.guard, this.docs), child));
  }

  /** A route whose body is validated by `schema`. */
  withBody<S extends z.ZodType>(
    doc: Omit<RouteDoc, "body" | "method"> & { readonly schema: S },
    handler: Handler<z.output<S>>,
  ): void {
    const { schema, ...rest } = doc;
    // The OpenAPI 3.1 document sets the dialect (JSON Schema 2020-12) once for all its schemas.
    const { $schema: _, ...body } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
    this.raw({ ...rest, method: "POST", body }, async (body, req, reply) => {
      const parsed = schema.safeParse(body);
      if (!parsed.success) return reply.code(400).send(apiError(issuesOf(parsed.error, body)));
      return handler(parsed.data, req, reply);
    });
  }

  /**
   * A route that reads its input itself (path parameters, or a body another parser checks). One
   * documenting a JSON body refuses any other with 415: Fastify reads text/plain too, and such a
   * body would be refused as "expected object", or read as a string.
   */
  raw(declared: RouteDoc, handler: Handler<unknown>): void {
    const json = declared.body !== undefined;
    const doc = json
      ? { ...declared, responses: { ...declared.responses, 415: "a body that is not JSON" } }
      : declared;
    // An answer described for a status the route does not declare would vanish from the document.
    for (const code of [...Object.keys(doc.answers ?? {}), ...Object.keys(doc.textAnswers ?? {})]) {
      if (!(code in doc.responses)) {
        throw new Error(`${doc.method} ${doc.url}: an answer for ${code}, which is not among its responses`);
      }
    }
    this.docs.push(doc);
    this.app.route({
      method: doc.method,
      url: doc.url,
      ...(doc.scope === null ? {} : { onRequest: this.guard(doc.scope) }),
      ...(doc.bodyLimit === undefined ? {} : { bodyLimit: doc.bodyLimit }),
      handler: (req, reply) => {
        const type = req.headers["content-type"];
        if (json && type !== undefined && !/^\s*application\/json\s*(?:;|$)/i.test(type)) {
          return reply
            .code(415)
            .send(
              messageError(`Content-Type ${type.slice(0, 100)}: send the body as JSON (application/json)`),
            );
        }
        return handler(req.body, req, reply);
      },
    });
  }
}
