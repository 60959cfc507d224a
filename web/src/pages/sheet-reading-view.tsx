import type { SheetReadingFacts } from "../../../importers/sheet-reading-facts.js";
import type { ImportReport } from "../api/import-report";
import { formatPeriod } from "../format/format-date";
import { enumWords, sheetKindWords } from "../format/format-words";

type Column = SheetReadingFacts["columns"][number];

/** A column role of the importer ("financialYear", "goLive") in words. */
function roleWords(role: string): string {
  const words = role.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What the importer reads a column as, in words. */
function useWords(column: Column): string {
  switch (column.use) {
    case "role":
      return roleWords(column.role);
    case "year":
      return `Figures for ${column.year}${column.measure ? ` (${enumWords(column.measure).toLowerCase()})` : ""}`;
    case "council-seats":
      return "A council's seats on each body";
    case "council-part":
      return "Marks the council's part in each service (a partner)";
    case "row-total":
      return "The row's total: checked against its figures, not imported";
    case "unknown":
      return "Not known: kept with each record, not read";
  }
}

/**
 * How one sheet was read: the header row found, each column with the role it was given (the
 * unknown ones marked), and the reporting period, partnership and measure with where each came from.
 */
export function SheetReadingView({
  sheet,
}: {
  sheet: ImportReport["sheets"][number];
}) {
  const header = sheet.header;
  if (!header) return null;
  const unknown = header.columns.filter((c) => c.use === "unknown").length;
  return (
    <section
      className="sheet-reading"
      aria-label={`How sheet ${sheet.sheet} was read`}
      data-testid={`sheet-reading-${sheet.sheet}`}
    >
      <h3>
        Sheet {sheet.sheet}: {sheetKindWords(sheet.kind)}, header in row{" "}
        {header.headerRow}
      </h3>
      <dl className="facts">
        <div>
          <dt>Reporting month</dt>
          <dd>
            {sheet.period
              ? `${formatPeriod(sheet.period)}, from ${sheet.periodSource}`
              : "Not found on this sheet"}
          </dd>
        </div>
        {header.partnership && (
          <div>
            <dt>Partnership</dt>
            <dd>
              {header.partnership.value && (
                <strong>{header.partnership.value}</strong>
              )}
              {header.partnership.value ? ", from " : "From "}
              {header.partnership.source}
            </dd>
          </div>
        )}
        {header.measure && (
          <div>
            <dt>Measure</dt>
            <dd>
              {header.measure.value && (
                <strong>{enumWords(header.measure.value)}</strong>
              )}
              {header.measure.value ? ", from " : "From "}
              {header.measure.source}
            </dd>
          </div>
        )}
      </dl>
      <div className="table-wrap">
        <table className="columns">
          <caption>
            Columns of {sheet.sheet}
            {unknown > 0 ? `: ${unknown} not known` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Header as written</th>
              <th scope="col">Read as</th>
            </tr>
          </thead>
          <tbody>
            {header.columns.map((column) => (
              <tr
                key={column.column}
                className={column.use === "unknown" ? "unknown" : undefined}
              >
                <th scope="row">{column.column}</th>
                <td>{column.header || "(no header)"}</td>
                <td>
                  {column.use === "unknown" ? (
                    <span className="badge warn">{useWords(column)}</span>
                  ) : (
                    useWords(column)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
