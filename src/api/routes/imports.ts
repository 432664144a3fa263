// Imports by upload: the CSV file `vigie import KIND FILE` reads, sent as the body (text/csv) or
// as a multipart file, streamed to a private temporary file and imported by the same service —
// one transaction, idempotent by the file's SHA-256, rejected rows reported with their line and
// column. Uploads have their own size limit (default 256 MiB), apart from the JSON body limit.
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import multipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Clock } from "../../facts/evidence-dates.ts";
import { TEXT_ENCODINGS, type TextEncoding } from "../../io/text/encoding.ts";
import { issuesOf } from "../../io/zod-words.ts";
import { IMPORT_KINDS, type ImportKind } from "../../services/import/kinds.ts";
import { ImportFileError, importFile } from "../../services/import/run.ts";
import { soleFile } from "../../web/sole-file.ts";
import { answerSchema, importAnswer } from "../answers.ts";
import type { ApiContext } from "../context.ts";
import { messageError } from "../errors.ts";
import type { Routes } from "../route.ts";
import { evidenceInstant, oneOf } from "../schemas.ts";

export const DEFAULT_UPLOAD_LIMIT = 256 * 1024 * 1024;

/** Rejected rows listed in a response; `rejectedCount` gives them all. */
const LISTED_REJECTS = 1000;

const CSV_TYPES = ["text/csv", "application/csv"];

const flag = z
  .enum(["true", "false", "1", "0", ""], { error: () => "must be true or false" })
  .transform((v) => v === "true" || v === "1" || v === "");
/** How the file is read, as `vigie import`'s options say it (`--ignore-unknown`, `--map`, `--encoding`). */
const reading = {
  ignoreUnknown: flag.optional(),
  map: z.string().max(4096, "at most 4096 characters").optional(),
  encoding: oneOf(TEXT_ENCODINGS).optional(),
};
const evidenceQuery = z.strictObject(reading);
/** The day of a Bloctel check is evidence: not in the future, not before the floor. */
const bloctelQuery = (now: Clock) =>
  z.strictObject({
    ...reading,
    date: evidenceInstant(now),
    complete: flag.optional(),
  });

const QUERY = {
  ignoreUnknown: "true: ignore columns the kind does not know instead of refusing the file",
  map: "COLUMN=HEADER,…: a column of the kind read from the file's column of another name (`phone=Téléphone`)",
  encoding: `how the file's bytes are text (${TEXT_ENCODINGS.join(", ")}); default: detected from them`,
};
const RESPONSES = {
  201: "imported: `{ kind, file, sha256, alreadyImportedAt: null, encoding, rows, accepted, rejectedCount, rejected: [{ line, column?, message }], events: { appended, duplicates, suppressed } }`",
  200: "this very file (same SHA-256), read the same way, was imported before: nothing done, `alreadyImportedAt` set",
  400: "the file cannot be imported at all (missing or unknown columns, bad options): nothing imported",
  413: "upload larger than the upload limit",
  415: "neither text/csv nor multipart/form-data",
};
const ANSWERS = { 201: answerSchema(importAnswer), 200: answerSchema(importAnswer) };
const CONTENT = {
  "text/csv": {
    type: "string",
    description:
      "the CSV file itself (any of , ; tab | as delimiter; UTF-8, UTF-16 with its byte-order mark or Windows-1252, detected unless `encoding` says)",
  },
  "multipart/form-data": {
    type: "object",
    properties: { file: { type: "string", contentMediaType: "text/csv", description: "the CSV file" } },
  },
};

class TooLarge extends Error {}

/** Counts the bytes going through and fails past `limit`. */
function capped(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limit) done(new TooLarge());
      else done(null, chunk);
    },
  });
}

