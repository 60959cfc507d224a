import { ApolloServerErrorCode } from "@apollo/server/errors";
import busboy from "busboy";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { basename } from "node:path";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ErrorCode } from "../errors/hub-error.js";
import { DEFAULT_IMPORT_LIMITS } from "../importers/import-limits.js";
import { importOptionsFromFields } from "./import-form-fields.js";
import type { ImportReport } from "../importers/import-workbook.js";
import { findImportJob, importJobJson } from "../jobs/import-job-access.js";
import type { ImportQueue, ReceivingUpload } from "../jobs/import-queue.js";
import type { QueuedImportOptions } from "../schema/import-job.js";
import { parseReportingPeriodArgument } from "../schema/reporting-period.js";
import { assertMayImportOverHttp } from "./auth/auth-checker.js";
import { closeWhenAnswered } from "./close-when-answered.js";
import {
  sendError,
  sendHubError,
  sendJson,
  type ResponseErrorCode,
} from "./json-response.js";
import type { Caller } from "./caller.js";

/** Where workbooks are uploaded. */
export const IMPORTS_PATH = "/imports";

/** The report an ended import job carries (GET /imports/jobs/ID): the worker's temporary file path left out. */
export type ImportReportAnswer = Omit<ImportReport, "path">;

/** Where uploads are received and how big they may be. */
export interface UploadOptions {
  /** The largest workbook accepted, in bytes (default: the importer's own limit). */
  maxFileBytes: number;
  /** Where the problems-workbook route gets a temporary folder per request, removed when done (default: the OS's); POST /imports writes uploads to the database, not here. */
  folder: string;
}

/** The importer's file limit, in the OS's temporary folder. */
export function defaultUploadOptions(): UploadOptions {
  return { maxFileBytes: DEFAULT_IMPORT_LIMITS.maxFileBytes, folder: tmpdir() };
}

/** What a form may carry beside the workbook: boundaries, part headers and the few short fields. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** Why an upload is refused before anything is imported. */
interface Refusal {
  kind: "refused";
  status: number;
  code: ResponseErrorCode;
  message: string;
}

/** A workbook received whole (written to the upload's writer), with the form's other fields. */
interface Received {
  kind: "received";
  name: string;
  fields: Record<string, string>;
  /** When the body's last byte arrived (performance.now()). */
  lastByteAt: number;
}

const refusal = (
  status: number,
  code: ResponseErrorCode,
  message: string,
): Refusal => ({ kind: "refused", status, code, message });

const tooLarge = (limits: UploadOptions, name = "The upload") =>
  refusal(
    413,
    ErrorCode.TooLarge,
    `${name}: larger than ${limits.maxFileBytes} bytes; the hub refuses bigger workbooks.`,
  );

/**
 * Reads the form, its file into `sink` as it arrives. Settles once, with the workbook or with the
 * first reason to refuse it: a form cut short, a second file, a body over the limit. It never
 * rejects, so no write to the sink is left failing with nobody listening.
 */
