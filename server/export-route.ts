import type { EntityManager } from "@mikro-orm/postgresql";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApolloServerErrorCode } from "@apollo/server/errors";
import { BadInputError } from "../errors/hub-error.js";
import { Role } from "../schema/role.js";
import { AccessScope } from "./auth/access-scope.js";
import { assertRole } from "./auth/auth-checker.js";
import { sendError, sendHubError } from "./json-response.js";
import { findVisiblePartnership } from "./auth/find-visible-partnership.js";
import { loadReconciliations } from "../reconcile/load-reconciliations.js";
import { parseReconciliationQuery } from "../reconcile/reconciliation-options.js";
import { exportAuditDetails } from "../reconcile/export-audit-details.js";
import { AuditAction } from "../schema/audit-event.js";
import { recordAudit } from "./auth/record-audit.js";
import type { Caller } from "./caller.js";
import { checkQueryParameters } from "./string-arguments.js";

/** Where the reconciliation workbook is served. */
export const RECONCILIATION_EXPORT_PATH = "/exports/reconciliation.xlsx";

/** The media type of .xlsx files. */
export const XLSX_CONTENT_TYPE =
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * `GET /exports/reconciliation.xlsx?partnership=…&year=2009/10[&measure=achieved][&asOf=2010-03]
 * [&tolerance=0.50]`: the same workbook as `sshub reconcile --xlsx`. `partnership` (repeatable: one
 * sheet each) takes a global id, a database id or a name. Bad parameters answer 400 and an unknown
 * partnership 404, each with the hub's JSON error (`errors[0].message`, `errors[0].extensions.code`) saying what to fix.
 * A parameter longer than `maxStringLength` (the server's QueryLimits, as for GraphQL's strings) is refused.
 */
export async function serveReconciliationExport(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  em: EntityManager,
  caller: () => Caller | Promise<Caller>,
  maxStringLength: number,
): Promise<void> {
  try {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      sendError(
        res,
        405,
        ApolloServerErrorCode.BAD_REQUEST,
        `${RECONCILIATION_EXPORT_PATH} answers GET only.`,
      );
      return;
    }
    // Refuses (401, 403) before any work: exporting needs the finance role, and a council-bound
    // token may export only its own partnerships (FORBIDDEN for others, whether or not they exist).
    const who = await caller();
    assertRole(who, Role.FINANCE);
    const scope = await AccessScope.of(em, who);
    const params = url.searchParams;
    checkQueryParameters(params, maxStringLength);
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
      partnerships.push(await findVisiblePartnership(em, reference, scope));
    }
    const reconciliations = await loadReconciliations(em, partnerships, query);
    // exceljs is loaded when a workbook is first asked for: held by every hub process from the
    // start it was 8.5 MB of live heap, which V8 lets grow up to four times over before it collects.
    const { reconciliationFileName, reconciliationWorkbookBytes } =
      await import("../reconcile/reconciliation-workbook.js");
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
    if (!sendHubError(res, error)) throw error;
  }
}