export function importRoutes(routes: Routes, ctx: ApiContext, uploadLimit = DEFAULT_UPLOAD_LIMIT): void {
  const bloctelOptions = bloctelQuery(ctx.now);
  const tooLarge = (reply: FastifyReply) =>
    reply.code(413).send(messageError(`upload larger than ${uploadLimit} bytes`));

  /** Streams the upload to `path`; its file name when multipart gave one; null when too large. */
  async function receive(req: FastifyRequest, path: string): Promise<{ name: string | null } | null> {
    const out = () => createWriteStream(path, { mode: 0o600 });
    try {
      if (req.isMultipart()) {
        // Two files at most reach us, so that a second one is refused by name.
        const parts = req.parts({ limits: { fileSize: uploadLimit, files: 2 } })[Symbol.asyncIterator]();
        const got = await soleFile(parts, async (part) => {
          try {
            await pipeline(part.file, out());
          } catch (e) {
            if ((e as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") throw new TooLarge();
            throw e;
          }
          // Past the limit busboy stops the file short and marks it truncated.
          if (part.file.truncated) throw new TooLarge();
          return { name: part.filename === "" ? null : part.filename };
        });
        if (got.extra !== null) throw new ImportFileError(got.extra);
        if (got.value === undefined) throw new ImportFileError("multipart: no file part");
        return got.value;
      }
      const declared = Number(req.headers["content-length"]);
      if (declared > uploadLimit) return null;
      await pipeline(req.body as NodeJS.ReadableStream, capped(uploadLimit), out());
      return { name: null };
    } catch (e) {
      if (e instanceof TooLarge) return null;
      throw e;
    }
  }

  async function upload(
    kind: ImportKind,
    options: {
      ignoreUnknown?: boolean | undefined;
      map?: string | undefined;
      encoding?: TextEncoding | undefined;
      date?: number;
      complete?: boolean | undefined;
    },
    req: FastifyRequest,
    reply: FastifyReply,
  ) {
    const dir = await mkdtemp(join(tmpdir(), "vigie-upload-"));
    try {
      const path = join(dir, "upload.csv");
      let received: { name: string | null } | null;
      try {
        received = await receive(req, path);
      } catch (e) {
        if (e instanceof ImportFileError) return reply.code(400).send(messageError(e.message));
        throw e;
      }
      if (received === null) {
        // The rest of the body is not read: close the connection rather than drain it.
        reply.header("connection", "close");
        return tooLarge(reply);
      }
      const name = received.name?.slice(0, 200) ?? null;
      let report: Awaited<ReturnType<typeof importFile>>;
      try {
        report = await importFile(ctx.session, {
          kind,
          file: path,
          ignoreUnknown: options.ignoreUnknown === true,
          map: options.map,
          encoding: options.encoding,
          date: options.date,
          complete: options.complete,
          now: ctx.now(),
          recordedBy: `api:${req.apiKey?.id} import ${kind}${name === null ? "" : ` ${name}`}`,
          name: name ?? "(upload without a file name)",
        });
      } catch (e) {
        if (e instanceof ImportFileError) {
          return reply.code(400).send(messageError(`${e.message}; nothing imported`));
        }
        throw e;
      }
      const { rejected, file: _tmp, ...rest } = report;
      const body = {
        ...rest,
        file: name,
        rejectedCount: rejected.length,
        rejected: rejected.slice(0, LISTED_REJECTS),
      };
      return reply.code(report.alreadyImportedAt === null ? 201 : 200).send(body);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const badQuery = (reply: FastifyReply, error: z.ZodError, query: unknown) => {
    const [first] = issuesOf(error, query);
    return reply.code(400).send(messageError(first?.message ?? "invalid query", first?.path ?? ""));
  };

  routes.within(async (scoped, app) => {
    // Here a body is a CSV file or a multipart form, nothing else (415): the CSV body is handed
    // over as the request stream, and the route writes it to disk itself.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(CSV_TYPES, (_req, payload, done) => done(null, payload));
    await app.register(multipart, { limits: { fileSize: uploadLimit, files: 2, fields: 20 } });

    scoped.raw(
      {
        method: "POST",
        url: "/v1/imports/bloctel",
        summary: "Import a Bloctel check (as `vigie import bloctel FILE --date DAY`)",
        description:
          "Admin only: a check (`complete=true` above all) vouches for the registry status of every " +
          "number it lists or leaves out, for every campaign. `date` (required) is the day of the check.",
        scope: "admin",
        query: {
          date: "the day of the check (required): YYYY-MM-DD or ISO 8601",
          complete: "true: the file lists every registered number that day",
          ...QUERY,
        },
        content: CONTENT,
        responses: RESPONSES,
        answers: ANSWERS,
      },
      async (_body, req, reply) => {
        const q = bloctelOptions.safeParse(req.query);
        if (!q.success) return badQuery(reply, q.error, req.query);
        return upload("bloctel", q.data, req, reply);
      },
    );

    scoped.raw(
      {
        method: "POST",
        url: "/v1/imports/:kind",
        summary: "Import a CSV file of evidence (as `vigie import KIND FILE`)",
        description:
          "`kind`: contacts, consents, objections or history (docs/contract.md §3). The body is the " +
          "file (text/csv) or a multipart/form-data file field. One transaction; the same file again " +
          "changes nothing; rows in = accepted + rejected.",
        scope: "write-evidence",
        query: QUERY,
        content: CONTENT,
        responses: { ...RESPONSES, 404: "no such import kind" },
        answers: ANSWERS,
      },
      async (_body, req, reply) => {
        const { kind } = req.params as { kind: string };
        if (kind === "bloctel" || !(IMPORT_KINDS as readonly string[]).includes(kind)) {
          return reply
            .code(404)
            .send(
              messageError(
                `no such import kind: expected ${IMPORT_KINDS.filter((k) => k !== "bloctel").join(", ")} (or bloctel, admin only)`,
                "kind",
              ),
            );
        }
        const q = evidenceQuery.safeParse(req.query);
        if (!q.success) return badQuery(reply, q.error, req.query);
        return upload(kind as ImportKind, q.data, req, reply);
      },
    );
  });
}
