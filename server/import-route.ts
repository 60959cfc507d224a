import busboy from "busboy";
import type { MikroORM } from "@mikro-orm/postgresql";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { DEFAULT_IMPORT_LIMITS } from "../importers/import-limits.js";
import {
  importWorkbook,
  type ImportOptions,
} from "../importers/import-workbook.js";
import { AuditAction } from "../schema/audit-event.js";
import { Role } from "../schema/role.js";
import { assertRole } from "./auth/auth-checker.js";
import { importAuditDetails } from "./auth/import-audit-details.js";
import { sendHubError, sendJson } from "./json-response.js";
import { recordAudit } from "./auth/record-audit.js";
import type { Caller } from "./caller.js";

/** Where workbooks are uploaded. */
export const IMPORTS_PATH = "/imports";

function refuse(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  sendJson(res, status, { error: message, code });
}

/**
 * `POST /imports` (multipart/form-data, analyst role): the field `file` is a workbook; optional fields
 * `period`, `partnership`, `dryRun`, `skipInvalidRows` mean what `sshub import`'s options do. The
 * upload is streamed to a temporary file under the importer's size limit, then goes through the same
 * pipeline and report as `sshub import`: 200 with the report when imported, 422 when refused.
 */
export async function serveImportUpload(
  req: IncomingMessage,
  res: ServerResponse,
  orm: MikroORM,
  caller: Caller,
): Promise<void> {
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    refuse(
      res,
      405,
      "BAD_REQUEST",
      `${IMPORTS_PATH} answers POST (multipart/form-data with a "file" field) only.`,
    );
    return;
  }
  try {
    assertRole(caller, Role.ANALYST);
  } catch (error) {
    if (!sendHubError(res, error)) throw error;
    return;
  }
  // A council-bound token could otherwise write figures for partnerships outside its scope.
  if (caller.councilGssCodes !== null) {
    refuse(
      res,
      403,
      "FORBIDDEN",
      "Importing over HTTP needs a national token (one not bound to councils).",
    );
    return;
  }
  if (!(req.headers["content-type"] ?? "").startsWith("multipart/form-data")) {
    refuse(
      res,
      415,
      "BAD_REQUEST",
      'Send the workbook as multipart/form-data with the field "file".',
    );
    return;
  }
  const folder = await mkdtemp(join(tmpdir(), "sshub-upload-"));
  try {
    const fields: Record<string, string> = {};
    let upload: { path: string; name: string; truncated: boolean } | undefined;
    const parser = busboy({
      headers: req.headers,
      limits: {
        files: 1,
        fileSize: DEFAULT_IMPORT_LIMITS.maxFileBytes,
        fields: 10,
        fieldSize: 1000,
      },
    });
    const written: Promise<void>[] = [];
    parser.on("field", (name, value) => void (fields[name] = value));
    parser.on("file", (name, stream, info) => {
      if (name !== "file" || upload) {
        stream.resume();
        return;
      }
      const file = {
        path: join(folder, "upload.xlsx"),
        name: basename(info.filename || "upload.xlsx"),
        truncated: false,
      };
      upload = file;
      stream.on("limit", () => void (file.truncated = true));
      written.push(pipeline(stream, createWriteStream(file.path)));
    });
    await pipeline(req, parser);
    await Promise.all(written);
    if (!upload) {
      refuse(
        res,
        400,
        "BAD_REQUEST",
        'The form has no "file" field with a workbook.',
      );
      return;
    }
    if (upload.truncated) {
      refuse(
        res,
        413,
        "TOO_LARGE",
        `${upload.name}: larger than ${DEFAULT_IMPORT_LIMITS.maxFileBytes} bytes; the hub refuses bigger workbooks.`,
      );
      return;
    }
    const options: ImportOptions = {
      runBy: caller.name,
      displayName: upload.name,
    };
    if (fields.period) options.period = fields.period;
    if (fields.partnership) options.partnership = fields.partnership;
    if (fields.dryRun === "true") options.dryRun = true;
    if (fields.skipInvalidRows === "true") options.skipInvalidRows = true;
    let report;
    try {
      report = await importWorkbook(orm, upload.path, options);
    } catch (error) {
      // A bad form field (a period not written YYYY-MM) is the caller's to fix: 400, nothing written.
      if (sendHubError(res, error)) return;
      throw error;
    }
    const em = orm.em.fork();
    recordAudit(
      em,
      caller,
      AuditAction.IMPORT,
      importAuditDetails(report, "http"),
    );
    await em.flush();
    sendJson(res, report.status === "REFUSED" ? 422 : 200, {
      ...report,
      path: undefined,
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