function receiveUpload(
  req: IncomingMessage,
  sink: Writable,
  limits: UploadOptions,
  deadlineMs: number,
): Promise<Received | Refusal> {
  return new Promise((resolve) => {
    let parser: busboy.Busboy | undefined;
    let written: Promise<Error | undefined> = Promise.resolve(undefined);
    let settled = false;
    // A client trickling its bytes would otherwise hold its transaction (and connection) for ever.
    const deadline = setTimeout(
      () =>
        settle(
          refusal(
            408,
            ErrorCode.TimedOut,
            `The upload did not arrive within ${deadlineMs / 1000} s (SSHUB_UPLOAD_RECEIVE_TIMEOUT_MS): nothing was imported; send it again.`,
          ),
        ),
      deadlineMs,
    );
    const settle = (outcome: Received | Refusal) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (outcome.kind === "received") return resolve(outcome);
      // Stops reading and writing, and waits for the sink to stop, so the caller can drop what it holds.
      req.unpipe();
      parser?.destroy();
      void written.then(() => resolve(outcome));
    };
    try {
      parser = busboy({
        headers: req.headers,
        limits: {
          files: 1,
          fileSize: limits.maxFileBytes,
          fields: 10,
          fieldSize: 1000,
        },
      });
    } catch (error) {
      // busboy throws at once on a content-type it cannot split ("Multipart: Boundary not found").
      settle(
        refusal(
          400,
          ApolloServerErrorCode.BAD_REQUEST,
          `The upload's content-type cannot be read as a form (${(error as Error).message}): send multipart/form-data with its boundary, as a browser or curl -F does.`,
        ),
      );
      return;
    }
    const fields: Record<string, string> = {};
    let upload: { name: string } | undefined;
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      // A chunked body has no Content-Length to refuse on: stop at the limit instead of reading on.
      if (bytes > limits.maxFileBytes + FORM_OVERHEAD_BYTES)
        settle(tooLarge(limits));
    });
    let lastByteAt = 0;
    req.on("end", () => void (lastByteAt = performance.now()));
    req.on("close", () => {
      if (!req.complete)
        settle(
          refusal(
            400,
            ApolloServerErrorCode.BAD_REQUEST,
            "The upload was cut off before its end.",
          ),
        );
    });
    parser.on("field", (name, value) => void (fields[name] = value));
    parser.on("file", (name, stream, info) => {
      if (name !== "file") {
        // Drained and dropped; destroying the form below ends it with an error nobody needs.
        stream.on("error", () => undefined);
        stream.resume();
        settle(
          refusal(
            400,
            ErrorCode.BadUserInput,
            `The form sends a file in the field "${name}": send the workbook in the field "file".`,
          ),
        );
        return;
      }
      const file = { name: basename(info.filename || "upload.xlsx") };
      upload = file;
      stream.on("limit", () => settle(tooLarge(limits, file.name)));
      // Settled with the write's error instead of rejecting: a form cut short fails this write too.
      written = pipeline(stream, sink).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
    });
    parser.on("filesLimit", () =>
      settle(
        refusal(
          400,
          ErrorCode.BadUserInput,
          'The form sends more than one file: send one workbook per request, each in the field "file".',
        ),
      ),
    );
    parser.on("error", (error: Error) =>
      settle(
        refusal(
          400,
          ApolloServerErrorCode.BAD_REQUEST,
          `The upload is not a complete multipart/form-data body (${error.message}): nothing was imported; send it again.`,
        ),
      ),
    );
    parser.on("close", () => {
      void written.then((error) => {
        if (error)
          settle(
            refusal(
              400,
              ApolloServerErrorCode.BAD_REQUEST,
              `The upload could not be received (${error.message}): nothing was imported; send it again.`,
            ),
          );
        else if (!upload)
          settle(
            refusal(
              400,
              ErrorCode.BadUserInput,
              'The form has no "file" field with a workbook.',
            ),
          );
        else
          settle({
            kind: "received",
            ...upload,
            fields,
            lastByteAt: lastByteAt || performance.now(),
          });
      });
    });
    req.pipe(parser);
  });
}

/**
 * `POST /imports` (multipart/form-data, analyst role): the field `file` is a workbook; optional fields
 * (importOptionsFromFields) mean what `sshub import`'s options do. The
 * upload is written into the database while it arrives (ImportQueue.receive: chunks in one
 * transaction, its sha256 computed on the way) under the size limit (refused on its Content-Length
 * before any of it is read, or as soon as a chunked body passes the limit), and queued as an import
 * job in that transaction once its last byte is in: `202 Accepted` with the job and
 * `Location: /imports/jobs/ID`, where its state, progress and, once done, its report are read (a
 * dry run is a job too). One workbook per request: a second file is refused, since one upload is one
 * job, one import and one report.
 */
