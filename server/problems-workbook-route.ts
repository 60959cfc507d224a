import { ApolloServerErrorCode } from "@apollo/server/errors";
import type { MikroORM } from "@mikro-orm/postgresql";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ErrorCode, ForbiddenError } from "../errors/hub-error.js";
import type { ImportProblem } from "../importers/import-problem.js";
import { ImportRun } from "../schema/import-run.js";
import { AccessScope } from "./auth/access-scope.js";
import { assertMayImportOverHttp } from "./auth/auth-checker.js";
import type { Caller } from "./caller.js";
import { closeWhenAnswered } from "./close-when-answered.js";
import { XLSX_CONTENT_TYPE } from "./export-route.js";
import { type UploadOptions } from "./import-route.js";
import { sendError, type ResponseErrorCode } from "./json-response.js";

/** Where a checked workbook is sent back to get it with its problems marked. */
export const PROBLEMS_WORKBOOK_PATH = "/imports/problems-workbook";

/** "Tracker June.xlsx" → "Tracker June - problems.xlsx". */
export function problemsWorkbookName(fileName: string): string {
  return `${fileName.replace(/\.[^.]+$/, "")} - problems.xlsx`;
}

class BodyOverLimit extends Error {}

/**
 * `POST /imports/problems-workbook?run=N` with the workbook's bytes as the body (the file the
 * analyst checked, which the hub did not keep): answers the workbook with run N's problems marked
 * on their cells and listed on a first sheet, the same file as `sshub import --problems-xlsx`.
 * The same callers as POST /imports (analyst, national token); the bytes must be the very file of
 * the run (same SHA-256), so that every mark lands on the cell it belongs to.
 */
export async function serveProblemsWorkbook(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  orm: MikroORM,
  caller: Caller,
  limits: UploadOptions,
): Promise<void> {
  const refuse = (status: number, code: ResponseErrorCode, message: string) => {
    closeWhenAnswered(req, res);
    sendError(res, status, code, message);
  };
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    refuse(
      405,
      ApolloServerErrorCode.BAD_REQUEST,
      `${PROBLEMS_WORKBOOK_PATH} answers POST (the workbook's bytes as the body) only.`,
    );
    return;
  }
  try {
    assertMayImportOverHttp(caller);
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    refuse(403, ErrorCode.Forbidden, error.message);
    return;
  }
  const runParameter = url.searchParams.get("run") ?? "";
  const runId = /^\d{1,9}$/.test(runParameter) ? Number(runParameter) : null;
  if (runId === null) {
    refuse(
      400,
      ErrorCode.BadUserInput,
      `Say which import run the workbook was checked in: ${PROBLEMS_WORKBOOK_PATH}?run=<the run's number>.`,
    );
    return;
  }
  if (Number(req.headers["content-length"]) > limits.maxFileBytes) {
    refuse(
      413,
      ErrorCode.TooLarge,
      `The workbook is larger than ${limits.maxFileBytes} bytes; the hub refuses bigger workbooks.`,
    );
    return;
  }
  const em = orm.em.fork();
  const run = await em.findOne(ImportRun, { id: runId });
  const scope = await AccessScope.of(em, caller);
  if (!run || !(await scope.allowsImportRun(em, runId))) {
    refuse(404, ErrorCode.NotFound, `No import run has the number ${runId}.`);
    return;
  }
  const folder = await mkdtemp(join(limits.folder, "sshub-problems-"));
  try {
    const path = join(folder, "workbook");
    const hash = createHash("sha256");
    let bytes = 0;
    try {
      await pipeline(
        req,
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            bytes += chunk.length;
            if (bytes > limits.maxFileBytes) return done(new BodyOverLimit());
            hash.update(chunk);
            done(null, chunk);
          },
        }),
        createWriteStream(path),
      );
    } catch (error) {
      if (error instanceof BodyOverLimit) {
        refuse(
          413,
          ErrorCode.TooLarge,
          `The workbook is larger than ${limits.maxFileBytes} bytes; the hub refuses bigger workbooks.`,
        );
        return;
      }
      refuse(
        400,
        ApolloServerErrorCode.BAD_REQUEST,
        "The workbook was cut off before its end: send it again.",
      );
      return;
    }
    if (hash.digest("hex") !== run.sha256) {
      refuse(
        400,
        ErrorCode.BadUserInput,
        `This is not the file checked in import run ${runId} (${run.fileName}): its bytes differ, so its problems would be marked on the wrong cells. Send the very file that was checked, or check the changed one again.`,
      );
      return;
    }
    const out = join(folder, "problems.xlsx");
    // Loaded when first asked for, like the export's workbook (export-route.ts): exceljs.
    const { writeProblemsWorkbook } =
      await import("../importers/write-problems-workbook.js");
    await writeProblemsWorkbook(path, run.problems as ImportProblem[], out);
    const body = await readFile(out);
    const name = problemsWorkbookName(run.fileName);
    res.statusCode = 200;
    res.setHeader("content-type", XLSX_CONTENT_TYPE);
    res.setHeader(
      "content-disposition",
      `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    res.setHeader("content-length", String(body.length));
    res.setHeader("cache-control", "no-store");
    res.end(body);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
