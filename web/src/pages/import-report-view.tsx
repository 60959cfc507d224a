import { globalId } from "../api/global-id";
import type { ImportProblem } from "../../../importers/import-problem.js";
import type { ImportReport } from "../api/import-report";
import { href } from "../app/use-hash-route";
import { formatPeriod } from "../format/format-date";
import { ProblemGridView } from "./problem-grid-view";
import { SheetsTable } from "./sheets-table";
import { SheetReadingView } from "./sheet-reading-view";

/** The problems of a run, each with its sheet, cell and message. */
export function ProblemTable({
  problems,
  caption,
}: {
  problems: ImportProblem[];
  caption: string;
}) {
  if (problems.length === 0) return <p className="good-text">No problems.</p>;
  return (
    <div className="table-wrap">
      <table className="problems">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Sheet</th>
            <th scope="col">Cell</th>
            <th scope="col">Severity</th>
            <th scope="col">Problem</th>
            <th scope="col">Value as written</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p, index) => (
            <tr key={index} className={p.severity}>
              <td>{p.sheet ?? "—"}</td>
              <td>
                <code>{p.cell ?? "—"}</code>
              </td>
              <td>
                <span
                  className={`badge ${p.severity === "error" ? "bad" : "warn"}`}
                >
                  {p.severity}
                </span>
              </td>
              <td>{p.message}</td>
              <td>{p.value ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const STATUS_WORDS: Record<ImportReport["status"], string> = {
  RUNNING: "Running",
  DRY_RUN: "Dry run: nothing was written",
  IMPORTED: "Imported",
  IMPORTED_WITH_SKIPPED_ROWS: "Imported; invalid rows were skipped",
  REFUSED: "Refused: nothing was written",
  INTERRUPTED: "Interrupted: nothing was written",
};

/** What an import did or would do, per sheet, with its problems. */
export function ImportReportView({ report }: { report: ImportReport }) {
  return (
    <div className="report" data-testid="import-report">
      <p>
        <span
          className={`badge ${report.status === "REFUSED" ? "bad" : "good"}`}
        >
          {STATUS_WORDS[report.status]}
        </span>{" "}
        {report.reportingPeriod &&
          `Reporting period ${formatPeriod(report.reportingPeriod)}${report.reportingPeriodSource ? ` (from ${report.reportingPeriodSource})` : ""}. `}
        {report.errorCount} error(s), {report.warningCount} warning(s).{" "}
        <a href={href("history", globalId("ImportRun", report.importRunId))}>
          Import run {report.importRunId}
        </a>
        {report.sameFileAs !== null &&
          ` These very bytes were imported before (run ${report.sameFileAs}).`}
      </p>
      <SheetsTable sheets={report.sheets} dryRun={report.dryRun} />
      {report.created.length > 0 && (
        <details>
          <summary>
            {report.dryRun ? "Would create" : "Created"} {report.created.length}{" "}
            record(s)
          </summary>
          <ul>
            {report.created.map((c, index) => (
              <li key={index}>
                {c.type} <strong>{c.name}</strong>
                {c.partnership ? ` in ${c.partnership}` : ""} ({c.sheet}!
                {c.cell})
              </li>
            ))}
          </ul>
        </details>
      )}
      {/* A sheet of two tables has a line for each, under the same name. */}
      {report.sheets.map((sheet, i) => (
        <SheetReadingView key={`${i}:${sheet.sheet}`} sheet={sheet} />
      ))}
      {(report.problemGrids ?? []).map((grid) => (
        <ProblemGridView
          key={grid.sheet}
          grid={grid}
          problems={report.problems}
        />
      ))}
      <ProblemTable
        problems={report.problems}
        caption="Problems, by sheet and cell"
      />
      {report.omittedProblems > 0 && (
        <p className="muted">
          {report.omittedProblems} more problem(s) were counted but not listed.
        </p>
      )}
    </div>
  );
}
