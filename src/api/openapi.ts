// The OpenAPI 3.1 description, written from the route declarations (route.ts), and a docs page
// rendered from it with no script and no CDN.
import type { RouteDoc } from "./route.ts";

const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["path", "message", "issues"],
      properties: {
        path: { type: "string", description: "JSON path of the field at fault; empty for the whole body" },
        message: { type: "string" },
        issues: {
          type: "array",
          items: {
            type: "object",
            properties: { path: { type: "string" }, message: { type: "string" } },
          },
        },
      },
    },
  },
};

const STANDARD_ERRORS: Record<number, string> = {
  401: "no key, or an unknown one",
  403: "the key lacks the scope",
  413: "body larger than the limit",
  429: "rate limit: retry after the Retry-After header's seconds",
};

function operation(r: RouteDoc) {
  const params = [
    ...[...r.url.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    })),
    ...Object.entries(r.query ?? {}).map(([name, description]) => ({
      name,
      in: "query",
      required: false,
      description,
      schema: { type: "string" },
    })),
  ];
  const responses = { ...r.responses, ...(r.scope === null ? {} : STANDARD_ERRORS) };
  return {
    operationId: operationIdOf(r),
    summary: r.summary,
    ...(r.description === undefined ? {} : { description: r.description }),
    ...(r.scope === null ? { security: [] } : { security: [{ apiKey: [] }], "x-scope": r.scope }),
    ...(params.length === 0 ? {} : { parameters: params }),
    ...(r.body === undefined
      ? {}
      : { requestBody: { required: true, content: { "application/json": { schema: r.body } } } }),
    ...(r.content === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              Object.entries(r.content).map(([type, schema]) => [type, { schema }]),
            ),
          },
        }),
    responses: Object.fromEntries(
      Object.entries(responses).map(([code, description]) => {
        const content = contentOf(r, Number(code));
        return [code, Object.keys(content).length === 0 ? { description } : { description, content }];
      }),
    ),
  };
}

/** The media types of a status's answer: JSON (its schema, or the error's) and any text ones. */
function contentOf(r: RouteDoc, code: number): Record<string, { schema: object }> {
  const text = r.textAnswers?.[code] ?? [];
  const json =
    code >= 400
      ? text.length === 0
        ? { $ref: "#/components/schemas/Error" }
        : undefined
      : r.answers?.[code];
  return {
    ...(json === undefined ? {} : { "application/json": { schema: json } }),
    ...Object.fromEntries(text.map((type) => [type, { schema: { type: "string" } }])),
  };
}

/**
 * A name for each operation, from its method and path (`POST /v1/sms/replies` → `postSmsReplies`,
 * `GET /v1/subjects/:point/export` → `getSubjectsByPointExport`): what a client generator names its
 * functions after. Unique, as method and path are.
 */
export function operationIdOf(r: Pick<RouteDoc, "method" | "url">): string {
  const words = r.url
    .replace(/^\/v1\//, "/")
    .split("/")
    .filter((w) => w !== "")
    .flatMap((w) => (w.startsWith(":") ? ["by", w.slice(1)] : w.split(/[-_.]/)));
  return [r.method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join("");
}

export function openApi(routes: readonly RouteDoc[], version: string): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, "{$1}");
    paths[path] = { ...paths[path], [r.method.toLowerCase()]: operation(r) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "vigie",
      version,
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
      description:
        "Lawful commercial prospecting: decisions citing French law, and the evidence they rest on. " +
        "Send `Authorization: Bearer vk_…` (a key from `vigie keys create`); each operation names " +
        "the scope it needs in `x-scope` (admin grants every scope).",
    },
    // Relative: the document is served by the API it describes, wherever that is.
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer" } },
      schemas: { Error: errorSchema },
    },
    security: [{ apiKey: [] }],
  };
}

const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function docsPage(routes: readonly RouteDoc[]): string {
  const sections = routes.map(
    (r) => `<section>
<h2><span class="m">${r.method}</span> <code>${html(r.url)}</code></h2>
<p>${html(r.summary)}. <em>${r.scope === null ? "Public." : `Scope: ${html(r.scope)}.`}</em></p>
${r.description === undefined ? "" : `<p>${html(r.description)}</p>`}
${r.body === undefined ? "" : `<details><summary>Body (JSON Schema)</summary><pre>${html(JSON.stringify(r.body, null, 2))}</pre></details>`}
${
  r.query === undefined
    ? ""
    : `<p>Query: ${Object.entries(r.query)
        .map(([name, text]) => `<code>${html(name)}</code> ${html(text)}`)
        .join("; ")}</p>`
}
${r.content === undefined ? "" : `<p>Body: ${Object.keys(r.content).map(html).join(" or ")}</p>`}
<ul>${Object.entries(r.responses)
      .map(([code, text]) => `<li><b>${code}</b> ${html(text)}</li>`)
      .join("")}</ul>
</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vigie API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h2{font-size:1.05rem;border-top:1px solid #ddd;padding-top:1rem}.m{background:#234;color:#fff;padding:0 .4em;border-radius:3px}
pre{background:#f5f5f5;padding:.6rem;overflow:auto;font-size:13px}</style></head>
<body><h1>vigie API</h1>
<p>Send <code>Authorization: Bearer vk_…</code> with a key made by <code>vigie keys create --scope …</code>
(scopes: decide, read, write-evidence, admin — admin grants all). Errors are
<code>{"error": {"path", "message", "issues"}}</code>; 401 no or unknown key, 403 wrong scope, 413 body too
large, 429 rate limited (see Retry-After). The machine-readable description is at
<a href="/openapi.json">/openapi.json</a>.</p>
${sections.join("\n")}
</body></html>
`;
}