export async function serveImportUpload(
  req: IncomingMessage,
  res: ServerResponse,
  queue: ImportQueue | undefined,
  caller: Caller,
  limits: UploadOptions = defaultUploadOptions(),
): Promise<void> {
  const refuse = (outcome: Refusal) => {
    closeWhenAnswered(req, res);
    sendError(res, outcome.status, outcome.code, outcome.message);
  };
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    refuse(
      refusal(
        405,
        ApolloServerErrorCode.BAD_REQUEST,
        `${IMPORTS_PATH} answers POST (multipart/form-data with a "file" field) only.`,
      ),
    );
    return;
  }
  try {
    assertMayImportOverHttp(caller);
  } catch (error) {
    closeWhenAnswered(req, res);
    if (!sendHubError(res, error)) throw error;
    return;
  }
  if (!queue) {
    refuse(
      refusal(
        503,
        ErrorCode.ConfigurationError,
        "This instance takes no uploads: it has no import queue.",
      ),
    );
    return;
  }
  if (!(req.headers["content-type"] ?? "").startsWith("multipart/form-data")) {
    refuse(
      refusal(
        415,
        ApolloServerErrorCode.BAD_REQUEST,
        'Send the workbook as multipart/form-data with the field "file".',
      ),
    );
    return;
  }
  const declared = Number(req.headers["content-length"]);
  if (declared > limits.maxFileBytes + FORM_OVERHEAD_BYTES) {
    refuse(tooLarge(limits));
    return;
  }
  let receiving: ReceivingUpload;
  try {
    // The file is at least the body less the form's overhead: a sure QUEUE_FULL is answered before reading.
    receiving = await queue.receive(
      caller,
      declared > 0 ? Math.max(0, declared - FORM_OVERHEAD_BYTES) : 0,
    );
  } catch (error) {
    closeWhenAnswered(req, res);
    if (!sendHubError(res, error)) throw error;
    return;
  }
  try {
    await queueUpload(req, res, queue, receiving, limits);
  } finally {
    // Nothing of a refused upload stays; a queued one's transaction has committed already.
    await receiving.abandon();
  }
}

/** Receives the upload into `receiving` and queues it, or answers why not. */
async function queueUpload(
  req: IncomingMessage,
  res: ServerResponse,
  queue: ImportQueue,
  receiving: ReceivingUpload,
  limits: UploadOptions,
): Promise<void> {
  const upload = await receiveUpload(
    req,
    receiving.writer,
    limits,
    queue.settings.receiveTimeoutMs,
  );
  if (upload.kind === "refused") {
    await receiving.abandon();
    closeWhenAnswered(req, res);
    sendError(res, upload.status, upload.code, upload.message);
    return;
  }
  const { fields } = upload;
  let job;
  try {
    // A bad form field (a period not written YYYY-MM, an unknown measure) is the caller's to fix: 400, nothing queued.
    if (fields.period) parseReportingPeriodArgument(fields.period, "period");
    const options = importOptionsFromFields(fields) as QueuedImportOptions;
    job = await queue.job(await receiving.queue(upload.name, options));
  } catch (error) {
    if (sendHubError(res, error)) return;
    throw error;
  }
  res.setHeader("location", `${IMPORT_JOBS_PATH}${job.id}`);
  // How long the hub took from the upload's last byte to this answer (bench:jobs reports it).
  res.setHeader(
    "server-timing",
    `queue;desc="last byte to 202";dur=${(performance.now() - upload.lastByteAt).toFixed(1)}`,
  );
  sendJson(res, 202, importJobJson(job));
}

/** Where an import job is read: `GET /imports/jobs/ID`. */
export const IMPORT_JOBS_PATH = `${IMPORTS_PATH}/jobs/`;

/**
 * `GET /imports/jobs/ID`: the job's state, progress and, once it has ended, its report (the same
 * answer as GraphQL's `importJob(id:)`), for the callers who may upload.
 */
export async function serveImportJob(
  req: IncomingMessage,
  res: ServerResponse,
  em: EntityManager,
  caller: Caller,
  id: string,
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET");
    closeWhenAnswered(req, res);
    sendError(
      res,
      405,
      ApolloServerErrorCode.BAD_REQUEST,
      `${IMPORT_JOBS_PATH}ID answers GET only; cancel a job with the GraphQL mutation cancelImportJob(id:).`,
    );
    return;
  }
  try {
    const job = await findImportJob(em, caller, id);
    // A poller asks again and again: never from a cache.
    res.setHeader("cache-control", "no-store");
    sendJson(res, 200, importJobJson(job));
  } catch (error) {
    if (!sendHubError(res, error)) throw error;
  }
}
