import { useId } from "react";
import type { ImportReport, ProblemGrid } from "../api/import-report";
import { formatPeriod } from "../format/format-date";
import { sheetKindWords } from "../format/format-words";
import {
  KIND_ROLES,
  SHEET_KINDS,
  type SheetKind,
} from "../../../importers/header-synonyms.js";
import type { ProblemAnswer } from "../../../importers/import-problem.js";

/**
 * What an analyst answers for one workbook in the page: the same answers `sshub import` takes as
 * `--partnership`, `--measure`, `--period`, `--kind`, `--header-row` and `--column` (a mapping
 * profile's pinned columns). Sent with the dry run and the import; a successful import remembers
 * them for the workbook's layout.
 */
export interface ImportAnswers {
  partnership: string;
  /** "", "target", "estimate", "forecast" or "achieved". */
  measure: string;
  /** "YYYY-MM" or "". */
  period: string;
  /** A sheet kind ("savings-long") or "". */
  kind: string;
  /** The header row (1-based) of each sheet it was asked for, by sheet name. */
  headerRows: Record<string, number>;
  /** A role (or "ignore") per column, by its header as written. */
  columns: Record<string, string>;
}

/** No answer given yet. */
export const NO_ANSWERS: ImportAnswers = {
  partnership: "",
  measure: "",
  period: "",
  kind: "",
  headerRows: {},
  columns: {},
};

const MEASURES = ["target", "estimate", "forecast", "achieved"];

/** The form fields of POST /imports that carry the answers (server/import-form-fields.ts reads them). */
export function answerFields(answers: ImportAnswers): [string, string][] {
  const fields: [string, string][] = [];
  if (answers.partnership) fields.push(["partnership", answers.partnership]);
  if (answers.measure) fields.push(["measure", answers.measure]);
  if (answers.period) fields.push(["period", answers.period]);
  if (answers.kind) fields.push(["kind", answers.kind]);
  const columns = Object.entries(answers.columns).filter(([, role]) => role);
  const headerRows = Object.entries(answers.headerRows).filter(
    ([, row]) => row >= 1,
  );
  if (columns.length || headerRows.length)
    fields.push([
      "mapping",
      JSON.stringify({
        ...(columns.length ? { columns: Object.fromEntries(columns) } : {}),
        ...(headerRows.length
          ? { headerRow: Object.fromEntries(headerRows) }
          : {}),
      }),
    ]);
  return fields;
}

/** A column the page asks the role of: one not read, with the roles its sheet's kind has. */
interface ColumnQuestion {
  header: string;
  cell: string;
  kind: SheetKind | null;
  /** The roles the sheet lacks, offered first. */
  lacking: string[];
}

/** The questions a dry run's problems ask: which answers would let the workbook in. */
function questions(report: ImportReport) {
  const problems = report.problems;
  const asks = (option: ProblemAnswer["option"]) =>
    problems.filter((p) => p.answer?.option === option);
  const columns = new Map<string, ColumnQuestion>();
  for (const p of problems) {
    const answer = p.answer;
    if (answer?.option === "column")
      for (const column of answer.columns)
        columns.set(column.header, {
          ...column,
          kind: answer.kind,
          lacking: answer.roles,
        });
  }
  for (const p of problems)
    if (p.code === "unknown-column" && p.header && !columns.has(p.header)) {
      const kind = report.sheets.find((s) => s.sheet === p.sheet)?.kind;
      columns.set(p.header, {
        header: p.header,
        cell: p.cell ?? "",
        kind: (kind as SheetKind | undefined) ?? null,
        lacking: [],
      });
    }
  return {
    measure: asks("measure").length > 0,
    period: problems.some((p) => p.code === "bad-period"),
    partnership: asks("partnership").length > 0,
    kind: asks("kind").map((p) => p.sheet ?? ""),
    headerRows: [...new Set(asks("header-row").map((p) => p.sheet ?? ""))].map(
      (sheet) => ({
        sheet,
        grid: report.problemGrids.find((g) => g.sheet === sheet) ?? null,
      }),
    ),
    columns: [...columns.values()],
  };
}

/** The words a cell of the header-row preview is read out with: its text, or "blank". */
function rowWords(cells: readonly (string | null)[]): string {
  const texts = cells.filter((c): c is string => !!c);
  return texts.length ? texts.join(" · ") : "blank row";
}

/**
 * The header-row question of one sheet: its top rows as the importer read them, a radio button per
 * row (arrow keys move between them); a number field when the run kept no grid of them (a big file).
 */
