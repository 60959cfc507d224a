import { Fragment, useId } from "react";
import type { ImportProblem } from "../../../importers/import-problem.js";
import type { ProblemGrid } from "../api/import-report";

/** "AB" → 28: to see where the grid leaves columns out. */
function columnNumber(letters: string): number {
  let n = 0;
  for (const letter of letters) n = n * 26 + letter.charCodeAt(0) - 64;
  return n;
}

/** The problems of one sheet by cell ("E4"), in the order met. */
function problemsByCell(
  problems: readonly ImportProblem[],
  sheet: string,
): Map<string, ImportProblem[]> {
  const byCell = new Map<string, ImportProblem[]>();
  for (const p of problems)
    if (p.sheet === sheet && p.cell)
      byCell.set(p.cell, [...(byCell.get(p.cell) ?? []), p]);
  return byCell;
}

/**
 * One sheet's cells around its problems (the whole sheet when small), as the importer read them:
 * each problem cell highlighted (red for an error, amber for a warning) with a number, and its
 * messages beside the grid under the same number; each cell is described by its messages for a
 * screen reader. The same places `--problems-xlsx` marks.
 */
export function ProblemGridView({
  grid,
  problems,
}: {
  grid: ProblemGrid;
  problems: readonly ImportProblem[];
}) {
  const id = useId();
  const byCell = problemsByCell(problems, grid.sheet);
  const numbered = [...byCell.keys()];
  const messageId = (cell: string) => `${id}-${cell}`;
  const numbers = grid.columns.map(columnNumber);
  const gapBefore = (index: number) =>
    index === 0 ? numbers[0]! > 1 : numbers[index]! > numbers[index - 1]! + 1;
  const shown = new Set<string>();
  for (const row of grid.rows)
    for (const letter of grid.columns) shown.add(`${letter}${row.row}`);
  return (
    <figure className="problem-grid" data-testid={`problem-grid-${grid.sheet}`}>
      <figcaption>
        Sheet <strong>{grid.sheet}</strong>
        {grid.wholeSheet
          ? ", the whole sheet"
          : ", the cells around each problem (⋯ marks rows or columns left out)"}
        {grid.headerRow !== null && `; header row ${grid.headerRow}`}.
      </figcaption>
      <div className="problem-grid-body">
        <div className="table-wrap">
          <table className="grid">
            <thead>
              <tr>
                <td />
                {grid.columns.map((letter, index) => (
                  <th
                    scope="col"
                    key={letter}
                    className={gapBefore(index) ? "gap-before" : undefined}
                  >
                    {gapBefore(index) && (
                      <span aria-label="columns left out">⋯ </span>
                    )}
                    {letter}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {grid.rows.map((row, r) => {
                const gap =
                  r === 0 ? row.row > 1 : row.row > grid.rows[r - 1]!.row + 1;
                return (
                  <Fragment key={row.row}>
                    {gap && (
                      <tr className="gap-row">
                        <td colSpan={grid.columns.length + 1}>
                          ⋯ <span className="sr-only">rows left out</span>
                        </td>
                      </tr>
                    )}
                    <tr
                      className={
                        row.row === grid.headerRow ? "header-row" : undefined
                      }
                    >
                      <th scope="row">{row.row}</th>
                      {grid.columns.map((letter, c) => {
                        const cell = `${letter}${row.row}`;
                        const here = byCell.get(cell);
                        const severity = here?.some(
                          (p) => p.severity === "error",
                        )
                          ? "error"
                          : "warning";
                        return (
                          <td
                            key={letter}
                            data-cell={cell}
                            className={
                              [
                                here ? `problem-${severity}` : "",
                                gapBefore(c) ? "gap-before" : "",
                              ]
                                .filter(Boolean)
                                .join(" ") || undefined
                            }
                            aria-describedby={
                              here ? messageId(cell) : undefined
                            }
                          >
                            {row.cells[c] ?? ""}
                            {here && (
                              <sup className="marker">
                                {numbered.indexOf(cell) + 1}
                              </sup>
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
        <ol className="grid-messages">
          {numbered.map((cell) => (
            <li key={cell} id={messageId(cell)} data-cell={cell}>
              <code>{cell}</code>
              {shown.has(cell) ? "" : " (not on the grid)"}:{" "}
              {byCell
                .get(cell)!
                .map((p) => `${p.severity}: ${p.message}`)
                .join(" ")}
            </li>
          ))}
        </ol>
      </div>
      {grid.omittedProblems > 0 && (
        <p className="muted">
          {grid.omittedProblems} problem(s) of this sheet are too far apart to
          show on the grid; the list below has them all.
        </p>
      )}
    </figure>
  );
}
