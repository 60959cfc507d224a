import type { ReactNode } from "react";
import { formatMoney } from "../format/format-money";
import { varianceClass } from "../format/variance-class";

/** A column of a table of money: its header, and whether it holds amounts (right-aligned). */
export type MoneyColumn = string | { money: string };

/** The header row of a table of money: amount columns right-aligned, as their cells are. */
export function MoneyHeaderRow({
  columns,
}: {
  columns: readonly MoneyColumn[];
}) {
  return (
    <tr>
      {columns.map((column) =>
        typeof column === "string" ? (
          <th scope="col" key={column}>
            {column}
          </th>
        ) : (
          <th scope="col" className="num" key={column.money}>
            {column.money}
          </th>
        ),
      )}
    </tr>
  );
}

/**
 * An amount in a table cell, right-aligned; a variance (claimed less expected) also coloured by its
 * sign. `children` follow the amount (a source link, a badge).
 */
export function MoneyCell({
  amount,
  variance = false,
  children,
}: {
  amount: string | null | undefined;
  variance?: boolean;
  children?: ReactNode;
}) {
  return (
    <td className={variance ? `num ${varianceClass(amount)}` : "num"}>
      {formatMoney(amount)}
      {children}
    </td>
  );
}

/** A figure's kind as a table shows it. */
export function cashableWords(cashable: boolean): string {
  return cashable ? "Cashable" : "Non-cashable";
}

/** One row of KindTotalsTable: a kind's amounts, the last its difference, and what follows it. */
export interface KindTotals {
  cashable: boolean;
  amounts: (string | null | undefined)[];
  /** After the difference (a "double counting" badge). */
  note?: ReactNode;
}

/**
 * A reconciliation's totals, a row per kind (cashable, non-cashable), its last column the
 * difference, coloured by its sign: the one table the reconciliation page and a council's savings
 * position both show.
 */
export function KindTotalsTable({
  caption,
  columns,
  rows,
  className,
  testId,
}: {
  caption: ReactNode;
  /** The amount columns' headers, the difference last. */
  columns: readonly string[];
  rows: readonly KindTotals[];
  className?: string;
  testId?: string;
}) {
  return (
    <div className="table-wrap">
      <table className={className} data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <MoneyHeaderRow
            columns={["Kind", ...columns.map((money) => ({ money }))]}
          />
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={String(row.cashable)}>
              <th scope="row">{cashableWords(row.cashable)}</th>
              {row.amounts.map((amount, i) =>
                i < row.amounts.length - 1 ? (
                  <MoneyCell amount={amount} key={i} />
                ) : (
                  <MoneyCell amount={amount} variance key={i}>
                    {row.note}
                  </MoneyCell>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
