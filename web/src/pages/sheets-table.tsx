import type { ImportReport } from "../api/import-report";
import { sheetKindWords } from "../format/format-words";

/** One line per sheet: its kind, whether it was read, its rows, what it created, changed, left alone or removed, its problems. */
export function SheetsTable({
  sheets,
  dryRun,
}: {
  sheets: ImportReport["sheets"];
  dryRun: boolean;
}) {
  return (
    <div className="table-wrap">
      <table>
        <caption>Sheets</caption>
        <thead>
          <tr>
            <th scope="col">Sheet</th>
            <th scope="col">Kind</th>
            <th scope="col">Read</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col" className="num">
              {dryRun ? "Would create" : "Created"}
            </th>
            <th scope="col" className="num">
              {dryRun ? "Would change" : "Changed"}
            </th>
            <th scope="col" className="num">
              Left alone
            </th>
            <th scope="col" className="num">
              {dryRun ? "Would remove" : "Removed"}
            </th>
            <th scope="col" className="num">
              Problems
            </th>
          </tr>
        </thead>
        <tbody>
          {sheets.map((s, i) => (
            <tr key={`${i}:${s.sheet}`}>
              <th scope="row">{s.sheet}</th>
              <td>{sheetKindWords(s.kind)}</td>
              <td>{s.status === "read" ? "read" : `skipped (${s.status})`}</td>
              <td className="num">{s.rowsRead}</td>
              <td className="num">{s.created}</td>
              <td className="num">{s.updated}</td>
              <td className="num">{s.unchanged}</td>
              <td className="num">{s.removed}</td>
              <td className="num">{s.problems}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
