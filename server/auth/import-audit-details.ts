import type { ImportReport } from "../../importers/import-workbook.js";

/** What the audit log keeps of an import: the file, its run and how it ended, and how it came in. */
export function importAuditDetails(
  report: ImportReport,
  via: "cli" | "http",
): Record<string, unknown> {
  return {
    via,
    file: report.file,
    sha256: report.sha256,
    importRunId: report.importRunId,
    status: report.status,
    dryRun: report.dryRun,
    reportingPeriod: report.reportingPeriod,
    errors: report.errorCount,
    warnings: report.warningCount,
  };
}
