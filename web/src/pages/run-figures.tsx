import { useGraphql } from "../api/use-graphql";
import { MoneyCell } from "../app/money-table";
import { Loaded } from "../app/status-message";
import { formatPeriod } from "../format/format-date";
import { enumWords } from "../format/format-words";

const FIGURES = `query RunFigures($id: ID!) { import(id: $id) { figureCount
  figures(first: 200) { id financialYear measure cashable reportingPeriod sourceSheet sourceCell
    amount { amount } service { name } council { shortName } partnership { name } } } }`;

interface Figure {
  id: string;
  financialYear: string;
  measure: string;
  cashable: boolean;
  reportingPeriod: string;
  sourceSheet: string | null;
  sourceCell: string | null;
  amount: { amount: string };
  service: { name: string };
  council: { shortName: string } | null;
  partnership: { name: string };
}

/** The savings figures an import run wrote that the hub still holds, each with its cell. */
export function RunFigures({ id }: { id: string }) {
  const state = useGraphql<{
    import: { figureCount: number; figures: Figure[] };
  }>(FIGURES, { id });
  return (
    <Loaded state={state}>
      {({ import: run }) =>
        run.figureCount === 0 ? (
          <p className="muted">
            This run holds no savings figures (it wrote none, or later imports
            took them over).
          </p>
        ) : (
          <div className="table-wrap">
            <table data-testid="run-figures">
              <caption>
                {run.figureCount} savings figure(s) written by this run
                {run.figureCount > run.figures.length
                  ? `; the first ${run.figures.length} are shown`
                  : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Cell</th>
                  <th scope="col">Partnership</th>
                  <th scope="col">Service</th>
                  <th scope="col">Council</th>
                  <th scope="col">Year</th>
                  <th scope="col">Measure</th>
                  <th scope="col">Month</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {run.figures.map((f) => (
                  <tr key={f.id}>
                    <td>
                      <code>
                        {f.sourceSheet ?? "—"}!{f.sourceCell ?? "—"}
                      </code>
                    </td>
                    <td>{f.partnership.name}</td>
                    <td>{f.service.name}</td>
                    <td>{f.council?.shortName ?? "The partnership"}</td>
                    <td>{f.financialYear}</td>
                    <td>
                      {enumWords(f.measure)}
                      {f.cashable ? "" : " (non-cashable)"}
                    </td>
                    <td>{formatPeriod(f.reportingPeriod)}</td>
                    <MoneyCell amount={f.amount.amount} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Loaded>
  );
}
