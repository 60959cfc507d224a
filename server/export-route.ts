import type { EntityManager } from "@mikro-orm/postgresql";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  BadInputError,
  ErrorCode,
  ForbiddenError,
  HubError,
  NotFoundError,
} from "../errors/hub-error.js";
import { Role, roleIncludes } from "../schema/role.js";
import { AccessScope } from "./auth/access-scope.js";
import { findPartnership } from "../reconcile/find-partnership.js";
import { loadReconciliations } from "../reconcile/load-reconciliations.js";
import { parseReconciliationQuery } from "../reconcile/reconciliation-options.js";
import {
  reconciliationFileName,
  reconciliationWorkbookBytes,
} from "../reconcile/reconciliation-workbook.js";
import { exportAuditDetails } from "../reconcile/export-audit-details.js";
import { AuditAction } from "../schema/audit-event.js";
import { recordAudit } from "./auth/record-audit.js";
import type { Caller } from "./caller.js";

/** Where the reconciliation workbook is served. */
export const RECONCILIATION_EXPORT_PATH = "/exports/reconciliation.xlsx";

/** The media type of .xlsx files. */
export const XLSX_CONTENT_TYPE =
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
};

function refuse(res: ServerResponse, status: number, error: HubError): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify({ error: error.message, code: error.code }));
}

/**
 * `GET /exports/reconciliation.xlsx?partnership=…&year=2009/10[&measure=achieved][&asOf=2010-03]
 * [&tolerance=0.50]`: the same workbook as `sshub reconcile --xlsx`. `partnership` (repeatable: one
 * sheet each) takes a global id, a database id or a name. Bad parameters answer 400 and an unknown
 * partnership 404, each with a JSON `{ error, code }` that says what to fix.
 */
export async function serveReconciliationExport(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  em: EntityManager,
  caller: () => Caller | Promise<Caller>,
): Promise<void> {
  try {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      refuse(
        res,
        405,
        new BadInputError(`${RECONCILIATION_EXPORT_PATH} answers GET only.`),
      );
      return;
    }
    // Refuses (401, 403) before any work: exporting needs the finance role, and a council-bound
    // token may export only its own partnerships (FORBIDDEN for others, whether or not they exist).
    const who = await caller();
    if (!roleIncludes(who.role, Role.FINANCE))
      throw ForbiddenError.role(Role.FINANCE);
    const scope = await AccessScope.of(em, who);
    const params = url.searchParams;
    const references = params.getAll("partnership").filter((p) => p.trim());
    if (references.length === 0)
      throw new BadInputError(
        "Say which partnership to export: ?partnership=<name or id>&year=2009/10.",
      );
    const query = parseReconciliationQuery({
      year: params.get("year"),
      measure: params.get("measure"),
      asOf: params.get("asOf") ?? params.get("as-of"),
      tolerance: params.get("tolerance"),
    });
    const partnerships = [];
    for (const reference of references) {
      const partnership = await findPartnership(em, reference).catch(
        (error: unknown) => {
          throw error instanceof NotFoundError && !scope.national
            ? new ForbiddenError()
            : error;
        },
      );
      scope.assertPartnership(partnership.id);
      partnerships.push(partnership);
    }
    const reconciliations = await loadReconciliations(em, partnerships, query);
    const bytes = await reconciliationWorkbookBytes(reconciliations);
    recordAudit(
      em,
      who,
      AuditAction.EXPORT,
      exportAuditDetails(reconciliations, "http"),
    );
    await em.flush();
    const fileName = reconciliationFileName(reconciliations);
    res.statusCode = 200;
    res.setHeader("content-type", XLSX_CONTENT_TYPE);
    res.setHeader(
      "content-disposition",
      `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    );
    res.setHeader("content-length", String(bytes.length));
    res.setHeader("cache-control", "no-store");
    res.end(req.method === "HEAD" ? undefined : bytes);
  } catch (error) {
    const status =
      error instanceof HubError ? STATUS_OF[error.code] : undefined;
    if (error instanceof HubError && status) {
      refuse(res, status, error);
      return;
    }
    throw error;
  }
}
