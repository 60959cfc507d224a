import { useId } from "react";
import type { ImportReport } from "../api/import-report";
import { formatPeriod } from "../format/format-date";
import {
  KIND_ROLES,
  type SheetKind,
} from "../../../importers/header-synonyms.js";

/**
 * What an analyst answers for one workbook in the page: the same answers `sshub import` takes as
 * `--partnership`, `--measure`, `--period` and a mapping profile's pinned columns. Sent with the dry
 * run and the import; a successful import remembers them for the workbook's layout.
 */
export interface ImportAnswers {
  partnership: string;
  /** "", "target", "estimate", "forecast" or "achieved". */
  measure: string;
  /** "YYYY-MM" or "". */
  period: string;
  /** A role (or "ignore") per column, by its header as written. */
  columns: Record<string, string>;
}

/** No answer given yet. */
export const NO_ANSWERS: ImportAnswers = {
  partnership: "",
  measure: "",
  period: "",
  columns: {},
};

const MEASURES = ["target", "estimate", "forecast", "achieved"];

/** The form fields of POST /imports that carry the answers (server/import-form-fields.ts reads them). */
export function answerFields(answers: ImportAnswers): [string, string][] {
  const fields: [string, string][] = [];
  if (answers.partnership) fields.push(["partnership", answers.partnership]);
  if (answers.measure) fields.push(["measure", answers.measure]);
  if (answers.period) fields.push(["period", answers.period]);
  const columns = Object.entries(answers.columns).filter(([, role]) => role);
  if (columns.length)
    fields.push([
      "mapping",
      JSON.stringify({ columns: Object.fromEntries(columns) }),
    ]);
  return fields;
}

/** The questions a dry run's problems ask: which answers would let the workbook in. */
function questions(report: ImportReport) {
  const problems = report.problems;
  return {
    measure: problems.some(
      (p) => p.code === "missing-value" && p.message.includes("--measure"),
    ),
    period: problems.some((p) => p.code === "bad-period"),
    partnership: problems.some(
      (p) =>
        p.code === "unknown-partnership" ||
        p.code === "partnership-from-workbook",
    ),
    columns: problems
      .filter((p) => p.code === "unknown-column" && p.header)
      .map((p) => ({
        header: p.header!,
        cell: p.cell ?? "",
        kind: report.sheets.find((s) => s.sheet === p.sheet)?.kind ?? null,
      })),
  };
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
 * The importer's questions for one workbook after its dry run (partnership, measure, month, the
 * role of each column it did not know), answered in the page and checked again with a new dry run.
 * Shown only when the dry run asks something, or answers were already given.
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
      <div className="filters">
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
        {asked.columns.map((column) => {
          const roles = column.kind
            ? [
                ...KIND_ROLES[column.kind as SheetKind].required,
                ...KIND_ROLES[column.kind as SheetKind].optional,
              ]
            : [];
          return (
            <div key={column.header}>
              <label htmlFor={`${id}-column-${column.cell}`}>
                Column &quot;{column.header}&quot; ({column.cell}) is
              </label>
              <select
                id={`${id}-column-${column.cell}`}
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