function HeaderRowQuestion({
  sheet,
  grid,
  row,
  onChange,
}: {
  sheet: string;
  grid: ProblemGrid | null;
  row: number | undefined;
  onChange: (row: number) => void;
}) {
  const id = useId();
  if (!grid)
    return (
      <div>
        <label htmlFor={`${id}-row`}>
          Header row of sheet &quot;{sheet}&quot; (its row number)
        </label>
        <input
          id={`${id}-row`}
          type="number"
          min={1}
          value={row ?? ""}
          onChange={(e) => onChange(Number(e.target.value))}
        />
      </div>
    );
  return (
    <fieldset className="header-row-question">
      <legend>
        Which row of sheet &quot;{sheet}&quot; holds the column headings?
      </legend>
      <div className="table-wrap">
        <table className="grid">
          <caption className="sr-only">
            The top rows of sheet {sheet}, as the importer read them
          </caption>
          <thead>
            <tr>
              <th scope="col">Header</th>
              <th scope="col">Row</th>
              {grid.columns.map((letter) => (
                <th scope="col" key={letter}>
                  {letter}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((r) => (
              <tr
                key={r.row}
                className={r.row === row ? "header-row" : undefined}
              >
                <td>
                  <input
                    type="radio"
                    id={`${id}-row-${r.row}`}
                    name={`${id}-header-row`}
                    value={r.row}
                    checked={r.row === row}
                    onChange={() => onChange(r.row)}
                    aria-label={`Row ${r.row}: ${rowWords(r.cells)}`}
                  />
                </td>
                <th scope="row">
                  <label htmlFor={`${id}-row-${r.row}`}>{r.row}</label>
                </th>
                {r.cells.map((text, c) => (
                  <td key={c}>{text ?? ""}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}

/** The lines saying which remembered answers a run used, and which it remembered. */
export function RememberedAnswersNote({ report }: { report: ImportReport }) {
  const used = report.rememberedAnswers;
  const saved = report.savedProfile;
  if (!used && !saved) return null;
  return (
    <div className="remembered" data-testid="remembered-answers">
      {used && (
        <p>
          Used the answers remembered from import run #{used.importRunId}
          {used.reportingPeriod
            ? ` (${formatPeriod(used.reportingPeriod)})`
            : ""}
          .
        </p>
      )}
      {saved && (
        <p>
          These answers are remembered for this workbook&apos;s layout (profile
          #{saved.profileId}): next month&apos;s file of the same layout will
          use them.
        </p>
      )}
    </div>
  );
}

/**
 * The importer's questions for one workbook after its dry run (partnership, measure, month, what a
 * sheet is, its header row, the role of each column it did not read), answered in the page and
 * checked again with a new dry run. Shown only when the dry run asks something, or answers were
 * already given.
 */
export function ImportAnswersForm({
  report,
  answers,
  onChange,
  onCheck,
}: {
  report: ImportReport;
  answers: ImportAnswers;
  onChange: (answers: ImportAnswers) => void;
  onCheck: () => void;
}) {
  const id = useId();
  const asked = questions(report);
  const given = answerFields(answers).length > 0;
  if (
    !given &&
    !asked.measure &&
    !asked.period &&
    !asked.partnership &&
    asked.kind.length === 0 &&
    asked.headerRows.length === 0 &&
    asked.columns.length === 0
  )
    return null;
  const set = (change: Partial<ImportAnswers>) =>
    onChange({ ...answers, ...change });
  return (
    <form
      className="import-answers"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        onCheck();
      }}
    >
      <h3 id={`${id}-title`}>Answers for this workbook</h3>
      <p>
        The workbook does not say everything the importer needs. Answer here and
        check again; once imported, the answers are remembered for workbooks of
        this layout.
      </p>
      {asked.headerRows.map(({ sheet, grid }) => (
        <HeaderRowQuestion
          key={sheet}
          sheet={sheet}
          grid={grid}
          row={answers.headerRows[sheet]}
          onChange={(row) =>
            set({ headerRows: { ...answers.headerRows, [sheet]: row } })
          }
        />
      ))}
      <div className="filters">
        {(asked.kind.length > 0 || answers.kind) && (
          <div>
            <label htmlFor={`${id}-kind`}>
              What{" "}
              {asked.kind.length === 1
                ? `sheet "${asked.kind[0]}"`
                : "its sheets"}{" "}
              hold
            </label>
            <select
              id={`${id}-kind`}
              value={answers.kind}
              onChange={(e) => set({ kind: e.target.value })}
            >
              <option value="">Choose…</option>
              {SHEET_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {sheetKindWords(kind)}
                </option>
              ))}
            </select>
          </div>
        )}
        {(asked.measure || answers.measure) && (
          <div>
            <label htmlFor={`${id}-measure`}>
              Measure of its figures (the workbook names none)
            </label>
            <select
              id={`${id}-measure`}
              value={answers.measure}
              onChange={(e) => set({ measure: e.target.value })}
            >
              <option value="">Choose…</option>
              {MEASURES.map((m) => (
                <option key={m} value={m}>
                  {m[0]!.toUpperCase() + m.slice(1)}
                </option>
              ))}
            </select>
          </div>
        )}
        {(asked.period || answers.period) && (
          <div>
            <label htmlFor={`${id}-period`}>
              Reporting month of this workbook
            </label>
            <input
              id={`${id}-period`}
              type="month"
              value={answers.period}
              onChange={(e) => set({ period: e.target.value })}
            />
          </div>
        )}
        {(asked.partnership || answers.partnership) && (
          <div>
            <label htmlFor={`${id}-partnership`}>
              Partnership of this workbook
            </label>
            <input
              id={`${id}-partnership`}
              type="text"
              value={answers.partnership}
              onChange={(e) => set({ partnership: e.target.value })}
            />
          </div>
        )}
        {asked.columns.map((column, index) => {
          const roles = column.kind
            ? [
                ...new Set([
                  ...column.lacking,
                  ...KIND_ROLES[column.kind].required,
                  ...KIND_ROLES[column.kind].optional,
                ]),
              ]
            : [];
          return (
            <div key={column.header}>
              <label htmlFor={`${id}-column-${index}`}>
                Column &quot;{column.header}&quot;
                {column.cell ? ` (${column.cell})` : ""} is
              </label>
              <select
                id={`${id}-column-${index}`}
                value={answers.columns[column.header] ?? ""}
                onChange={(e) =>
                  set({
                    columns: {
                      ...answers.columns,
                      [column.header]: e.target.value,
                    },
                  })
                }
              >
                <option value="">Not known (kept as extra)</option>
                <option value="ignore">Ignored</option>
                {roles.map((role) => (
                  <option key={role} value={role}>
                    {role}
                    {column.lacking.includes(role)
                      ? " (the sheet has none)"
                      : ""}
                  </option>
                ))}
              </select>
            </div>
          );
        })}
      </div>
      <button type="submit">Check again with these answers</button>
    </form>
  );
}
