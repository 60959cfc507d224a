import { useId } from "react";
import type { ImportProblem } from "../../../importers/import-problem.js";
import type { ImportReport, ProblemGrid } from "../api/import-report";
import { useGraphql } from "../api/use-graphql";
import { Loaded } from "../app/status-message";
import { href, type Route } from "../app/use-hash-route";
import { formatDateTime, formatPeriod } from "../format/format-date";
import { enumWords } from "../format/format-words";
import { ImportCalendar } from "./import-calendar";
import { ProblemTable } from "./import-report-view";
import { ProblemGridView } from "./problem-grid-view";
import { RunFigures } from "./run-figures";
import { SheetReadingView } from "./sheet-reading-view";
import { SheetsTable } from "./sheets-table";

const RUNS = `query ImportHistory($status: ImportStatus) { imports(first: 100, status: $status) {
  totalCount edges { node { id fileName kind status reportingPeriod runBy startedAt } } } }`;

const RUN = `query ImportRun($id: ID!) { import(id: $id) {
  id fileName kind status reason reportingPeriod runBy startedAt finishedAt sha256 rowCounts problems
  problemGrids { sheet columns rows { row cells } headerRow wholeSheet omittedProblems } } }`;

interface Run {
  id: string;
  fileName: string;
  kind: string;
  status: string;
  reportingPeriod: string | null;
  runBy: string;
  startedAt: string;
  finishedAt?: string | null;
  reason?: string | null;
  sha256?: string;
  rowCounts?: Record<string, unknown>;
  problems?: ImportProblem[];
  problemGrids?: ProblemGrid[];
}

const STATUSES = [
  "IMPORTED",
  "IMPORTED_WITH_SKIPPED_ROWS",
  "DRY_RUN",
  "REFUSED",
  "INTERRUPTED",
  "RUNNING",
];

/** Every import run, newest first, or one run with its counts and problems. */
export function HistoryPage({ route }: { route: Route }) {
  const runId = route.segments[1];
  // The month picker and the run filter each change their own value and keep the other's, so the
  // address names both (and the back button steps through them).
  const go = (change: Record<string, string>) =>
    (window.location.hash = href("history", {
      ...Object.fromEntries(route.params),
      ...change,
    }));
  return runId ? (
    <RunDetail id={runId} />
  ) : (
    <>
      <h1>Import history</h1>
      <ImportCalendar
        to={route.params.get("to")}
        onMonth={(to) => go({ to })}
      />
      <RunList
        status={route.params.get("status")}
        onStatus={(status) => go({ status })}
      />
    </>
  );
}

function RunList({
  status,
  onStatus,
}: {
  status: string | null;
  onStatus: (status: string) => void;
}) {
  const id = useId();
  const state = useGraphql<{
    imports: { totalCount: number; edges: { node: Run }[] };
  }>(RUNS, {
    status: status || null,
  });
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Every run</h2>
      <div className="filters">
        <div>
          <label htmlFor={`${id}-status`}>Show</label>
          <select
            id={`${id}-status`}
            value={status ?? ""}
            onChange={(e) => onStatus(e.target.value)}
          >
            <option value="">Every run</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {enumWords(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Loaded state={state}>
        {({ imports }) => (
          <div className="table-wrap">
            <table data-testid="import-history">
              <caption>
                {imports.totalCount} run(s)
                {imports.totalCount > 100 ? "; the latest 100 are shown" : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">File</th>
                  <th scope="col">Reporting month</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Run by</th>
                </tr>
              </thead>
              <tbody>
                {imports.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td>{formatDateTime(node.startedAt)}</td>
                    <td>
                      <a href={href("history", node.id)}>{node.fileName}</a>
                    </td>
                    <td>{formatPeriod(node.reportingPeriod)}</td>
                    <td>{enumWords(node.status)}</td>
                    <td>{node.runBy}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </section>
  );
}

function RunDetail({ id }: { id: string }) {
  const state = useGraphql<{ import: Run }>(RUN, { id });
  return (
    <Loaded state={state}>
      {({ import: run }) => (
        <article aria-labelledby="run-title">
          <p className="crumbs">
            <a href={href("history")}>Import history</a>
          </p>
          <h1 id="run-title">{run.fileName}</h1>
          <dl className="facts">
            <div>
              <dt>Outcome</dt>
              <dd>
                {enumWords(run.status)}
                {run.reason && `: ${run.reason}`}
              </dd>
            </div>
            <div>
              <dt>Reporting month</dt>
              <dd>{formatPeriod(run.reportingPeriod)}</dd>
            </div>
            <div>
              <dt>Run by</dt>
              <dd>{run.runBy}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{formatDateTime(run.startedAt)}</dd>
            </div>
            <div>
              <dt>Finished</dt>
              <dd>{formatDateTime(run.finishedAt)}</dd>
            </div>
            <div>
              <dt>SHA-256</dt>
              <dd>
                <code>{run.sha256}</code>
              </dd>
            </div>
          </dl>
          <h2>Sheets</h2>
          {Array.isArray(run.rowCounts?.sheets) ? (
            <>
              <SheetsTable
                sheets={run.rowCounts.sheets as ImportReport["sheets"]}
                dryRun={run.status === "DRY_RUN"}
              />
              {(run.rowCounts.sheets as ImportReport["sheets"]).map(
                (sheet, i) => (
                  <SheetReadingView key={`${i}:${sheet.sheet}`} sheet={sheet} />
                ),
              )}
            </>
          ) : (
            <RowCounts counts={run.rowCounts ?? {}} />
          )}
          <h2>Savings figures it wrote</h2>
          <RunFigures id={run.id} />
          <h2>Problems</h2>
          {(run.problemGrids ?? []).map((grid) => (
            <ProblemGridView
              key={grid.sheet}
              grid={grid}
              problems={run.problems ?? []}
            />
          ))}
          <ProblemTable
            problems={run.problems ?? []}
            caption="Problems, by sheet and cell"
          />
        </article>
      )}
    </Loaded>
  );
}

function RowCounts({ counts }: { counts: Record<string, unknown> }) {
  const entries = Object.entries(counts);
  if (entries.length === 0)
    return <p className="muted">No rows were counted.</p>;
  return (
    <ul className="list">
      {entries.map(([sheet, value]) => (
        <li key={sheet}>
          <strong>{sheet}</strong>{" "}
          <span className="muted">
            {typeof value === "object" && value !== null
              ? Object.entries(value as Record<string, unknown>)
                  .map(([k, v]) => `${k}: ${String(v)}`)
                  .join(", ")
              : String(value)}
          </span>
        </li>
      ))}
    </ul>
  );
}
