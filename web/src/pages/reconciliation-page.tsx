import { useId } from "react";
import { hubFetch } from "../api/hub-request";
import { useGraphql } from "../api/use-graphql";
import { DownloadButton } from "../app/download-button";
import { ErrorMessage, Loaded } from "../app/status-message";
import { href, type Route } from "../app/use-hash-route";
import { useViewer } from "../app/viewer";
import { formatPeriod } from "../format/format-date";
import {
  cashableWords,
  KindTotalsTable,
  MoneyCell,
  MoneyHeaderRow,
} from "../app/money-table";
import { enumWords } from "../format/format-words";

const PARTNERSHIPS = `query ReconcilablePartnerships { partnerships(first: 100) { edges { node {
  id name savingsSummary { financialYear } } } } }`;

const RECONCILIATION = `query Reconciliation($partnership: ID!, $year: FinancialYear!, $measure: SavingsMeasure!, $asOf: String) {
  reconciliation(partnership: $partnership, financialYear: $year, measure: $measure, asOf: $asOf) {
    financialYear measure asOf latestPeriod doubleCounting warnings
    partnership { id name }
    totals { cashable partnershipTotal { amount } claimed { amount } claimedWithoutTotal { amount } difference { amount } doubleCounting }
    lines {
      service { id name } council { gssCode shortName } cashable member
      partnershipTotal { amount } shareBasis sharePercent expected { amount } claimed { amount } variance { amount }
      status note totalFigure { ...Source } shareFigure { ...Source } claimFigure { ...Source }
    }
  }
}
fragment Source on SavingsFigure { sourceSheet sourceCell reportingPeriod importRun { id fileName } }`;

interface Source {
  sourceSheet: string | null;
  sourceCell: string | null;
  reportingPeriod: string;
  importRun: { id: string; fileName: string } | null;
}
type Money = { amount: string } | null;
interface Line {
  service: { id: string; name: string };
  council: { gssCode: string; shortName: string };
  cashable: boolean;
  member: boolean;
  partnershipTotal: Money;
  shareBasis: string | null;
  sharePercent: string | null;
  expected: Money;
  claimed: Money;
  variance: Money;
  status: string;
  note: string | null;
  totalFigure: Source | null;
  shareFigure: Source | null;
  claimFigure: Source | null;
}
interface Reconciliation {
  financialYear: string;
  measure: string;
  asOf: string | null;
  latestPeriod: string | null;
  doubleCounting: boolean;
  warnings: string[];
  partnership: { id: string; name: string };
  totals: {
    cashable: boolean;
    partnershipTotal: { amount: string };
    claimed: { amount: string };
    claimedWithoutTotal: { amount: string };
    difference: { amount: string };
    doubleCounting: boolean;
  }[];
  lines: Line[];
}

const MEASURES = ["ACHIEVED", "TARGET", "FORECAST", "ESTIMATE"];

/** Where a figure came from: its sheet and cell, linking to its import run; the file is in the link's name. */
function SourceLink({ figure }: { figure: Source | null }) {
  if (!figure) return null;
  const place = `${figure.sourceSheet ?? "?"}!${figure.sourceCell ?? "?"}`;
  const file = figure.importRun?.fileName ?? "entered by hand";
  const label = `${file} · ${place}`;
  const title = `${label}, reported ${formatPeriod(figure.reportingPeriod)}`;
  return figure.importRun ? (
    <a
      className="source"
      href={href("history", figure.importRun.id)}
      aria-label={label}
      title={title}
    >
      {place}
    </a>
  ) : (
    <span className="source" title={title}>
      {place}
    </span>
  );
}

