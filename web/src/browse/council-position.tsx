import { useId, useState } from "react";
import { useGraphql } from "../api/use-graphql";
import { Loaded } from "../app/status-message";
import { href } from "../app/use-hash-route";
import {
  cashableWords,
  KindTotalsTable,
  MoneyCell,
  MoneyHeaderRow,
} from "../app/money-table";
import { enumWords } from "../format/format-words";

const YEARS = `query SavingsYears { savingsSummary { financialYear } }`;

const POSITION = `query CouncilPosition($code: String!, $year: FinancialYear!) { council(code: $code) {
  savingsPosition(financialYear: $year) {
    totals { cashable expected { amount } claimed { amount } difference { amount } }
    lines { partnership { id name } service { id name } cashable expected { amount } claimed { amount } variance { amount } status }
    warnings
  } } }`;

type Money = { amount: string } | null;
interface Position {
  totals: {
    cashable: boolean;
    expected: { amount: string };
    claimed: { amount: string };
    difference: { amount: string };
  }[];
  lines: {
    partnership: { id: string; name: string };
    service: { id: string; name: string };
    cashable: boolean;
    expected: Money;
    claimed: Money;
    variance: Money;
    status: string;
  }[];
  warnings: string[];
}

/** A council's claims across all its partnerships for a year, beside what their totals give it (finance). */
export function CouncilPosition({ code }: { code: string }) {
  const id = useId();
  const years = useGraphql<{ savingsSummary: { financialYear: string }[] }>(
    YEARS,
    {},
  );
  const [year, setYear] = useState("");
  return (
    <section className="part" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Savings position across its partnerships</h2>
      <Loaded state={years}>
        {({ savingsSummary }) => (
          <div className="filters">
            <div>
              <label htmlFor={`${id}-year`}>Financial year (achieved)</label>
              <select
                id={`${id}-year`}
                value={year}
                onChange={(e) => setYear(e.target.value)}
              >
                <option value="">Choose a year</option>
                {savingsSummary.map((s) => (
                  <option key={s.financialYear} value={s.financialYear}>
                    {s.financialYear}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}
      </Loaded>
      {year && <PositionTable code={code} year={year} />}
    </section>
  );
}

function PositionTable({ code, year }: { code: string; year: string }) {
  const state = useGraphql<{ council: { savingsPosition: Position } }>(
    POSITION,
    { code, year },
  );
  return (
    <Loaded state={state}>
      {({ council: { savingsPosition: p } }) => (
        <>
          {p.warnings.map((w) => (
            <p className="warning" key={w}>
              {w}
            </p>
          ))}
          <KindTotalsTable
            caption={`Totals, ${year}`}
            testId="council-position"
            columns={["Expected", "Claimed", "Difference"]}
            rows={p.totals.map((t) => ({
              cashable: t.cashable,
              amounts: [
                t.expected.amount,
                t.claimed.amount,
                t.difference.amount,
              ],
            }))}
          />
          {p.lines.length === 0 ? (
            <p className="muted">No figures for this year.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption>Lines, by partnership</caption>
                <thead>
                  <MoneyHeaderRow
                    columns={[
                      "Partnership",
                      "Service",
                      "Kind",
                      { money: "Expected" },
                      { money: "Claimed" },
                      { money: "Variance" },
                      "Status",
                    ]}
                  />
                </thead>
                <tbody>
                  {p.lines.map((line, index) => (
                    <tr key={index}>
                      <td>
                        <a
                          href={href("reconciliation", {
                            partnership: line.partnership.id,
                            year,
                          })}
                        >
                          {line.partnership.name}
                        </a>
                      </td>
                      <td>
                        <a href={href("services", line.service.id)}>
                          {line.service.name}
                        </a>
                      </td>
                      <td>{cashableWords(line.cashable)}</td>
                      <MoneyCell amount={line.expected?.amount} />
                      <MoneyCell amount={line.claimed?.amount} />
                      <MoneyCell amount={line.variance?.amount} variance />
                      <td>{enumWords(line.status)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Loaded>
  );
}