/** A partnership's reconciliation for a year, measure and month; finance and above. */
export function ReconciliationPage({ route }: { route: Route }) {
  const viewer = useViewer()!;
  const id = useId();
  const partnership = route.params.get("partnership") ?? "";
  const year = route.params.get("year") ?? "";
  const measure = route.params.get("measure") ?? "ACHIEVED";
  const asOf = route.params.get("asOf") ?? "";
  const partnerships = useGraphql<{
    partnerships: {
      edges: {
        node: {
          id: string;
          name: string;
          savingsSummary: { financialYear: string }[];
        };
      }[];
    };
  }>(PARTNERSHIPS, {});
  const go = (changes: Record<string, string>) => {
    const next = { partnership, year, measure, asOf, ...changes };
    window.location.hash = href("reconciliation", next);
  };
  if (!viewer.mayReconcile)
    return (
      <ErrorMessage>
        Reconciliation needs the finance role; your token is{" "}
        {viewer.role.toLowerCase()}.
      </ErrorMessage>
    );
  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Reconciliation</h1>
      <Loaded state={partnerships}>
        {(data) => {
          const chosen = data.partnerships.edges.find(
            (e) => e.node.id === partnership,
          )?.node;
          const years =
            chosen?.savingsSummary.map((s) => s.financialYear) ?? [];
          return (
            <form className="filters" onSubmit={(e) => e.preventDefault()}>
              <div>
                <label htmlFor={`${id}-p`}>Partnership</label>
                <select
                  id={`${id}-p`}
                  value={partnership}
                  onChange={(e) =>
                    go({ partnership: e.target.value, year: "" })
                  }
                >
                  <option value="">Choose a partnership</option>
                  {data.partnerships.edges
                    .filter((e) => e.node.savingsSummary.length > 0)
                    .map(({ node }) => (
                      <option key={node.id} value={node.id}>
                        {node.name}
                      </option>
                    ))}
                </select>
              </div>
              <div>
                <label htmlFor={`${id}-y`}>Financial year</label>
                <select
                  id={`${id}-y`}
                  value={year}
                  onChange={(e) => go({ year: e.target.value })}
                >
                  <option value="">Choose a year</option>
                  {years.map((y) => (
                    <option key={y} value={y}>
                      {y}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor={`${id}-m`}>Measure</label>
                <select
                  id={`${id}-m`}
                  value={measure}
                  onChange={(e) => go({ measure: e.target.value })}
                >
                  {MEASURES.map((m) => (
                    <option key={m} value={m}>
                      {enumWords(m)}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor={`${id}-a`}>As reported up to (month)</label>
                <input
                  id={`${id}-a`}
                  type="month"
                  value={asOf}
                  onChange={(e) => go({ asOf: e.target.value })}
                />
              </div>
            </form>
          );
        }}
      </Loaded>
      {partnership && year ? (
        <ReconciliationTable
          partnership={partnership}
          year={year}
          measure={measure}
          asOf={asOf}
        />
      ) : (
        <p className="muted">Choose a partnership and a financial year.</p>
      )}
    </section>
  );
}

function ReconciliationTable(props: {
  partnership: string;
  year: string;
  measure: string;
  asOf: string;
}) {
  const state = useGraphql<{ reconciliation: Reconciliation }>(RECONCILIATION, {
    partnership: props.partnership,
    year: props.year,
    measure: props.measure,
    asOf: props.asOf || null,
  });
  return (
    <Loaded state={state}>
      {({ reconciliation: r }) => (
        <>
          <h2>
            {r.partnership.name}, {r.financialYear},{" "}
            {enumWords(r.measure).toLowerCase()}
          </h2>
          <p className="muted">
            Figures as last reported
            {r.asOf ? ` up to ${formatPeriod(r.asOf)}` : ""}
            {r.latestPeriod
              ? `; the latest used is from ${formatPeriod(r.latestPeriod)}`
              : ""}
            .
          </p>
          <ReconciliationDownload {...props} />
          {r.warnings.map((w) => (
            <p className="warning" key={w}>
              {w}
            </p>
          ))}
          <KindTotalsTable
            caption="Totals"
            className="reconciliation"
            columns={[
              "Partnership total",
              "Claimed",
              "Claimed without a total",
              "Difference",
            ]}
            rows={r.totals.map((t) => ({
              cashable: t.cashable,
              amounts: [
                t.partnershipTotal.amount,
                t.claimed.amount,
                t.claimedWithoutTotal.amount,
                t.difference.amount,
              ],
              note: t.doubleCounting && (
                <span className="badge bad">double counting</span>
              ),
            }))}
          />
          <div className="table-wrap">
            <table
              className="reconciliation"
              data-testid="reconciliation-lines"
            >
              <caption>
                Lines: each council's claim beside its expected share
              </caption>
              <thead>
                <MoneyHeaderRow
                  columns={[
                    "Service",
                    "Council",
                    "Kind",
                    { money: "Total" },
                    "Share",
                    { money: "Expected" },
                    { money: "Claimed" },
                    { money: "Variance" },
                    "Status",
                  ]}
                />
              </thead>
              <tbody>
                {r.lines.map((line, index) => (
                  <tr key={index} data-status={line.status}>
                    <td>
                      <a href={href("services", line.service.id)}>
                        {line.service.name}
                      </a>
                    </td>
                    <td>
                      <a href={href("councils", line.council.gssCode)}>
                        {line.council.shortName}
                      </a>
                      {!line.member && (
                        <span className="muted"> (not a member)</span>
                      )}
                    </td>
                    <td>{cashableWords(line.cashable)}</td>
                    <MoneyCell amount={line.partnershipTotal?.amount}>
                      <SourceLink figure={line.totalFigure} />
                    </MoneyCell>
                    <td className="share">
                      {line.sharePercent ? `${line.sharePercent}% ` : ""}
                      {line.shareBasis === "EQUAL"
                        ? "equal"
                        : line.shareBasis === "REPORTED"
                          ? "reported"
                          : line.shareBasis
                            ? "agreed"
                            : ""}
                    </td>
                    <MoneyCell amount={line.expected?.amount}>
                      <SourceLink figure={line.shareFigure} />
                    </MoneyCell>
                    <MoneyCell amount={line.claimed?.amount}>
                      <SourceLink figure={line.claimFigure} />
                    </MoneyCell>
                    <MoneyCell amount={line.variance?.amount} variance />
                    <td>
                      <span className={`badge ${statusClass(line.status)}`}>
                        {enumWords(line.status)}
                      </span>
                      {line.note && <span className="note">{line.note}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Loaded>
  );
}

function statusClass(status: string): string {
  if (status === "MATCHED") return "good";
  if (status === "OVER_CLAIMED" || status === "NON_MEMBER_CLAIM") return "bad";
  return "warn";
}

/** Downloads the reconciliation workbook (GET /exports/reconciliation.xlsx) with the tab's token. */
function ReconciliationDownload(props: {
  partnership: string;
  year: string;
  measure: string;
  asOf: string;
}) {
  const query = new URLSearchParams({
    partnership: props.partnership,
    year: props.year,
    measure: props.measure.toLowerCase(),
  });
  if (props.asOf) query.set("asOf", props.asOf);
  return (
    <DownloadButton
      label="Download the workbook (.xlsx)"
      busyLabel="Preparing the workbook…"
      fallbackName="reconciliation.xlsx"
      fetchFile={() => hubFetch(`/exports/reconciliation.xlsx?${query}`)}
    />
  );
}
